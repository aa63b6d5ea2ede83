"""A round of deliveries judged from one read of their milestones and channels: as if judged one by one."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine, event
from sqlmodel import Session

from bot.outbox.wanted import still_wanted_many, still_wanted_now
from tests.support.factories import make_delivery, make_milestone, make_settings

NOW = datetime(2026, 12, 10, 14, 0, tzinfo=UTC)
DUE = date(2026, 12, 15)


def test_a_round_is_judged_as_each_alone_from_three_reads(engine: Engine) -> None:
    with Session(engine) as session:
        rows = [
            make_milestone(id=None, number=1, channel_id="C1", due_date=DUE),
            make_milestone(id=None, number=2, channel_id="C1", due_date=DUE, status="done"),
            make_milestone(id=None, number=3, channel_id="C2", due_date=DUE),
            make_milestone(id=None, number=4, channel_id="C3", due_date=date(2026, 12, 20)),
        ]
        session.add_all([*rows, make_settings(channel_id="C2", paused=True), make_settings(channel_id="C1")])
        session.commit()
        ids = [row.id for row in rows]
    round_ = [
        make_delivery(key="r1", milestone_id=ids[0]),
        make_delivery(key="r2", milestone_id=ids[1]),
        make_delivery(key="r3", milestone_id=ids[2], channel_id="C2"),
        make_delivery(key="r4", milestone_id=ids[3], channel_id="C3"),
        make_delivery(key="r5", milestone_id=9999),
        make_delivery(key="dm", milestone_id=ids[2], channel_id="U1"),  # a DM follows its milestone's channel
        make_delivery(key="c1", kind="checkin", milestone_id=None, due_date=None, channel_id="C1"),
        make_delivery(key="c2", kind="checkin", milestone_id=None, due_date=None, channel_id="C2"),
    ]
    statements: list[str] = []

    def seen(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        verdicts = still_wanted_many(engine=engine, deliveries=round_, now=NOW)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 2, reads  # milestones, settings (no check-in in the round)

    assert [v.reason or "wanted" for v in verdicts] == [
        "wanted",
        "milestone done",
        "channel paused",
        "due date changed",
        "milestone deleted",
        "channel paused",
        "wanted",
        "channel paused",
    ]
    assert verdicts == [still_wanted_now(engine=engine, delivery=d, now=NOW) for d in round_]
    assert still_wanted_many(engine=engine, deliveries=[], now=NOW) == []
