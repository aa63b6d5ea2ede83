"""Whether an escalation is still wanted: its DM goes to the person in settings, not judged as the owner's."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.outbox.wanted import WANTED, Verdict, still_wanted
from tests.support.factories import make_delivery, make_milestone, make_settings

DUE = date(2026, 12, 15)
DM = make_delivery(key="reminder:1:2026-12-15:escalation:U4", channel_id="U4", due_date=DUE)
LINE = make_delivery(
    key="reminder:1:2026-12-15:escalation:C1",
    channel_id="C1",
    due_date=DUE,
    payload=json.dumps({"text": "⚠️ #1 Ship docs is 3 working days overdue — escalated to <@U4>."}),
)
ON = make_settings(escalate_days=3, escalate_to="U4")


@pytest.mark.parametrize("delivery", [DM, LINE])
def test_an_escalation_to_someone_not_the_owner_is_wanted(delivery) -> None:
    milestone = make_milestone(due_date=DUE, owner_id="U2")
    assert still_wanted(delivery=delivery, milestone=milestone, settings=ON) == WANTED


@pytest.mark.parametrize("delivery", [DM, LINE])
def test_escalation_turned_off_wants_neither(delivery) -> None:
    milestone = make_milestone(due_date=DUE, owner_id="U2")
    off = make_settings(escalate_days=None, escalate_to=None)
    assert still_wanted(delivery=delivery, milestone=milestone, settings=off) == Verdict(
        wanted=False, reason="escalation off"
    )


def test_neither_the_dm_nor_the_line_goes_when_the_escalation_now_goes_to_someone_else() -> None:
    # Planned for U4, then settings name U9: U4's DM is not sent, so a line "escalated to @U4" would lie.
    milestone = make_milestone(due_date=DUE, owner_id="U2")
    moved = make_settings(escalate_days=3, escalate_to="U9")
    for delivery in (DM, LINE):
        assert still_wanted(delivery=delivery, milestone=milestone, settings=moved) == Verdict(
            wanted=False, reason="escalation goes to someone else"
        )


@pytest.mark.parametrize(
    ("milestone", "reason"),
    [
        (make_milestone(due_date=date(2026, 12, 22)), "due date changed"),
        (make_milestone(due_date=DUE, status="done"), "milestone done"),
        (None, "milestone deleted"),
    ],
)
def test_a_re_dated_closed_or_deleted_milestone_wants_no_escalation(milestone, reason: str) -> None:
    assert still_wanted(delivery=DM, milestone=milestone, settings=ON) == Verdict(wanted=False, reason=reason)
