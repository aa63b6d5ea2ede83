"""Engine, sessions and schema migrations for SQLite (default) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, event, text
from sqlmodel import Session, create_engine

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets foreign keys and a busy timeout so threads wait instead of failing."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def is_sqlite(engine: Engine) -> bool:
    """True when the engine talks to SQLite (single instance, no row locks)."""
    return engine.dialect.name == "sqlite"


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block ends and rolls back on any error, so nothing is half-written."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def reading(engine: Engine, connection: Connection | None = None) -> Iterator[Connection]:
    """`connection` when the caller has one open (one pool checkout for several reads), else a new one."""
    if connection is not None:
        yield connection
        return
    with engine.connect() as opened:
        yield opened


def alembic_config(engine: Engine) -> Config:
    """Alembic's configuration pointed at our migrations and this engine."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, *, revision: str = "head") -> None:
    """Bring the schema to `revision` (default: the newest)."""
    command.upgrade(alembic_config(engine), revision)


def database_answers(engine: Engine) -> bool:
    """True when a trivial query succeeds: the health check."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:  # any driver error means "not healthy"; the caller reports, never raises
        return False
    return True


def schema_is_current(engine: Engine) -> bool:
    """True when every migration has been applied."""
    heads = set(ScriptDirectory.from_config(alembic_config(engine)).get_heads())
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads()) == heads


def downgrade(engine: Engine, *, revision: str) -> None:
    """Take the schema back to `revision` ("base" drops every table)."""
    command.downgrade(alembic_config(engine), revision)
