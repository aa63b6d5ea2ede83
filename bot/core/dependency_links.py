"""Dependencies in a change: set or clear the milestone one comes after, and keep the dates in order.

The rules are bot/core/dependencies.py; this reads what they need in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.dependencies import Adding, Predecessor, check_link, check_order, left_behind
from bot.core.vocabulary import Field
from storage import dependencies as links
from storage import milestones as queries
from storage.models import CLOSED_STATUSES, Milestone, Revision
from storage.workspace import Workspace


@dataclass(frozen=True)
class AfterChange:
    """`after 3` (the number of the one it comes after) or `after none` (number None)."""

    number: int | None


def link_after(
    session: Session,
    *,
    workspace: Workspace,
    milestone: Milestone,
    after: AfterChange,
    by: str,
    at: datetime,
    reason: str | None,
    source: str,
    adding: Adding | None = None,
) -> list[Revision]:
    """Point the milestone at the one it comes after (or none), if the rules allow; its Revision, if any.

    `adding`: the milestone is being added, and a refusal names it as such.
    """
    target = None
    if after.number is not None:
        target = queries.get_milestone(session=session, workspace=workspace, number=after.number)
        check_link(
            number=milestone.number,
            after=after.number,
            found=target is not None,
            links=links.after_links(session=session, workspace=workspace),
            adding=adding,
        )
    previous = _before(session, milestone=milestone)
    if (previous.id if previous else None) == (target.id if target else None):
        return []
    milestone.after_id = target.id if target else None
    milestone.updated_at = at
    return [
        Revision(
            milestone_id=milestone.id or 0,
            field=Field.AFTER.value,
            old=str(previous.number) if previous else None,
            new=str(target.number) if target else None,
            by=by,
            at=at,
            reason=reason,
            source=source,
        )
    ]


def predecessor_of(session: Session, *, milestone: Milestone) -> Predecessor | None:
    """The milestone this one comes after, as the rules read it; None when it comes after none."""
    before = _before(session, milestone=milestone)
    if before is None:
        return None
    return Predecessor(
        number=before.number, title=before.title, due=before.due_date, closed=before.status in CLOSED_STATUSES
    )


def check_in_order(
    session: Session, *, milestone: Milestone, today: date, adding: Adding | None = None
) -> None:
    """Refuse the milestone's due date when it falls before that of the open one it comes after."""
    before = predecessor_of(session, milestone=milestone)
    if before is not None:
        due, number = milestone.due_date, milestone.number
        check_order(number=number, due=due, before=before, today=today, adding=adding)


def now_behind(session: Session, *, milestone: Milestone) -> list[Milestone]:
    """The open milestones that come after this one and are now due before it: their owners are told."""
    later = links.open_after(session=session, milestone_id=milestone.id or 0)
    behind = set(left_behind(moved_to=milestone.due_date, later=[(m.number, m.due_date) for m in later]))
    return [m for m in later if m.number in behind]


def open_before(session: Session, *, milestone: Milestone) -> list[Milestone]:
    """The open milestones this one waits on: the one it comes after, the one that comes after, …

    The chain stops at a closed one (no longer waited on) and at a repeat, which the rules never let in.
    """
    chain: list[Milestone] = []
    before = _before(session, milestone=milestone)
    while before is not None and before.status not in CLOSED_STATUSES and before not in chain:
        chain.append(before)
        before = _before(session, milestone=before)
    return chain


def comes_after(*, engine: Engine, milestone: Milestone) -> Milestone | None:
    """The milestone this one comes after, read on its own (for `show`); None when it comes after none."""
    if milestone.after_id is None:
        return None
    with Session(engine) as session:
        before = _before(session, milestone=milestone)
        if before is not None:
            session.expunge(before)
        return before


def _before(session: Session, *, milestone: Milestone) -> Milestone | None:
    if milestone.after_id is None:
        return None
    return queries.milestone_by_id(session=session, milestone_id=milestone.after_id)
