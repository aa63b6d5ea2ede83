"""The next occurrence of a recurring milestone, created once, in the transaction that marks it done.

Once: the Done's row update holds the milestone's row until commit, so a second Done (or two at once) finds
the next one already there; `uq_milestone_follows` is the database's word on it should anything slip by.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.recurrence import RECURRENCES, Recurrence, aimed_day, next_dates
from storage import milestones as queries
from storage.models import Milestone
from storage.numbering import take_numbers
from storage.workspace import Workspace


def follow_up(session: Session, *, workspace: Workspace, done: Milestone, now: datetime) -> Milestone | None:
    """The milestone after a recurring one just marked done: created now, or the one an earlier Done made.

    Same title, owner, department, budget, channel and recurrence, due a period later (start shifted alike),
    with its own number, baseline and history. None when `done` does not recur.
    """
    if done.id is None or done.recurrence not in RECURRENCES:
        return None
    every = cast(Recurrence, done.recurrence)
    earlier = queries.next_of(session=session, milestone_id=done.id)
    if earlier is not None:
        return earlier
    # Undated, it repeats from the day it was done.
    due = done.due_date or done.completed_on or now.date()
    on_day = aimed_day(_series_dues(session, done=done)) if done.due_date and every != "week" else None
    next_due, next_start = next_dates(due=due, start=done.start_date, every=every, on_day=on_day)
    following = Milestone(
        team_id=done.team_id,
        enterprise_id=done.enterprise_id,
        number=take_numbers(session=session, workspace=workspace),
        channel_id=done.channel_id,
        title=done.title,
        owner_id=done.owner_id,
        department=done.department,
        start_date=next_start,
        due_date=next_due,
        baseline_due_date=next_due,
        due_changed_at=now,
        budget_minor=done.budget_minor,
        budget_currency=done.budget_currency,
        status="open",
        # Whoever may change the one done may change the next.
        created_by=done.created_by,
        created_at=now,
        updated_at=now,
        recurrence=every,
        follows_id=done.id,
    )
    session.add(following)
    session.flush()
    return following


def _series_dues(session: Session, *, done: Milestone) -> Iterator[date]:
    """The due dates of `done` and of the milestones it follows, newest first, read only as far as asked."""
    current: Milestone | None = done
    while current is not None and current.due_date is not None:
        yield current.due_date
        if current.follows_id is None:
            return
        current = queries.milestone_by_id(session=session, milestone_id=current.follows_id)


@dataclass(frozen=True)
class Series:
    """Where a recurring milestone stands in its series: the numbers of the one before and the one after."""

    previous: int | None = None
    next: int | None = None


def series_of(*, engine: Engine, milestone: Milestone) -> Series:
    """The milestone this one follows and the one its Done created, for `show`; none for a one-off."""
    if milestone.id is None or (milestone.follows_id is None and milestone.recurrence is None):
        return Series()
    with Session(engine) as session:
        before = (
            queries.milestone_by_id(session=session, milestone_id=milestone.follows_id)
            if milestone.follows_id is not None
            else None
        )
        after = queries.next_of(session=session, milestone_id=milestone.id)
        return Series(previous=before.number if before else None, next=after.number if after else None)
