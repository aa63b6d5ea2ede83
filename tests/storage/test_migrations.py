"""The Alembic migrations build exactly the tables the models describe, up and down."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect
from sqlmodel import SQLModel

from storage.db import downgrade, make_engine, schema_is_current, upgrade


def _differences(engine: Engine) -> list:
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    # slack_sdk's OAuth tables live in the same database but not in our models.
    return [d for d in diffs if "slack_" not in repr(d)]


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    assert _differences(engine) == []
    assert schema_is_current(engine)


def test_migrations_go_down_and_up_again(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    try:
        assert not schema_is_current(engine)
        upgrade(engine)
        tables = set(inspect(engine).get_table_names())
        assert {"milestone", "revision", "channel_settings", "slack_installations", "slack_bots"} <= tables
        downgrade(engine, revision="base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade(engine)
        assert _differences(engine) == []
    finally:
        engine.dispose()
