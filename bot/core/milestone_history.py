"""A milestone's history: its newest revisions and the check-in notes kept on it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.access import require
from storage import milestones as queries
from storage.models import CheckInNote, Milestone, Revision
from storage.workspace import Workspace

NOTES_SHOWN = 3


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
        milestone = require(session, workspace=workspace, number=number)
        milestone_id = milestone.id or 0
        revisions, total = queries.revisions_of(session=session, milestone_id=milestone_id, limit=limit)
        notes = queries.notes_on(session=session, milestone_id=milestone_id, limit=NOTES_SHOWN)
        return History(milestone=milestone, revisions=revisions, total=total, notes=notes)
