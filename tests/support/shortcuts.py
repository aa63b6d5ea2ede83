"""Shortcut payloads shaped as Slack sends them: `message_action` (a message's menu) and `shortcut` (global).

Shapes from Slack's reference "Shortcuts interaction payloads" (api.slack.com/reference/interaction-payloads/
shortcuts): a message shortcut carries the channel, the whole message, message_ts and a response_url; a
global shortcut carries neither channel nor response_url.
"""

from __future__ import annotations

import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

from tests.support.slack_requests import FORM, VERIFICATION_TOKEN, Reply, SlackRequests

_IDS = itertools.count(1)


def message_shortcut(
    requests: SlackRequests,
    *,
    message: dict[str, Any],
    channel: str = "C1",
    user: str = "U1",
    callback_id: str = "make_milestone",
    response_key: str = "r1",
) -> Reply:
    """The person `user` picked the shortcut on `message` (as conversations.history gives it) in `channel`."""
    fake = requests.fake
    payload = {
        **_common(requests, user=user, callback_id=callback_id),
        "type": "message_action",
        "channel": {"id": channel, "name": fake.channel_name(channel)},
        "message_ts": message["ts"],
        "message": message,
        "response_url": fake.response_url(response_key),
    }
    return post_payload(requests, payload)


def global_shortcut(
    requests: SlackRequests, *, user: str = "U1", callback_id: str = "new_milestone"
) -> Reply:
    """The person `user` picked the global shortcut (from the composer's shortcuts or search)."""
    payload = {**_common(requests, user=user, callback_id=callback_id), "type": "shortcut"}
    return post_payload(requests, payload)


def post_payload(requests: SlackRequests, payload: dict[str, Any]) -> Reply:
    """POST an interaction form-encoded, the JSON in its `payload` field, signed; waits for the app's work."""
    return requests.post_raw(urlencode({"payload": json.dumps(payload)}).encode(), content_type=FORM)


def user_message(*, text: str, ts: str, user: str = "U2", files: list[dict[str, Any]] | None = None) -> dict:
    """A person's message as a shortcut payload carries it (files: an upload with no text)."""
    message: dict[str, Any] = {
        "client_msg_id": f"{next(_IDS):08d}-0000-4000-8000-000000000000",
        "type": "message",
        "text": text,
        "user": user,
        "ts": ts,
        "team": "T1",
    }
    if files is not None:
        message |= {"files": files, "upload": True, "display_as_bot": False}
    return message


def _common(requests: SlackRequests, *, user: str, callback_id: str) -> dict[str, Any]:
    team_id = requests.team_id
    known = requests.fake.users.get(user)
    name = known["name"] if known else user.lower()
    return {
        "token": VERIFICATION_TOKEN,
        "action_ts": f"{time.time():.6f}",
        "team": {"id": team_id, "domain": f"team-{team_id.lower()}"},
        "user": {"id": user, "username": name, "name": name, "team_id": team_id},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": f"{next(_IDS)}.{team_id}.{next(_IDS):032x}",
    }
