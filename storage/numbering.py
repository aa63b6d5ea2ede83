"""Milestone numbers `#N`: one counter row per workspace, so concurrent adds on any instance never collide."""

from __future__ import annotations

from sqlalchemy import func, literal
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from storage.models import Milestone, WorkspaceCounter
from storage.workspace import Workspace


def take_numbers(*, session: Session, workspace: Workspace, count: int = 1) -> int:
    """Reserve `count` consecutive numbers in the caller's transaction and return the first of them.

    Index: the primary key of workspace_counter (the conflict target); a workspace's first add seeds it
    through uq_milestone_workspace_number, by its (enterprise_id, team_id) prefix.
    """
    if count < 1:
        raise ValueError("take at least one number")
    # A workspace's first add seeds its counter from the milestones already there, so none is numbered twice.
    seed = select(
        literal(workspace.enterprise_id),
        literal(workspace.team_id),
        func.coalesce(func.max(Milestone.number), 0) + count,
    ).where(
        col(Milestone.team_id) == workspace.team_id,
        col(Milestone.enterprise_id) == workspace.enterprise_id,
    )
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(WorkspaceCounter)
        .from_select(["enterprise_id", "team_id", "last_number"], seed)
        # The upsert row-locks the counter until commit on PostgreSQL: a concurrent add waits, then counts on.
        # SQLite has one writer at a time, so the same statement is atomic there too.
        .on_conflict_do_update(
            index_elements=["enterprise_id", "team_id"],
            set_={"last_number": col(WorkspaceCounter.last_number) + count},
        )
        .returning(col(WorkspaceCounter.last_number))
    )
    last = session.execute(statement).scalar_one()
    return last - count + 1
