"""What listeners need besides Bolt's own arguments, carried in Bolt's context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from slack_bolt import BoltContext
from sqlalchemy import Engine

from bot.people import People
from storage.workspace import Workspace

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Deps:
    """The database, the people cache and the clock, shared by every listener."""

    engine: Engine
    people: People
    clock: Clock


def wall_clock() -> datetime:
    """Now, in UTC: the only place the app reads the wall clock."""
    return datetime.now(UTC)


def deps_of(context: BoltContext) -> Deps:
    """The Deps that the app's middleware put in the context."""
    return context["deps"]


def workspace_of(context: BoltContext) -> Workspace:
    """The workspace a request came from."""
    return Workspace(team_id=context.team_id or "", enterprise_id=context.enterprise_id or "")
