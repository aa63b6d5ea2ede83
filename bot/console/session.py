"""ConsoleSession: the real app, its storage and its scheduler, driven as Slack would drive them."""

from __future__ import annotations

import io
import json
import re
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.app import build_app, in_flight
from bot.config import Settings
from bot.console import requests
from bot.console.outputs import Choice, Output
from bot.console.standin import BOT_USER_ID, TEAM_ID, Person, SlackStandIn
from bot.outbox.tick import run_tick
from bot.serving.web import EVENTS_PATH, make_wsgi_app
from bot.slack.clients import clients_for
from storage.db import make_engine, upgrade

DEFAULT_DATABASE_URL = "sqlite:///milestone-console.db"
DEFAULT_FILES_DIR = Path("milestone-console-files")
ZONE = "America/New_York"
SIGNING_SECRET = "console-signing-secret"
BOT_TOKEN = "xoxb-console"
# The pretend workspace: people (name → id) and channels (name → id).
PEOPLE = (Person("U0YOU", "you", ZONE), Person("U0ALICE", "alice", ZONE), Person("U0BOB", "bob", ZONE))
CHANNELS = {"general": "C0GENERAL", "ops": "C0OPS"}
# The scheduler runs every 30 s in production; the console runs a pass at each half hour it moves through.
STEP = timedelta(minutes=30)
# How long a request's after-ack work may take before the console calls the app stuck.
SETTLE_SECONDS = 30.0
_MENTION = re.compile(r"(?<![\w<@])@([a-z][\w-]*)", re.IGNORECASE)
_CHANNEL = re.compile(r"(?<![\w<#])#([a-z][\w-]*)", re.IGNORECASE)


class ConsoleSession:
    """One console: the app against the Slack stand-in, a clock of its own, and who types where."""

    def __init__(
        self, *, database_url: str, now: datetime | None = None, files_dir: Path | None = None
    ) -> None:
        self.now = (now or datetime.now(UTC)).astimezone(UTC)
        self.user = "you"
        self.channel = "#general"
        self.stand_in = SlackStandIn(
            people=list(PEOPLE),
            channels={channel_id: name for name, channel_id in CHANNELS.items()},
            files_dir=files_dir or DEFAULT_FILES_DIR,
            clock=lambda: self.now,
        ).start()
        self.settings = Settings(
            bot_token=BOT_TOKEN,
            signing_secret=SIGNING_SECRET,
            slack_api_url=self.stand_in.api_url,
            database_url=database_url,
            default_timezone=ZONE,
            listener_threads=4,
        )
        self.engine = make_engine(database_url)
        upgrade(self.engine)
        # Production's configuration: ack first, work after it; _send waits for that work to finish.
        self.app = build_app(self.settings, engine=self.engine, clock=lambda: self.now)
        self._wsgi = make_wsgi_app(self.app, engine=self.engine)
        self._workspace = requests.Workspace(team_id=TEAM_ID, bot_user_id=BOT_USER_ID)
        self._scheduler_clients = clients_for(self.settings, engine=self.engine)

    # ---- what a person does ----

    def run_command(self, text: str) -> list[Output]:
        """A /milestone command typed in the current channel (the leading "/milestone" may be left out)."""
        text = text.strip()
        if text.split(maxsplit=1)[:1] == ["/milestone"]:
            text = text[len("/milestone") :].strip()
        channel_id = self._channel_id()
        response_url = self.stand_in.response_url(channel_id=channel_id, user_id=self._user_id())
        body = requests.slash_command(
            self._workspace,
            text=self.escape(text),
            user=self._user(),
            channel={"id": channel_id, "name": self.channel.removeprefix("#")},
            response_url=response_url,
            trigger_id=self._trigger_id(),
        )
        return self._send(body, answers_to=response_url)

    def press(self, choice: Choice) -> list[Output]:
        """Press a button or choose a menu option, in a message, a modal or the Home tab."""
        pressed = requests.action(
            element_type=choice.element_type,
            action_id=choice.action_id,
            block_id=choice.block_id,
            value=choice.value,
            option=choice.option,
            action_ts=self.stand_in.new_ts(),
        )
        source = choice.source
        if source.view_id:
            view = self.stand_in.view(source.view_id) or dict(source.view or {}, id=source.view_id)
            body = requests.block_actions_in_view(
                self._workspace, pressed=pressed, user=self._user(), view=view, trigger_id=self._trigger_id()
            )
            return self._send(body)
        found = self.stand_in.locate(source.ts or "")
        if found is None:
            raise ValueError("that message is gone")
        channel_id, message, ephemeral = found
        body = requests.block_actions_in_message(
            self._workspace,
            pressed=pressed,
            user=self._user(),
            channel={"id": channel_id, "name": self.stand_in.channel_name(channel_id)},
            message=message,
            ephemeral=ephemeral,
            response_url=self.stand_in.response_url(
                channel_id=channel_id, user_id=self._user_id(), message_ts=message["ts"]
            ),
            trigger_id=self._trigger_id(),
        )
        return self._send(body)

    def submit(self, form: Output, values: dict[str, dict[str, dict]]) -> list[Output]:
        """Submit a modal with state.values {block_id: {action_id: state}}; refusals come as form_errors."""
        view = self.stand_in.view(form.view_id or "") or dict(form.view or {}, id=form.view_id)
        body = requests.view_submission(
            self._workspace, user=self._user(), view=view, values=values, trigger_id=self._trigger_id()
        )
        return self._send(body, form=view)

    def suggest(self, form: Output, *, action_id: str, block_id: str, typed: str) -> list[dict]:
        """The options the app answers as `typed` is typed in one of the form's menus (external_select)."""
        view = self.stand_in.view(form.view_id or "") or dict(form.view or {}, id=form.view_id)
        body = requests.block_suggestion(
            self._workspace, user=self._user(), view=view, action_id=action_id, block_id=block_id, value=typed
        )
        headers = requests.signed_headers(body, secret=SIGNING_SECRET, timestamp=int(time.time()))
        status, answer = self._post(body.raw, headers)
        if status != 200:
            raise RuntimeError(f"the app answered {status}: {answer[:200]!r}")
        said = json.loads(answer) if answer.strip() else {}
        return list(said.get("options") or []) if isinstance(said, dict) else []

    def reply_in_thread(self, text: str, *, thread_ts: str) -> list[Output]:
        """A reply in a message's thread in the current channel (the app keeps check-in replies as notes)."""
        posted = requests.message_event(
            self.escape(text),
            user=self._user_id(),
            channel=self._channel_id(),
            ts=self.stand_in.new_ts(),
            thread_ts=thread_ts,
            team_id=TEAM_ID,
        )
        return self._event(posted)

    def open_home(self) -> list[Output]:
        """Open the app's Home tab: the app publishes the person's view."""
        opened = requests.app_home_opened_event(
            user=self._user_id(), event_ts=self.stand_in.new_ts(), view_id=None
        )
        return self._event(opened)

    def move_clock(self, to: datetime) -> list[Output]:
        """Move the clock to `to`, with a scheduler pass at each half hour on the way and at `to`."""
        to = to.astimezone(UTC)
        if to < self.now:
            raise ValueError("the console clock only moves forward")
        for moment in _passes(self.now, to):
            self.now = moment
            run_tick(
                engine=self.engine,
                clients=self._scheduler_clients,
                now=moment,
                default_timezone=self.settings.default_timezone,
                lease=self.settings.delivery_lease,
            )
        self.now = to
        return self.stand_in.take_outputs()

    def switch_user(self, name: str) -> None:
        """Type as someone else of the pretend workspace (ValueError if there is no such person)."""
        name = name.removeprefix("@")
        if name not in {person.name for person in PEOPLE}:
            raise ValueError(f"no one called @{name} here: {', '.join('@' + p.name for p in PEOPLE)}")
        self.user = name

    def switch_channel(self, name: str) -> None:
        """Type in another channel (ValueError if there is no such channel)."""
        name = name.removeprefix("#")
        if name not in CHANNELS:
            raise ValueError(f"no channel #{name} here: {', '.join('#' + c for c in CHANNELS)}")
        self.channel = f"#{name}"

    def user_name(self, user_id: str) -> str:
        """A person's name (e.g. `alice`), or the id of someone the workspace does not know."""
        person = self.stand_in.people.get(user_id)
        return person.name if person else user_id

    def channel_name(self, channel_id: str) -> str:
        """A channel's name without "#" (e.g. `general`)."""
        return self.stand_in.channel_name(channel_id)

    def escape(self, text: str) -> str:
        """`@alice` and `#ops` as Slack sends them to the app (<@U0ALICE>, <#C0OPS|ops>)."""
        ids = {person.name: person.user_id for person in PEOPLE}

        def person(match: re.Match[str]) -> str:
            user_id = ids.get(match[1].lower())
            return f"<@{user_id}>" if user_id else match[0]

        def channel(match: re.Match[str]) -> str:
            channel_id = CHANNELS.get(match[1].lower())
            return f"<#{channel_id}|{match[1].lower()}>" if channel_id else match[0]

        return _CHANNEL.sub(channel, _MENTION.sub(person, text))

    def close(self) -> None:
        """Wait for the app's work, stop the stand-in and let go of the database."""
        in_flight(self.app).drain(SETTLE_SECONDS)
        self.stand_in.stop()
        self.engine.dispose()

    # ---- sending ----

    def _event(self, event: dict[str, Any]) -> list[Output]:
        # Event ids must differ across runs too: the app remembers the ones it handled in the database.
        body = requests.event_callback(
            self._workspace,
            event=event,
            event_id=f"Ev{uuid.uuid4().hex[:12].upper()}",
            event_time=int(self.now.timestamp()),
        )
        return self._send(body)

    def _send(
        self, body: requests.Body, *, form: dict | None = None, answers_to: str | None = None
    ) -> list[Output]:
        """Hand a signed body to the app as its web server would; wait for its work; collect the outputs.

        `answers_to`: a slash command's response URL, where an answer in the HTTP answer is shown from.
        """
        # Signed with the wall clock, not the console's: the app refuses a signature more than 5 minutes old.
        headers = requests.signed_headers(body, secret=SIGNING_SECRET, timestamp=int(time.time()))
        status, answer = self._post(body.raw, headers)
        in_flight(self.app).idle(SETTLE_SECONDS)
        outputs = self.stand_in.take_outputs()
        if status != 200:
            raise RuntimeError(f"the app answered {status}: {answer[:200]!r}")
        acknowledged = self._acknowledged(answer, form=form, answers_to=answers_to)
        # A command's answer in the ack reached Slack before anything the app did after it.
        return acknowledged + outputs if answers_to else outputs + acknowledged

    def _acknowledged(self, answer: bytes, *, form: dict | None, answers_to: str | None) -> list[Output]:
        """What the app said in its HTTP answer itself: a form's errors, a new form, or a short reply."""
        try:
            said = json.loads(answer) if answer.strip() else None
        except ValueError:
            said = {"text": answer.decode(errors="replace")}
        if not isinstance(said, dict):
            return []
        action = said.get("response_action")
        if action == "errors":
            return [
                Output(
                    kind="form_errors",
                    errors=dict(said.get("errors") or {}),
                    view=form,
                    view_id=(form or {}).get("id"),
                )
            ]
        if action in ("update", "push"):
            view_id = (form or {}).get("id") if action == "update" else f"V{uuid.uuid4().hex[:8].upper()}"
            stored = self.stand_in.store_view(said["view"], view_id or "V0")
            return [
                Output(
                    kind="modal", blocks=tuple(stored.get("blocks") or ()), view=stored, view_id=stored["id"]
                )
            ]
        if (said.get("text") or said.get("blocks")) and answers_to:
            # Slack shows a command's answer in the ack as one sent to its response URL: to the asker
            # only, or (response_type in_channel) in the channel, its buttons there to press.
            self.stand_in.answer(answers_to, "application/json", json.dumps(said).encode())
            return self.stand_in.take_outputs()
        if said.get("text") or said.get("blocks"):
            where = self.channel
            return [
                Output(
                    kind="ephemeral",
                    text=said.get("text") or "",
                    blocks=tuple(said.get("blocks") or ()),
                    channel=where,
                    user=self._user_id(),
                )
            ]
        return []

    def _post(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": EVENTS_PATH,
            "QUERY_STRING": "",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": headers["Content-Type"],
        }
        for name, value in headers.items():
            if name != "Content-Type":
                environ["HTTP_" + name.upper().replace("-", "_")] = value
        started: list[str] = []

        def start_response(status: str, *_: Any) -> None:
            started.append(status)

        content = b"".join(self._wsgi(environ, start_response))
        return int(started[0].split()[0]), content

    def _user_id(self) -> str:
        return next(person.user_id for person in PEOPLE if person.name == self.user)

    def _user(self) -> dict[str, str]:
        return {"id": self._user_id(), "name": self.user}

    def _channel_id(self) -> str:
        return CHANNELS[self.channel.removeprefix("#")]

    def _trigger_id(self) -> str:
        return f"{uuid.uuid4().int % 10**12}.{TEAM_ID}.{uuid.uuid4().hex}"


def _passes(start: datetime, end: datetime) -> list[datetime]:
    """Each half hour after `start` up to `end`, then `end` itself."""
    step = STEP.total_seconds()
    moment = datetime.fromtimestamp((start.timestamp() // step + 1) * step, UTC)
    moments = []
    while moment < end:
        moments.append(moment)
        moment += STEP
    return [*moments, end]
