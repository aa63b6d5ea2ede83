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
class Listing:
    """Up to LIST_LIMIT milestones, how many matched in all, and a heading saying what they are."""

    milestones: list[Milestone]
    total: int
    heading: str


def listing_today(scope: ListScope, *, asker_today: date, channel_today: date) -> date:
    """The date a list is read on: the asker's for a person's or a department's list, else the channel's."""
    return asker_today if scope in _WORKSPACE_WIDE else channel_today


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
    return Listing(milestones=found, total=total, heading=heading)


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


def home_milestones(
    *, engine: Engine, workspace: Workspace, user_id: str, today: date
) -> tuple[list[Milestone], list[tuple[str, int, int]]]:
    """The person's open milestones, owned or created (up to 500), and per-channel open and overdue counts."""
    with Session(engine) as session:
        mine = queries.open_milestones_owned_or_created(
            session=session, workspace=workspace, user_id=user_id, limit=LIST_LIMIT * 5
        )
        counts = queries.open_counts_by_channel(
            session=session, workspace=workspace, user_id=user_id, today=today
        )
    return mine, counts
