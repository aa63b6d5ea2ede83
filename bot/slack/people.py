"""Who people are: their zone, whether they are a workspace admin, their name; from `users.info`, cached."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.core.access import Actor
from bot.core.limits import LimitError, check_timezone
from storage.workspace import Workspace

logger = logging.getLogger(__name__)

_TTL_SECONDS = 3600


@dataclass(frozen=True)
class Person:
    """What the bot needs to know of a Slack user."""

    user_id: str
    timezone: str
    is_admin: bool
    name: str = ""  # what Slack shows for them: display name, else real name

    @property
    def actor(self) -> Actor:
        """The person as the services see them, for permission checks."""
        return Actor(user_id=self.user_id, is_admin=self.is_admin)

    @property
    def zone(self) -> ZoneInfo:
        """The person's time zone as a ZoneInfo."""
        return ZoneInfo(self.timezone)


class People:
    """A per-process cache of `users.info`; a person's zone or role changes rarely, an hour's lag is fine."""

    def __init__(self, *, default_timezone: str) -> None:
        self._default_timezone = default_timezone
        self._cache: dict[tuple[str, str, str], tuple[float, Person]] = {}
        self._lock = threading.Lock()

    def lookup(self, client: WebClient, *, workspace: Workspace, user_id: str) -> Person:
        """The person, from the cache or `users.info`; on any Slack error, a non-admin in the default zone."""
        key = (workspace.enterprise_id, workspace.team_id, user_id)
        with self._lock:
            cached = self._cache.get(key)
        if cached and time.monotonic() - cached[0] < _TTL_SECONDS:
            return cached[1]
        try:
            user = client.users_info(user=user_id)["user"]
        except SlackApiError as error:
            logger.warning("users.info failed for %s: %s", user_id, error.response.get("error"))
            return Person(user_id=user_id, timezone=self._default_timezone, is_admin=False, name="")
        person = Person(
            user_id=user_id,
            timezone=_known_zone(user.get("tz"), default=self._default_timezone),
            is_admin=bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner")),
            name=_shown_name(user),
        )
        with self._lock:
            self._cache[key] = (time.monotonic(), person)
        return person

    def names_of(self, client: WebClient, *, workspace: Workspace, user_ids: Iterable[str]) -> dict[str, str]:
        """Each person's Slack name, looked up once each (cached); one Slack won't name is left out."""
        names: dict[str, str] = {}
        for user_id in dict.fromkeys(user_ids):
            try:
                name = self.lookup(client, workspace=workspace, user_id=user_id).name
            except (SlackClientError, OSError) as problem:
                # A name is a nicety: without it the id stands in, and whatever asked still works.
                logger.warning("could not name %s: %s", user_id, problem)
                continue
            if name:
                names[user_id] = name
        return names


def _shown_name(user: dict) -> str:
    """The name Slack shows for a person: their display name, else their real name (then their handle)."""
    profile = user.get("profile") or {}
    names = (profile.get("display_name"), profile.get("real_name"), user.get("real_name"), user.get("name"))
    return next((name.strip() for name in names if name and name.strip()), "")


def _known_zone(name: str | None, *, default: str) -> str:
    """Slack's zone for the person when `limits.check_timezone` takes it (it may become a channel's zone)."""
    try:
        return check_timezone(name or "")
    except LimitError:
        return default


def name_of(people: People, client: WebClient, *, workspace: Workspace, user_id: str | None) -> str:
    """A person's Slack name, for plain-text places (headers) where a <@U…> mention cannot show."""
    return people.lookup(client, workspace=workspace, user_id=user_id).name if user_id else ""
