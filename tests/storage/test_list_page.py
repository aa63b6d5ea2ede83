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
