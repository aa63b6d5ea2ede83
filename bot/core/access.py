"""Who may change what: the person asking, finding a milestone, and refusing those who may not change it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from storage import milestones as queries
from storage.models import Milestone
from storage.workspace import Workspace


@dataclass(frozen=True)
class Actor:
    """The person asking, as far as permissions care."""

    user_id: str
    is_admin: bool = False


@dataclass(frozen=True, kw_only=True)
class Asker:
    """Who asks, in which workspace, and when: what every change to a milestone is made by."""

    workspace: Workspace
    actor: Actor
    now: datetime  # in the asker's zone: how the dates they type are read
    timezone: str  # the asker's zone: a channel's first milestone gives the channel this one


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


def may_change(milestone: Milestone, actor: Actor) -> bool:
    """Owner, creator and workspace admins may change a milestone; anyone may add one."""
    return actor.is_admin or actor.user_id in (milestone.owner_id, milestone.created_by)


def get_milestone(*, engine: Engine, workspace: Workspace, number: int) -> Milestone:
    """The milestone `#number`, or MilestoneNotFound."""
    with Session(engine) as session:
        return require(session, workspace=workspace, number=number)


def check_may_change(*, engine: Engine, asker: Asker, number: int, action: str) -> Milestone:
    """The milestone, if the asker may `action` it; else NotAllowed (or MilestoneNotFound)."""
    with Session(engine) as session:
        return require_allowed(
            session, workspace=asker.workspace, number=number, actor=asker.actor, action=action
        )


def require(session: Session, *, workspace: Workspace, number: int) -> Milestone:
    """The milestone `#number` in the caller's session, or MilestoneNotFound."""
    milestone = queries.get_milestone(session=session, workspace=workspace, number=number)
    if milestone is None:
        raise MilestoneNotFound(number)
    return milestone


def require_allowed(
    session: Session, *, workspace: Workspace, number: int, actor: Actor, action: str
) -> Milestone:
    """The milestone `#number` in the caller's session, if the actor may `action` it."""
    milestone = require(session, workspace=workspace, number=number)
    if not may_change(milestone, actor):
        # Detach it loaded, so the rollback that follows does not expire what the refusal shows.
        session.expunge(milestone)
        raise NotAllowed(milestone, action)
    return milestone
