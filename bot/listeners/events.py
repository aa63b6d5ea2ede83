"""Events: thread replies to a check-in become notes; an event Slack sends twice is handled once."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient

from bot.core.checkins import keep_note
from bot.deps import deps_of, workspace_of
from storage.events import first_sighting

logger = logging.getLogger(__name__)


def register(app: App) -> None:
    """Register the de-duplication middleware and the message listener."""
    app.use(skip_repeated_events)
    app.event("message")(keep_thread_reply)


def skip_repeated_events(body: dict, context: BoltContext, next: Callable[[], None]) -> BoltResponse | None:
    """Answer 200 and stop when this event id was handled before (Slack's retries, or two instances)."""
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    if event_id and not first_sighting(
        deps_of(context).engine, event_id=event_id, now=deps_of(context).clock()
    ):
        logger.info("event %s seen before: skipped", event_id)
        return BoltResponse(status=200, body="")
    next()
    return None


def keep_thread_reply(event: dict, client: WebClient, context: BoltContext) -> None:
    """Keep a person's reply in a check-in's thread as a note (other messages are none of our business)."""
    thread_ts = event.get("thread_ts")
    # Edits, joins, bot posts and top-level messages are not notes.
    if event.get("subtype") or event.get("bot_id") or not event.get("user"):
        return
    if not thread_ts or thread_ts == event.get("ts"):
        return
    deps = deps_of(context)
    keep_note(
        engine=deps.engine,
        workspace=workspace_of(context),
        channel_id=event["channel"],
        thread_ts=thread_ts,
        user_id=event["user"],
        text=event.get("text") or "",
        message_ts=event["ts"],
        now=deps.clock(),
    )
