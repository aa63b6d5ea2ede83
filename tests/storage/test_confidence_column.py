"""Migration 0010: a review answer's confidence (none on answers given before), and the index of its trend."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import column, inspect, select, table

from storage.db import downgrade, make_engine, upgrade

MOMENT = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)


def _answer_table(*names: str):
    return table("checkin_answer", *(column(n) for n in names))


def test_answers_given_before_have_no_confidence_and_going_down_drops_it(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    milestone = table(
        "milestone",
        *(column(n) for n in ("id", "enterprise_id", "team_id", "number", "channel_id", "title", "status")),
        *(column(n) for n in ("created_by", "created_at", "updated_at")),
    )
    answer = ("id", "checkin_id", "milestone_id", "user_id", "status", "at")
    try:
        upgrade(engine, revision="0009")
        with engine.begin() as connection:
            row = {"id": 1, "enterprise_id": "", "team_id": "T1", "number": 1, "channel_id": "C1"}
            row |= {"title": "Close", "status": "open", "created_by": "U1"}
            connection.execute(milestone.insert(), [{**row, "created_at": MOMENT, "updated_at": MOMENT}])
            week = {"id": 1, "enterprise_id": "", "team_id": "T1", "channel_id": "C1", "week": "2026-W49"}
            connection.execute(
                table("checkin", *(column(n) for n in (*week, "created_at", "milestone_ids"))).insert(),
                [{**week, "created_at": MOMENT, "milestone_ids": "[1]"}],
            )
            given = {"id": 1, "checkin_id": 1, "milestone_id": 1, "user_id": "U1", "status": "on_track"}
            connection.execute(_answer_table(*answer).insert(), [{**given, "at": MOMENT}])

        upgrade(engine, revision="0010")
        with engine.connect() as connection:
            found = connection.execute(
                select(column("status"), column("confidence")).select_from(table("checkin_answer"))
            ).one()
        assert tuple(found) == ("on_track", None)
        indexes = {index["name"] for index in inspect(engine).get_indexes("checkin_answer")}
        assert {"ix_checkin_answer_checkin", "ix_checkin_answer_milestone"} <= indexes

        downgrade(engine, revision="0009")
        inspector = inspect(engine)
        assert "confidence" not in {c["name"] for c in inspector.get_columns("checkin_answer")}
        assert {index["name"] for index in inspector.get_indexes("checkin_answer")} == {
            "ix_checkin_answer_checkin"
        }
        with engine.connect() as connection:
            assert connection.execute(
                select(column("status")).select_from(table("checkin_answer"))
            ).all() == [("on_track",)]
    finally:
        engine.dispose()
