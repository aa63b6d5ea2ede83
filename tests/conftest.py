"""Shared fixtures: a real database (SQLite and PostgreSQL), a frozen clock, and the app behind real HTTP."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import SQLModel

from storage.db import make_engine, upgrade
from tests.support.app import FrozenClock, SlackApp, app_settings, served_app
from tests.support.databases import empty_database
from tests.support.fake_slack import FakeSlack

# Ticks post at once: Slack's one-message-a-second pace per channel would make every test that posts twice
# to a channel wait real seconds. The pace has its own tests (tests/outbox/test_dispatch_concurrency.py, with
# their own Pacer); processes the tests start inherit this.
os.environ.setdefault("CHANNEL_PACE_SECONDS", "0")


@pytest.fixture
def clock() -> FrozenClock:
    """A frozen clock at DEFAULT_NOW."""
    return FrozenClock()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database for the session: a SQLite file, then a fresh PostgreSQL database."""
    with empty_database(request.param, folder=tmp_path_factory.mktemp("db")) as url:
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


@pytest.fixture
def process_before_response() -> bool:
    """Production's mode (ack first, work after it); parametrise a test indirectly to run the other one."""
    return False


@pytest.fixture
def slack_app(
    fake_slack: FakeSlack, engine: Engine, clock: FrozenClock, process_before_response: bool
) -> Iterator[SlackApp]:
    """The app over HTTP on 127.0.0.1, as production runs it; each request waits for its after-ack work."""
    settings = app_settings(fake=fake_slack, engine=engine)
    with served_app(
        settings, fake=fake_slack, engine=engine, clock=clock, process_before_response=process_before_response
    ) as served:
        yield served


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all, for migration tests."""
    with empty_database(request.param, folder=tmp_path) as url:
        yield url
