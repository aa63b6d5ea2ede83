"""Use cases of the slash-command side: add, update, complete, delete, find; with who-may-change-what."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.command_types import CommandError, MilestoneFields
from bot.core.money import Money
from bot.core.revisions import Value, apply_changes
from storage import milestones as queries
from storage.db import session_scope
from storage.models import CheckInNote, Milestone, Revision
from storage.workspace import Workspace


@dataclass(frozen=True)
class Actor:
    """The person asking, as far as permissions care."""

    user_id: str
    is_admin: bool = False


class MilestoneNotFound(LookupError):
    """No milestone with that number in this workspace."""

    def __init__(self, number: int) -> None:
        super().__init__(f"#{number} not found")
        self.number = number


class NotAllowed(PermissionError):
    """The actor may not change this milestone."""

    def __init__(self, milestone: Milestone, action: str) -> None:
        super().__init__(f"not allowed to {action} #{milestone.number}")
        self.milestone = milestone
        self.action = action


class NothingChanged(ValueError):
    """An update that would change nothing."""

    def __init__(self, milestone: Milestone) -> None:
        super().__init__(f"#{milestone.number} already looks like that")
        self.milestone = milestone


@dataclass(frozen=True)
class Change:
    """A milestone after a change, and the history rows the change wrote."""

    milestone: Milestone
    revisions: list[Revision] = field(default_factory=list)


def may_change(milestone: Milestone, actor: Actor) -> bool:
    """Owner, creator and workspace admins may change a milestone; anyone may add one."""
    return actor.is_admin or actor.user_id in (milestone.owner_id, milestone.created_by)


def get_milestone(*, engine: Engine, workspace: Workspace, number: int) -> Milestone:
    """The milestone `#number`, or MilestoneNotFound."""
    with Session(engine) as session:
        return _require(session, workspace=workspace, number=number)


@dataclass(frozen=True)
class History:
    """A milestone with its newest revisions (of `total` in all) and its latest check-in notes."""

    milestone: Milestone
    revisions: list[Revision]
    total: int
    notes: list[CheckInNote]


def milestone_history(*, engine: Engine, workspace: Workspace, number: int, limit: int = 10) -> History:
    """A milestone, its newest revisions and how many there are, and its three latest check-in notes."""
    with Session(engine) as session:
        milestone = _require(session, workspace=workspace, number=number)
        revisions, total = queries.revisions_of(session, milestone_id=milestone.id or 0, limit=limit)
        notes = queries.notes_on(session, milestone_id=milestone.id or 0, limit=3)
        return History(milestone=milestone, revisions=revisions, total=total, notes=notes)


def check_may_change(
    *, engine: Engine, workspace: Workspace, number: int, actor: Actor, action: str
) -> Milestone:
    """The milestone, if the actor may `action` it; else NotAllowed (or MilestoneNotFound)."""
    milestone = get_milestone(engine=engine, workspace=workspace, number=number)
    if not may_change(milestone, actor):
        raise NotAllowed(milestone, action)
    return milestone


def update_milestone(
    *,
    engine: Engine,
    workspace: Workspace,
    number: int,
    actor: Actor,
    fields: MilestoneFields,
    cleared: frozenset[str] = frozenset(),
    status: str | None = None,
    reason: str | None = None,
    source: str = "command",
    now: datetime,
) -> Change:
    """Change the given fields, keep the first planned due date as the baseline, and write the history."""
    changes: dict[str, Value] = {name: None for name in cleared}
    given: dict[str, Value] = {
        "title": fields.title,
        "due": fields.due,
        "start": fields.start,
        "owner": fields.owner_id,
        "budget": fields.budget,
        "department": fields.department,
        "status": status,
    }
    changes.update({name: value for name, value in given.items() if value is not None})
    with session_scope(engine) as session:
        return change_milestone(
            session,
            workspace=workspace,
            number=number,
            actor=actor,
            changes=changes,
            action="update",
            reason=reason,
            source=source,
            now=now,
        )


def complete_milestone(
    *,
    engine: Engine,
    workspace: Workspace,
    number: int,
    actor: Actor,
    completed_on: date,
    cost: Money | None,
    source: str = "command",
    now: datetime,
) -> Change:
    """Mark a milestone done on a date, with its actual cost when given."""
    with session_scope(engine) as session:
        return change_milestone(
            session,
            workspace=workspace,
            number=number,
            actor=actor,
            changes=completion(completed_on=completed_on, cost=cost),
            action="mark done",
            reason=None,
            source=source,
            now=now,
        )


def completion(*, completed_on: date, cost: Money | None) -> dict[str, Value]:
    """The changes that mark a milestone done."""
    changes: dict[str, Value] = {"status": "done", "completed_on": completed_on}
    if cost is not None:
        changes["actual_cost"] = cost
    return changes


def change_milestone(
    session: Session,
    *,
    workspace: Workspace,
    number: int,
    actor: Actor,
    changes: dict[str, Value],
    action: str,
    reason: str | None,
    source: str,
    now: datetime,
) -> Change:
    """Apply changes in the caller's transaction, if the actor may; one Revision per changed field."""
    milestone = _require(session, workspace=workspace, number=number)
    _check_allowed(session, milestone, actor=actor, action=action)
    revisions = apply_changes(milestone, changes, by=actor.user_id, at=now, reason=reason, source=source)
    if not revisions:
        session.expunge(milestone)
        raise NothingChanged(milestone)
    if milestone.start_date and milestone.due_date and milestone.start_date > milestone.due_date:
        raise CommandError(
            f"The start ({milestone.start_date.isoformat()}) would be after the due date "
            f"({milestone.due_date.isoformat()}).",
            example=f"/milestone update {number} start {milestone.due_date.isoformat()}",
        )
    if any(revision.field == "due" for revision in revisions):
        milestone.due_changed_at = now
    if milestone.baseline_due_date is None:
        milestone.baseline_due_date = milestone.due_date
    session.add(milestone)
    session.add_all(revisions)
    session.flush()
    return Change(milestone, revisions)


def delete_milestone(*, engine: Engine, workspace: Workspace, number: int, actor: Actor) -> Milestone:
    """Delete a milestone and its history, if the actor may."""
    with session_scope(engine) as session:
        milestone = _require(session, workspace=workspace, number=number)
        _check_allowed(session, milestone, actor=actor, action="delete")
        queries.delete_milestone(session, milestone=milestone)
        return milestone


def _require(session: Session, *, workspace: Workspace, number: int) -> Milestone:
    milestone = queries.get_milestone(session, workspace=workspace, number=number)
    if milestone is None:
        raise MilestoneNotFound(number)
    return milestone


def _check_allowed(session: Session, milestone: Milestone, *, actor: Actor, action: str) -> None:
    if not may_change(milestone, actor):
        # Detach it loaded, so the rollback that follows does not expire what the refusal shows.
        session.expunge(milestone)
        raise NotAllowed(milestone, action)
