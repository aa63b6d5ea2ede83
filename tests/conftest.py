"""Shared fixtures: a real database (SQLite and PostgreSQL), a frozen clock, and the app behind real HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import SQLModel
from waitress import wasyncore

from bot.app import build_app, in_flight
from bot.config import Settings
from bot.serving.web import WSGIApp, make_server, make_wsgi_app
from storage.db import make_engine, upgrade
from tests.support.databases import fresh_postgres_database
from tests.support.fake_slack import FakeSlack
from tests.support.slack_requests import SlackRequests

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
# 10:00 in New York on a Wednesday: the default "now" of every test that does not set its own.
DEFAULT_NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


class FrozenClock:
    """A clock the test sets; the app reads it wherever it needs "now"."""

    def __init__(self, now: datetime = DEFAULT_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FrozenClock:
    """A frozen clock at DEFAULT_NOW."""
    return FrozenClock()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database for the session: a SQLite file, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'milestones.db'}"
    else:
        with fresh_postgres_database(prefix="milestone_test") as url:
            yield url


@pytest.fixture(scope="session")
def _migrated_engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(_migrated_engine: Engine) -> Iterator[Engine]:
    """The session's database, emptied after each test."""
    yield _migrated_engine
    with _migrated_engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            connection.execute(table.delete())


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


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A fake Slack Web API on 127.0.0.1, with the usual test users."""
    fake = FakeSlack()
    fake.start()
    fake.add_user("U1", tz="America/New_York", name="alice")
    fake.add_user("U2", tz="Europe/Berlin", name="bob")
    fake.add_user("U3", tz="Asia/Tokyo", name="carol")
    fake.add_user("UADMIN", tz="UTC", name="admin", is_admin=True)
    yield fake
    assert not fake.invalid_payloads, (
        f"the app sent Block Kit that Slack would refuse: {fake.invalid_payloads}"
    )
    fake.stop()


# How long a test waits for the work a request started after its ack before it calls the app stuck.
SETTLE_SECONDS = 30.0


# For the few tests that also run the other way: Bolt working before it answers Slack's request.
BOTH_MODES = pytest.mark.parametrize(
    "process_before_response", [False, True], ids=["production", "before-response"]
)


@pytest.fixture
def process_before_response() -> bool:
    """Production's mode (ack first, work after it); parametrise a test indirectly to run the other one."""
    return False


@pytest.fixture
def slack_app(
    fake_slack: FakeSlack, engine: Engine, clock: FrozenClock, process_before_response: bool
) -> Iterator[SlackApp]:
    """The app over HTTP on 127.0.0.1, as production runs it; each request waits for its after-ack work."""
    settings = Settings(
        bot_token=BOT_TOKEN,
        signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.api_url,
        database_url=str(engine.url),
    )
    app = build_app(settings, engine=engine, clock=clock, process_before_response=process_before_response)
    pool = in_flight(app)

    def settle() -> None:
        assert pool.idle(SETTLE_SECONDS), f"listener work still running after {SETTLE_SECONDS} s"

    wsgi = make_wsgi_app(app, engine=engine)
    with serving(wsgi) as base_url:
        yield SlackApp(
            fake=fake_slack,
            requests=SlackRequests(base_url, signing_secret=SIGNING_SECRET, fake=fake_slack, settle=settle),
            clock=clock,
            engine=engine,
            base_url=base_url,
            wsgi=wsgi,
        )
    pool.idle(SETTLE_SECONDS)


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


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all, for migration tests."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
    else:
        with fresh_postgres_database(prefix="milestone_test") as url:
            yield url
