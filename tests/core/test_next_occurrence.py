"""A recurring milestone's next one: made in the Done's transaction, once, however many Dones race."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.core.access import Actor
from bot.core.command_types import MilestoneFields
from bot.core.milestones import NothingChanged, add_milestone, complete_milestone
from storage.models import Milestone
from tests.support.factories import make_asker

NOW = datetime(2026, 12, 31, 15, 0, tzinfo=UTC)
RACERS = 8


def numbered(engine: Engine) -> list[Milestone]:
    with Session(engine) as session:
        return list(session.exec(select(Milestone).order_by(Milestone.number)).all())


def test_two_dones_at_once_make_one_next(engine: Engine) -> None:
    asker = make_asker(now=NOW)
    fields = MilestoneFields(title="Monthly close", due=date(2026, 12, 31), recurrence="month")
    add_milestone(engine=engine, asker=asker, channel_id="C1", fields=fields)
    start = threading.Barrier(RACERS)

    def done(_: int) -> int | None:
        start.wait()
        try:
            change = complete_milestone(
                engine=engine, asker=asker, number=1, completed_on=date(2026, 12, 31), cost=None
            )
        except NothingChanged:
            return None
        return change.next.number if change.next else 0

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        nexts = list(pool.map(done, range(RACERS)))

    # Whoever got through says the same next one; the others found it already done.
    assert {number for number in nexts if number is not None} == {2}
    assert [(m.number, m.status, m.due_date) for m in numbered(engine)] == [
        (1, "done", date(2026, 12, 31)),
        (2, "open", date(2027, 1, 31)),
    ]


def test_an_undated_one_repeats_from_the_day_it_was_done(engine: Engine) -> None:
    asker = make_asker(now=NOW)
    fields = MilestoneFields(title="Weekly report", recurrence="week")
    add_milestone(engine=engine, asker=asker, channel_id="C1", fields=fields)
    change = complete_milestone(
        engine=engine, asker=asker, number=1, completed_on=date(2026, 12, 30), cost=None
    )
    assert change.next is not None and change.next.due_date == date(2027, 1, 6)


def test_one_that_does_not_repeat_has_no_next(engine: Engine) -> None:
    asker = make_asker(now=NOW)
    add_milestone(engine=engine, asker=asker, channel_id="C1", fields=MilestoneFields(title="Launch"))
    change = complete_milestone(
        engine=engine, asker=asker, number=1, completed_on=date(2026, 12, 30), cost=None
    )
    assert change.next is None
    assert len(numbered(engine)) == 1


def test_the_next_one_may_be_changed_by_whoever_could_change_the_first(engine: Engine) -> None:
    creator = make_asker(now=NOW, actor=Actor(user_id="U7"))
    fields = MilestoneFields(title="Close", due=date(2026, 12, 31), owner_id="U2", recurrence="quarter")
    add_milestone(engine=engine, asker=creator, channel_id="C1", fields=fields)
    owner = make_asker(now=NOW, actor=Actor(user_id="U2"))
    change = complete_milestone(
        engine=engine, asker=owner, number=1, completed_on=date(2026, 12, 31), cost=None
    )
    assert change.next is not None
    assert (change.next.created_by, change.next.owner_id, change.next.due_date) == (
        "U7",
        "U2",
        date(2027, 3, 31),
    )
