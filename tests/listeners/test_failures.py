"""The one refusal wrapper: what each refusal says, in a message and on a form."""

from __future__ import annotations

from bot.core.access import MilestoneNotFound, NotAllowed
from bot.core.command_types import CommandError
from bot.core.forms.values import ModalErrors
from bot.core.milestones import NothingChanged
from bot.listeners.failures import explain, form_errors, on_form
from tests.support.factories import make_milestone

EDIT_FORM = on_form("title", invalid_field="start")


def test_a_refusal_in_a_message_says_why_and_names_who_may() -> None:
    refused = explain(NotAllowed(make_milestone(owner_id="U2", created_by="U1"), "update")).text
    assert "#12" in refused
    assert "There's no milestone *#99*" in explain(MilestoneNotFound(99)).text
    bad = explain(
        CommandError("The start would be after the due date.", example="/milestone update 12 start dec 1")
    )
    assert "start would be after" in bad.text


def test_on_a_form_a_vanished_milestone_was_deleted_meanwhile() -> None:
    assert form_errors(MilestoneNotFound(12), how=EDIT_FORM) == {"title": "#12 was deleted meanwhile."}
    assert form_errors(MilestoneNotFound(12), how=on_form("due")) == {"due": "#12 was deleted meanwhile."}


def test_on_a_form_bad_input_shows_under_the_field_it_is_about() -> None:
    error = CommandError("The start (2026-12-20) would be after the due date (2026-12-15).", example="…")
    assert form_errors(error, how=EDIT_FORM) == {"start": error.message}
    assert form_errors(error, how=on_form("due")) == {"due": error.message}
    assert form_errors(ModalErrors({"due": "Pick a date."}), how=EDIT_FORM) == {"due": "Pick a date."}


def test_a_form_that_changes_nothing_closes_whichever_form_it_is() -> None:
    assert form_errors(NothingChanged(make_milestone()), how=EDIT_FORM) == {}
    assert form_errors(NothingChanged(make_milestone()), how=on_form("due")) == {}


def test_on_a_form_a_refusal_shows_its_message_under_the_field() -> None:
    refusal = NotAllowed(make_milestone(owner_id="U2", created_by="U2"), "update")
    assert form_errors(refusal, how=EDIT_FORM) == {"title": explain(refusal).text}
