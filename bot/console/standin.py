"""An in-process stand-in for Slack: a loopback HTTP server answering the Web API the app calls.

It answers the way Slack does (ok, ts, channel, message, view ids, the three steps of a file upload) and
keeps what the app showed, in order, as Outputs for the console to render.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from bot.console.outputs import Output

Params = dict[str, Any]
# Fields slack_sdk sends as JSON strings inside form-encoded bodies.
_JSON_FIELDS = ("blocks", "view", "metadata", "files")
TEAM_ID = "T0CONSOLE"
BOT_USER_ID = "U0BOT"


@dataclass(frozen=True)
class Person:
    """Someone in the pretend workspace."""

    user_id: str
    name: str
    timezone: str


@dataclass(frozen=True)
class Reply:
    """Where a response_url answer goes: the conversation, who asked, and the message it came from."""

    channel_id: str
    user_id: str
    message_ts: str | None


class SlackStandIn:
    """Slack's Web API and response URLs on 127.0.0.1, recording what the app shows as Outputs."""

    def __init__(
        self,
        *,
        people: list[Person],
        channels: dict[str, str],
        files_dir: Path,
        clock: Callable[[], datetime],
    ) -> None:
        self.people = {person.user_id: person for person in people}
        self.channels = dict(channels)  # id → name without "#"
        self.files_dir = files_dir
        self._clock = clock
        self._outputs: list[Output] = []
        self._history: dict[str, list[Params]] = {}
        # Answers only their asker sees: Slack keeps them on that person's screen, with a ts, till replaced.
        self._ephemeral: dict[str, tuple[str, Params]] = {}
        self._views: dict[str, Params] = {}
        self._home_views: dict[str, str] = {}
        self._replies: dict[str, Reply] = {}
        self._uploads: dict[str, tuple[str, bytes | None]] = {}
        self._ids = itertools.count(1)
        self._last_ts = 0
        self._lock = threading.RLock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="slack-stand-in",
            daemon=True,
        )
        self._methods: dict[str, Callable[[Params], Params]] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._post_message,
            "chat.postEphemeral": self._post_ephemeral,
            "chat.update": self._update,
            "chat.delete": self._delete,
            "chat.getPermalink": self._permalink,
            "conversations.history": self._history_page,
            "conversations.info": self._conversation_info,
            "conversations.open": self._open_dm,
            "reactions.add": self._react,
            "users.info": self._user_info,
            "views.open": self._open_view,
            "views.push": self._open_view,
            "views.update": self._update_view,
            "views.publish": self._publish_home,
            "files.getUploadURLExternal": self._upload_url,
            "files.completeUploadExternal": self._complete_upload,
        }

    # ---- lifecycle and what the console reads ----

    def start(self) -> SlackStandIn:
        """Serve on a free port of 127.0.0.1, in a thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT`."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        """The Web API base URL for Settings.slack_api_url."""
        return f"{self.base_url}/api/"

    def response_url(self, *, channel_id: str, user_id: str, message_ts: str | None = None) -> str:
        """A fresh response_url whose answers go to this conversation and person."""
        key = f"r{next(self._ids)}"
        with self._lock:
            self._replies[key] = Reply(channel_id=channel_id, user_id=user_id, message_ts=message_ts)
        return f"{self.base_url}/response/{key}"

    def take_outputs(self) -> list[Output]:
        """What the app showed since the last call, in order."""
        with self._lock:
            taken, self._outputs = self._outputs, []
        return taken

    def locate(self, ts: str) -> tuple[str, Params, bool] | None:
        """The message with this ts as Slack keeps it: (channel id, message, whether it is ephemeral)."""
        with self._lock:
            for channel_id, messages in self._history.items():
                found = next((m for m in messages if m["ts"] == ts), None)
                if found is not None:
                    return channel_id, json.loads(json.dumps(found)), False
            if ts in self._ephemeral:
                channel_id, message = self._ephemeral[ts]
                return channel_id, json.loads(json.dumps(message)), True
        return None

    def view(self, view_id: str) -> Params | None:
        """A view as Slack keeps it (for presses and submissions in it)."""
        with self._lock:
            found = self._views.get(view_id)
            return json.loads(json.dumps(found)) if found else None

    def new_ts(self) -> str:
        """A message ts: never earlier than the console clock, and always later than the last one."""
        with self._lock:
            micros = max(self._last_ts + 100, int(self._clock().timestamp() * 1_000_000))
            self._last_ts = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def where(self, channel_id: str) -> str:
        """The conversation as the console names it: "#general", or "DM"."""
        return (
            "DM"
            if channel_id.startswith("D") or channel_id in self.people
            else f"#{self.channel_name(channel_id)}"
        )

    def channel_name(self, channel_id: str) -> str:
        """A channel's name without "#"."""
        return self.channels.get(channel_id, channel_id.lower())

    # ---- requests ----

    def answer(self, path: str, content_type: str, body: bytes) -> tuple[int, str, bytes]:
        """Status, content type and body for a POST to `path`."""
        route, _, rest = urlsplit(path).path.lstrip("/").partition("/")
        if route == "api":
            method = self._methods.get(rest)
            params = _decode(body, content_type)
            with self._lock:
                data = method(params) if method else {"ok": True}
            return 200, "application/json; charset=utf-8", json.dumps(data).encode()
        if route == "response" and rest in self._replies:
            with self._lock:
                self._respond(self._replies[rest], json.loads(body or b"{}"))
            return 200, "text/plain", b"ok"
        if route == "upload" and rest in self._uploads:
            with self._lock:
                name, _ = self._uploads[rest]
                self._uploads[rest] = (name, body)
            return 200, "text/plain", f"OK - {len(body)}".encode()
        return 404, "text/plain", b"not_found"

    def _record(self, output: Output) -> None:
        self._outputs.append(output)

    def _respond(self, reply: Reply, params: Params) -> None:
        where = self.where(reply.channel_id)
        if params.get("delete_original"):
            self._drop(reply.channel_id, reply.message_ts)
            self._record(Output(kind="delete", channel=where, ts=reply.message_ts))
            return
        blocks = tuple(params.get("blocks") or ())
        text = params.get("text") or ""
        if params.get("replace_original") and reply.message_ts:
            kept = self._find(reply.channel_id, reply.message_ts)
            ephemeral = kept is None and reply.message_ts in self._ephemeral
            if ephemeral:
                kept = self._ephemeral[reply.message_ts][1]
            if kept is not None:
                kept.update(text=text, blocks=list(blocks))
            user = reply.user_id if ephemeral else None
            output = Output(
                kind="update", text=text, blocks=blocks, channel=where, user=user, ts=reply.message_ts
            )
            self._record(output)
            return
        if params.get("response_type") == "in_channel":
            message = self._keep(reply.channel_id, {"text": text, "blocks": list(blocks)})
            self._record(Output(kind="message", text=text, blocks=blocks, channel=where, ts=message["ts"]))
            return
        self._show_only_to(reply.user_id, channel_id=reply.channel_id, text=text, blocks=blocks)

    def _show_only_to(self, user_id: str, *, channel_id: str, text: str, blocks: tuple[dict, ...]) -> str:
        ts = self.new_ts()
        message = {"type": "message", "user": BOT_USER_ID, "ts": ts, "text": text, "blocks": list(blocks)}
        self._ephemeral[ts] = (channel_id, message)
        where = self.where(channel_id)
        self._record(Output(kind="ephemeral", text=text, blocks=blocks, channel=where, user=user_id, ts=ts))
        return ts

    def _find(self, channel_id: str, ts: str | None) -> Params | None:
        return next((m for m in self._history.get(channel_id, []) if m["ts"] == ts), None)

    def _drop(self, channel_id: str, ts: str | None) -> bool:
        found = self._find(channel_id, ts)
        if found is not None:
            self._history[channel_id].remove(found)
        self._ephemeral.pop(ts or "", None)
        return found is not None

    def _keep(self, channel_id: str, params: Params) -> Params:
        message: Params = {"type": "message", "user": BOT_USER_ID, "bot_id": "B0CONSOLE", "ts": self.new_ts()}
        message["text"] = params.get("text") or ""
        for name in ("blocks", "metadata", "thread_ts"):
            if params.get(name):
                message[name] = params[name]
        self._history.setdefault(channel_id, []).append(message)
        return message

    # ---- Web API methods ----

    def _auth_test(self, params: Params) -> Params:
        return {
            "ok": True,
            "team": "Console",
            "team_id": TEAM_ID,
            "user": "milestonebot",
            "user_id": BOT_USER_ID,
            "bot_id": "B0CONSOLE",
            "url": "https://console.invalid/",
        }

    def _post_message(self, params: Params) -> Params:
        channel = str(params.get("channel") or "")
        if channel in self.people:
            channel = f"D{channel}"
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        message = self._keep(channel, params)
        text, blocks = message["text"], tuple(message.get("blocks") or ())
        output = Output(
            kind="message",
            text=text,
            blocks=blocks,
            channel=self.where(channel),
            # A direct message has one reader: the person whose DM it is.
            user=channel[1:] if channel.startswith("D") else None,
            ts=message["ts"],
            thread_ts=params.get("thread_ts"),
        )
        self._record(output)
        return {"ok": True, "channel": channel, "ts": message["ts"], "message": message}

    def _post_ephemeral(self, params: Params) -> Params:
        if not params.get("user"):
            return {"ok": False, "error": "user_not_in_channel"}
        text, blocks = params.get("text") or "", tuple(params.get("blocks") or ())
        channel = str(params.get("channel") or "")
        return {
            "ok": True,
            "message_ts": self._show_only_to(params["user"], channel_id=channel, text=text, blocks=blocks),
        }

    def _update(self, params: Params) -> Params:
        channel, ts = str(params.get("channel") or ""), str(params.get("ts") or "")
        message = self._find(channel, ts)
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        for name in ("text", "blocks", "metadata"):
            if name in params:
                message[name] = params[name]
        text, blocks = message.get("text") or "", tuple(message.get("blocks") or ())
        self._record(Output(kind="update", text=text, blocks=blocks, channel=self.where(channel), ts=ts))
        return {"ok": True, "channel": channel, "ts": ts, "text": text, "message": message}

    def _delete(self, params: Params) -> Params:
        channel, ts = str(params.get("channel") or ""), str(params.get("ts") or "")
        if not self._drop(channel, ts):
            return {"ok": False, "error": "message_not_found"}
        self._record(Output(kind="delete", channel=self.where(channel), ts=ts))
        return {"ok": True, "channel": channel, "ts": ts}

    def _permalink(self, params: Params) -> Params:
        stamp = str(params.get("message_ts") or "").replace(".", "")
        link = f"https://console.invalid/archives/{params.get('channel')}/p{stamp}"
        return {"ok": True, "channel": params.get("channel"), "permalink": link}

    def _history_page(self, params: Params) -> Params:
        oldest = float(params.get("oldest") or 0)
        latest = float(params.get("latest") or "inf")
        messages = [
            m
            for m in self._history.get(str(params.get("channel")), [])
            if m.get("thread_ts", m["ts"]) == m["ts"] and oldest <= float(m["ts"]) <= latest
        ]
        return {
            "ok": True,
            "messages": list(reversed(messages)),
            "has_more": False,
            "response_metadata": {"next_cursor": ""},
        }

    def _conversation_info(self, params: Params) -> Params:
        channel = str(params.get("channel") or "")
        info = {"id": channel, "name": self.channel_name(channel), "is_channel": True, "is_member": True}
        return {"ok": True, "channel": {**info, "is_private": False, "is_archived": False}}

    def _react(self, params: Params) -> Params:
        channel, name = str(params.get("channel") or ""), str(params.get("name") or "")
        if not name:
            return {"ok": False, "error": "invalid_name"}
        emoji = {"white_check_mark": "✅"}.get(name, f":{name}:")
        self._record(Output(kind="reaction", text=f"{emoji} on a message", channel=self.where(channel)))
        return {"ok": True}

    def _open_dm(self, params: Params) -> Params:
        user = str(params.get("users") or "")
        if user not in self.people:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "channel": {"id": f"D{user}"}}

    def _user_info(self, params: Params) -> Params:
        person = self.people.get(str(params.get("user") or ""))
        if person is None:
            return {"ok": False, "error": "user_not_found"}
        profile = {"real_name": person.name.title(), "display_name": person.name}
        user = {
            "id": person.user_id,
            "team_id": TEAM_ID,
            "name": person.name,
            "real_name": person.name.title(),
        }
        user |= {
            "tz": person.timezone,
            "is_admin": person.user_id == "U0YOU",
            "is_bot": False,
            "deleted": False,
        }
        return {"ok": True, "user": {**user, "profile": profile}}

    def store_view(self, view: Params, view_id: str) -> Params:
        """Keep a view as Slack does (id, hash, empty state); also for a response_action's update or push."""
        stored = {"private_metadata": "", "callback_id": "", "external_id": "", **view, "id": view_id}
        stored |= {"team_id": TEAM_ID, "hash": f"{next(self._ids)}.console", "state": {"values": {}}}
        stored.setdefault("root_view_id", view_id)
        with self._lock:
            self._views[view_id] = stored
        return stored

    def _open_view(self, params: Params) -> Params:
        view = params.get("view")
        if not params.get("trigger_id") or not isinstance(view, dict):
            return {"ok": False, "error": "invalid_arguments"}
        stored = self.store_view(view, f"V{next(self._ids):08d}")
        self._record(
            Output(kind="modal", blocks=tuple(stored.get("blocks") or ()), view=stored, view_id=stored["id"])
        )
        return {"ok": True, "view": stored}

    def _update_view(self, params: Params) -> Params:
        view_id = str(params.get("view_id") or "")
        if view_id not in self._views or not isinstance(params.get("view"), dict):
            return {"ok": False, "error": "not_found"}
        stored = self.store_view(params["view"], view_id)
        self._record(
            Output(kind="modal", blocks=tuple(stored.get("blocks") or ()), view=stored, view_id=view_id)
        )
        return {"ok": True, "view": stored}

    def _publish_home(self, params: Params) -> Params:
        user = str(params.get("user_id") or "")
        if not user or not isinstance(params.get("view"), dict):
            return {"ok": False, "error": "invalid_arguments"}
        view_id = self._home_views.setdefault(user, f"V{next(self._ids):08d}")
        stored = self.store_view(params["view"], view_id)
        self._record(
            Output(
                kind="home", blocks=tuple(stored.get("blocks") or ()), user=user, view=stored, view_id=view_id
            )
        )
        return {"ok": True, "view": stored}

    def _upload_url(self, params: Params) -> Params:
        file_id = f"F{next(self._ids):08d}"
        self._uploads[file_id] = (str(params.get("filename") or file_id), None)
        return {"ok": True, "file_id": file_id, "upload_url": f"{self.base_url}/upload/{file_id}"}

    def _complete_upload(self, params: Params) -> Params:
        files = params.get("files") or []
        channel = str(params.get("channel_id") or "")
        done = []
        for file in files:
            name, content = self._uploads.get(file.get("id"), ("", None))
            if content is None:
                return {"ok": False, "error": "file_not_found"}
            self.files_dir.mkdir(parents=True, exist_ok=True)
            path = self.files_dir / Path(name).name
            path.write_bytes(content)
            title = file.get("title") or name
            self._record(Output(kind="file", text=title, channel=self.where(channel), path=str(path)))
            done.append({"id": file["id"], "title": title})
        comment = params.get("initial_comment")
        if comment:
            self._record(Output(kind="message", text=comment, channel=self.where(channel), ts=self.new_ts()))
        return {"ok": True, "files": done}


def _decode(body: bytes, content_type: str) -> Params:
    if content_type.split(";")[0].strip().lower() == "application/json":
        params = json.loads(body or b"{}")
    else:
        params = dict(parse_qsl(body.decode(), keep_blank_values=True))
    for name in _JSON_FIELDS:
        if isinstance(params.get(name), str):
            params[name] = json.loads(params[name])
    return params


def _handler_for(stand_in: SlackStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, content_type, answer = stand_in.answer(
                self.path, self.headers.get("Content-Type", ""), body
            )
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            """Stay quiet: the terminal shows the app, not an access log."""

    return Handler
