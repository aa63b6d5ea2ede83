"""Reading back the "New date…" modal: where it was opened, the new due date and why."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.core.forms.new_date import read_new_date_context, read_new_date_modal
from bot.core.forms.values import ModalErrors
from tests.support.factories import TODAY, make_milestone
from tests.support.modals import new_date_view


def submitted(*, due: str | None, reason: str | None = None) -> dict:
    return {
        "due": {"due": {"type": "datepicker", "selected_date": due}},
        "reason": {"reason": {"type": "plain_text_input", "value": reason}},
    }


def test_new_date_modal_remembers_where_it_was_opened():
    view = new_date_view()

    assert json.loads(view["private_metadata"]) == {
        "number": 12,
        "checkin_id": 7,
        "channel_id": "C1",
        "message_ts": "1700000000.000100",
    }
    context = read_new_date_context(view["private_metadata"])
    assert (context.number, context.checkin_id, context.channel_id) == (12, 7, "C1")
    assert context.message_ts == "1700000000.000100"


def test_from_an_overdue_reminder_there_is_no_checkin():
    view = new_date_view(checkin_id=None, message_ts=None)

    context = read_new_date_context(view["private_metadata"])
    assert (context.checkin_id, context.message_ts) == (None, None)


def test_reading_a_new_date_and_reason():
    due, reason = read_new_date_modal(
        submitted(due="2026-12-22", reason="  vendor\n  late "), today=TODAY, current=make_milestone()
    )

    assert due == date(2026, 12, 22)
    assert reason == "vendor late"


def test_reason_is_optional_and_today_is_allowed():
    assert read_new_date_modal(submitted(due=TODAY.isoformat()), today=TODAY, current=make_milestone()) == (
        TODAY,
        None,
    )


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (submitted(due=None), "due", "Pick the new due date."),
        (submitted(due="2026-11-19"), "due", "That date has passed; pick today or later."),
        (submitted(due="2026-12-15"), "due", "That's already the due date"),
        (submitted(due="someday"), "due", "Pick a date from the calendar."),
        (submitted(due="2026-12-22", reason="x" * 501), "reason", "keep it to 500"),
        (submitted(due="2026-12-22", reason="late\x00"), "reason", "control character"),
    ],
)
def test_bad_new_date_names_the_field(values, field, message):
    with pytest.raises(ModalErrors) as caught:
        read_new_date_modal(values, today=TODAY, current=make_milestone())

    assert list(caught.value.errors) == [field]
    assert message in caught.value.errors[field]


def test_bad_date_and_reason_are_reported_together():
    with pytest.raises(ModalErrors) as caught:
        read_new_date_modal(submitted(due=None, reason="y" * 600), today=TODAY, current=make_milestone())

    assert set(caught.value.errors) == {"due", "reason"}
