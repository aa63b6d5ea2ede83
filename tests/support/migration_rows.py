"""What the migration tests share: a milestone row written as an older schema had it, and the milestone
table's indexes as the database lists them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, column, table, text

MOMENT = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
_OLD_COLUMNS = ("enterprise_id", "team_id", "number", "channel_id", "title", "department", "status")


def insert_old_milestone(engine: Engine) -> None:
    """One open milestone (#1 Close, Finance, in T1's C1) through the columns every schema since 0007 has."""
    milestone = table(
        "milestone", *(column(n) for n in (*_OLD_COLUMNS, "created_by", "created_at", "updated_at"))
    )
    row = {"enterprise_id": "", "team_id": "T1", "number": 1, "channel_id": "C1", "title": "Close"}
    row |= {"department": "Finance", "status": "open", "created_by": "U1"}
    with engine.begin() as connection:
        connection.execute(milestone.insert(), [{**row, "created_at": MOMENT, "updated_at": MOMENT}])


def milestone_index_names(engine: Engine) -> set[str]:
    """The milestone table's indexes, the expression index too (the inspector skips it on SQLite)."""
    catalog = {
        "sqlite": "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'milestone'",
        "postgresql": "SELECT indexname FROM pg_indexes WHERE tablename = 'milestone'",
    }[engine.dialect.name]
    with engine.connect() as connection:
        return set(connection.execute(text(catalog)).scalars())
