"""Request bodies shaped like the ones Slack sends to /slack/events, and Slack's signature on them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
# Slack still sends the legacy verification token; Bolt ignores it but it is part of the shape.
VERIFICATION_TOKEN = "legacy-verification-token"
APP_ID = "A0CONSOLE"


@dataclass(frozen=True)
class Workspace:
    """Who the requests come from: the team and the bot, as Slack names them in every body."""

    team_id: str
    bot_user_id: str
    app_id: str = APP_ID


@dataclass(frozen=True)
class Body:
    """A request body and its content type, before it is signed."""

    raw: bytes
    content_type: str


def signed_headers(body: Body, *, secret: str, timestamp: int) -> dict[str, str]:
    """The headers Slack sends with `body`: content type, timestamp, and the v0 signature of the bytes."""
    # slack_sdk's own signer: the console keeps no copy of the rule (the bodies it builds are UTF-8).
    signature = SignatureVerifier(secret).generate_signature(timestamp=str(timestamp), body=body.raw) or ""
    return {
        "Content-Type": body.content_type,
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": signature,
    }


def slash_command(
    workspace: Workspace,
    *,
    text: str,
    user: dict[str, str],
    channel: dict[str, str],
    response_url: str,
    trigger_id: str,
    command: str = "/milestone",
) -> Body:
    """A slash command invocation, form-encoded like Slack's; `user`/`channel` are {"id", "name"}."""
    fields = {
        "token": VERIFICATION_TOKEN,
        "team_id": workspace.team_id,
        "team_domain": workspace.team_id.lower(),
        "channel_id": channel["id"],
        "channel_name": channel["name"],
        "user_id": user["id"],
        "user_name": user["name"],
        "command": command,
        "text": text,
        "api_app_id": workspace.app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }
    return Body(urlencode(fields).encode(), FORM)


def action(
    *,
    element_type: str,
    action_id: str,
    block_id: str,
    value: str | None,
    option: dict | None,
    action_ts: str,
) -> dict[str, Any]:
    """One entry of block_actions' `actions`, as Slack sends it for this kind of element."""
    pressed: dict[str, Any] = {"action_id": action_id, "block_id": block_id, "type": element_type}
    if element_type == "button":
        pressed |= {"value": value, "text": {"type": "plain_text", "text": value or "", "emoji": True}}
    elif element_type == "users_select":
        pressed["selected_user"] = value
    else:
        pressed["selected_option"] = option or {"text": {"type": "plain_text", "text": value}, "value": value}
    return {**pressed, "action_ts": action_ts}


def block_actions_in_message(
    workspace: Workspace,
    *,
    pressed: dict[str, Any],
    user: dict[str, str],
    channel: dict[str, str],
    message: dict[str, Any],
    ephemeral: bool,
    response_url: str,
    trigger_id: str,
) -> Body:
    """A press on a message's button or menu (an ephemeral one carries no `message`, as in Slack)."""
    container = {"type": "message", "message_ts": message["ts"], "channel_id": channel["id"]}
    where: dict[str, Any] = {
        "container": {**container, "is_ephemeral": ephemeral},
        "channel": channel,
        "state": {"values": {}},
        "response_url": response_url,
    }
    if not ephemeral:
        where["message"] = message
    return _interaction(
        workspace, kind="block_actions", user=user, trigger_id=trigger_id, actions=[pressed], **where
    )


def block_actions_in_view(
    workspace: Workspace,
    *,
    pressed: dict[str, Any],
    user: dict[str, str],
    view: dict[str, Any],
    trigger_id: str,
) -> Body:
    """A press in a modal or the Home tab: the view comes along, there is no response URL."""
    container = {"type": "view", "view_id": view["id"]}
    return _interaction(
        workspace,
        kind="block_actions",
        user=user,
        trigger_id=trigger_id,
        actions=[pressed],
        container=container,
        view=view,
    )


def view_submission(
    workspace: Workspace,
    *,
    user: dict[str, str],
    view: dict[str, Any],
    values: dict[str, dict[str, dict]],
    trigger_id: str,
) -> Body:
    """A modal's Submit, with `values` as state.values: {block_id: {action_id: state}}."""
    submitted = {**view, "state": {"values": values}, "app_id": workspace.app_id, "bot_id": "B0CONSOLE"}
    return _interaction(
        workspace, kind="view_submission", user=user, trigger_id=trigger_id, view=submitted, response_urls=[]
    )


def block_suggestion(
    workspace: Workspace,
    *,
    user: dict[str, str],
    view: dict[str, Any],
    action_id: str,
    block_id: str,
    value: str,
) -> Body:
    """What Slack sends as a person types in a modal's menu that loads its options (external_select)."""
    return _interaction(
        workspace,
        kind="block_suggestion",
        user=user,
        trigger_id="",
        container={"type": "view", "view_id": view["id"]},
        view=view,
        action_id=action_id,
        block_id=block_id,
        value=value,
    )


def event_callback(workspace: Workspace, *, event: dict[str, Any], event_id: str, event_time: int) -> Body:
    """An Events API delivery of `event`."""
    envelope = {
        "token": VERIFICATION_TOKEN,
        "team_id": workspace.team_id,
        "context_team_id": workspace.team_id,
        "api_app_id": workspace.app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": event_time,
        "authorizations": [
            {
                "team_id": workspace.team_id,
                "user_id": workspace.bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{event_id}",
    }
    return Body(json.dumps(envelope).encode(), JSON)


def message_event(
    text: str, *, user: str, channel: str, ts: str, thread_ts: str | None, team_id: str
) -> dict[str, Any]:
    """A `message` event for a person's post, or reply in a thread."""
    posted = {"type": "message", "user": user, "text": text, "ts": ts, "team": team_id, "channel": channel}
    if thread_ts is not None:
        posted["thread_ts"] = thread_ts
    return {**posted, "event_ts": ts, "channel_type": "group" if channel.startswith("G") else "channel"}


def app_home_opened_event(*, user: str, event_ts: str, view_id: str | None) -> dict[str, Any]:
    """The `app_home_opened` event Slack sends when a person opens the app's Home tab."""
    opened = {
        "type": "app_home_opened",
        "user": user,
        "channel": f"D{user}",
        "tab": "home",
        "event_ts": event_ts,
    }
    return {**opened, "view": {"id": view_id}} if view_id else opened


def _interaction(
    workspace: Workspace, *, kind: str, user: dict[str, str], trigger_id: str, **fields: Any
) -> Body:
    # Interactivity arrives form-encoded, with the JSON in a single `payload` field.
    payload = {
        "type": kind,
        "user": {
            "id": user["id"],
            "username": user["name"],
            "name": user["name"],
            "team_id": workspace.team_id,
        },
        "api_app_id": workspace.app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id,
        "team": {"id": workspace.team_id, "domain": workspace.team_id.lower()},
        "enterprise": None,
        "is_enterprise_install": False,
        **fields,
    }
    return Body(urlencode({"payload": json.dumps(payload)}).encode(), FORM)
