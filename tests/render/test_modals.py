from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from slack_sdk.models.views import View

from bot.core.command_types import MilestoneFields
from bot.core.money import Money
from bot.render.modals import (
    ModalErrors,
    milestone_modal,
    read_milestone_modal,
    read_modal_context,
)
from tests.render import NOW, TODAY, make_milestone

ADD_BLOCKS = ["title", "due", "start", "owner", "budget", "dept"]
UPDATE_BLOCKS = ["title", "status", "due", "start", "owner", "budget", "dept", "reason"]


def submitted(view: dict, **changes: Any) -> dict:
    """`view.state.values` as Slack sends it when the form is submitted as shown, plus `changes`."""
    values: dict = {}
    for block in view["blocks"]:
        element = block["element"]
        kind = element["type"]
        if kind == "plain_text_input":
            state = {"value": element.get("initial_value")}
        elif kind == "datepicker":
            state = {"selected_date": element.get("initial_date")}
        elif kind == "users_select":
            state = {"selected_user": element.get("initial_user")}
        else:
            state = {"selected_option": element.get("initial_option")}
        values[block["block_id"]] = {element["action_id"]: {"type": kind, **state}}
    for block_id, value in changes.items():
        state = values[block_id][block_id]
        key = next(key for key in state if key != "type")
        state[key] = {"value": value} if key == "selected_option" and value else value
    return values


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


def test_add_modal_is_a_valid_empty_form():
    view = milestone_modal(mode="add", channel_id="C1", milestone=None, today=TODAY)

    View(**view).validate_json()
    assert view["callback_id"] == "milestone_add"
    assert view["title"]["text"] == "New milestone"
    assert view["submit"]["text"] == "Add"
    assert json.loads(view["private_metadata"]) == {"channel_id": "C1", "number": None}
    assert [block["block_id"] for block in view["blocks"]] == ADD_BLOCKS
    assert all(block["element"]["action_id"] == block["block_id"] for block in view["blocks"])
    title, *_ = view["blocks"]
    assert title["optional"] is False
    assert title["element"]["max_length"] == 150
    budget = view["blocks"][4]
    assert budget["element"]["placeholder"]["text"] == "$5,000 or 5000 EUR"


def test_edit_modal_is_prefilled_with_current_values():
    _, view = edit_form(
        make_milestone(
            due_date=date(2026, 12, 20),
            start_date=date(2026, 11, 1),
            department="Marketing",
            budget_minor=500000,
            budget_currency="USD",
            status="at_risk",
        )
    )

    View(**view).validate_json()
    assert view["callback_id"] == "milestone_update"
    assert (view["title"]["text"], view["submit"]["text"]) == ("Edit #12", "Save")
    assert json.loads(view["private_metadata"]) == {"channel_id": "C1", "number": 12}
    blocks = {block["block_id"]: block["element"] for block in view["blocks"]}
    assert list(blocks) == UPDATE_BLOCKS
    assert blocks["title"]["initial_value"] == "Launch beta"
    assert blocks["due"]["initial_date"] == "2026-12-20"
    assert blocks["start"]["initial_date"] == "2026-11-01"
    assert blocks["owner"]["initial_user"] == "U1"
    assert blocks["budget"]["initial_value"] == "$5,000"
    assert blocks["dept"]["initial_value"] == "Marketing"
    assert blocks["status"]["initial_option"]["value"] == "at_risk"
    assert [option["value"] for option in blocks["status"]["options"]] == [
        "open",
        "on_track",
        "at_risk",
        "blocked",
    ]
    assert blocks["reason"]["multiline"] is True
    assert blocks["reason"]["placeholder"]["text"] == "Why the change? Kept in the history"
    due_hint = next(block for block in view["blocks"] if block["block_id"] == "due")["hint"]["text"]
    assert due_hint.startswith("Planned for Dec 15.")


def test_modal_context_reads_back_private_metadata():
    _, view = edit_form()

    context = read_modal_context(view["private_metadata"])

    assert (context.channel_id, context.number) == ("C1", 12)


def test_read_add_form_with_every_field():
    values = add_values(
        title="  Launch   beta ",
        due="2026-12-15",
        start="2026-11-20",
        owner="U2",
        budget="5000 EUR",
        dept="Marketing",
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
    values = add_values(title=None, due="2026-11-19", start="2026-12-01", budget="lots", dept="R&D\u202e")

    with pytest.raises(ModalErrors) as raised:
        read_milestone_modal(values, now=NOW, mode="add")

    assert set(raised.value.errors) == {"title", "due", "start", "budget", "dept"}
    assert raised.value.errors["title"] == "Give the milestone a title."
    assert raised.value.errors["due"] == "That date has passed; pick today or later."
    assert raised.value.errors["start"] == "The start is after the due date."
    assert raised.value.errors["budget"] == "Write an amount like $5,000 or 5000 EUR."


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
