"""A capped list reads its page and how many matched in all in one statement."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, event
from sqlmodel import Session

from storage import milestones as queries
from storage.workspace import Workspace
from tests.support.factories import make_milestone

T1 = Workspace(team_id="T1")


def test_a_capped_channel_list_is_its_soonest_page_and_the_count_of_all(engine: Engine) -> None:
    with Session(engine) as session:
        for number, day in ((1, 20), (2, 5), (3, 12), (4, 1)):
            session.add(make_milestone(id=None, number=number, due_date=date(2026, 12, day)))
        session.add(make_milestone(id=None, number=5, channel_id="C2"))
        session.commit()
    statements: list[str] = []

    def seen(connection: object, cursor: object, statement: str, *rest: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        with Session(engine) as session:
            page, total = queries.channel_milestones(session=session, workspace=T1, channel_id="C1", limit=2)
            numbers = [milestone.number for milestone in page]
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert (numbers, total) == ([4, 2], 4)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1


def test_an_empty_channel_list_counts_none(engine: Engine) -> None:
    with Session(engine) as session:
        page, total = queries.channel_milestones(session=session, workspace=T1, channel_id="C9", limit=100)
    assert (page, total) == ([], 0)


def test_each_kind_of_channel_list_reads_its_own_channel_and_workspace(engine: Engine) -> None:
    with Session(engine) as session:
        session.add(make_milestone(id=None, number=1, due_date=date(2026, 12, 1)))
        session.add(make_milestone(id=None, number=2, status="done", completed_on=date(2026, 11, 2)))
        session.add(make_milestone(id=None, number=3, due_date=date(2026, 10, 1), status="done"))
        session.add(make_milestone(id=None, number=4, channel_id="C2"))
        session.add(make_milestone(id=None, number=1, team_id="T2"))
        session.commit()
    # Twice each, in turn: the statement of one kind of list keeps nothing of the call before.
    for _ in range(2):
        for workspace, kind, expected in (
            (T1, {}, ([3, 1, 2], 3)),
            (T1, {"open_only": True}, ([1], 1)),
            (T1, {"since": date(2026, 11, 1)}, ([1, 2], 2)),
            (Workspace(team_id="T2"), {}, ([1], 1)),
        ):
            with Session(engine) as session:
                page, total = queries.channel_milestones(
                    session=session, workspace=workspace, channel_id="C1", limit=10, **kind
                )
                assert ([m.number for m in page], total) == expected, kind
