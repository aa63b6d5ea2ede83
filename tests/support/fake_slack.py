"""A fake Slack Web API on 127.0.0.1 that answers like Slack, validates like Slack and records every call."""

from __future__ import annotations

import contextlib
import copy
import itertools
import json
import random
import re
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from tests.support.lifecycle import StartStop

# Fields Slack accepts as JSON strings inside form-encoded bodies.
JSON_STRING_FIELDS = ("blocks", "view", "metadata", "attachments", "files")
MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
MAX_TEXT_LENGTH = 40_000
FIRST_TS = "1700000000.000100"
TS_STEP_MICROS = 100
DEFAULT_HISTORY_LIMIT = 100
# Errors slack_sdk's models raise while building or serialising a block.
_MODEL_ERRORS = (SlackObjectFormationError, TypeError, ValueError, KeyError, AttributeError)

Params = dict[str, Any]


@dataclass(frozen=True)
class Call:
    """One request the fake received: Slack method, decoded parameters, headers (names lower-cased)."""

    method: str
    params: Params
    headers: dict[str, str]

    @property
    def token(self) -> str | None:
        """The bearer token the call carried, if any."""
        scheme, _, token = self.headers.get("authorization", "").partition(" ")
        return token if scheme.lower() == "bearer" and token else None


@dataclass
class _Failure:
    method: str
    status: int
    error: str
    headers: dict[str, str]
    times: int
    channel: str | None


@dataclass(frozen=True)
class _Answer:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def _json_answer(data: Params, *, status: int = 200, headers: dict[str, str] | None = None) -> _Answer:
    return _Answer(status, json.dumps(data).encode(), headers=headers or {})


def _text_answer(text: str, *, status: int = 200) -> _Answer:
    return _Answer(status, text.encode(), content_type="text/plain; charset=utf-8")


def _truthy(value: Any) -> bool:
    # slack_sdk sends booleans as "1"/"0" in forms and as true/false in JSON.
    return value is True or str(value).lower() in ("1", "true")


def _ts_micros(ts: str) -> int:
    seconds, _, fraction = str(ts).partition(".")
    return int(seconds) * 1_000_000 + int((fraction + "000000")[:6])


def _ts_string(micros: int) -> str:
    return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


def decode_body(body: bytes, content_type: str) -> Params:
    """Decode a JSON or form-encoded request body, turning JSON-string fields into Python objects."""
    if content_type.split(";")[0].strip().lower() == "application/json":
        params = json.loads(body or b"{}")
    else:
        params = dict(parse_qsl(body.decode(), keep_blank_values=True))
    for name in JSON_STRING_FIELDS:
        if isinstance(params.get(name), str):
            params[name] = json.loads(params[name])
    return params


def block_errors(blocks: Any, *, limit: int = MESSAGE_BLOCK_LIMIT, where: str = "blocks") -> list[str]:
    """Why Slack would reject these blocks (empty when it would accept them)."""
    if not isinstance(blocks, list):
        return [f"{where}: must be an array"]
    errors = [f"{where}: no more than {limit} items allowed"] if len(blocks) > limit else []
    for index, raw in enumerate(blocks):
        errors += _one_block_errors(raw, f"{where}[{index}]")
    return errors


def view_errors(view: Any) -> list[str]:
    """Why Slack would reject this view (empty when it would accept it)."""
    if not isinstance(view, dict):
        return ["view: must be an object"]
    # Blocks first, so each error names its block; View's own check would stop at the first one.
    errors = block_errors(view.get("blocks"), limit=VIEW_BLOCK_LIMIT, where="view.blocks")
    if errors:
        return errors
    try:
        normalised = View(**copy.deepcopy(view)).to_dict()
    except _MODEL_ERRORS as error:
        return [f"view: {error}"]
    frame = {key: value for key, value in view.items() if key != "blocks"}
    return _unrecognised_fields(frame, normalised, "view")


def _one_block_errors(raw: Any, where: str) -> list[str]:
    if not isinstance(raw, dict):
        return [f"{where}: must be an object"]
    try:
        block = Block.parse(copy.deepcopy(raw))
        if block is None:
            return [f"{where}: unknown block type {raw.get('type')!r}"]
        block.validate_json()
        # validate_json only checks the block itself; to_dict validates every nested element too.
        normalised = block.to_dict()
    except _MODEL_ERRORS as error:
        return [f"{where}: {error}"]
    return _unrecognised_fields(raw, normalised, where)


def _unrecognised_fields(raw: Any, normalised: Any, where: str) -> list[str]:
    # slack_sdk silently drops fields it does not know, where Slack answers invalid_blocks.
    if isinstance(raw, dict) and isinstance(normalised, dict):
        errors: list[str] = []
        for key, value in raw.items():
            if value is None or value == "" or value == [] or value == {}:
                continue
            if key not in normalised:
                errors.append(f"{where}.{key}: not a field Slack accepts here")
            else:
                errors += _unrecognised_fields(value, normalised[key], f"{where}.{key}")
        return errors
    if isinstance(raw, list) and isinstance(normalised, list):
        pairs = enumerate(zip(raw, normalised, strict=False))
        return [error for i, (r, n) in pairs for error in _unrecognised_fields(r, n, f"{where}[{i}]")]
    if isinstance(raw, str) and isinstance(normalised, dict):
        return [f"{where}: must be a text object, not a string"]
    return []


class _Server(ThreadingHTTPServer):
    """Slack takes hundreds of connections at once: a backlog of 5 (the default) resets them under load."""

    daemon_threads = True
    request_queue_size = 1024

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self.accepted = 0  # connections accepted
        self.open: set[socket.socket] = set()  # connections not yet closed
        self._open_lock = threading.Lock()

    def get_request(self) -> tuple[socket.socket, Any]:
        connection, address = super().get_request()
        with self._open_lock:
            self.accepted += 1
            self.open.add(connection)
        return connection, address

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self.open.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], BrokenPipeError | ConnectionResetError):
            return  # the client hung up (it timed out): nothing to report
        super().handle_error(request, client_address)

    def close_open_connections(self) -> None:
        """End every connection still open: kept-alive clients see the server go, as they would Slack's."""
        with self._open_lock:
            connections, self.open = list(self.open), set()
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class FakeSlack(StartStop):
    """A fake Slack Web API server; use `with FakeSlack() as fake:` and point WebClient at `fake.api_url`."""

    def __init__(
        self,
        *,
        team_id: str = "T1",
        team_name: str = "Test Workspace",
        bot_user_id: str = "UBOT",
        bot_id: str = "B1",
        app_id: str = "A1",
        first_ts: str = FIRST_TS,
        clock: Callable[[], datetime] | None = None,
        keep_alive: bool = False,
    ) -> None:
        self.team_id, self.team_name = team_id, team_name
        # HTTP/1.1 with connections kept open between calls, as Slack's own servers do; off, every answer
        # closes its connection (HTTP/1.0), as before.
        self.keep_alive = keep_alive
        self.bot_user_id, self.bot_id, self.app_id = bot_user_id, bot_id, app_id
        self.users: dict[str, Params] = {}
        self.channel_names: dict[str, str] = {}
        self.uploads: dict[str, bytes] = {}
        # Files as Slack keeps them after an upload completes: id → file object (with `channels`, `title`).
        self.files: dict[str, Params] = {}
        self.invalid_payloads: list[str] = []
        self.warnings: list[str] = []
        self._calls: list[Call] = []
        self._history: dict[str, list[Params]] = {}
        self._views: dict[str, Params] = {}
        self._home_view_ids: dict[str, str] = {}
        self._pending_files: dict[str, str] = {}
        self._failures: list[_Failure] = []
        # Misbehaviour on demand: seconds each call to a method takes ("*" for every method and response
        # URLs), a share of calls answered with 5xx, and tokens Slack no longer accepts.
        self.latency: dict[str, float] = {}
        self.error_rates: dict[str, tuple[float, int]] = {}
        self.revoked_tokens: set[str] = set()
        self._random = random.Random(7)
        self._ids = itertools.count(1)
        self._next_ts = _ts_micros(first_ts)
        # Slack stamps messages with its own clock: with `clock` set, none is stamped earlier than clock().
        self.clock = clock
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._methods: dict[str, Callable[[Params], Params]] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.getPermalink": self._chat_get_permalink,
            "conversations.history": self._conversations_history,
            "conversations.info": self._conversations_info,
            "users.info": self._users_info,
            "views.open": self._views_open,
            "views.push": self._views_open,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
            "files.info": self._files_info,
            "conversations.open": self._conversations_open,
            "reactions.add": self._reactions_add,
            "oauth.v2.access": self._oauth_v2_access,
        }
        self.add_user(bot_user_id, name="milestonebot", team_id=team_id)
        self.users[bot_user_id]["is_bot"] = True

    # ---- lifecycle ----

    def start(self) -> FakeSlack:
        """Start serving on 127.0.0.1 on a free port."""
        self._server = _Server(("127.0.0.1", 0), _handler_for(self, keep_alive=self.keep_alive))
        # A short poll interval keeps stop() fast: shutdown() waits for the loop to notice.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-slack", daemon=True
        )
        self._thread.start()
        return self

    @property
    def connections_accepted(self) -> int:
        """How many connections the server has accepted since it started."""
        return self._server.accepted if self._server is not None else 0

    def close_connections(self) -> None:
        """End the connections open now (still serving): as Slack closing a connection left idle."""
        if self._server is not None:
            self._server.close_open_connections()

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server.close_open_connections()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT` of the running server."""
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        """The Web API base URL to give the app as SLACK_API_URL (ends with a slash, as WebClient needs)."""
        return f"{self.base_url}/api/"

    def response_url(self, key: str = "r1") -> str:
        """A response_url on this server; POSTs to it are recorded as `response_url` calls."""
        return f"{self.base_url}/response/{key}"

    def add_method(self, name: str, handler: Callable[[Params], Params]) -> None:
        """Answer Web API method `name` with `handler(params)`: one the fake lacks, or instead of its own."""
        with self._lock:
            self._methods[name] = handler

    # ---- workspace state ----

    def add_user(
        self,
        user_id: str,
        *,
        tz: str = "UTC",
        is_admin: bool = False,
        is_owner: bool = False,
        name: str | None = None,
        team_id: str = "T1",
        is_primary_owner: bool = False,
    ) -> Params:
        """Add a user that users.info will know, with the time zone Slack reports for them."""
        now = datetime.now(ZoneInfo(tz))
        offset = now.utcoffset()
        name = name or user_id.lower()
        user = {
            "id": user_id,
            "team_id": team_id,
            "name": name,
            "real_name": name.title(),
            "deleted": False,
            "tz": tz,
            "tz_label": now.tzname(),
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "is_admin": is_admin,
            "is_owner": is_owner,
            "is_primary_owner": is_primary_owner,
            "is_bot": False,
            "profile": {"real_name": name.title(), "display_name": name, "team": team_id},
        }
        with self._lock:
            self.users[user_id] = user
        return user

    def channel_name(self, channel_id: str) -> str:
        """The name Slack would give for a channel (set names in `.channel_names`)."""
        return self.channel_names.get(channel_id, f"channel-{channel_id.lower()}")

    def add_message(
        self,
        channel: str,
        *,
        text: str,
        user: str = "U1",
        metadata: Params | None = None,
        thread_ts: str | None = None,
    ) -> Params:
        """Put a message in a channel's history as if someone had posted it; returns the message."""
        with self._lock:
            message = self._new_message(
                {"text": text, "metadata": metadata, "thread_ts": thread_ts}, user=user
            )
            self._history.setdefault(channel, []).append(message)
            return copy.deepcopy(message)

    def messages(self, channel: str) -> list[Params]:
        """Everything in a channel now, oldest first, thread replies included."""
        with self._lock:
            return copy.deepcopy(self._history.get(channel, []))

    # ---- failure scripting ----

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        error: str = "ratelimited",
        headers: dict[str, str] | None = None,
        times: int = 1,
        channel: str | None = None,
    ) -> None:
        """Make the next `times` calls to `method` (in `channel`, if given) fail with `status` and `error`."""
        headers = dict(headers or {})
        if status == 429:
            headers.setdefault("Retry-After", "1")
        with self._lock:
            self._failures.append(_Failure(method, status, error, headers, times, channel))

    def set_latency(self, method: str, seconds: float) -> None:
        """Make every call to `method` ("*": every call, response URLs included) take `seconds` to answer."""
        with self._lock:
            self.latency[method] = seconds

    def fail_randomly(self, method: str, *, rate: float, status: int = 500) -> None:
        """Answer a share `rate` of the calls to `method` with `status` (seeded: runs repeat)."""
        with self._lock:
            self.error_rates[method] = (rate, status)

    def revoke_token(self, token: str, *, revoked: bool = True) -> None:
        """Answer `invalid_auth` to every call with `token` (until revoked=False)."""
        with self._lock:
            (self.revoked_tokens.add if revoked else self.revoked_tokens.discard)(token)

    def delay_for(self, path: str) -> float:
        """How long a request to `path` waits before it is answered (outside the lock)."""
        route, _, rest = urlsplit(path).path.lstrip("/").partition("/")
        method = rest if route == "api" else "response_url" if route == "response" else route
        with self._lock:
            return self.latency.get(method, self.latency.get("*", 0.0))

    def _random_failure(self, method: str) -> _Failure | None:
        rate, status = self.error_rates.get(method, (0.0, 500))
        if rate and self._random.random() < rate:
            return _Failure(method, status, "internal_error", {}, 1, None)
        return None

    def _take_failure(self, method: str, params: Params) -> _Failure | None:
        channel = params.get("channel") or params.get("channel_id")
        for failure in self._failures:
            if failure.method == method and failure.channel in (None, channel):
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
                return failure
        return None

    # ---- recorded calls ----

    @property
    def calls(self) -> list[Call]:
        """Every call so far, oldest first (a snapshot)."""
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        """The calls to one method, oldest first."""
        return [call for call in self.calls if call.method == method]

    def last(self, method: str) -> Call:
        """The latest call to `method`; AssertionError naming what was called if there was none."""
        found = self.calls_to(method)
        if not found:
            raise AssertionError(f"no call to {method}; methods called: {self._methods_called()}")
        return found[-1]

    def clear(self) -> None:
        """Forget recorded calls (state such as history, and invalid_payloads, are kept)."""
        with self._lock:
            self._calls.clear()

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until `count` calls to `method` have arrived (for work done after ack); returns them."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [call for call in self._calls if call.method == method]
                remaining = deadline - time.monotonic()
                if len(found) >= count:
                    return found
                if remaining <= 0:
                    raise AssertionError(
                        f"expected {count} call(s) to {method} within {timeout}s, got {len(found)}; "
                        f"methods called: {self._methods_called()}"
                    )
                self._changed.wait(remaining)

    def _methods_called(self) -> list[str]:
        return [call.method for call in self.calls]

    def _record(self, call: Call) -> None:
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()

    # ---- request handling ----

    def _answer(self, path: str, headers: dict[str, str], body: bytes) -> _Answer:
        route, _, rest = urlsplit(path).path.lstrip("/").partition("/")
        handlers = {
            "api": self._answer_api,
            "response": self._answer_response_url,
            "upload": self._answer_upload,
        }
        if route not in handlers or not rest:
            with self._lock:
                self.invalid_payloads.append(f"request to unknown path {path}")
            return _text_answer("not_found", status=404)
        return handlers[route](rest, headers, body)

    def _answer_api(self, method: str, headers: dict[str, str], body: bytes) -> _Answer:
        try:
            params = decode_body(body, headers.get("content-type", ""))
        except ValueError as error:
            with self._lock:
                self.invalid_payloads.append(f"{method}: body is not valid JSON: {error}")
            self._record(Call(method, {"_raw": body.decode(errors="replace")}, headers))
            return _json_answer({"ok": False, "error": "invalid_json"})
        with self._lock:
            answer = self._answer_method(method, params, headers)
            self._record(Call(method, params, headers))
        return answer

    def _answer_method(self, method: str, params: Params, headers: dict[str, str]) -> _Answer:
        token = Call(method, params, headers).token or params.get("token")
        # oauth.v2.access authenticates with the app's client id and secret (HTTP Basic), not a token.
        basic_auth = headers.get("authorization", "").startswith("Basic ")
        app_credentials = method == "oauth.v2.access" and basic_auth
        if not token and not app_credentials:
            return _json_answer({"ok": False, "error": "not_authed"})
        if token in self.revoked_tokens:
            return _json_answer({"ok": False, "error": "invalid_auth"})
        failure = self._take_failure(method, params) or self._random_failure(method)
        if failure is not None:
            return _failure_answer(failure)
        if method not in self._methods:
            self.warnings.append(f"unknown_method: {method}")
            return _json_answer({"ok": False, "error": "unknown_method"})
        errors = self._payload_errors(method, params)
        if errors:
            return _json_answer({"ok": False, "error": "invalid_blocks", "errors": errors})
        return _json_answer(self._methods[method](params))

    def _payload_errors(self, method: str, params: Params) -> list[str]:
        errors = block_errors(params["blocks"]) if params.get("blocks") is not None else []
        errors += self._unknown_files(params.get("blocks"))
        if params.get("view") is not None:
            errors += view_errors(params["view"])
        self.invalid_payloads.extend(f"{method}: {error}" for error in errors)
        return errors

    def _unknown_files(self, blocks: Any) -> list[str]:
        # Slack refuses an image block showing a file it does not know (or has not readied yet).
        images = [
            b.get("slack_file") for b in blocks or [] if isinstance(b, dict) and b.get("type") == "image"
        ]
        ids = [image.get("id") for image in images if isinstance(image, dict)]
        return [f"invalid slack file {file_id}" for file_id in ids if file_id and file_id not in self.files]

    def _answer_response_url(self, key: str, headers: dict[str, str], body: bytes) -> _Answer:
        try:
            params = {**json.loads(body or b"{}"), "_key": key}
        except ValueError:
            params = {"_raw": body.decode(errors="replace"), "_key": key}
        with self._lock:
            self._record(Call("response_url", params, headers))
            failure = self._take_failure("response_url", params) or self._random_failure("response_url")
            if failure is not None:
                return _text_answer(failure.error, status=failure.status)
            if "_raw" in params:
                self.invalid_payloads.append(f"response_url {key}: body is not JSON")
                return _text_answer("invalid_payload", status=400)
            if params.get("blocks") is not None and self._payload_errors("response_url", params):
                return _text_answer("invalid_blocks", status=400)
        return _text_answer("ok")

    def record_ack_answer(self, key: str, body: Params) -> None:
        """An answer the app put in a slash command's HTTP ack: Slack shows it as a response URL answer.

        Recorded as a `response_url` call (params `_key`, and `_via` "ack"), its blocks checked alike.
        """
        params = {**body, "_key": key, "_via": "ack"}
        with self._lock:
            self._record(Call("response_url", params, {}))
            if params.get("blocks") is not None:
                self._payload_errors("response_url (ack)", params)

    def _answer_upload(self, file_id: str, headers: dict[str, str], body: bytes) -> _Answer:
        with self._lock:
            if file_id not in self._pending_files:
                return _text_answer("not_found", status=404)
            self.uploads[file_id] = body
        return _text_answer(f"OK - {len(body)}")

    # ---- Web API methods ----

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}"

    def _new_ts(self) -> str:
        if self.clock is not None:
            self._next_ts = max(self._next_ts, int(self.clock().timestamp() * 1_000_000))
        ts, self._next_ts = _ts_string(self._next_ts), self._next_ts + TS_STEP_MICROS
        return ts

    def _new_message(self, params: Params, *, user: str | None = None) -> Params:
        message: Params = {
            "type": "message",
            "user": user or self.bot_user_id,
            "text": params.get("text") or "",
        }
        if user is None:
            message.update(bot_id=self.bot_id, app_id=self.app_id, team=self.team_id)
        message["ts"] = self._new_ts()
        for name in ("blocks", "attachments", "metadata", "thread_ts"):
            if params.get(name) is not None:
                message[name] = params[name]
        return message

    def _find_message(self, channel: str, ts: str) -> Params | None:
        return next((m for m in self._history.get(channel, []) if m["ts"] == ts), None)

    def _auth_test(self, params: Params) -> Params:
        return {
            "ok": True,
            "url": f"https://{self.team_name.lower().replace(' ', '-')}.slack.com/",
            "team": self.team_name,
            "user": self.users[self.bot_user_id]["name"],
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _message_problem(self, params: Params) -> str | None:
        if not params.get("channel"):
            return "channel_not_found"
        if not any(params.get(name) for name in ("text", "markdown_text", "blocks", "attachments")):
            return "no_text"
        if len(params.get("text") or "") > MAX_TEXT_LENGTH:
            return "msg_too_long"
        if params.get("blocks") and not params.get("text"):
            # Slack posts it, but notifications and screen readers then have nothing to show.
            self.warnings.append("missing_text_in_blocks")
        return None

    def _chat_post_message(self, params: Params) -> Params:
        problem = self._message_problem(params)
        if problem:
            return {"ok": False, "error": problem}
        message = self._new_message(params)
        self._history.setdefault(params["channel"], []).append(message)
        return {
            "ok": True,
            "channel": params["channel"],
            "ts": message["ts"],
            "message": copy.deepcopy(message),
        }

    def _chat_post_ephemeral(self, params: Params) -> Params:
        if not params.get("user"):
            return {"ok": False, "error": "user_not_in_channel"}
        problem = self._message_problem(params)
        return {"ok": False, "error": problem} if problem else {"ok": True, "message_ts": self._new_ts()}

    def _chat_update(self, params: Params) -> Params:
        message = self._find_message(params.get("channel", ""), params.get("ts", ""))
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        for name in ("text", "blocks", "attachments", "metadata"):
            if name in params:
                message[name] = params[name]
        reply = {"ok": True, "channel": params["channel"], "ts": message["ts"], "text": message["text"]}
        return {**reply, "message": copy.deepcopy(message)}

    def _chat_delete(self, params: Params) -> Params:
        message = self._find_message(params.get("channel", ""), params.get("ts", ""))
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        self._history[params["channel"]].remove(message)
        return {"ok": True, "channel": params["channel"], "ts": message["ts"]}

    def _chat_get_permalink(self, params: Params) -> Params:
        channel, ts = params.get("channel") or "", params.get("message_ts") or ""
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if not re.fullmatch(r"\d+\.\d+", ts):
            return {"ok": False, "error": "message_not_found"}
        domain = self.team_name.lower().replace(" ", "-")
        permalink = f"https://{domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        # A thread reply's permalink names its thread, as Slack's does.
        known = self._find_message(channel, ts)
        if known is not None and known.get("thread_ts", ts) != ts:
            permalink += f"?thread_ts={known['thread_ts']}&cid={channel}"
        return {"ok": True, "channel": channel, "permalink": permalink}

    def _conversations_history(self, params: Params) -> Params:
        if not params.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        messages = [m for m in self._history.get(params["channel"], []) if self._in_history_window(m, params)]
        messages.reverse()
        start = int(params.get("cursor") or 0)
        limit = int(params.get("limit") or DEFAULT_HISTORY_LIMIT)
        page = copy.deepcopy(messages[start : start + limit])
        if not _truthy(params.get("include_all_metadata")):
            for message in page:
                message.pop("metadata", None)
        has_more = start + limit < len(messages)
        cursor = str(start + limit) if has_more else ""
        return {
            "ok": True,
            "messages": page,
            "has_more": has_more,
            "response_metadata": {"next_cursor": cursor},
        }

    @staticmethod
    def _in_history_window(message: Params, params: Params) -> bool:
        # History lists channel-level messages only; replies stay in their thread.
        if message.get("thread_ts", message["ts"]) != message["ts"]:
            return False
        ts, inclusive = _ts_micros(message["ts"]), _truthy(params.get("inclusive"))
        oldest = _ts_micros(params["oldest"]) if params.get("oldest") else None
        latest = _ts_micros(params["latest"]) if params.get("latest") else None
        after_oldest = oldest is None or ts > oldest or (inclusive and ts == oldest)
        before_latest = latest is None or ts < latest or (inclusive and ts == latest)
        return after_oldest and before_latest

    def _conversations_info(self, params: Params) -> Params:
        channel = params.get("channel")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        private = channel.startswith("G")
        info = {"id": channel, "name": self.channel_name(channel), "is_channel": not private}
        info |= {"is_group": private, "is_private": private, "is_member": True, "is_archived": False}
        return {"ok": True, "channel": info}

    def _users_info(self, params: Params) -> Params:
        user = self.users.get(params.get("user", ""))
        return {"ok": True, "user": copy.deepcopy(user)} if user else {"ok": False, "error": "user_not_found"}

    def _stored_view(self, view: Params, view_id: str) -> Params:
        stored = {"private_metadata": "", "callback_id": "", "external_id": "", **view}
        stored |= {"id": view_id, "team_id": self.team_id, "app_id": self.app_id, "bot_id": self.bot_id}
        stored |= {
            "hash": f"1700000000.{next(self._ids):08x}",
            "state": {"values": {}},
            "root_view_id": view_id,
        }
        self._views[view_id] = stored
        return {"ok": True, "view": copy.deepcopy(stored)}

    def _views_open(self, params: Params) -> Params:
        if not params.get("trigger_id") or not params.get("view"):
            return {"ok": False, "error": "invalid_arguments"}
        return self._stored_view(params["view"], self._next_id("V"))

    def _views_update(self, params: Params) -> Params:
        view_id = params.get("view_id") or self._view_id_for_external_id(params.get("external_id"))
        if view_id not in self._views or not params.get("view"):
            return {"ok": False, "error": "not_found"}
        if params.get("hash") and params["hash"] != self._views[view_id]["hash"]:
            return {"ok": False, "error": "hash_conflict"}
        return self._stored_view(params["view"], view_id)

    def _view_id_for_external_id(self, external_id: str | None) -> str | None:
        return next(
            (v["id"] for v in self._views.values() if external_id and v["external_id"] == external_id), None
        )

    def _views_publish(self, params: Params) -> Params:
        if not params.get("user_id") or not params.get("view"):
            return {"ok": False, "error": "invalid_arguments"}
        if params["user_id"] not in self._home_view_ids:
            self._home_view_ids[params["user_id"]] = self._next_id("V")
        view_id = self._home_view_ids[params["user_id"]]
        return self._stored_view(params["view"], view_id)

    def _files_get_upload_url(self, params: Params) -> Params:
        if not params.get("filename") or not params.get("length"):
            return {"ok": False, "error": "invalid_arguments"}
        file_id = self._next_id("F")
        self._pending_files[file_id] = params["filename"]
        return {"ok": True, "upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, params: Params) -> Params:
        files = params.get("files") or []
        if not files or any(f.get("id") not in self.uploads for f in files):
            return {"ok": False, "error": "file_not_found"}
        done = [{"id": f["id"], "title": f.get("title") or self._pending_files[f["id"]]} for f in files]
        for file in done:
            self.files[file["id"]] = self._file_object(
                file["id"],
                name=self._pending_files[file["id"]],
                title=file["title"],
                channel=params.get("channel_id"),
                comment=params.get("initial_comment"),
            )
        return {"ok": True, "files": done}

    def add_file(self, name: str, content: bytes, *, user: str = "U1") -> Params:
        """A file a person uploaded (e.g. into a modal's file input): downloadable at its url_private."""
        with self._lock:
            file_id = self._next_id("F")
            self.uploads[file_id] = content
            self.files[file_id] = self._file_object(
                file_id, name=name, title=name, channel=None, comment=None
            )
            self.files[file_id]["user"] = user
            return copy.deepcopy(self.files[file_id])

    def _file_object(
        self, file_id: str, *, name: str, title: str, channel: str | None, comment: str | None
    ) -> Params:
        return {
            "id": file_id,
            "name": name,
            "title": title,
            "filetype": name.rsplit(".", 1)[-1].lower() if "." in name else "",
            "size": len(self.uploads.get(file_id, b"")),
            "url_private": f"{self.base_url}/files/{file_id}",
            "url_private_download": f"{self.base_url}/files/{file_id}",
            "channels": [channel] if channel else [],
            "initial_comment": comment,
        }

    def _files_info(self, params: Params) -> Params:
        file = self.files.get(params.get("file", ""))
        return {"ok": True, "file": copy.deepcopy(file)} if file else {"ok": False, "error": "file_not_found"}

    def _conversations_open(self, params: Params) -> Params:
        users = str(params.get("users") or "")
        if not users or users not in self.users:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "channel": {"id": f"D{users}"}}

    def _reactions_add(self, params: Params) -> Params:
        message = self._find_message(params.get("channel", ""), params.get("timestamp", ""))
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        if not params.get("name"):
            return {"ok": False, "error": "invalid_name"}
        reactions = message.setdefault("reactions", [])
        if params["name"] in reactions:
            return {"ok": False, "error": "already_reacted"}
        reactions.append(params["name"])
        return {"ok": True}

    def _oauth_v2_access(self, params: Params) -> Params:
        # Token rotation only: a fresh bot token for 12 hours and a new refresh token, as Slack gives them.
        refresh_token = params.get("refresh_token")
        if params.get("grant_type") != "refresh_token" or not refresh_token:
            return {"ok": False, "error": "invalid_grant_type"}
        if refresh_token in self.revoked_tokens:
            return {"ok": False, "error": "invalid_refresh_token"}
        number = next(self._ids)
        return {
            "ok": True,
            "token_type": "bot",
            "access_token": f"xoxe.xoxb-1-rotated-{number:08d}",
            "refresh_token": f"xoxe-1-refresh-{number:08d}",
            "expires_in": 43_200,
            "scope": "commands,chat:write",
            "bot_user_id": self.bot_user_id,
            "app_id": self.app_id,
            "team": {"id": self.team_id, "name": self.team_name},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def download(self, file_id: str, headers: dict[str, str]) -> _Answer:
        """GET of a file's url_private: Slack wants the bot token, as a Bearer header."""
        if not headers.get("authorization", "").startswith("Bearer "):
            return _text_answer("not_authed", status=403)
        with self._lock:
            content = self.uploads.get(file_id)
            self._record(Call("file_download", {"file": file_id}, headers))
        if content is None:
            return _text_answer("not_found", status=404)
        return _Answer(200, content, "application/octet-stream", {})


def _failure_answer(failure: _Failure) -> _Answer:
    if failure.status >= 500:
        # Slack's edge answers 5xx with an HTML page, which clients must survive.
        page = f"<html><body><h1>{failure.status}</h1><p>{failure.error}</p></body></html>"
        return _Answer(failure.status, page.encode(), "text/html; charset=utf-8", failure.headers)
    body = {"ok": False, "error": failure.error}
    return _json_answer(body, status=failure.status, headers=failure.headers)


def _handler_for(fake: FakeSlack, *, keep_alive: bool = False) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        # Kept alive, an answer's headers and body go out as one: without TCP_NODELAY the body waits for
        # the client's delayed ACK (40 ms).
        protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"
        disable_nagle_algorithm = keep_alive
        wbufsize = 1 << 16 if keep_alive else 0  # headers and body in one write (flushed per answer)

        def do_GET(self) -> None:
            headers = {name.lower(): value for name, value in self.headers.items()}
            route, _, file_id = urlsplit(self.path).path.lstrip("/").partition("/")
            missing = _text_answer("not_found", status=404)
            self._send(fake.download(file_id, headers) if route == "files" else missing)

        def _send(self, answer: _Answer) -> None:
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {name.lower(): value for name, value in self.headers.items()}
            delay = fake.delay_for(self.path)
            if delay:
                time.sleep(delay)  # a slow Slack: the wait is the point of the test
            self._send(fake._answer(self.path, headers, body))

        def log_message(self, format: str, *args: Any) -> None:
            """Stay quiet: pytest output should show the test, not the access log."""

    return Handler
