"""The app behind real HTTP on 127.0.0.1, as production serves it, with a frozen clock and the fake Slack."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine
from waitress import wasyncore

from bot.app import build_app, in_flight
from bot.config import Settings
from bot.serving.web import WSGIApp, make_server, make_wsgi_app
from tests.support.fake_slack import FakeSlack
from tests.support.slack_requests import SlackRequests

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
# 10:00 in New York on a Wednesday: the default "now" of every test that does not set its own.
DEFAULT_NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
# How long a test waits for the work a request started after its ack before it calls the app stuck.
SETTLE_SECONDS = 30.0

# For the few tests that also run the other way: Bolt working before it answers Slack's request.
BOTH_MODES = pytest.mark.parametrize(
    "process_before_response", [False, True], ids=["production", "before-response"]
)


class FrozenClock:
    """A clock the test sets; the app reads it wherever it needs "now"."""

    def __init__(self, now: datetime = DEFAULT_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class SlackApp:
    """The app served over real HTTP, the fake Slack it talks to, and a signed-request client."""

    fake: FakeSlack
    requests: SlackRequests
    clock: FrozenClock
    engine: Engine
    base_url: str
    # The same app in-process, for fuzzing without a socket per request (None where a test builds its own).
    wsgi: WSGIApp | None = None


def app_settings(*, fake: FakeSlack, engine: Engine, **changes: Any) -> Settings:
    """One workspace's settings, talking to the fake Slack and the test database; `changes` set any other."""
    return Settings(
        bot_token=BOT_TOKEN,
        signing_secret=SIGNING_SECRET,
        slack_api_url=fake.api_url,
        database_url=str(engine.url),
        **changes,
    )


@contextmanager
def serving(app: WSGIApp) -> Iterator[str]:
    """Serve a WSGI app with waitress on a free 127.0.0.1 port; yields its base URL."""
    server = make_server(app, host="127.0.0.1", port=0)
    stop = threading.Event()

    def serve() -> None:
        # Short loop turns instead of server.run(), so the server stops between turns, not mid-select.
        while not stop.is_set():
            wasyncore.loop(timeout=0.05, map=server._map, count=1)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()


@contextmanager
def served_app(
    settings: Settings,
    *,
    fake: FakeSlack,
    engine: Engine,
    clock: FrozenClock,
    process_before_response: bool = False,
) -> Iterator[SlackApp]:
    """The app built from `settings`, served over HTTP as in production; each request waits for its work.

    Bolt acks first and works after the ack unless `process_before_response`; a request returns once that
    work is done too.
    """
    app = build_app(settings, engine=engine, clock=clock, process_before_response=process_before_response)
    pool = in_flight(app)

    def settle() -> None:
        assert pool.idle(SETTLE_SECONDS), f"listener work still running after {SETTLE_SECONDS} s"

    secret = settings.signing_secret
    assert secret, "the app over HTTP checks Slack's signature: give the settings a signing secret"
    wsgi = make_wsgi_app(app, engine=engine)
    with serving(wsgi) as base_url:
        requests = SlackRequests(base_url, signing_secret=secret, fake=fake, settle=settle)
        yield SlackApp(fake=fake, requests=requests, clock=clock, engine=engine, base_url=base_url, wsgi=wsgi)
    pool.idle(SETTLE_SECONDS)
