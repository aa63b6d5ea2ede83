"""Which milestones `/milestone list …` shows, and what to call the list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import partial

from sqlalchemy import Connection, Engine

from bot.core.command_types import ListCommand, ListScope
from bot.core.departments import Spellings
from bot.core.headings import list_heading
from storage import dependencies
from storage import milestones as queries
from storage.db import reading
from storage.milestones import ListedMilestone
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

    milestones: list[ListedMilestone]
    total: int
    heading: str
    request: ListCommand
    channel: ChannelSummary | None = None
    # The number of each milestone a listed one comes after, by its id (read only when a line has one).
    after: dict[int, int] = field(default_factory=dict)


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
    connection: Connection | None = None,
) -> Listing:
    """Milestones for a list: channel views stay in the channel; people and departments span the workspace.

    Read on `connection` when given (the caller's, which read the channel's zone on it), else on a new one.
    """
    # A plain connection, no ORM session: the page comes back as plain rows (see ListedMilestone). The
    # caller's when it has one: each checkout costs a pre-ping round trip and a rollback on return.
    with reading(engine, connection) as reader:
        if request.department:
            # Named as the workspace spells it: `list dept ÉQUIPE` lists Équipe, in any case of any letter.
            spellings = Spellings(queries.departments(session=reader, workspace=workspace))
            request = replace(request, department=spellings.canonical(request.department))
        heading = list_heading(request, owner_name=owner_name)
        page = _page_query(request, channel_id=channel_id, user_id=user_id, today=today)
        found, total = page(connection=reader, workspace=workspace, limit=LIST_LIMIT)
        # One more query, and only for an empty list: what the channel holds instead.
        where = {"workspace": workspace, "channel_id": channel_id, "today": today}
        channel = None if found else _summary(queries.channel_counts(connection=reader, **where))
        ids = {m.after_id for m in found[:LIST_LIMIT] if m.after_id is not None}
        after = dependencies.numbers_by_id(connection=reader, ids=ids) if ids else {}
    return Listing(
        milestones=found, total=total, heading=heading, request=request, channel=channel, after=after
    )


def _summary(counts: tuple[int, int, int, int, date | None]) -> ChannelSummary:
    count, open_count, done, overdue, next_due = counts
    return ChannelSummary(milestones=count, open=open_count, done=done, overdue=overdue, next_due=next_due)


def _page_query(
    request: ListCommand, *, channel_id: str, user_id: str, today: date
) -> Callable[..., tuple[list[ListedMilestone], int]]:
    """The query of a list's page, given all but the connection, the workspace and the limit."""
    match request.scope:
        case "all":
            return partial(queries.listed_channel, channel_id=channel_id)
        case "done":
            return partial(queries.listed_done, channel_id=channel_id)
        case "overdue":
            return partial(queries.listed_overdue, channel_id=channel_id, today=today)
        case "upcoming":
            last = today + timedelta(days=UPCOMING_DAYS)
            return partial(queries.listed_upcoming, channel_id=channel_id, first=today, last=last)
        case "mine":
            return partial(queries.listed_involving, user_id=user_id)
        case "owner":
            return partial(queries.listed_owned, owner_id=request.owner_id)
        case "dept":
            return partial(queries.listed_department, department=request.department)
    return partial(queries.listed_channel, channel_id=channel_id, open_only=True)
