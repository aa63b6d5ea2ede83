"""The form's "Repeats" menu read back: a period, "Doesn't repeat", unchanged, missing, or forged."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.command_types import MilestoneFields
from bot.core.forms.milestone import ModalInput, read_milestone_modal
from bot.core.forms.values import ModalErrors
from bot.core.vocabulary import Field
from bot.render.modals import milestone_modal
from tests.support.factories import NOW, TODAY, make_milestone
from tests.support.view_state import submitted

MONTHLY = make_milestone(recurrence="month")
ONCE = make_milestone()
FORGED = "Pick one of the listed choices."


def add(**changes: Any) -> ModalInput:
    view = milestone_modal(mode="add", channel_id="C1", milestone=None, today=TODAY)
    return read_milestone_modal(submitted(view, title="Close", **changes), now=NOW, mode="add")


def edit(milestone: Any, values: dict | None = None, **changes: Any) -> ModalInput:
    view = milestone_modal(mode="update", channel_id="C1", milestone=milestone, today=TODAY)
    state = values if values is not None else submitted(view, **changes)
    return read_milestone_modal(state, now=NOW, mode="update", current=milestone)


def test_the_add_form_takes_a_period() -> None:
    assert add(recurrence="month").fields == MilestoneFields(title="Close", recurrence="month")
    assert add(recurrence="week").fields.recurrence == "week"
    assert add(recurrence="quarter").fields.recurrence == "quarter"


def test_the_add_form_with_nothing_picked_or_doesnt_repeat_does_not_repeat() -> None:
    assert add().fields == MilestoneFields(title="Close")
    assert add(recurrence="none").fields == MilestoneFields(title="Close")
    assert add(recurrence="none").cleared == frozenset()


def test_the_edit_form_untouched_changes_nothing_whether_it_repeats_or_not() -> None:
    for milestone in (MONTHLY, ONCE):
        form = edit(milestone)
        assert form.fields.is_empty()
        assert form.cleared == frozenset()


def test_doesnt_repeat_on_a_recurring_one_clears_it_as_every_none_does() -> None:
    form = edit(MONTHLY, recurrence="none")

    assert form.fields.is_empty()
    assert form.cleared == frozenset({Field.RECURRENCE})


def test_a_new_period_is_a_change_and_the_same_one_is_none() -> None:
    assert edit(MONTHLY, recurrence="quarter").fields == MilestoneFields(recurrence="quarter")
    assert edit(ONCE, recurrence="week").fields == MilestoneFields(recurrence="week")
    assert edit(MONTHLY, recurrence="month").fields.is_empty()
    assert edit(ONCE, recurrence="none").cleared == frozenset()


def test_a_form_opened_before_the_menu_keeps_the_recurrence() -> None:
    view = milestone_modal(mode="update", channel_id="C1", milestone=MONTHLY, today=TODAY)
    values = submitted(view, title="Quarter close")
    del values["recurrence"]

    form = edit(MONTHLY, values)

    assert form.fields == MilestoneFields(title="Quarter close")
    assert form.cleared == frozenset()


@pytest.mark.parametrize("forged", ["daily", "off", "Month", "", "every month", 3, ["month"], {"v": 1}])
def test_a_value_the_menu_did_not_offer_is_an_error_beside_it(forged: object) -> None:
    with pytest.raises(ModalErrors) as refused:
        add(recurrence=forged if isinstance(forged, str) else {"value": forged})
    assert refused.value.errors == {"recurrence": FORGED}

    with pytest.raises(ModalErrors) as refused:
        edit(MONTHLY, recurrence={"value": forged})
    assert refused.value.errors == {"recurrence": FORGED}


@pytest.mark.parametrize("garbled", ["month", ["month"], 7, None, {}])
def test_a_garbled_menu_state_is_read_as_nothing_picked(garbled: object) -> None:
    view = milestone_modal(mode="add", channel_id="C1", milestone=None, today=TODAY)
    values = submitted(view, title="Close")
    values["recurrence"]["recurrence"]["selected_option"] = garbled

    assert read_milestone_modal(values, now=NOW, mode="add").fields == MilestoneFields(title="Close")
    values["recurrence"] = {"recurrence": garbled}
    assert read_milestone_modal(values, now=NOW, mode="add").fields == MilestoneFields(title="Close")
