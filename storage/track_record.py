"""A workspace's track record: when its finished milestones were first planned and when they were done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, desc, func, select
from sqlmodel import Session, col

from storage.models import Milestone
from storage.workspace import Workspace

# The most recent finished milestones a forecast looks at: a team's habits change, and reports stay quick.
RECORD_LIMIT = 500


@dataclass(frozen=True)
class Finished:
    """One finished milestone: whose, which department, first planned for, and done on."""

    owner_id: str | None
    department: str | None
    planned: date
    completed: date


def finished_milestones(
    *, session: Session, workspace: Workspace, limit: int = RECORD_LIMIT
) -> list[Finished]:
    """The workspace's most recently finished milestones that have a planned and a completion date.

    Index: ix_milestone_workspace_department (the workspace's rows; the done ones are sorted, at most a few
    thousand a workspace).
    """
    # The first plan, or the due date of a milestone stored before baselines were kept: the best plan known.
    planned = func.coalesce(col(Milestone.baseline_due_date), col(Milestone.due_date))
    statement = (
        select(col(Milestone.owner_id), col(Milestone.department), planned, col(Milestone.completed_on))
        .where(
            and_(
                col(Milestone.team_id) == workspace.team_id,
                col(Milestone.enterprise_id) == workspace.enterprise_id,
                col(Milestone.status) == "done",
                col(Milestone.completed_on).is_not(None),
                planned.is_not(None),
            )
        )
        .order_by(desc(col(Milestone.completed_on)), desc(col(Milestone.id)))
        .limit(limit)
    )
    return [
        Finished(owner_id=owner, department=department, planned=first_plan, completed=completed)
        for owner, department, first_plan, completed in session.execute(statement)
    ]
