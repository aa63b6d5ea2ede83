"""Queries on milestones and their revisions, always scoped to one workspace."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, and_, case, delete, func, or_
from sqlmodel import Session, col, select

from storage.models import OPEN_STATUSES, ChannelSettings, CheckInNote, Milestone, Revision
from storage.workspace import Workspace


def _in_workspace(workspace: Workspace) -> ColumnElement[bool]:
    return and_(
        col(Milestone.team_id) == workspace.team_id, col(Milestone.enterprise_id) == workspace.enterprise_id
    )


def get_milestone(session: Session, *, workspace: Workspace, number: int) -> Milestone | None:
    """The milestone `#number` of this workspace, or None."""
    statement = select(Milestone).where(_in_workspace(workspace), Milestone.number == number)
    return session.exec(statement).first()


def find_milestones(
    session: Session,
    *,
    workspace: Workspace,
    conditions: Sequence[ColumnElement[bool]],
    limit: int,
) -> tuple[list[Milestone], int]:
    """Milestones matching all `conditions`, soonest due first (undated last), and how many match in all."""
    where = [_in_workspace(workspace), *conditions]
    total = session.exec(select(func.count()).select_from(Milestone).where(*where)).one()
    statement = (
        select(Milestone)
        .where(*where)
        .order_by(col(Milestone.due_date).is_(None), col(Milestone.due_date), col(Milestone.number))
        .limit(limit)
    )
    return list(session.exec(statement).all()), total


def is_open() -> ColumnElement[bool]:
    """Condition: neither done nor cancelled."""
    return col(Milestone.status).in_(OPEN_STATUSES)


def is_overdue(today: date) -> ColumnElement[bool]:
    """Condition: open and due before `today`."""
    return and_(is_open(), col(Milestone.due_date) < today)


def involves(user_id: str) -> ColumnElement[bool]:
    """Condition: the user owns the milestone, or created it and nobody else owns it."""
    return or_(
        col(Milestone.owner_id) == user_id,
        and_(col(Milestone.owner_id).is_(None), col(Milestone.created_by) == user_id),
    )


def owned_or_created(user_id: str) -> ColumnElement[bool]:
    """Condition: the user owns the milestone or added it."""
    return or_(col(Milestone.owner_id) == user_id, col(Milestone.created_by) == user_id)


def revisions_of(session: Session, *, milestone_id: int, limit: int) -> tuple[list[Revision], int]:
    """The newest `limit` revisions of a milestone, newest first, and how many there are in all."""
    total = session.exec(select(func.count()).where(Revision.milestone_id == milestone_id)).one()
    statement = (
        select(Revision)
        .where(Revision.milestone_id == milestone_id)
        .order_by(col(Revision.at).desc(), col(Revision.id).desc())
        .limit(limit)
    )
    return list(session.exec(statement).all()), total


def notes_on(session: Session, *, milestone_id: int, limit: int) -> list[CheckInNote]:
    """The newest check-in notes kept on a milestone, newest first."""
    statement = (
        select(CheckInNote)
        .where(CheckInNote.milestone_id == milestone_id)
        .order_by(col(CheckInNote.at).desc(), col(CheckInNote.id).desc())
        .limit(limit)
    )
    return list(session.exec(statement).all())


def channel_counts(
    session: Session, *, workspace: Workspace, conditions: Sequence[ColumnElement[bool]], today: date
) -> list[tuple[str, int, int]]:
    """(channel, open, overdue) for the open milestones matching `conditions`, busiest channel first."""
    overdue = func.sum(case((col(Milestone.due_date) < today, 1), else_=0))
    statement = (
        select(Milestone.channel_id, func.count(), overdue)
        .where(_in_workspace(workspace), is_open(), *conditions)
        .group_by(col(Milestone.channel_id))
        .order_by(func.count().desc(), col(Milestone.channel_id))
    )
    return [(channel, int(count), int(late or 0)) for channel, count, late in session.exec(statement).all()]


def revision_counts(session: Session, *, milestone_ids: list[int]) -> dict[int, int]:
    """How many revisions each milestone has (milestones without any are absent)."""
    if not milestone_ids:
        return {}
    statement = (
        select(Revision.milestone_id, func.count())
        .where(col(Revision.milestone_id).in_(milestone_ids))
        .group_by(col(Revision.milestone_id))
    )
    return {milestone_id: count for milestone_id, count in session.exec(statement).all()}


def delete_milestone(session: Session, *, milestone: Milestone) -> None:
    """Delete a milestone with its revisions (explicit, so SQLite without cascades behaves the same)."""
    session.exec(delete(Revision).where(col(Revision.milestone_id) == milestone.id))
    session.delete(milestone)


def get_channel_settings(
    session: Session, *, workspace: Workspace, channel_id: str
) -> ChannelSettings | None:
    """The channel's settings row, or None before its first milestone."""
    statement = select(ChannelSettings).where(
        ChannelSettings.team_id == workspace.team_id,
        ChannelSettings.enterprise_id == workspace.enterprise_id,
        ChannelSettings.channel_id == channel_id,
    )
    return session.exec(statement).first()
