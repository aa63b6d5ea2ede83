"""Signed requests shaped exactly like the ones Slack sends to the app's /slack/events endpoint."""

from __future__ import annotations

import hashlib
import hmac
import io
import itertools
import json
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlencode

from tests.support.fake_slack import FakeSlack

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
# Slack still sends the legacy verification token; Bolt ignores it but it is part of the shape.
VERIFICATION_TOKEN = "legacy-verification-token"
# The app is on 127.0.0.1: never route these requests through a proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass(frozen=True)
class Reply:
    """The app's HTTP answer to one request."""

    status: int
    body: str
    headers: dict[str, str]

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


def ack_answer(reply: Reply) -> dict[str, Any] | None:
    """The answer a slash command's HTTP acknowledgement carries (text, blocks, response_type), if any."""
    if reply.status != 200 or not reply.body.strip():
        return None
    try:
        body = reply.json()
    except ValueError:
        return {"text": reply.body}  # Bolt sends a bare text answer as text/plain
    return body if isinstance(body, dict) and ("text" in body or "blocks" in body) else None


def answer_text(fake: FakeSlack) -> str:
    """The text of the app's last answer (in the ack or through the response URL), blocks included."""
    call = fake.last("response_url")
    parts = [call.params.get("text", "")]
    for block in call.params.get("blocks", []):
        parts.append(str(block))
    return "\n".join(parts)


def text_value(value: str | None) -> dict[str, Any]:
    """View state value of a plain_text_input (None when left empty)."""
    return {"type": "plain_text_input", "value": value}


def date_value(value: str | None) -> dict[str, Any]:
    """View state value of a datepicker, e.g. date_value("2026-12-15")."""
    return {"type": "datepicker", "selected_date": value}


def user_value(user_id: str | None) -> dict[str, Any]:
    """View state value of a users_select."""
    return {"type": "users_select", "selected_user": user_id}


def message_event(
    text: str,
    *,
    ts: str,
    user: str = "U1",
    channel: str = "C1",
    thread_ts: str | None = None,
    team: str = "T1",
) -> dict[str, Any]:
    """A `message` event as Slack sends it for a person's post (or thread reply) in a channel."""
    event = {"type": "message", "user": user, "text": text, "ts": ts, "team": team, "channel": channel}
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
    # Private channels (G…) arrive as message.groups, with channel_type "group".
    return {**event, "event_ts": ts, "channel_type": "group" if channel.startswith("G") else "channel"}


def slack_signature(timestamp: str, body: bytes, *, secret: str) -> str:
    """The X-Slack-Signature Slack sends with `body` at `timestamp`, signed with `secret`."""
    # Slack signs the bytes it sends, whatever their encoding (slack_sdk's helper wants UTF-8 text).
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class SlackRequests:
    """Sends signed slash commands, interactions and events to a running app, as Slack would."""

    def __init__(
        self,
        base_url: str,
        *,
        signing_secret: str,
        fake: FakeSlack,
        team_id: str = "T1",
        enterprise_id: str | None = None,
        settle: Callable[[], None] | None = None,
        wsgi_app: Callable[..., Any] | None = None,
    ) -> None:
        self.url = base_url.rstrip("/") + "/slack/events"
        # With a WSGI app, requests are handed to it in-process (thousands of fuzzed requests stay quick).
        self.wsgi_app = wsgi_app
        self.fake = fake
        # Called after every answer: waits for the work the app still does after its ack.
        self.settle = settle
        self.team_id = team_id
        self.enterprise_id = enterprise_id
        self._secret = signing_secret
        self._ids = itertools.count(1)

    # ---- what Slack sends ----

    def command(
        self,
        text: str,
        *,
        user: str = "U1",
        channel: str = "C1",
        command: str = "/milestone",
        response_key: str = "r1",
    ) -> Reply:
        """A slash command invocation, form-encoded like Slack's."""
        fields = {"token": VERIFICATION_TOKEN, "team_id": self.team_id, "team_domain": self._team_domain()}
        if self.enterprise_id:
            fields |= {"enterprise_id": self.enterprise_id, "enterprise_name": "Test Org"}
        fields |= {
            "channel_id": channel,
            "channel_name": self.fake.channel_name(channel),
            "user_id": user,
            "user_name": self._user_name(user),
            "command": command,
            "text": text,
            "api_app_id": self.fake.app_id,
            "is_enterprise_install": "false",
            "response_url": self.fake.response_url(response_key),
            "trigger_id": self._trigger_id(),
        }
        reply = self.post_raw(urlencode(fields).encode(), content_type=FORM, settle=False)
        # Slack shows an answer in the ack as it shows one sent to the response URL: the fake records both.
        answer = ack_answer(reply)
        if answer is not None:
            self.fake.record_ack_answer(response_key, answer)
        self._settle()
        return reply

    def block_action(
        self,
        *,
        action_id: str,
        value: str,
        user: str = "U1",
        channel: str = "C1",
        message: dict[str, Any] | None = None,
        block_id: str = "b",
        response_key: str = "r1",
        view: dict[str, Any] | None = None,
        container: dict[str, Any] | None = None,
        selected: str | None = None,
    ) -> Reply:
        """A button press in a message (default) or, with `view`, in a modal or the Home tab.

        With `selected`, the action is an overflow menu's choice of the option with that value instead.
        """
        if view is None:
            message = message or self._placeholder_message()
            where = {
                "channel": {"id": channel, "name": self.fake.channel_name(channel)},
                "message": message,
                "state": {"values": {}},
                "response_url": self.fake.response_url(response_key),
            }
            in_message = {"type": "message", "message_ts": message["ts"], "channel_id": channel}
            container = container or {**in_message, "is_ephemeral": False}
        else:
            where = {"view": view}
            container = container or {"type": "view", "view_id": view.get("id", "V1")}
        payload = {
            "type": "block_actions",
            "user": self._user(user),
            "api_app_id": self.fake.app_id,
            "token": VERIFICATION_TOKEN,
            "container": container,
            "trigger_id": self._trigger_id(),
            "team": self._team(),
            "enterprise": self._enterprise(),
            "is_enterprise_install": False,
            **where,
            "actions": [
                self._button_action(action_id=action_id, block_id=block_id, value=value)
                if selected is None
                else self._overflow_action(action_id=action_id, block_id=block_id, value=selected)
            ],
        }
        return self._post_payload(payload)

    def view_submission(
        self,
        *,
        callback_id: str,
        values: dict[str, dict[str, Any]],
        private_metadata: str = "",
        user: str = "U1",
    ) -> Reply:
        """A modal's Submit: `values` is state.values, {block_id: {action_id: text_value(...)}}."""
        view_id = f"V{next(self._ids):08d}"
        view = {
            "id": view_id,
            "team_id": self.team_id,
            "type": "modal",
            "blocks": [],
            "private_metadata": private_metadata,
            "callback_id": callback_id,
            "state": {"values": values},
            "hash": f"1700000000.{view_id.lower()}",
            "title": {"type": "plain_text", "text": "Milestone", "emoji": True},
            "clear_on_close": False,
            "notify_on_close": False,
            "close": None,
            "submit": {"type": "plain_text", "text": "Save", "emoji": True},
            "previous_view_id": None,
            "root_view_id": view_id,
            "app_id": self.fake.app_id,
            "external_id": "",
            "app_installed_team_id": self.team_id,
            "bot_id": self.fake.bot_id,
        }
        payload = {
            "type": "view_submission",
            "team": self._team(),
            "user": self._user(user),
            "api_app_id": self.fake.app_id,
            "token": VERIFICATION_TOKEN,
            "trigger_id": self._trigger_id(),
            "view": view,
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": self._enterprise(),
        }
        return self._post_payload(payload)

    def block_suggestion(
        self,
        *,
        action_id: str,
        value: str,
        view: dict[str, Any] | None,
        user: str = "U1",
        block_id: str | None = None,
    ) -> Reply:
        """What Slack sends as a person types in a modal's external_select (None: a message's menu)."""
        container = {"type": "message", "message_ts": "1700000000.000100", "channel_id": "C1"}
        if view is not None:
            view = {"id": "V1", "team_id": self.team_id, "app_id": self.fake.app_id, **view}
            container = {"type": "view", "view_id": view["id"]}
        payload = {
            "type": "block_suggestion",
            "user": self._user(user),
            "container": container,
            "api_app_id": self.fake.app_id,
            "token": VERIFICATION_TOKEN,
            "action_id": action_id,
            "block_id": block_id or action_id,
            "value": value,
            "team": self._team(),
            "enterprise": self._enterprise(),
            "is_enterprise_install": False,
            **({"view": view} if view is not None else {"channel": {"id": "C1"}}),
        }
        return self._post_payload(payload)

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str = "Ev1",
        event_time: int | None = None,
        retry_num: int | None = None,
    ) -> Reply:
        """An Events API delivery; `retry_num` adds the headers Slack sets when it redelivers."""
        envelope = {
            "token": VERIFICATION_TOKEN,
            "team_id": self.team_id,
            **({"enterprise_id": self.enterprise_id} if self.enterprise_id else {}),
            "context_team_id": self.team_id,
            "context_enterprise_id": self.enterprise_id,
            "api_app_id": self.fake.app_id,
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": event_time if event_time is not None else int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": self.enterprise_id,
                    "team_id": self.team_id,
                    "user_id": self.fake.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": f"4-{event_id}",
        }
        retry = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        retry = retry if retry_num is not None else {}
        return self.post_raw(json.dumps(envelope).encode(), content_type=JSON, headers=retry)

    def url_verification(self, challenge: str) -> Reply:
        """The handshake Slack sends when the Events request URL is saved."""
        body = {"token": VERIFICATION_TOKEN, "challenge": challenge, "type": "url_verification"}
        return self.post_raw(json.dumps(body).encode(), content_type=JSON)

    def post_raw(
        self,
        body: bytes,
        *,
        content_type: str,
        timestamp: int | None = None,
        signature: str | None = None,
        sign: bool = True,
        headers: dict[str, str] | None = None,
        settle: bool = True,
    ) -> Reply:
        """POST a body as is; signed with the current time unless told otherwise (for signature tests).

        Then waits for the work the app goes on with after its answer, unless `settle` is False.
        """
        sent = {"Content-Type": content_type, **(headers or {})}
        if sign:
            stamp = str(timestamp if timestamp is not None else int(time.time()))
            sent["X-Slack-Request-Timestamp"] = stamp
            sent["X-Slack-Signature"] = signature or slack_signature(stamp, body, secret=self._secret)
        reply = self._call_wsgi(body, sent) if self.wsgi_app is not None else self._post(body, sent)
        if settle:
            self._settle()
        return reply

    def _settle(self) -> None:
        if self.settle is not None:
            self.settle()

    def _post(self, body: bytes, headers: dict[str, str]) -> Reply:
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with _OPENER.open(request, timeout=10) as response:
                return Reply(response.status, response.read().decode(), dict(response.headers.items()))
        except HTTPError as error:
            with error:
                return Reply(error.code, error.read().decode(), dict(error.headers.items()))

    def _call_wsgi(self, body: bytes, headers: dict[str, str]) -> Reply:
        assert self.wsgi_app is not None
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/slack/events",
            "QUERY_STRING": "",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": headers.get("Content-Type", ""),
        }
        for name, value in headers.items():
            if name != "Content-Type":
                environ["HTTP_" + name.upper().replace("-", "_")] = value
        started: list[tuple[str, list[tuple[str, str]]]] = []

        def start_response(status: str, response_headers: list[tuple[str, str]], *_: Any) -> None:
            started.append((status, response_headers))

        content = b"".join(self.wsgi_app(environ, start_response))
        status, response_headers = started[0]
        return Reply(int(status.split()[0]), content.decode(errors="replace"), dict(response_headers))

    # ---- shapes ----

    def _post_payload(self, payload: dict[str, Any]) -> Reply:
        # Interactivity arrives form-encoded, with the JSON in a single `payload` field.
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post_raw(body, content_type=FORM)

    def _team_domain(self) -> str:
        return f"team-{self.team_id.lower()}"

    def _team(self) -> dict[str, Any]:
        team = {"id": self.team_id, "domain": self._team_domain()}
        if self.enterprise_id:
            team |= {"enterprise_id": self.enterprise_id, "enterprise_name": "Test Org"}
        return team

    def _enterprise(self) -> dict[str, str] | None:
        return {"id": self.enterprise_id, "name": "Test Org"} if self.enterprise_id else None

    def _user_name(self, user_id: str) -> str:
        known = self.fake.users.get(user_id)
        return known["name"] if known else user_id.lower()

    def _user(self, user_id: str) -> dict[str, str]:
        name = self._user_name(user_id)
        return {"id": user_id, "username": name, "name": name, "team_id": self.team_id}

    def _trigger_id(self) -> str:
        return f"{next(self._ids)}.{self.team_id}.{next(self._ids):032x}"

    def _placeholder_message(self) -> dict[str, Any]:
        # Slack always includes the message a button sits on; tests that care pass the real one.
        ts = f"1699999999.{next(self._ids):06d}"
        return {
            "type": "message",
            "user": self.fake.bot_user_id,
            "bot_id": self.fake.bot_id,
            "text": "",
            "ts": ts,
        }

    @staticmethod
    def _overflow_action(*, action_id: str, block_id: str, value: str) -> dict[str, Any]:
        return {
            "action_id": action_id,
            "block_id": block_id,
            "selected_option": {"text": {"type": "plain_text", "text": value, "emoji": True}, "value": value},
            "type": "overflow",
            "action_ts": f"{time.time():.6f}",
        }

    @staticmethod
    def _button_action(*, action_id: str, block_id: str, value: str) -> dict[str, Any]:
        return {
            "action_id": action_id,
            "block_id": block_id,
            "text": {"type": "plain_text", "text": value, "emoji": True},
            "value": value,
            "type": "button",
            "action_ts": f"{time.time():.6f}",
        }
