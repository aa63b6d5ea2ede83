"""Find out whether an earlier claim's post reached Slack, and take back a post made twice."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from storage.models import Delivery

logger = logging.getLogger(__name__)

METADATA_EVENT = "milestone_bot_delivery"
# Slack allows some apps 15 messages a call (and a call a minute) on conversations.history.
HISTORY_LIMIT = 15
HISTORY_PAGES = 4
# Our clock and Slack's may disagree a little: look that much before the claim began.
CLOCK_MARGIN = timedelta(seconds=10)
# A post is sent right after its claim marks "posting since" and lands within the client's timeout (30 s):
# reading only that span keeps the look-up to a page even in a busy channel.
POST_WINDOW = timedelta(minutes=2)


def find_post(
    client: WebClient, delivery: Delivery, *, channel: str, since: datetime, bounded: bool = True
) -> str | None:
    """The ts of this delivery's message in `channel` from `since` (to soon after, if `bounded`), or None.

    `channel` is where it went: the delivery's channel, or the DM opened with the person it names.
    """
    # Slack's errors propagate: a look-up that failed says nothing either way.
    window = {"oldest": f"{(since - CLOCK_MARGIN).timestamp():.6f}"}
    if bounded:
        window["latest"] = f"{(since + POST_WINDOW).timestamp():.6f}"
    cursor: str | None = None
    for _ in range(HISTORY_PAGES):
        history = client.conversations_history(
            channel=channel,
            limit=HISTORY_LIMIT,
            include_all_metadata=True,
            cursor=cursor,
            **window,
        )
        for message in history.get("messages", []):
            if carried_key(message) == delivery.key:
                return message["ts"]
        cursor = (history.get("response_metadata") or {}).get("next_cursor")
        if not history.get("has_more") or not cursor:
            return None
    # A channel this busy since the claim is rare; what we could read does not hold the post.
    logger.warning(
        "delivery %s: looked through %s messages without finding it", delivery.key, HISTORY_PAGES * 15
    )
    return None


def carried_key(message: dict) -> str | None:
    """The delivery key a message carries in its metadata, if it is one of ours."""
    metadata = message.get("metadata") or {}
    if metadata.get("event_type") != METADATA_EVENT:
        return None
    return (metadata.get("event_payload") or {}).get("key")


def take_back(client: WebClient, delivery: Delivery, *, channel: str, ts: str) -> bool:
    """Delete our copy in `channel` of a message another claim recorded; False if it stays (logged)."""
    for _ in range(3):
        try:
            client.chat_delete(channel=channel, ts=ts)
            return True
        except SlackApiError as error:
            if error.response.get("error") == "message_not_found":
                return True
        except (SlackClientError, OSError):
            continue
    logger.error("delivery %s: a second copy (ts %s) could not be deleted", delivery.key, ts)
    return False
