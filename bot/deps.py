"""What listeners need besides Bolt's own arguments, carried in Bolt's context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from slack_bolt import BoltContext
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.slack.people import People, Person
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


def asker(client: WebClient, context: BoltContext, *, user_id: str) -> tuple[Deps, Workspace, Person]:
    """Deps, the workspace, and the person a request comes from (zone and role from the cache)."""
    deps = deps_of(context)
    workspace = workspace_of(context)
    return deps, workspace, deps.people.lookup(client, workspace=workspace, user_id=user_id)
