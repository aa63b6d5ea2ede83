"""Reading back the milestone form the bot built: every bad field at once, or just what changed."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.core.command_types import MilestoneFields
from bot.core.forms.milestone import read_add_channel, read_milestone_modal, read_modal_context
from bot.core.forms.values import GarbledMetadata, ModalErrors
from bot.core.money import Money
from bot.render.modals import milestone_modal
from tests.support.factories import NOW, TODAY, make_milestone
from tests.support.view_state import submitted


def add_values(**changes: Any) -> dict:
    view = milestone_modal(mode="add", channel_id="C1", milestone=None, today=TODAY)
    return submitted(view, **changes)


def edit_form(milestone=None) -> tuple[Any, dict]:
    milestone = milestone or make_milestone(
        start_date=date(2026, 11, 1),
        department="Marketing",
        budget_minor=500000,
        budget_currency="USD",
    )
    return milestone, milestone_modal(mode="update", channel_id="C1", milestone=milestone, today=TODAY)


def test_modal_context_reads_back_private_metadata():
    _, view = edit_form()

    context = read_modal_context(view["private_metadata"])

    assert (context.channel_id, context.number) == ("C1", 12)


def test_add_form_channel_is_the_one_it_carries_or_the_one_picked():
    in_channel = milestone_modal(mode="add", channel_id="C1", milestone=None, today=TODAY)
    from_home = milestone_modal(mode="add", channel_id=None, milestone=None, today=TODAY)

    assert read_add_channel(in_channel["private_metadata"], values={}) == "C1"
    picked = {"channel": {"channel": {"selected_conversation": "C2"}}}
    assert read_add_channel(from_home["private_metadata"], values=picked) == "C2"
    with pytest.raises(GarbledMetadata):
        read_add_channel(from_home["private_metadata"], values={})


def test_read_add_form_with_every_field():
    values = add_values(
        title="  Launch   beta ",
        due="2026-12-15",
        start="2026-11-20",
        owner="U2",
        budget="5000 EUR",
        dept="dept:Marketing",
    )

    form = read_milestone_modal(values, now=NOW, mode="add")

    assert form.fields == MilestoneFields(
        title="Launch beta",
        due=date(2026, 12, 15),
        start=date(2026, 11, 20),
        owner_id="U2",
        budget=Money(500000, "EUR"),
        department="Marketing",
    )
    assert (form.status, form.reason, form.cleared) == (None, None, frozenset())


def test_read_add_form_with_only_a_title():
    form = read_milestone_modal(add_values(title="Hire head of sales"), now=NOW, mode="add")

    assert form.fields == MilestoneFields(title="Hire head of sales")


def test_read_add_form_reports_every_bad_field_at_once():
    values = add_values(
        title=None, due="2026-11-19", start="2026-12-01", budget="lots", dept="dept:R&D\u202e"
    )

    with pytest.raises(ModalErrors) as raised:
        read_milestone_modal(values, now=NOW, mode="add")

    assert set(raised.value.errors) == {"title", "due", "start", "budget", "dept"}
    assert raised.value.errors["title"] == "Give the milestone a title."
    assert raised.value.errors["due"] == "That date has passed; pick today or later."
    assert raised.value.errors["start"] == "The start is after the due date."
    assert raised.value.errors["budget"] == "Write an amount like $5,000 or 5000 EUR."


def test_the_department_menu_reads_a_department_or_none():
    assert read_milestone_modal(
        add_values(title="Ads", dept="dept:Sales Ops"), now=NOW, mode="add"
    ).fields == (MilestoneFields(title="Ads", department="Sales Ops"))
    assert read_milestone_modal(add_values(title="Ads", dept="none"), now=NOW, mode="add").fields == (
        MilestoneFields(title="Ads")
    )


def test_a_forged_department_option_is_refused_beside_the_menu():
    with pytest.raises(ModalErrors) as raised:
        read_milestone_modal(add_values(title="Ads", dept="Marketing"), now=NOW, mode="add")

    assert raised.value.errors == {"dept": "Pick a department from the list, or type a new one's name."}
    with pytest.raises(ModalErrors) as raised:
        read_milestone_modal(add_values(title="Ads", dept="dept:" + "x" * 81), now=NOW, mode="add")

    assert raised.value.errors == {"dept": "The department is 81 characters; keep it to 80."}


def test_a_form_opened_before_the_menu_reads_the_typed_department():
    values = add_values(title="Ads")
    values["dept"] = {"dept": {"type": "plain_text_input", "value": "  Sales  "}}

    assert read_milestone_modal(values, now=NOW, mode="add").fields.department == "Sales"


def test_the_edit_form_clears_the_department_with_no_department():
    milestone, view = edit_form()

    form = read_milestone_modal(submitted(view, dept="none"), now=NOW, mode="update", current=milestone)

    assert form.cleared == frozenset({"department"})


def test_read_add_form_refuses_a_title_too_long():
    with pytest.raises(ModalErrors) as raised:
        read_milestone_modal(add_values(title="x" * 151), now=NOW, mode="add")

    assert raised.value.errors == {"title": "The title is 151 characters; keep it to 150."}


def test_read_add_form_allows_due_today():
    form = read_milestone_modal(add_values(title="Ship", due=NOW.date().isoformat()), now=NOW, mode="add")

    assert form.fields.due == NOW.date()


def test_read_untouched_edit_form_changes_nothing():
    milestone, view = edit_form()

    form = read_milestone_modal(submitted(view), now=NOW, mode="update", current=milestone)

    assert form.fields.is_empty()
    assert (form.status, form.reason, form.cleared) == (None, None, frozenset())


def test_read_edit_form_returns_only_what_changed():
    milestone, view = edit_form()
    values = submitted(view, due="2026-12-20", status="at_risk", reason="Vendor\nlate ", budget="6000")

    form = read_milestone_modal(values, now=NOW, mode="update", current=milestone)

    assert form.fields == MilestoneFields(due=date(2026, 12, 20), budget=Money(600000, "USD"))
    assert form.status == "at_risk"
    assert form.reason == "Vendor late"
    assert form.cleared == frozenset()


def test_read_edit_form_reports_emptied_fields_as_cleared():
    milestone, view = edit_form()
    values = submitted(view, owner=None, dept=None, budget=None, start=None, due=None)

    form = read_milestone_modal(values, now=NOW, mode="update", current=milestone)

    assert form.fields.is_empty()
    assert form.cleared == frozenset({"owner", "department", "budget", "start", "due"})


def test_read_edit_form_keeps_a_past_due_date_but_refuses_a_new_one():
    milestone, view = edit_form(
        make_milestone(due_date=date(2026, 11, 1), baseline_due_date=date(2026, 11, 1))
    )

    kept = read_milestone_modal(submitted(view, title="Beta"), now=NOW, mode="update", current=milestone)
    with pytest.raises(ModalErrors) as raised:
        read_milestone_modal(submitted(view, due="2026-11-02"), now=NOW, mode="update", current=milestone)

    assert kept.fields == MilestoneFields(title="Beta")
    assert set(raised.value.errors) == {"due"}


def test_read_edit_form_of_a_done_milestone_leaves_status_alone():
    milestone, view = edit_form(make_milestone(status="done", completed_on=date(2026, 11, 18)))

    form = read_milestone_modal(submitted(view), now=NOW, mode="update", current=milestone)

    assert "initial_option" not in view["blocks"][1]["element"]
    assert form.status is None


def test_read_edit_form_refuses_an_unknown_status():
    milestone, view = edit_form()

    with pytest.raises(ModalErrors) as raised:
        read_milestone_modal(submitted(view, status="done"), now=NOW, mode="update", current=milestone)

    assert set(raised.value.errors) == {"status"}
