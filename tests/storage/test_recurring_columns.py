"""Migration 0009 and its columns: a milestone's recurrence, and the one a recurring Done follows, once."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, column, inspect, select, table
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage import milestones as queries
from storage.db import downgrade, make_engine, upgrade
from tests.support.factories import make_milestone
from tests.support.migration_rows import insert_old_milestone, milestone_index_names


def test_existing_milestones_do_not_repeat_and_keep_their_indexes(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    try:
        upgrade(engine, revision="0008")
        insert_old_milestone(engine)
        before = milestone_index_names(engine)

        upgrade(engine, revision="0009")
        with engine.connect() as connection:
            found = connection.execute(
                select(column("recurrence"), column("follows_id")).select_from(table("milestone"))
            ).one()
        assert tuple(found) == (None, None)
        # SQLite copies the table to change it: the index on lower(department) must come through.
        assert before <= milestone_index_names(engine)
        assert "ix_milestone_workspace_department" in milestone_index_names(engine)

        downgrade(engine, revision="0008")
        columns = {c["name"] for c in inspect(engine).get_columns("milestone")}
        assert not {"recurrence", "follows_id"} & columns
        assert milestone_index_names(engine) == before
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
