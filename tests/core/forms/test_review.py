"""Reading back the review forms: every bad field named at once, nothing read that the form did not offer."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.forms.review import (
    ReviewContext,
    read_note_form,
    read_owner_form,
    read_review_context,
)
from bot.core.forms.values import GarbledMetadata, ModalErrors
from bot.core.limits import NOTE_CHARS
from bot.core.review_answers import MilestoneAnswer
from tests.support.factories import TODAY, make_milestone

SHOWN = [make_milestone(id=1, number=4, due_date=date(2026, 12, 15)), make_milestone(id=2, number=6)]


def pick(value: str | None, kind: str = "static_select") -> dict:
    return {"type": kind, "selected_option": {"value": value} if value else None}


def owner_values(**given) -> dict:
    values: dict = {}
    for key, value in given.items():
        if key.startswith("status_"):
            values[key] = {key: pick(value)}
        elif key.startswith("due_"):
            values[key] = {key: {"type": "datepicker", "selected_date": value}}
        else:
            values[key] = {key: {"type": "plain_text_input", "value": value}}
    return values


def test_statuses_dates_reason_and_note_are_read():
    values = owner_values(
        status_4="at_risk", due_6="2027-01-20", reason="Vendor late", note="Line one\nline two"
    )

    read = read_owner_form(values, shown=SHOWN, today=TODAY)

    assert read.answers == [
        MilestoneAnswer(number=4, status="at_risk"),
        MilestoneAnswer(number=6, status=None, new_due=date(2027, 1, 20)),
    ]
    assert (read.reason, read.note) == ("Vendor late", "Line one\nline two")


def test_a_milestone_left_alone_is_not_answered():
    assert read_owner_form(owner_values(status_4="on_track"), shown=SHOWN, today=TODAY).answers == [
        MilestoneAnswer(number=4, status="on_track")
    ]


def test_every_bad_field_is_named_at_once():
    values = owner_values(
        status_4="done", due_4="2026-12-20", due_6="2026-11-01", note="x" * (NOTE_CHARS + 1), reason=None
    )

    with pytest.raises(ModalErrors) as refused:
        read_owner_form(values, shown=SHOWN, today=TODAY)

    assert refused.value.errors == {
        "due_4": "A milestone marked done needs no new date; leave it empty.",
        "due_6": "That date has passed; pick today or later.",
        "note": f"The note is {NOTE_CHARS + 1} characters; keep it to {NOTE_CHARS}.",
    }


def test_a_new_date_needs_a_reason_and_the_same_date_is_no_new_date():
    with pytest.raises(ModalErrors) as refused:
        read_owner_form(owner_values(due_4="2026-12-15", due_6="2027-02-01"), shown=SHOWN, today=TODAY)

    assert refused.value.errors == {
        "due_4": "That's already the due date; pick another one or leave it empty.",
        "reason": "Say why the date moves; it is kept in the history.",
    }


def test_an_owners_note_is_on_what_they_answered_else_on_all_the_form_showed():
    answered = read_owner_form(
        owner_values(status_6="blocked", note="Waiting on legal"), shown=SHOWN, today=TODAY
    )
    assert answered.note_on(shown=[4, 6]) == [6]
    only_a_note = read_owner_form(owner_values(note="Quiet week"), shown=SHOWN, today=TODAY)
    assert only_a_note.note_on(shown=[4, 6]) == [4, 6]


def test_a_status_the_form_did_not_offer_is_not_read():
    read = read_owner_form(owner_values(status_4="cancelled"), shown=SHOWN, today=TODAY)

    assert read.answers == []


def test_a_note_or_risk_on_one_milestone():
    values = {
        "milestone": {"milestone": pick("6")},
        "kind": {"kind": pick("risk", "radio_buttons")},
        "text": {"text": {"type": "plain_text_input", "value": "  Venue not booked  "}},
    }

    read = read_note_form(values, shown=[4, 6])

    assert (read.number, read.kind, read.text) == (6, "risk", "Venue not booked")


def test_a_note_needs_a_milestone_offered_and_some_text():
    values = {
        "milestone": {"milestone": pick("99")},
        "text": {"text": {"type": "plain_text_input", "value": None}},
    }

    with pytest.raises(ModalErrors) as refused:
        read_note_form(values, shown=[4, 6])

    assert refused.value.errors == {
        "milestone": "Pick the milestone the note is about.",
        "text": "Write the note.",
    }


def test_the_context_round_trips_and_garbled_metadata_is_refused():
    context = ReviewContext(checkin_id=7, channel_id="C1", numbers=[4, 6])

    assert read_review_context(context.to_metadata()) == context
    for garbled in ('{"checkin_id": 7, "channel_id": "C1", "numbers": ["4"]}', '{"channel_id": "C1"}', "[]"):
        with pytest.raises(GarbledMetadata):
            read_review_context(garbled)
