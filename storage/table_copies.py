"""What a migration that alters a table needs on SQLite, which alters by copying the table: a quiet copy, and
the expression index on milestone the copy cannot carry, made again."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op


@contextmanager
def copying() -> Iterator[None]:
    """SQLite's copy reflects the table (and those it refers to), and SQLAlchemy warns that it skips the
    expression index: silenced, as a warning on stderr is a line that is not JSON in the app's logs."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore",
            message="Skipped unsupported reflection of expression-based index",
            category=sa.exc.SAWarning,
        )
        yield


def keep_department_index() -> None:
    """0007's index on (workspace, lower(department)), made again where copying milestone dropped it."""
    op.create_index(
        "ix_milestone_workspace_department",
        "milestone",
        ["enterprise_id", "team_id", sa.text("lower(department)")],
        if_not_exists=True,
    )
