"""Milestone numbers come from one counter per workspace: consecutive, independent, never taken twice."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, text
from sqlmodel import select

from bot.core import milestones
from bot.core.command_types import MilestoneFields
from bot.core.imports import ImportRow
from storage import milestones as queries
from storage.db import downgrade, make_engine, session_scope, upgrade
from storage.models import WorkspaceCounter
from storage.numbering import take_numbers
from storage.workspace import Workspace
from tests.support.factories import make_asker, make_milestone

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
ACME = Workspace(team_id="T1")
OTHER = Workspace(team_id="T2")
ACME_IN_GRID = Workspace(team_id="T1", enterprise_id="E1")


def _take(engine: Engine, workspace: Workspace, count: int = 1) -> int:
    with session_scope(engine) as session:
        return take_numbers(session=session, workspace=workspace, count=count)


def _add(engine: Engine, title: str, *, workspace: Workspace = ACME) -> int:
    milestone = milestones.add_milestone(
        engine=engine,
        asker=make_asker(workspace=workspace, now=NOW),
        channel_id="C1",
        fields=MilestoneFields(title=title),
    )
    return milestone.number


def test_each_workspace_counts_from_one_on_its_own(engine: Engine) -> None:
    assert [_take(engine, ACME), _take(engine, ACME)] == [1, 2]
    assert _take(engine, OTHER) == 1
    # The same team id inside an Enterprise Grid org is another workspace.
    assert _take(engine, ACME_IN_GRID) == 1
    assert [_take(engine, ACME), _take(engine, OTHER)] == [3, 2]


def test_a_batch_takes_consecutive_numbers(engine: Engine) -> None:
    assert _take(engine, ACME, count=5) == 1
    assert _take(engine, ACME) == 6


def test_rolled_back_numbers_are_handed_out_again(engine: Engine) -> None:
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        take_numbers(session=session, workspace=ACME, count=3)
        raise RuntimeError("the insert failed")
    assert _take(engine, ACME) == 1


def test_a_workspace_with_milestones_but_no_counter_counts_on_from_its_highest(engine: Engine) -> None:
    with session_scope(engine) as session:
        session.add(make_milestone(id=None, number=7))
    assert _take(engine, ACME) == 8
    assert _take(engine, OTHER) == 1


def test_taking_no_number_is_refused(engine: Engine) -> None:
    with pytest.raises(ValueError), session_scope(engine) as session:
        take_numbers(session=session, workspace=ACME, count=0)


def test_after_importing_five_rows_the_next_add_is_six(engine: Engine) -> None:
    rows = [ImportRow(line=n + 2, fields=MilestoneFields(title=f"Imported {n}")) for n in range(5)]
    imported = milestones.import_milestones(
        engine=engine, asker=make_asker(now=NOW), channel_id="C1", rows=rows
    )
    assert [milestone.number for milestone in imported.milestones] == [1, 2, 3, 4, 5]
    assert _add(engine, "Launch beta") == 6
    assert _add(engine, "Elsewhere", workspace=OTHER) == 1
    with session_scope(engine) as session:
        counter = session.exec(select(WorkspaceCounter).where(WorkspaceCounter.team_id == "T1")).one()
    assert counter.last_number == 6


def test_a_deleted_milestones_number_is_never_handed_out_again(engine: Engine) -> None:
    assert [_add(engine, "First"), _add(engine, "Second")] == [1, 2]
    with session_scope(engine) as session:
        second = queries.get_milestone(session=session, workspace=ACME, number=2)
        assert second is not None
        queries.delete_milestone(session=session, milestone=second)
    # Old messages still say "#2": a new milestone under that number would answer for the deleted one.
    assert _add(engine, "Third") == 3


def test_concurrent_adds_take_every_number_once(engine: Engine) -> None:
    with ThreadPoolExecutor(max_workers=16) as pool:
        numbers = list(pool.map(lambda n: _add(engine, f"Concurrent {n}"), range(60)))
    assert sorted(numbers) == list(range(1, 61))


def test_the_migration_seeds_each_counter_from_the_highest_number(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    try:
        upgrade(engine, revision="0002")
        with engine.begin() as connection:
            for team, number in [("T1", 3), ("T1", 9), ("T2", 4)]:
                connection.execute(
                    text(
                        "INSERT INTO milestone (enterprise_id, team_id, number, channel_id, title, status,"
                        " created_by, created_at, updated_at)"
                        " VALUES ('', :team, :number, 'C1', 'Old', 'open', 'U1', :now, :now)"
                    ),
                    {"team": team, "number": number, "now": NOW},
                )
        upgrade(engine)
        assert [_take(engine, ACME), _take(engine, OTHER), _take(engine, ACME_IN_GRID)] == [10, 5, 1]
        downgrade(engine, revision="0002")
        upgrade(engine)
        assert _take(engine, ACME) == 10
    finally:
        engine.dispose()
