"""A list's page as plain rows: the same milestones, order and count as the ORM's page, in one statement."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from storage import milestones as queries
from storage.milestones import ListedMilestone
from storage.workspace import Workspace
from tests.support.databases import recorded_statements
from tests.support.factories import make_milestone

T1 = Workspace(team_id="T1")
T2 = Workspace(team_id="T2")
TODAY = date(2026, 12, 10)
# (number, channel, owner, created by, department, due, status, completed on) of T1's milestones.
ROWS = [
    (1, "C1", "U1", "U1", "Sales", date(2026, 12, 20), "open", None),
    (2, "C1", None, "U2", None, date(2026, 12, 5), "at_risk", None),
    (3, "C1", "U2", "U1", "sales", None, "on_track", None),
    (4, "C1", "U1", "U1", "Sales", date(2026, 12, 1), "done", date(2026, 11, 30)),
    (5, "C1", "U3", "U1", None, date(2026, 12, 12), "cancelled", None),
    (6, "C2", "U1", "U2", "Sales", date(2026, 12, 11), "blocked", None),
    (7, "C1", None, "U1", "Ops", date(2026, 12, 10), "open", None),
]
KINDS: dict[str, tuple[Callable[..., tuple[list[ListedMilestone], int]], list[int]]] = {
    "channel, open": (partial(queries.listed_channel, channel_id="C1", open_only=True), [2, 7, 1, 3]),
    "channel, all": (partial(queries.listed_channel, channel_id="C1"), [4, 2, 7, 5, 1, 3]),
    "done": (partial(queries.listed_done, channel_id="C1"), [4]),
    "overdue": (partial(queries.listed_overdue, channel_id="C1", today=TODAY), [2]),
    "upcoming": (
        partial(queries.listed_upcoming, channel_id="C1", first=TODAY, last=date(2026, 12, 31)),
        [7, 1],
    ),
    "involving U1": (partial(queries.listed_involving, user_id="U1"), [7, 6, 1]),
    "owned by U1": (partial(queries.listed_owned, owner_id="U1"), [6, 1]),
    "department sales": (partial(queries.listed_department, department="SALES"), [6, 1, 3]),
}


@pytest.fixture
def planned(engine: Engine) -> Engine:
    with Session(engine) as session:
        for number, channel, owner, by, department, due, status, completed in ROWS:
            session.add(
                make_milestone(
                    id=None,
                    number=number,
                    channel_id=channel,
                    owner_id=owner,
                    created_by=by,
                    department=department,
                    due_date=due,
                    status=status,
                    completed_on=completed,
                    title=f"M{number} & <co>",
                )
            )
        # Another workspace's, just like T1's first: never listed for T1.
        session.add(make_milestone(id=None, team_id="T2", number=1, owner_id="U1", department="Sales"))
        session.commit()
    return engine


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_list_reads_its_rows_and_the_count_of_all_in_one_statement(planned: Engine, kind: str) -> None:
    query, numbers = KINDS[kind]
    # Twice: a prebuilt statement keeps nothing of the call before.
    for _ in range(2):
        with planned.connect() as connection, recorded_statements(planned) as statements:
            page, total = query(connection=connection, workspace=T1, limit=2)
            everything, all_total = query(connection=connection, workspace=T1, limit=100)
        assert ([m.number for m in page], total) == (numbers[:2], len(numbers))
        assert ([m.number for m in everything], all_total) == (numbers, len(numbers))
        assert len(statements) == 2


def test_a_row_carries_what_a_list_line_shows(planned: Engine) -> None:
    with planned.connect() as connection:
        page, _ = queries.listed_done(connection=connection, workspace=T1, channel_id="C1", limit=1)

    assert page == [
        ListedMilestone(
            number=4, title="M4 & <co>", owner_id="U1", department="Sales", due_date=date(2026, 12, 1),
            status="done", completed_on=date(2026, 11, 30), recurrence=None,
        )
    ]  # fmt: skip
    assert isinstance(page[0].due_date, date) and isinstance(page[0].completed_on, date)


def test_no_limit_counts_only_and_nothing_found_counts_none(planned: Engine) -> None:
    with planned.connect() as connection:
        counted = queries.listed_channel(connection=connection, workspace=T1, channel_id="C1", limit=0)
        elsewhere = queries.listed_channel(connection=connection, workspace=T2, channel_id="C2", limit=10)
        none_done = queries.listed_done(connection=connection, workspace=T2, channel_id="C1", limit=10)

    assert counted == ([], 6)
    assert elsewhere == ([], 0) and none_done == ([], 0)


def test_the_channels_rows_are_the_orm_pages(planned: Engine) -> None:
    for open_only in (False, True):
        with Session(planned) as session:
            orm, orm_total = queries.channel_milestones(
                session=session, workspace=T1, channel_id="C1", limit=100, open_only=open_only
            )
            expected = [ListedMilestone(*(getattr(m, f) for f in ListedMilestone._fields)) for m in orm]
        with planned.connect() as connection:
            rows = queries.listed_channel(
                connection=connection, workspace=T1, channel_id="C1", limit=100, open_only=open_only
            )
        assert rows == (expected, orm_total)
