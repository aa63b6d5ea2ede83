"""Migration 0011 and its column: the milestone one comes after, cleared when that one is deleted."""

from __future__ import annotations

from sqlalchemy import Engine, column, inspect, select, table
from sqlmodel import Session

from storage import dependencies
from storage import milestones as queries
from storage.db import downgrade, make_engine, upgrade
from storage.workspace import Workspace
from tests.support.factories import make_milestone
from tests.support.migration_rows import insert_old_milestone, milestone_index_names


def test_existing_milestones_come_after_none_and_keep_their_indexes(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    try:
        upgrade(engine, revision="0010")
        insert_old_milestone(engine)
        before = milestone_index_names(engine)

        upgrade(engine, revision="0011")
        with engine.connect() as connection:
            found = connection.execute(select(column("after_id")).select_from(table("milestone"))).scalar()
        assert found is None
        assert before | {"ix_milestone_after"} <= milestone_index_names(engine)
        assert "ix_milestone_workspace_department" in milestone_index_names(engine)

        downgrade(engine, revision="0010")
        columns = {c["name"] for c in inspect(engine).get_columns("milestone")}
        assert "after_id" not in columns
        assert milestone_index_names(engine) == before
    finally:
        engine.dispose()


def test_deleting_the_one_before_clears_the_link(engine: Engine) -> None:
    with Session(engine) as session:
        first = make_milestone(id=None, number=3)
        session.add(first)
        session.flush()
        later = make_milestone(id=None, number=5, after_id=first.id)
        session.add(later)
        session.commit()
        workspace = Workspace(team_id=later.team_id, enterprise_id=later.enterprise_id)
        assert dependencies.after_links(session=session, workspace=workspace) == {5: 3}
        assert [m.number for m in dependencies.open_after(session=session, milestone_id=first.id or 0)] == [5]

        queries.delete_milestone(session=session, milestone=first)
        session.commit()
        session.refresh(later)
        assert later.after_id is None
        assert dependencies.after_links(session=session, workspace=workspace) == {}


def test_links_are_per_workspace_and_numbers_are_looked_up_by_id(engine: Engine) -> None:
    with Session(engine) as session:
        first = make_milestone(id=None, number=3)
        elsewhere = make_milestone(id=None, number=3, team_id="T2")
        session.add_all([first, elsewhere])
        session.flush()
        session.add(make_milestone(id=None, number=4, team_id="T2", after_id=elsewhere.id))
        session.commit()
        workspace = Workspace(team_id=first.team_id, enterprise_id=first.enterprise_id)
        assert dependencies.after_links(session=session, workspace=workspace) == {}
        ids = [first.id or 0, 999_999]
        with engine.connect() as connection:
            assert dependencies.numbers_by_id(connection=connection, ids=ids) == {first.id: 3}
