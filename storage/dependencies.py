"""Named queries on dependencies: which milestone one comes after, and which come after it."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Connection, and_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from storage.models import OPEN_STATUSES, Milestone
from storage.workspace import Workspace


def after_links(*, session: Session, workspace: Workspace) -> dict[int, int]:
    """Each milestone of the workspace that comes after another, by number: `{5: 3}` for #5 after #3.

    Index: uq_milestone_workspace_number for the workspace, the primary key for the one it comes after.
    """
    before = aliased(Milestone)
    rows = session.execute(
        select(Milestone.number, before.number)
        .join(before, col(Milestone.after_id) == before.id)
        .where(
            col(Milestone.team_id) == workspace.team_id,
            col(Milestone.enterprise_id) == workspace.enterprise_id,
        )
    ).all()
    return {number: after for number, after in rows}


def open_after(*, session: Session, milestone_id: int) -> list[Milestone]:
    """The open milestones that come after this one, by number.

    Index: ix_milestone_after.
    """
    statement = (
        select(Milestone)
        .where(and_(col(Milestone.after_id) == milestone_id, col(Milestone.status).in_(OPEN_STATUSES)))
        .order_by(col(Milestone.number))
    )
    return list(session.execute(statement).scalars())


def numbers_by_id(*, connection: Connection, ids: Collection[int]) -> dict[int, int]:
    """The `#N` of each milestone id given (those still there).

    Index: the primary key.
    """
    if not ids:
        return {}
    statement = select(Milestone.id, Milestone.number).where(col(Milestone.id).in_(sorted(ids)))
    return {milestone_id: number for milestone_id, number in connection.execute(statement).all()}
