"""Helpers for scheduler tests: run `tick` at a given time against the app's database and the fake Slack."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.outbox.tick import Tick, run_tick
from bot.slack.clients import single_workspace_clients
from tests.support.app import BOT_TOKEN, SlackApp
from tests.support.blocks import action_elements
from tests.support.fake_slack import FakeSlack

NY = ZoneInfo("America/New_York")


def ny(text: str) -> datetime:
    """A New York wall-clock time, e.g. ny("2026-12-08 09:00")."""
    return datetime.fromisoformat(text).replace(tzinfo=NY)


def tick(app: SlackApp, now: datetime) -> Tick:
    """One scheduler pass at `now`, posting through the fake Slack."""
    clients = single_workspace_clients(token=BOT_TOKEN, base_url=app.fake.api_url)
    return run_tick(engine=app.engine, clients=clients, now=now, default_timezone="UTC")


def stamp_messages_from(fake: FakeSlack, at: datetime) -> None:
    """Have the fake stamp its next messages from `at`: recovery reads Slack's history from a claim's time."""
    # The fake's timestamps start in 2023 whatever the test's clock says.
    fake.clock = lambda: at


def posts(app: SlackApp, channel: str | None = None, *, kind: str = "reminder") -> list[dict]:
    """The scheduler's posts of one kind (reminder or checkin), in `channel` if given, oldest first."""
    return [
        call.params
        for call in app.fake.calls_to("chat.postMessage")
        if (channel is None or call.params.get("channel") == channel)
        and delivery_key(call.params).startswith(f"{kind}:")
    ]


def delivery_key(post: dict) -> str:
    """The outbox key a post carries in its message metadata ("" for posts that are not deliveries)."""
    return (post.get("metadata") or {}).get("event_payload", {}).get("key", "")


def buttons(blocks: list[dict]) -> list[tuple[str, str]]:
    """(action_id, value) of every button in some blocks."""
    return [(element["action_id"], element.get("value", "")) for element in action_elements(blocks)]
