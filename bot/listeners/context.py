"""One request's context, built once by a middleware and read by every listener: who asks, where, and when."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from slack_bolt import BoltContext
from slack_sdk import WebClient
from sqlalchemy import Connection, Engine

from bot.core.access import Actor, Asker
from bot.core.clock import Clock
from bot.slack.people import People, Person
from storage.channel_settings import channel_timezone
from storage.db import reading
from storage.workspace import Workspace

_KEY = "request_context"


@dataclass(frozen=True)
class Services:
    """What every request shares: the database, the people cache, the clock and the outbox's lease."""

    engine: Engine
    people: People
    clock: Clock
    # How long a post sent from a request (`/milestone review`) holds its delivery: DELIVERY_LEASE_SECONDS.
    delivery_lease: timedelta
    # How long a slash command's ack waits for its answer to ride in it: ANSWER_IN_ACK_SECONDS.
    answer_in_ack_seconds: float


class RequestContext:
    """Who is asking, from which workspace, and when; "today" as the channel sees it, or as the asker does.

    Dates a person types or records (`due tomorrow`, Done today) are theirs: `now` and `my_today` are in
    their zone. Views of a channel (its messages, lists, reports, check-ins) use `channel_today`; personal
    views (the Home tab, forms, the import preview) use `my_today`.
    """

    def __init__(
        self,
        services: Services,
        *,
        client: WebClient,
        workspace: Workspace,
        user_id: str | None,
        at: datetime,
    ) -> None:
        self.engine = services.engine
        self.people = services.people
        self.delivery_lease = services.delivery_lease
        self.answer_in_ack_seconds = services.answer_in_ack_seconds
        self.client = client
        self.workspace = workspace
        self.user_id = user_id
        self.at = at
        self._person: Person | None = None

    @property
    def person(self) -> Person:
        """The asker (zone and role), from the people cache: looked up when a listener first needs it."""
        # Not functools.cached_property: before Python 3.12 it holds one lock for every instance, so one slow
        # users.info would hold up every other request's listener.
        if self._person is None:
            if not self.user_id:
                raise LookupError("a request that names no user")
            self._person = self.people.lookup(self.client, workspace=self.workspace, user_id=self.user_id)
        return self._person

    @property
    def actor(self) -> Actor:
        """The asker as the services see them, for permission checks."""
        return self.person.actor

    @property
    def now(self) -> datetime:
        """The moment of the request in the asker's zone: how the dates they type are read."""
        return self.at.astimezone(self.person.zone)

    @property
    def asker(self) -> Asker:
        """Who asks, in which workspace, when and from which zone: what the milestone use cases take."""
        return Asker(workspace=self.workspace, actor=self.actor, now=self.now, timezone=self.person.timezone)

    @property
    def my_today(self) -> date:
        """The asker's date: for personal views and for the dates they record (Done today)."""
        return self.now.date()

    def channel_today(self, channel_id: str, *, connection: Connection | None = None) -> date:
        """The channel's date, in its zone from its settings (a channel without any takes the asker's)."""
        return self.channel_day(channel_id, connection=connection)[1]

    def channel_day(self, channel_id: str, *, connection: Connection | None = None) -> tuple[ZoneInfo, date]:
        """The channel's zone and its date there, from one read of its settings."""
        zone = self.channel_zone(channel_id, connection=connection)
        return zone, self.at.astimezone(zone).date()

    def channel_zone(self, channel_id: str, *, connection: Connection | None = None) -> ZoneInfo:
        """The channel's zone from its settings (a channel without any takes the asker's)."""
        return ZoneInfo(self._channel_timezone(channel_id, connection=connection))

    def _channel_timezone(self, channel_id: str, *, connection: Connection | None) -> str:
        """The channel's zone: the one it was given, else the one its first milestone will give it."""
        # settings_for's rule (a channel's settings row, or the defaults with the asker's zone), read as one
        # column on a plain connection: no ORM session nor row for what most commands read and nothing else.
        # A listener that reads more on the same connection passes it: each checkout costs a pre-ping round
        # trip and a rollback.
        with reading(self.engine, connection) as reader:
            stored = channel_timezone(connection=reader, workspace=self.workspace, channel_id=channel_id)
        return stored or self.person.timezone


def request_context(context: BoltContext) -> RequestContext:
    """The RequestContext the middleware put in Bolt's context."""
    return context[_KEY]


def with_request_context(services: Services) -> Callable[..., None]:
    """The middleware that builds each request's RequestContext, once, before any listener runs."""

    # Positional parameters: Bolt reads a middleware's argument names with getfullargspec().args.
    def put_request_context(context: BoltContext, next: Callable[[], None]) -> None:
        context[_KEY] = RequestContext(
            services,
            client=context.client,
            workspace=Workspace(team_id=context.team_id or "", enterprise_id=context.enterprise_id or ""),
            user_id=context.user_id,
            at=services.clock(),
        )
        next()

    return put_request_context
