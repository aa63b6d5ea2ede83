"""Whether an escalation is still wanted: its DM goes to the person in settings, not judged as the owner's."""

from __future__ import annotations

from datetime import date

import pytest

from bot.outbox.wanted import WANTED, Verdict, still_wanted
from tests.support.factories import make_delivery, make_milestone, make_settings

DUE = date(2026, 12, 15)
DM = make_delivery(key="reminder:1:2026-12-15:escalation:U4", channel_id="U4", due_date=DUE)
LINE = make_delivery(key="reminder:1:2026-12-15:escalation:C1", channel_id="C1", due_date=DUE)
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


def test_a_dm_to_someone_no_longer_named_is_not_wanted_but_the_channel_line_is() -> None:
    milestone = make_milestone(due_date=DUE, owner_id="U2")
    moved = make_settings(escalate_days=3, escalate_to="U9")
    assert still_wanted(delivery=DM, milestone=milestone, settings=moved) == Verdict(
        wanted=False, reason="escalation goes to someone else"
    )
    assert still_wanted(delivery=LINE, milestone=milestone, settings=moved) == WANTED


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
