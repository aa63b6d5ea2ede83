"""Whether a planned delivery is still wanted: a pure judgement on the delivery, its milestone and channel."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.review_counts import ReviewCount
from bot.outbox.wanted import WANTED, Verdict, still_wanted
from tests.support.factories import make_delivery, make_milestone, make_settings

DUE = date(2026, 12, 15)


def test_a_reminder_for_an_open_milestone_on_its_planned_date_is_wanted() -> None:
    verdict = still_wanted(delivery=make_delivery(), milestone=make_milestone(due_date=DUE), settings=None)
    assert verdict == WANTED and verdict.wanted


def test_a_re_dated_milestone_no_longer_wants_the_old_dates_reminder() -> None:
    milestone = make_milestone(due_date=date(2026, 12, 20))
    assert still_wanted(delivery=make_delivery(), milestone=milestone, settings=None) == Verdict(
        wanted=False, reason="due date changed"
    )


def test_the_key_text_is_not_what_is_compared() -> None:
    # A key naming another date (say, planned by an older release) does not decide: the column does.
    delivery = make_delivery(key="reminder:1:2026-12-20:1d")
    assert still_wanted(delivery=delivery, milestone=make_milestone(due_date=DUE), settings=None) == WANTED


@pytest.mark.parametrize("status", ["done", "cancelled"])
def test_a_closed_milestone_wants_no_reminder(status: str) -> None:
    milestone = make_milestone(due_date=DUE, status=status)
    assert still_wanted(delivery=make_delivery(), milestone=milestone, settings=None) == Verdict(
        wanted=False, reason=f"milestone {status}"
    )


def test_a_deleted_milestone_wants_no_reminder() -> None:
    assert still_wanted(delivery=make_delivery(), milestone=None, settings=None) == Verdict(
        wanted=False, reason="milestone deleted"
    )


@pytest.mark.parametrize("kind", ["reminder", "checkin"])
def test_a_paused_channel_wants_nothing(kind: str) -> None:
    delivery = make_delivery(kind=kind)
    milestone = make_milestone(due_date=DUE)
    assert still_wanted(
        delivery=delivery, milestone=milestone, settings=make_settings(paused=True)
    ) == Verdict(wanted=False, reason="channel paused")
    assert (
        still_wanted(delivery=delivery, milestone=milestone, settings=make_settings(paused=False)) == WANTED
    )


def test_a_checkin_is_wanted_whatever_becomes_of_milestones() -> None:
    checkin = make_delivery(kind="checkin", key="checkin::T1:C1:2026-W50", milestone_id=None, due_date=None)
    assert still_wanted(delivery=checkin, milestone=None, settings=None) == WANTED


def test_a_reminder_by_dm_is_not_wanted_once_the_milestone_has_another_owner() -> None:
    to_alice = make_delivery(key="reminder:1:2026-12-15:1d:dm", channel_id="U1")
    assert still_wanted(delivery=to_alice, milestone=make_milestone(due_date=DUE), settings=None) == WANTED
    assert still_wanted(
        delivery=to_alice, milestone=make_milestone(due_date=DUE, owner_id="U2"), settings=None
    ) == Verdict(wanted=False, reason="owner changed")


def prompt(kind: str, user: str = "U2"):
    return make_delivery(
        kind=kind, key=f"{kind}:7:{user}", channel_id=user, milestone_id=None, due_date=None, checkin_id=7
    )


WAITING = ReviewCount(answered=1, expected=3, waiting={"U2": [3, 2]}, owners={"U1": [1], "U2": [3, 2]})


@pytest.mark.parametrize("kind", ["review_dm", "chase"])
def test_a_prompt_is_wanted_while_its_owner_has_milestones_to_answer(kind: str) -> None:
    assert (
        still_wanted(delivery=prompt(kind), milestone=None, settings=make_settings(), review=WAITING)
        == WANTED
    )


@pytest.mark.parametrize("kind", ["review_dm", "chase"])
@pytest.mark.parametrize(
    ("user", "review", "reason"),
    [
        ("U1", WAITING, "nothing left to answer"),  # answered everything already
        ("U3", ReviewCount(answered=0, expected=0, away={"U3": date(2026, 12, 20)}), "owner away"),
        ("U2", None, "check-in gone"),
    ],
)
def test_a_prompt_is_skipped_once_its_owner_answered_went_away_or_the_review_is_gone(
    kind: str, user: str, review: ReviewCount | None, reason: str
) -> None:
    verdict = still_wanted(
        delivery=prompt(kind, user), milestone=None, settings=make_settings(), review=review
    )
    assert verdict == Verdict(wanted=False, reason=reason)


@pytest.mark.parametrize(
    ("kind", "switched_off", "reason"),
    [("review_dm", {"review_dm": False}, "review DMs off"), ("chase", {"chase": False}, "chase off")],
)
def test_a_prompt_is_skipped_once_the_channel_turned_it_off(
    kind: str, switched_off: dict, reason: str
) -> None:
    verdict = still_wanted(
        delivery=prompt(kind), milestone=None, settings=make_settings(**switched_off), review=WAITING
    )
    assert verdict == Verdict(wanted=False, reason=reason)
