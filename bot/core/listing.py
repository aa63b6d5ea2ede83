"""Which milestones `/milestone list …` shows, and what to call the list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.command_types import ListCommand, ListScope
from bot.core.headings import list_heading
from storage import milestones as queries
from storage.models import Milestone
from storage.workspace import Workspace

UPCOMING_DAYS = 28
LIST_LIMIT = 100
# Lists that span the workspace are read on the asker's date; the channel's own lists on the channel's.
_WORKSPACE_WIDE: frozenset[ListScope] = frozenset({"mine", "owner", "dept"})


@dataclass(frozen=True)
class ChannelSummary:
    """What the channel holds, for an empty list to say what there is instead."""

    milestones: int
    open: int
    done: int
    overdue: int
    next_due: date | None  # the soonest due date, from today on, of an open milestone

    @property
    def cancelled(self) -> int:
        """How many were cancelled: neither open nor done."""
        return self.milestones - self.open - self.done


@dataclass(frozen=True)
class Listing:
    """Up to LIST_LIMIT milestones, how many matched in all, a heading, and what was asked for.

    An empty list also carries the channel's summary, so its answer can say what there is instead.
    """

    milestones: list[Milestone]
    total: int
    heading: str
    request: ListCommand
    channel: ChannelSummary | None = None


def spans_workspace(scope: ListScope) -> bool:
    """True for a person's or a department's list: it spans the workspace, the others stay in a channel."""
    return scope in _WORKSPACE_WIDE


def listing_today(scope: ListScope, *, asker_today: date, channel_today: date) -> date:
    """The date a list is read on: the asker's for a person's or a department's list, else the channel's."""
    return asker_today if spans_workspace(scope) else channel_today


def list_milestones(
    *,
    engine: Engine,
    workspace: Workspace,
    channel_id: str,
    user_id: str,
    request: ListCommand,
    today: date,
    owner_name: str = "",
) -> Listing:
    """Milestones for a list: channel views stay in the channel; people and departments span the workspace."""
    heading = list_heading(request, owner_name=owner_name)
    with Session(engine) as session:
        found, total = _find(
            session, request, workspace=workspace, channel_id=channel_id, user_id=user_id, today=today
        )
        # One more query, and only for an empty list: what the channel holds instead.
        channel = None if found else _summary(session, workspace=workspace, channel=channel_id, today=today)
    return Listing(milestones=found, total=total, heading=heading, request=request, channel=channel)


def _summary(session: Session, *, workspace: Workspace, channel: str, today: date) -> ChannelSummary:
    count, open_count, done, overdue, next_due = queries.channel_counts(
        session=session, workspace=workspace, channel_id=channel, today=today
    )
    return ChannelSummary(milestones=count, open=open_count, done=done, overdue=overdue, next_due=next_due)


def _find(
    session: Session,
    request: ListCommand,
    *,
    workspace: Workspace,
    channel_id: str,
    user_id: str,
    today: date,
) -> tuple[list[Milestone], int]:
    where: dict[str, Any] = {"session": session, "workspace": workspace, "limit": LIST_LIMIT}
    match request.scope:
        case "all":
            return queries.channel_milestones(**where, channel_id=channel_id)
        case "done":
            return queries.done_channel_milestones(**where, channel_id=channel_id)
        case "overdue":
            return queries.overdue_channel_milestones(**where, channel_id=channel_id, today=today)
        case "upcoming":
            last = today + timedelta(days=UPCOMING_DAYS)
            return queries.upcoming_channel_milestones(**where, channel_id=channel_id, first=today, last=last)
        case "mine":
            return queries.open_milestones_involving(**where, user_id=user_id)
        case "owner":
            return queries.owner_milestones(**where, owner_id=request.owner_id, open_only=True)
        case "dept":
            return queries.department_milestones(**where, department=request.department, open_only=True)
    return queries.channel_milestones(**where, channel_id=channel_id, open_only=True)
