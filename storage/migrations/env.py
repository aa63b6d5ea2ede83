"""Alembic environment: runs migrations on the engine handed over by storage.db (or alembic.ini's URL)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
target_metadata = SQLModel.metadata


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Leave slack_sdk's OAuth tables out of autogenerate: migration 0001 creates them from slack_sdk."""
    return not (type_ == "table" and (name or "").startswith("slack_"))


def run_migrations() -> None:
    """Run online migrations on the configured engine."""
    engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_object=include_object,
        )
        context.run_migrations()


run_migrations()
