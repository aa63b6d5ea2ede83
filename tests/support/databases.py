"""Throwaway databases on the machine's PostgreSQL, for the test suite and the fault tests."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError

from storage.db import make_engine, upgrade

POSTGRES_ADMIN_URL = os.environ.get(
    "MILESTONE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@contextmanager
def fresh_postgres_database(*, prefix: str, synchronous_commit: bool = True) -> Iterator[str]:
    """A new, empty database named `prefix_<random>`, dropped afterwards; yields its URL.

    Skips the test when PostgreSQL is not reachable, except on CI, where that is an error. With
    `synchronous_commit=False` the server does not wait for fsync: for tests that kill the app, not it.
    """
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
            if not synchronous_commit:
                connection.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    except OperationalError as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {error.orig}")
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def empty_database(kind: str, *, folder: Path) -> Iterator[str]:
    """The URL of a database with no tables: a SQLite file in `folder`, or a fresh PostgreSQL database."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'milestones.db'}"
    else:
        with fresh_postgres_database(prefix="milestone_test") as url:
            yield url


def postgres_url_fixture(
    *, prefix: str, synchronous_commit: bool = True, migrated: bool = False
) -> Callable[[], Iterator[str]]:
    """A `postgres_url` fixture: a fresh database for each test (dropped afterwards), migrated if asked.

    Assign it in a test module (`postgres_url = postgres_url_fixture(prefix=...)`); `prefix` and
    `synchronous_commit` are `fresh_postgres_database`'s.
    """

    @pytest.fixture
    def postgres_url() -> Iterator[str]:
        with fresh_postgres_database(prefix=prefix, synchronous_commit=synchronous_commit) as url:
            if migrated:
                engine = make_engine(url)
                upgrade(engine)
                engine.dispose()
            yield url

    return postgres_url


@contextmanager
def recorded_statements(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement `engine` runs inside the block, in order: to count what a request reads."""
    seen: list[str] = []

    def record(_connection: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


@contextmanager
def database_down(engine: Engine) -> Iterator[None]:
    """Every statement on `engine` fails as if the server had gone away, until the block ends."""

    def fail(*_args: object) -> None:
        raise OperationalError("SELECT 1", {}, ConnectionError("server closed the connection unexpectedly"))

    event.listen(engine, "before_cursor_execute", fail)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", fail)
