"""Named queries on milestones and their revisions: each says what it finds and which index serves it.

Lists come soonest due first (undated last); those a person reads capped also say how many matched in all
("of N"), the others run no count.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Row,
    Select,
    and_,
    bindparam,
    case,
    delete,
    func,
    or_,
)
from sqlmodel import Session, col, select

from storage.models import OPEN_STATUSES, CheckInNote, Milestone, Revision
from storage.workspace import Workspace

# Every list of milestones reads this way: soonest due first, undated last, then by number.
SOONEST_DUE_FIRST = (col(Milestone.due_date).is_(None), col(Milestone.due_date), col(Milestone.number))


class ListedMilestone(NamedTuple):
    """What a `/milestone list` line shows of a milestone, read as plain columns (no ORM object)."""

    # A named tuple, not an entity: SQLAlchemy and SQLModel spent more building 100 instances (state,
    # identity map, pydantic attributes) than the rest of a list answer's database work.
    number: int
    title: str
    owner_id: str | None
    department: str | None
    due_date: date | None
    status: str
    completed_on: date | None
    recurrence: str | None
    after_id: int | None = None  # the milestone it comes after; its number is looked up for the line


_MILESTONE = Milestone.__table__
# The table's own columns, in ListedMilestone's order: a statement of them is plain Core, no ORM step.
_LISTED = tuple(_MILESTONE.c[name] for name in ListedMilestone._fields)
_LISTED_ORDER = (_MILESTONE.c.due_date.is_(None), _MILESTONE.c.due_date, _MILESTONE.c.number)


def get_milestone(*, session: Session, workspace: Workspace, number: int) -> Milestone | None:
    """The milestone `#number` of this workspace, or None.

    Index: uq_milestone_workspace_number.
    """
    return session.exec(select(Milestone).where(_in_workspace(workspace), Milestone.number == number)).first()


def milestone_by_id(*, session: Session, milestone_id: int) -> Milestone | None:
    """The milestone a delivery or a check-in points at, or None once it was deleted.

    Index: the primary key.
    """
    return session.get(Milestone, milestone_id)


def next_of(*, session: Session, milestone_id: int) -> Milestone | None:
    """The milestone a recurring one's Done created, or None.

    Index: uq_milestone_follows.
    """
    return session.exec(select(Milestone).where(col(Milestone.follows_id) == milestone_id)).first()


def channel_milestones(
    *,
    session: Session,
    workspace: Workspace,
    channel_id: str,
    limit: int,
    open_only: bool = False,
    since: date | None = None,
) -> tuple[list[Milestone], int]:
    """The channel's milestones (open ones only, or those active since a date, when asked).

    Index: ix_milestone_workspace_channel.
    """
    where = [_in_channel(workspace, channel_id), *_narrowed(open_only=open_only, since=since)]
    return _page(session, where=where, limit=limit)


def listed_channel(
    *, connection: Connection, workspace: Workspace, channel_id: str, limit: int, open_only: bool = False
) -> tuple[list[ListedMilestone], int]:
    """The channel's milestones (open ones only, when asked) as list lines, and how many matched in all.

    Index: ix_milestone_workspace_channel.
    """
    if limit < 1:
        where = [_in_channel(workspace, channel_id), *_narrowed(open_only=open_only)]
        return _listed_page(connection, where=where, limit=limit)
    values = {
        "team_id": workspace.team_id,
        "enterprise_id": workspace.enterprise_id,
        "channel_id": channel_id,
        "limit": limit,
    }
    return _listed_rows(connection.execute(_listed_channel_page(open_only=open_only), values).all())


@functools.cache
def _listed_channel_page(*, open_only: bool) -> Select[Any]:
    """A channel's list lines and their count, built once for each kind: every `/milestone list` reads one."""
    where = [
        _MILESTONE.c.team_id == bindparam("team_id"),
        _MILESTONE.c.enterprise_id == bindparam("enterprise_id"),
        _MILESTONE.c.channel_id == bindparam("channel_id"),
    ]
    if open_only:
        where.append(_MILESTONE.c.status.in_(OPEN_STATUSES))
    limit = bindparam("limit", type_=Integer, literal_execute=True)
    return select(*_LISTED, func.count().over()).where(*where).order_by(*_LISTED_ORDER).limit(limit)


def listed_done(
    *, connection: Connection, workspace: Workspace, channel_id: str, limit: int
) -> tuple[list[ListedMilestone], int]:
    """The channel's milestones marked done, as list lines.

    Index: ix_milestone_workspace_channel.
    """
    where = [_in_channel(workspace, channel_id), col(Milestone.status) == "done"]
    return _listed_page(connection, where=where, limit=limit)


def listed_overdue(
    *, connection: Connection, workspace: Workspace, channel_id: str, today: date, limit: int
) -> tuple[list[ListedMilestone], int]:
    """The channel's open milestones due before `today`, as list lines.

    Index: ix_milestone_workspace_channel.
    """
    where = [_in_channel(workspace, channel_id), _overdue(today)]
    return _listed_page(connection, where=where, limit=limit)


def listed_upcoming(
    *, connection: Connection, workspace: Workspace, channel_id: str, first: date, last: date, limit: int
) -> tuple[list[ListedMilestone], int]:
    """The channel's open milestones due from `first` to `last`, both included, as list lines.

    Index: ix_milestone_workspace_channel.
    """
    where = [_in_channel(workspace, channel_id), _open(), col(Milestone.due_date).between(first, last)]
    return _listed_page(connection, where=where, limit=limit)


def listed_involving(
    *, connection: Connection, workspace: Workspace, user_id: str, limit: int
) -> tuple[list[ListedMilestone], int]:
    """Open milestones the user owns, or created while nobody else owns them, as list lines.

    Index: uq_milestone_workspace_number, by its (enterprise_id, team_id) prefix.
    """
    involves = or_(
        col(Milestone.owner_id) == user_id,
        and_(col(Milestone.owner_id).is_(None), col(Milestone.created_by) == user_id),
    )
    return _listed_page(connection, where=[_in_workspace(workspace), involves, _open()], limit=limit)


def listed_owned(
    *, connection: Connection, workspace: Workspace, owner_id: str | None, limit: int
) -> tuple[list[ListedMilestone], int]:
    """The workspace's open milestones one person owns, as list lines.

    Index: uq_milestone_workspace_number, by its (enterprise_id, team_id) prefix.
    """
    where = [_in_workspace(workspace), col(Milestone.owner_id) == owner_id, _open()]
    return _listed_page(connection, where=where, limit=limit)


def listed_department(
    *, connection: Connection, workspace: Workspace, department: str | None, limit: int
) -> tuple[list[ListedMilestone], int]:
    """The workspace's open milestones of a department, in any case, as list lines.

    Index: ix_milestone_workspace_department.
    """
    where = [_in_workspace(workspace), _in_department(department), _open()]
    return _listed_page(connection, where=where, limit=limit)


def channel_counts(
    *, connection: Connection, workspace: Workspace, channel_id: str, today: date
) -> tuple[int, int, int, int, date | None]:
    """(milestones, open, done, overdue) in the channel, and the soonest due date from `today` of an open one.

    Index: ix_milestone_workspace_channel.
    """
    is_open = _open()
    statement = select(
        func.count(),
        func.sum(case((is_open, 1), else_=0)),
        func.sum(case((col(Milestone.status) == "done", 1), else_=0)),
        func.sum(case((_overdue(today), 1), else_=0)),
        func.min(case((and_(is_open, col(Milestone.due_date) >= today), col(Milestone.due_date)))),
    ).where(_in_channel(workspace, channel_id))
    count, open_count, done, overdue, next_due = connection.execute(statement).one()
    return int(count), int(open_count or 0), int(done or 0), int(overdue or 0), next_due


def month_in_review(
    *,
    session: Session,
    workspace: Workspace,
    channel_id: str,
    start: date,
    end: date,
    today: date,
    limit: int,
) -> list[Milestone]:
    """The channel's milestones due or finished from `start` to before `end`, and any still overdue.

    Index: ix_milestone_workspace_channel.
    """
    in_month = or_(
        and_(col(Milestone.due_date) >= start, col(Milestone.due_date) < end),
        and_(col(Milestone.completed_on) >= start, col(Milestone.completed_on) < end),
        _overdue(today),
    )
    return _first(session, where=[_in_channel(workspace, channel_id), in_month], limit=limit)


def workspace_milestones(
    *, session: Session, workspace: Workspace, limit: int, since: date | None = None
) -> tuple[list[Milestone], int]:
    """Every milestone of the workspace (those active since a date, when asked).

    Index: uq_milestone_workspace_number, by its (enterprise_id, team_id) prefix.
    """
    return _page(session, where=[_in_workspace(workspace), *_narrowed(since=since)], limit=limit)


def department_milestones(
    *,
    session: Session,
    workspace: Workspace,
    department: str | None,
    limit: int,
    open_only: bool = False,
    since: date | None = None,
) -> tuple[list[Milestone], int]:
    """The workspace's milestones of a department, in any case (open ones only, or active since, when asked).

    Index: ix_milestone_workspace_department.
    """
    where = [
        _in_workspace(workspace),
        _in_department(department),
        *_narrowed(open_only=open_only, since=since),
    ]
    return _page(session, where=where, limit=limit)


def departments(*, session: Session | Connection, workspace: Workspace) -> list[str]:
    """The workspace's department spellings, most used first (ties: the first one given); on either.

    Index: ix_milestone_workspace_department.
    """
    statement = (
        select(Milestone.department)
        .where(_in_workspace(workspace), col(Milestone.department).is_not(None))
        .group_by(col(Milestone.department))
        .order_by(func.count().desc(), func.min(col(Milestone.id)))
    )
    return [name for name in session.execute(statement).scalars().all() if name]


def owner_milestones(
    *,
    session: Session,
    workspace: Workspace,
    owner_id: str | None,
    limit: int,
    open_only: bool = False,
    since: date | None = None,
) -> tuple[list[Milestone], int]:
    """The workspace's milestones one person owns (open ones only, or active since, when asked).

    Index: uq_milestone_workspace_number, by its (enterprise_id, team_id) prefix.
    """
    owned = col(Milestone.owner_id) == owner_id
    where = [_in_workspace(workspace), owned, *_narrowed(open_only=open_only, since=since)]
    return _page(session, where=where, limit=limit)


def open_milestones_owned_or_created(
    *, session: Session, workspace: Workspace, user_id: str, limit: int
) -> list[Milestone]:
    """Open milestones the user owns or added.

    Index: uq_milestone_workspace_number, by its (enterprise_id, team_id) prefix.
    """
    where = [_in_workspace(workspace), _owned_or_created(user_id), _open()]
    return _first(session, where=where, limit=limit)


def open_counts_by_channel(
    *, session: Session, workspace: Workspace, user_id: str, today: date
) -> list[tuple[str, int, int]]:
    """(channel, open, overdue) of the open milestones the user owns or added, busiest channel first.

    Index: uq_milestone_workspace_number, by its (enterprise_id, team_id) prefix.
    """
    overdue = func.sum(case((col(Milestone.due_date) < today, 1), else_=0))
    statement = (
        select(Milestone.channel_id, func.count(), overdue)
        .where(_in_workspace(workspace), _owned_or_created(user_id), _open())
        .group_by(col(Milestone.channel_id))
        .order_by(func.count().desc(), col(Milestone.channel_id))
    )
    return [(channel, int(count), int(late or 0)) for channel, count, late in session.exec(statement).all()]


def open_milestones_due_between(*, session: Session, first: date, last: date) -> list[Milestone]:
    """Open milestones of every workspace due from `first` to `last`, both included (what reminders look at).

    Index: ix_milestone_status_due.
    """
    statement = select(Milestone).where(_open(), col(Milestone.due_date).between(first, last))
    return list(session.exec(statement).all())


def revisions_of(*, session: Session, milestone_id: int, limit: int) -> tuple[list[Revision], int]:
    """The newest `limit` revisions of a milestone, newest first, and how many there are in all.

    Index: ix_revision_milestone_at.
    """
    total = session.exec(select(func.count()).where(Revision.milestone_id == milestone_id)).one()
    statement = (
        select(Revision)
        .where(Revision.milestone_id == milestone_id)
        .order_by(col(Revision.at).desc(), col(Revision.id).desc())
        .limit(limit)
    )
    return list(session.exec(statement).all()), total


def revision_counts(
    *,
    session: Session,
    milestone_ids: list[int],
    fields: Collection[str] | None = None,
    replacing_only: bool = False,
) -> dict[int, int]:
    """How many revisions each milestone has (none: absent), of `fields` only and, if `replacing_only`,
    only those that replaced a value rather than gave the first one.

    Index: ix_revision_milestone_at, by its milestone_id prefix.
    """
    if not milestone_ids:
        return {}
    statement = (
        select(Revision.milestone_id, func.count())
        .where(col(Revision.milestone_id).in_(milestone_ids))
        .group_by(col(Revision.milestone_id))
    )
    if fields is not None:
        statement = statement.where(col(Revision.field).in_(list(fields)))
    if replacing_only:
        statement = statement.where(col(Revision.old).is_not(None), col(Revision.old) != "")
    return {milestone_id: count for milestone_id, count in session.exec(statement).all()}


def notes_on(*, session: Session, milestone_id: int, limit: int) -> list[CheckInNote]:
    """The newest check-in notes kept on a milestone, newest first.

    Index: ix_checkin_note_milestone.
    """
    statement = (
        select(CheckInNote)
        .where(CheckInNote.milestone_id == milestone_id)
        .order_by(col(CheckInNote.at).desc(), col(CheckInNote.id).desc())
        .limit(limit)
    )
    return list(session.exec(statement).all())


def delete_milestone(*, session: Session, milestone: Milestone) -> None:
    """Delete a milestone with its revisions (explicit, so SQLite without cascades behaves the same).

    Index: ix_revision_milestone_at for the revisions, the primary key for the milestone.
    """
    session.exec(delete(Revision).where(col(Revision.milestone_id) == milestone.id))
    session.delete(milestone)


def _page(session: Session, *, where: list[ColumnElement[bool]], limit: int) -> tuple[list[Milestone], int]:
    # One statement: the page, each row carrying the count of all that matched (a window over the match).
    if limit < 1:
        return [], session.exec(select(func.count()).select_from(Milestone).where(*where)).one()
    counted = select(Milestone, func.count().over()).where(*where).order_by(*SOONEST_DUE_FIRST).limit(limit)
    rows = session.exec(counted).all()
    return [milestone for milestone, _ in rows], rows[0][1] if rows else 0


def _listed_page(
    connection: Connection, *, where: list[ColumnElement[bool]], limit: int
) -> tuple[list[ListedMilestone], int]:
    # As _page, but the line's columns only, on a plain connection.
    if limit < 1:
        return [], connection.execute(select(func.count()).select_from(Milestone).where(*where)).scalar_one()
    counted = select(*_LISTED, func.count().over()).where(*where).order_by(*_LISTED_ORDER).limit(limit)
    return _listed_rows(connection.execute(counted).all())


def _listed_rows(rows: Sequence[Row[Any]]) -> tuple[list[ListedMilestone], int]:
    """List lines and the count each row carries (that of all that matched; none matched: no rows)."""
    return [ListedMilestone._make(row[:-1]) for row in rows], rows[0][-1] if rows else 0


def _first(session: Session, *, where: list[ColumnElement[bool]], limit: int) -> list[Milestone]:
    statement = select(Milestone).where(*where).order_by(*SOONEST_DUE_FIRST).limit(limit)
    return list(session.exec(statement).all())


def _in_workspace(workspace: Workspace) -> ColumnElement[bool]:
    return and_(
        col(Milestone.team_id) == workspace.team_id, col(Milestone.enterprise_id) == workspace.enterprise_id
    )


def _in_department(department: str | None) -> ColumnElement[bool]:
    # The database's lower() on both sides: SQLite's changes only ASCII letters, Python's every letter, so
    # `Équipe` lowered by each would differ. Callers pass the workspace's spelling (bot/core/departments.py
    # matches any case of any letter), which is what the rows hold.
    return func.lower(col(Milestone.department)) == func.lower(department or "")


def _in_channel(workspace: Workspace, channel_id: str) -> ColumnElement[bool]:
    return and_(_in_workspace(workspace), col(Milestone.channel_id) == channel_id)


def _open() -> ColumnElement[bool]:
    return col(Milestone.status).in_(OPEN_STATUSES)


def _overdue(today: date) -> ColumnElement[bool]:
    return and_(_open(), col(Milestone.due_date) < today)


def _owned_or_created(user_id: str) -> ColumnElement[bool]:
    return or_(col(Milestone.owner_id) == user_id, col(Milestone.created_by) == user_id)


def _narrowed(*, open_only: bool = False, since: date | None = None) -> list[ColumnElement[bool]]:
    # "Active since" keeps what was finished or is due from that date: a report's window on the plan.
    where = [_open()] if open_only else []
    if since is not None:
        where.append(or_(col(Milestone.completed_on) >= since, col(Milestone.due_date) >= since))
    return where
