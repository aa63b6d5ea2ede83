"""What a request to /slack/events must be before Bolt reads it: signed by Slack, then well formed."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any
from urllib.parse import parse_qsl

# Slack's own limit: a signature older than this is a replay.
MAX_SIGNATURE_AGE_SECONDS = 5 * 60


class MalformedBody(ValueError):
    """A signed body Slack would not send: not UTF-8, not a JSON object, or a payload missing its parts."""


def signed_by_slack(raw: bytes, *, timestamp: str, signature: str, secret: str, now: float) -> bool:
    """Whether `raw`, byte for byte, carries a v0 signature made with `secret` in the last five minutes."""
    if not timestamp.isdigit() or abs(now - int(timestamp)) > MAX_SIGNATURE_AGE_SECONDS:
        return False
    if not signature.isascii():
        return False
    base = b"v0:" + timestamp.encode() + b":" + raw
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode())


def read_body(raw: bytes, *, content_type: str) -> dict[str, Any]:
    """The body as Bolt will read it (JSON, a form, or a form's `payload`); MalformedBody when it is not."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MalformedBody("body is not UTF-8") from error
    if not text:
        raise MalformedBody("empty body")
    # The same choice Bolt makes (slack_bolt.request.internals.parse_body), so both read the same thing.
    if content_type.split(";")[0].strip() == "application/json" or text.startswith("{"):
        return _checked(_json_object(text))
    fields = dict(parse_qsl(text, keep_blank_values=True))
    if "payload" in fields:
        return _checked(_json_object(fields["payload"]))
    if "command" in fields:
        _require_strings(fields, "command", "team_id", "user_id", "channel_id")
    elif "ssl_check" not in fields:
        raise MalformedBody("a form that is neither a command, a payload nor an SSL check")
    return fields


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError as error:
        raise MalformedBody("not JSON") from error
    if not isinstance(value, dict):
        raise MalformedBody("JSON that is not an object")
    return value


def _checked(body: dict[str, Any]) -> dict[str, Any]:
    kind = body.get("type")
    if not isinstance(kind, str):
        raise MalformedBody("no type")
    for key in ("team", "user", "channel", "message", "container", "enterprise", "view"):
        if body.get(key) is not None and not isinstance(body[key], dict):
            raise MalformedBody(f"{key} is not an object")
    check = _SHAPES.get(kind)
    if check is not None:
        check(body)
    return body


def _block_actions(body: dict[str, Any]) -> None:
    _require_user(body)
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions:
        raise MalformedBody("block_actions without actions")
    for action in actions:
        if not isinstance(action, dict) or not isinstance(action.get("action_id"), str):
            raise MalformedBody("an action without an action_id")


def _view_payload(body: dict[str, Any]) -> None:
    _require_user(body)
    view = body.get("view")
    if not isinstance(view, dict) or not isinstance(view.get("callback_id"), str):
        raise MalformedBody("a view without a callback_id")
    state = view.get("state", {"values": {}})
    if not isinstance(state, dict) or not isinstance(state.get("values"), dict):
        raise MalformedBody("a view whose state is not an object")
    if not isinstance(view.get("private_metadata", ""), str):
        raise MalformedBody("private_metadata is not a string")


def _event_callback(body: dict[str, Any]) -> None:
    event = body.get("event")
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        raise MalformedBody("an event without a type")
    _require_strings(body, "team_id")


def _require_user(body: dict[str, Any]) -> None:
    user = body.get("user")
    if not isinstance(user, dict) or not isinstance(user.get("id"), str) or not user["id"]:
        raise MalformedBody("no user id")


def _require_strings(fields: dict[str, Any], *keys: str) -> None:
    for key in keys:
        if not isinstance(fields.get(key), str) or not fields[key]:
            raise MalformedBody(f"{key} missing")


_SHAPES = {
    "block_actions": _block_actions,
    "view_submission": _view_payload,
    "view_closed": _view_payload,
    "event_callback": _event_callback,
}
