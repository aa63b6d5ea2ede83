"""The Alembic migrations build exactly the tables the models describe, up and down."""

from __future__ import annotations

import warnings
from datetime import UTC, date, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Date, Engine, column, inspect, select, table, text
from sqlmodel import SQLModel

from storage.db import downgrade, make_engine, schema_is_current, upgrade


def _differences(engine: Engine) -> list:
    with engine.connect() as connection, warnings.catch_warnings():
        # SQLite can't reflect an expression index (lower(department)): Alembic skips it, and says so.
        warnings.filterwarnings("ignore", message=".*expression-based index")
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


def _delivery_row(key: str, kind: str) -> dict[str, object]:
    moment = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    return {
        "key": key,
        "kind": kind,
        "enterprise_id": "",
        "team_id": "T1",
        "channel_id": "C1",
        "payload": "{}",
        "not_before": moment,
        "state": "pending",
        "attempts": 0,
        "created_at": moment,
        "updated_at": moment,
    }


def test_delivery_due_date_is_backfilled_from_reminder_keys_and_dropped_going_down(
    empty_database_url: str,
) -> None:
    engine = make_engine(empty_database_url)
    try:
        upgrade(engine, revision="0004")
        columns = [name for name in _delivery_row("", "") if name not in ("key", "kind")]
        delivery = table("delivery", column("key"), column("kind"), *(column(name) for name in columns))
        rows = [
            _delivery_row("reminder:7:2026-12-15:1d", "reminder"),
            _delivery_row("reminder:8:2027-01-04:overdue", "reminder"),
            _delivery_row("checkin::T1:C1:2026-W49", "checkin"),
        ]
        with engine.begin() as connection:
            connection.execute(delivery.insert(), rows)

        upgrade(engine, revision="0005")
        dated = table("delivery", column("key"), column("due_date", Date()))
        with engine.connect() as connection:
            found = dict(connection.execute(select(dated.c.key, dated.c.due_date)).all())
        assert found == {
            "reminder:7:2026-12-15:1d": date(2026, 12, 15),
            "reminder:8:2027-01-04:overdue": date(2027, 1, 4),
            "checkin::T1:C1:2026-W49": None,
        }

        downgrade(engine, revision="0004")
        assert "due_date" not in {c["name"] for c in inspect(engine).get_columns("delivery")}
    finally:
        engine.dispose()


def test_existing_channels_get_the_new_settings_defaults_and_no_start_day(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    moment = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    try:
        upgrade(engine, revision="0005")
        settings = table(
            "channel_settings",
            *(
                column(name)
                for name in ("enterprise_id", "team_id", "channel_id", "timezone", "reminder_days")
            ),
            *(column(name) for name in ("reminder_time", "review_weekday", "review_time", "paused")),
            column("created_at"),
            column("updated_at"),
        )
        row = {"enterprise_id": "", "team_id": "T1", "channel_id": "C1", "timezone": "America/New_York"}
        row |= {
            "reminder_days": "7,1,0",
            "reminder_time": "09:00",
            "review_weekday": 0,
            "review_time": "09:00",
        }
        with engine.begin() as connection:
            connection.execute(
                settings.insert(), [{**row, "paused": False, "created_at": moment, "updated_at": moment}]
            )

        upgrade(engine, revision="0006")
        names = ("workdays", "holidays", "review_dm", "chase", "reminders_to", "started_on")
        with engine.connect() as connection:
            found = connection.execute(
                select(*(column(name) for name in names)).select_from(table("channel_settings"))
            ).one()
        # An existing channel keeps Monday to Friday, no holidays, DMs and chases on, reminders in the
        # channel; no start day, so its reviews go on as before.
        assert tuple(found) == ("mon,tue,wed,thu,fri", None, True, True, "channel", None)
        assert "away" in inspect(engine).get_table_names()

        downgrade(engine, revision="0005")
        assert "away" not in inspect(engine).get_table_names()
        assert "workdays" not in {c["name"] for c in inspect(engine).get_columns("channel_settings")}
    finally:
        engine.dispose()


def _index_names(engine: Engine, table_name: str) -> set[str]:
    """The table's indexes, expression indexes too (SQLAlchemy's inspector skips those on SQLite)."""
    catalog = {
        "sqlite": "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :name",
        "postgresql": "SELECT indexname FROM pg_indexes WHERE tablename = :name",
    }[engine.dialect.name]
    with engine.connect() as connection:
        return set(connection.execute(text(catalog), {"name": table_name}).scalars())


def _milestone_rows(rows: list[tuple[str, str, str | None]]) -> list[dict[str, object]]:
    """Milestones (team, title, department) as 0006 stores them, numbered in order."""
    moment = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    return [
        {"enterprise_id": "", "team_id": team, "number": number, "channel_id": "C1", "title": title}
        | {"department": department, "status": "open", "created_by": "U1"}
        | {"created_at": moment, "updated_at": moment}
        for number, (team, title, department) in enumerate(rows, start=1)
    ]


def test_department_spellings_become_the_most_used_one_per_workspace(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    names = ("enterprise_id", "team_id", "number", "channel_id", "title", "department", "status")
    milestone = table("milestone", *(column(n) for n in (*names, "created_by", "created_at", "updated_at")))
    try:
        upgrade(engine, revision="0006")
        rows = [
            ("T1", "Launch", "Marketing"),
            ("T1", "Ads", "marketing"),
            ("T1", "Press", "marketing"),
            ("T1", "Hire", " SALES "),
            ("T1", "Deal", "Sales"),
            ("T1", "Plan", None),
            ("T2", "Other", "MARKETING"),
            ("T3", "Brief", "marketing"),
            ("T3", "Copy", "Marketing "),
            ("T3", "Deck", "Marketing"),
            ("T3", "Blank", "   "),
        ]
        with engine.begin() as connection:
            connection.execute(milestone.insert(), _milestone_rows(rows))

        upgrade(engine, revision="0007")

        with engine.connect() as connection:
            found = connection.execute(
                select(column("team_id"), column("title"), column("department"))
                .select_from(table("milestone"))
                .order_by(column("number"))
            ).all()
        # Most used wins (marketing ×2); a tie goes to the first given, spaces tidied; each workspace its own.
        assert [tuple(row) for row in found] == [
            ("T1", "Launch", "marketing"),
            ("T1", "Ads", "marketing"),
            ("T1", "Press", "marketing"),
            ("T1", "Hire", "SALES"),
            ("T1", "Deal", "SALES"),
            ("T1", "Plan", None),
            ("T2", "Other", "MARKETING"),
            ("T3", "Brief", "Marketing"),  # `Marketing ` and `Marketing` are one spelling, used twice
            ("T3", "Copy", "Marketing"),
            ("T3", "Deck", "Marketing"),
            ("T3", "Blank", None),
        ]
        assert "ix_milestone_workspace_department" in _index_names(engine, "milestone")
        downgrade(engine, revision="0006")
        assert "ix_milestone_workspace_department" not in _index_names(engine, "milestone")
    finally:
        engine.dispose()


def test_existing_channels_keep_the_overdue_nudge(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    moment = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    names = ("enterprise_id", "team_id", "channel_id", "timezone", "reminder_days", "reminder_time")
    names += ("review_weekday", "review_time", "paused", "created_at", "updated_at")
    settings = table("channel_settings", *(column(name) for name in names))
    try:
        upgrade(engine, revision="0005")
        row = {
            "enterprise_id": "",
            "team_id": "T1",
            "channel_id": "C1",
            "timezone": "UTC",
            "reminder_days": "",
        }
        row |= {"reminder_time": "09:00", "review_weekday": 0, "review_time": "09:00", "paused": False}
        with engine.begin() as connection:
            connection.execute(settings.insert(), [{**row, "created_at": moment, "updated_at": moment}])

        upgrade(engine, revision="0007")

        with engine.connect() as connection:
            nudge = connection.execute(select(column("overdue_nudge")).select_from(table("channel_settings")))
            assert nudge.scalar_one() in (True, 1)  # SQLite has no booleans: 1
        downgrade(engine, revision="0006")
        assert "overdue_nudge" not in {c["name"] for c in inspect(engine).get_columns("channel_settings")}
    finally:
        engine.dispose()
