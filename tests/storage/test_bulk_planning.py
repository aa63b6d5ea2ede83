"""Planning thousands of deliveries at once: each key inserted exactly once, older reminders superseded."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from storage import claims, deliveries
from storage.models import Delivery, DeliveryKind
from storage.workspace import Workspace
from tests.support.factories import make_milestone

NOW = datetime(2026, 12, 10, 14, 0, tzinfo=UTC)


def _rows(keys: list[str], *, milestone_id: int | None = None) -> list[dict]:
    return [
        deliveries.delivery_row(
            key=key,
            kind=DeliveryKind.REMINDER,
            workspace=Workspace(team_id="T1"),
            channel_id="C1",
            payload={"text": f"⏰ {key}"},
            not_before=NOW,
            now=NOW,
            milestone_id=milestone_id,
        )
        for key in keys
    ]


def test_bulk_planning_inserts_each_key_once_and_names_only_those_it_inserted(engine: Engine) -> None:
    first = [f"bulk:{n}" for n in range(1_200)]  # more than one page of rows and of keys
    with Session(engine) as session:
        assert deliveries.plan_deliveries(session=session, rows=_rows(first)) == set(first)
        again = [*first[1_000:], "bulk:new"]
        assert deliveries.plan_deliveries(session=session, rows=_rows(again)) == {"bulk:new"}
        assert deliveries.plan_deliveries(session=session, rows=[]) == set()
        session.commit()
        assert deliveries.existing_keys(session=session, keys=[*first, "bulk:new", "bulk:none"]) == {
            *first,
            "bulk:new",
        }
        assert len(session.exec(select(Delivery)).all()) == 1_201
    # The rows are whole: the claim hands each one out with the payload it was planned with.
    claimed = claims.claim_due(engine=engine, now=NOW, lease=timedelta(minutes=2), worker="w", limit=5)
    assert len(claimed) == 5
    assert all(json.loads(d.payload) == {"text": f"⏰ {d.key}"} for d in claimed)


def test_superseding_many_milestones_keeps_each_ones_own_latest_keys(engine: Engine) -> None:
    with Session(engine) as session:
        for milestone_id in (1, 2, 3):
            session.add(make_milestone(id=milestone_id, number=milestone_id))
        session.flush()
        older = [f"reminder:{m}:2026-12-15:7d" for m in (1, 2, 3)]
        latest = {m: [f"reminder:{m}:2026-12-15:1d"] for m in (1, 2)}
        for m, key in zip((1, 2, 3), older, strict=True):
            deliveries.plan_deliveries(session=session, rows=_rows([key], milestone_id=m))
        deliveries.supersede_reminders_of(session=session, keep=latest, now=NOW)
        for m, keys in latest.items():
            deliveries.plan_deliveries(session=session, rows=_rows(keys, milestone_id=m))
        session.commit()
        rows = session.exec(select(Delivery)).all()
        states = {d.key: (d.state, d.last_error) for d in rows}
    superseded = ("skipped", "superseded by a later reminder")
    assert states == {
        "reminder:1:2026-12-15:7d": superseded,
        "reminder:2:2026-12-15:7d": superseded,
        "reminder:3:2026-12-15:7d": ("pending", None),  # milestone 3 planned nothing new
        "reminder:1:2026-12-15:1d": ("pending", None),
        "reminder:2:2026-12-15:1d": ("pending", None),
    }
