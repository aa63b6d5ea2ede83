"""Which milestones `/milestone list …` shows, and what to call the list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Engine, func
from sqlmodel import Session, col

from bot.core.command_types import ListCommand
from storage import milestones as queries
from storage.models import Milestone
from storage.workspace import Workspace

UPCOMING_DAYS = 28
LIST_LIMIT = 100


@dataclass(frozen=True)
class Listing:
    """Up to LIST_LIMIT milestones, how many matched in all, and a heading saying what they are."""

    milestones: list[Milestone]
    total: int
    heading: str


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
    conditions, heading = _scope(
        request, channel_id=channel_id, user_id=user_id, today=today, owner_name=owner_name
    )
    with Session(engine) as session:
        found, total = queries.find_milestones(
            session, workspace=workspace, conditions=conditions, limit=LIST_LIMIT
        )
    return Listing(milestones=found, total=total, heading=heading)


def _scope(
    request: ListCommand, *, channel_id: str, user_id: str, today: date, owner_name: str
) -> tuple[list[ColumnElement[bool]], str]:
    # Headings are plain text (Slack shows header blocks as typed): no <#C…> or <@U…> markup.
    here = col(Milestone.channel_id) == channel_id
    channel = "this channel"
    match request.scope:
        case "all":
            return [here], f"All milestones in {channel}"
        case "done":
            return [here, col(Milestone.status) == "done"], f"Done in {channel}"
        case "overdue":
            return [here, queries.is_overdue(today)], f"Overdue in {channel}"
        case "upcoming":
            horizon = today + timedelta(days=UPCOMING_DAYS)
            window = [col(Milestone.due_date) >= today, col(Milestone.due_date) <= horizon]
            return [here, queries.is_open(), *window], "Due in the next 4 weeks in this channel"
        case "mine":
            return [queries.involves(user_id), queries.is_open()], "Your open milestones"
        case "owner":
            owned = col(Milestone.owner_id) == request.owner_id
            return [owned, queries.is_open()], f"Open milestones of {owner_name or 'one owner'}"
        case "dept":
            name = (request.department or "").lower()
            in_dept = func.lower(col(Milestone.department)) == name
            return [in_dept, queries.is_open()], f"Open milestones in {request.department}"
    return [here, queries.is_open()], f"Open milestones in {channel}"


def home_milestones(
    *, engine: Engine, workspace: Workspace, user_id: str, today: date
) -> tuple[list[Milestone], list[tuple[str, int, int]]]:
    """The person's open milestones, owned or created (up to 500), and per-channel open and overdue counts."""
    with Session(engine) as session:
        mine, _ = queries.find_milestones(
            session,
            workspace=workspace,
            conditions=[queries.owned_or_created(user_id), queries.is_open()],
            limit=LIST_LIMIT * 5,
        )
        counts = queries.channel_counts(
            session, workspace=workspace, conditions=[queries.owned_or_created(user_id)], today=today
        )
    return mine, counts
