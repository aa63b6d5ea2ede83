"""Migration 0009 and its columns: a milestone's recurrence, and the one a recurring Done follows, once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, column, inspect, select, table, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage import milestones as queries
from storage.db import downgrade, make_engine, upgrade
from tests.support.factories import make_milestone

MOMENT = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def _index_names(engine: Engine) -> set[str]:
    """The milestone table's indexes, the expression index too (the inspector skips it on SQLite)."""
    catalog = {
        "sqlite": "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'milestone'",
        "postgresql": "SELECT indexname FROM pg_indexes WHERE tablename = 'milestone'",
    }[engine.dialect.name]
    with engine.connect() as connection:
        return set(connection.execute(text(catalog)).scalars())


def test_existing_milestones_do_not_repeat_and_keep_their_indexes(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    names = ("enterprise_id", "team_id", "number", "channel_id", "title", "department", "status")
    milestone = table("milestone", *(column(n) for n in (*names, "created_by", "created_at", "updated_at")))
    try:
        upgrade(engine, revision="0008")
        row = {"enterprise_id": "", "team_id": "T1", "number": 1, "channel_id": "C1", "title": "Close"}
        row |= {"department": "Finance", "status": "open", "created_by": "U1"}
        with engine.begin() as connection:
            connection.execute(milestone.insert(), [{**row, "created_at": MOMENT, "updated_at": MOMENT}])
        before = _index_names(engine)

        upgrade(engine, revision="0009")
        with engine.connect() as connection:
            found = connection.execute(
                select(column("recurrence"), column("follows_id")).select_from(table("milestone"))
            ).one()
        assert tuple(found) == (None, None)
        # SQLite copies the table to change it: the index on lower(department) must come through.
        assert before <= _index_names(engine)
        assert "ix_milestone_workspace_department" in _index_names(engine)

        downgrade(engine, revision="0008")
        columns = {c["name"] for c in inspect(engine).get_columns("milestone")}
        assert not {"recurrence", "follows_id"} & columns
        assert _index_names(engine) == before
    finally:
        engine.dispose()


def test_a_milestone_is_followed_at_most_once(engine: Engine) -> None:
    with Session(engine) as session:
        done = make_milestone(id=None, number=1, recurrence="month", status="done")
        session.add(done)
        session.flush()
        session.add(make_milestone(id=None, number=2, recurrence="month", follows_id=done.id))
        session.commit()
        assert queries.next_of(session=session, milestone_id=done.id or 0).number == 2  # type: ignore[union-attr]

        session.add(make_milestone(id=None, number=3, recurrence="month", follows_id=done.id))
        with pytest.raises(IntegrityError):
            session.commit()


def test_deleting_the_one_done_leaves_the_next_standing(engine: Engine) -> None:
    with Session(engine) as session:
        done = make_milestone(id=None, number=1, recurrence="week", status="done")
        session.add(done)
        session.flush()
        following = make_milestone(id=None, number=2, recurrence="week", follows_id=done.id)
        session.add(following)
        session.commit()

        queries.delete_milestone(session=session, milestone=done)
        session.commit()
        session.refresh(following)
        assert following.follows_id is None
