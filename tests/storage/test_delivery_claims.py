"""The outbox's claim transitions: posting marks, heartbeats, and recording a post whose lease was lost."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from storage import claims, deliveries
from storage.models import Delivery
from storage.workspace import Workspace
from tests.support.factories import make_milestone

NOW = datetime(2026, 12, 10, 14, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)
LATER = NOW + timedelta(minutes=5)


def _claimed(engine: Engine, *, worker: str, channel: str = "C1") -> Delivery:
    with Session(engine) as session:
        deliveries.plan_delivery(
            session=session,
            key=f"checkin:{channel}:2026-W50",
            kind="checkin",
            workspace=Workspace(team_id="T1"),
            channel_id=channel,
            payload={"text": "Weekly review"},
            not_before=NOW,
            now=NOW,
        )
        session.commit()
    [delivery] = claims.claim_due(engine=engine, now=NOW, lease=LEASE, worker=worker, limit=1)
    return delivery


def _row(engine: Engine, delivery: Delivery) -> Delivery:
    with Session(engine) as session:
        row = session.get(Delivery, delivery.id)
        assert row is not None
        return row


def test_posting_mark_reads_back_and_survives_a_problem_noted_after_it() -> None:
    since = NOW + timedelta(seconds=1.25)
    note = claims.posting_note(since, "network: ReadTimeout")
    assert note is not None and note.endswith("; network: ReadTimeout")
    assert claims.posting_since(note) == since
    assert claims.posting_since("HTTP 500") is None and claims.posting_note(None, "x") == "x"


def test_start_posting_renews_the_claim_and_marks_it(engine: Engine) -> None:
    delivery = _claimed(engine, worker="w1")
    later = NOW + timedelta(minutes=5)

    assert claims.start_posting(
        engine=engine, delivery=delivery, worker="w1", now=NOW, lease_until=later, since=NOW
    )
    row = _row(engine, delivery)
    assert row.lease_until == later and claims.posting_since(row.last_error) == NOW
    assert not claims.start_posting(
        engine=engine, delivery=delivery, worker="w2", now=NOW, lease_until=later, since=NOW
    )


def test_many_posting_marks_and_sent_marks_apply_to_the_claims_still_held(engine: Engine) -> None:
    ours = [_claimed(engine, worker="w1", channel=f"C{n}") for n in range(3)]
    theirs = _claimed(engine, worker="w2", channel="C9")
    ids = [d.id or 0 for d in [*ours, theirs]]
    later = NOW + timedelta(minutes=5)

    held = claims.start_posting_many(engine=engine, ids=ids, worker="w1", now=NOW, lease_until=later)
    assert held == {d.id for d in ours}
    assert [claims.posting_since(_row(engine, d).last_error) for d in ours] == [NOW] * 3
    assert claims.posting_since(_row(engine, theirs).last_error) is None

    sent = {ours[0].id or 0: "1.000100", ours[1].id or 0: "1.000200", theirs.id or 0: "1.000300"}
    assert claims.mark_sent_many(engine=engine, sent=sent, worker="w1", now=later) == {ours[0].id, ours[1].id}
    rows = [_row(engine, d) for d in [*ours, theirs]]
    assert [(r.state, r.message_ts, r.last_error) for r in rows] == [
        ("sent", "1.000100", None),
        ("sent", "1.000200", None),
        ("claimed", None, claims.posting_note(NOW, None)),
        ("claimed", None, None),
    ]


def test_heartbeat_renews_only_its_own_claims(engine: Engine) -> None:
    delivery = _claimed(engine, worker="w1")
    later = NOW + timedelta(minutes=5)

    assert claims.renew_claims(engine=engine, worker="w2", lease_until=later) == 0
    assert claims.renew_claims(engine=engine, worker="w1", lease_until=later) == 1
    assert _row(engine, delivery).lease_until == later


def test_lost_lease_post_is_recorded_when_the_new_claim_has_not_posted(engine: Engine) -> None:
    delivery = _claimed(engine, worker="slow")
    lapsed = NOW + LEASE + timedelta(seconds=1)
    claims.claim_due(engine=engine, now=lapsed, lease=LEASE, worker="other", limit=1)

    assert claims.record_lost_post(engine=engine, delivery=delivery, ts="1.000100", now=lapsed) == "1.000100"
    row = _row(engine, delivery)
    assert (row.state, row.message_ts) == ("sent", "1.000100")
    # The other claim, about to post, finds it no longer holds the delivery.
    assert not claims.start_posting(
        engine=engine, delivery=row, worker="other", now=lapsed, lease_until=lapsed, since=lapsed
    )


def test_lost_lease_post_yields_to_a_post_already_recorded(engine: Engine) -> None:
    delivery = _claimed(engine, worker="slow")
    lapsed = NOW + LEASE + timedelta(seconds=1)
    [theirs] = claims.claim_due(engine=engine, now=lapsed, lease=LEASE, worker="other", limit=1)
    assert claims.mark_sent(engine=engine, delivery=theirs, worker="other", now=lapsed, ts="2.000100")

    assert claims.record_lost_post(engine=engine, delivery=delivery, ts="1.000100", now=lapsed) == "2.000100"
    assert _row(engine, delivery).message_ts == "2.000100"


def test_release_claims_gives_back_the_attempt_and_keeps_the_mark(engine: Engine) -> None:
    delivery = _claimed(engine, worker="w1")
    claims.start_posting(
        engine=engine, delivery=delivery, worker="w1", now=NOW, lease_until=NOW + LEASE, since=NOW
    )

    assert claims.release_claims(engine=engine, worker="w1", now=NOW) == 1
    row = _row(engine, delivery)
    assert (row.state, row.attempts, row.lease_until) == ("pending", 0, None)
    assert claims.posting_since(row.last_error) == NOW


@pytest.mark.parametrize(
    ("transition", "state", "attempts", "last_error"),
    [
        (
            lambda **claim: claims.retry_at(**claim, until=LATER, note="HTTP 500"),
            "pending",
            1,
            "HTTP 500",
        ),
        (lambda **claim: claims.release(**claim, until=LATER, note="held"), "pending", 0, "held"),
        (lambda **claim: claims.fail(**claim, reason="msg_too_long"), "failed", 1, "msg_too_long"),
        (lambda **claim: claims.skip(**claim, reason="channel paused"), "skipped", 1, "channel paused"),
        (lambda **claim: claims.mark_sent(**claim, ts="1.000100"), "sent", 1, None),
    ],
    ids=["retry_at", "release", "fail", "skip", "mark_sent"],
)
def test_a_transition_applies_only_while_its_worker_holds_the_claim(
    engine: Engine, transition: Callable[..., bool], state: str, attempts: int, last_error: str | None
) -> None:
    delivery = _claimed(engine, worker="w1")

    assert not transition(engine=engine, delivery=delivery, worker="w2", now=NOW)
    assert _row(engine, delivery).state == "claimed"
    assert transition(engine=engine, delivery=delivery, worker="w1", now=NOW)
    row = _row(engine, delivery)
    assert (row.state, row.attempts, row.last_error, row.lease_until) == (state, attempts, last_error, None)
    if state == "pending":
        assert row.not_before == LATER
    assert not transition(engine=engine, delivery=delivery, worker="w1", now=NOW)  # done: no longer held


def test_superseding_keeps_the_latest_reminder_in_the_channel_and_the_dm(engine: Engine) -> None:
    keys = ["reminder:1:2026-12-15:7d", "reminder:1:2026-12-15:7d:dm", "reminder:1:2026-12-15:1d"]
    keys.append("reminder:1:2026-12-15:1d:dm")
    with Session(engine) as session:
        session.add(make_milestone(id=1))
        session.flush()
        for key in keys:
            deliveries.plan_delivery(
                session=session,
                key=key,
                kind="reminder",
                workspace=Workspace(team_id="T1"),
                channel_id="U1" if key.endswith(":dm") else "C1",
                payload={"text": "⏰"},
                not_before=NOW,
                now=NOW,
                milestone_id=1,
            )
        deliveries.supersede_reminders(session=session, milestone_id=1, keep_keys=keys[2:], now=NOW)
        session.commit()
        states = {d.key: d.state for d in session.exec(select(Delivery)).all()}
    assert states == dict(zip(keys, ["skipped", "skipped", "pending", "pending"], strict=True))
