"""Claims on due deliveries: claim with a lease, renew or give back, and the transitions that end one."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import UTC, datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    Engine,
    Integer,
    Select,
    String,
    and_,
    case,
    func,
    or_,
    select,
    union_all,
    update,
)
from sqlmodel import Session, col

from storage.arrays import array_of, one_of
from storage.deliveries import update_deliveries
from storage.models import CheckIn, Delivery, DeliveryState

# A claim that starts posting writes when into last_error, and keeps it until the outcome is known: a later
# claim then looks the message up in the channel from that moment on (the post may have reached Slack).
POSTING_SINCE = "posting since "
_POSTING_SINCE = re.compile(rf"^{re.escape(POSTING_SINCE)}(\d+(?:\.\d+)?)")


def claim_due(
    *, engine: Engine, now: datetime, lease: timedelta, worker: str, limit: int, keys: list[str] | None = None
) -> list[Delivery]:
    """Claim up to `limit` due deliveries (of `keys`, if given): pending, or claimed with a lapsed lease.

    Index: ix_delivery_state_not_before (uq_delivery_key when `keys` are given).
    """
    due_now = claimable(now, keys=keys)
    changes = claimed(now=now, lease=lease, worker=worker)
    with Session(engine, expire_on_commit=False) as session:
        if engine.dialect.name == "postgresql":
            # Row locks that other instances skip: each due row goes to exactly one claimer.
            ids = (
                session.execute(
                    select(Delivery.id)
                    .where(due_now)
                    .order_by(col(Delivery.not_before), col(Delivery.id))
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
                .scalars()
                .all()
            )
            if not ids:
                return []
            session.execute(update(Delivery).where(col(Delivery.id).in_(ids)).values(**changes))
        else:
            # SQLite serialises writers: one UPDATE … RETURNING claims atomically.
            due = _sqlite_due(now, keys=keys, limit=limit)
            ids = (
                session.execute(
                    update(Delivery)
                    .where(col(Delivery.id).in_(due.scalar_subquery()))
                    .values(**changes)
                    .returning(Delivery.id)
                )
                .scalars()
                .all()
            )
        session.commit()
        if not ids:
            return []
        rows = session.execute(select(Delivery).where(col(Delivery.id).in_(ids)).order_by(col(Delivery.id)))
        return list(rows.scalars())


# The transitions of one claim. Each applies only while `worker` still holds the claim, and answers False
# when it no longer does (its lease lapsed and another claim took the delivery).


def mark_sent(*, engine: Engine, delivery: Delivery, worker: str, now: datetime, ts: str) -> bool:
    """The message is in the channel as `ts`: the delivery is done.

    Index: the primary key.
    """
    return _finish(engine, delivery, worker, now=now, state=DeliveryState.SENT, note=None, message_ts=ts)


def retry_at(
    *, engine: Engine, delivery: Delivery, worker: str, now: datetime, until: datetime, note: str | None
) -> bool:
    """Try again from `until`; this attempt counts towards giving up.

    Index: the primary key.
    """
    return _finish(
        engine, delivery, worker, now=now, state=DeliveryState.PENDING, note=note, not_before=until
    )


def release(
    *, engine: Engine, delivery: Delivery, worker: str, now: datetime, until: datetime, note: str | None
) -> bool:
    """Put the claim back until `until`, the attempt given back: waiting is not the message's fault.

    Index: the primary key.
    """
    returned = {"not_before": until, "attempts": _attempt_returned()}
    return _finish(engine, delivery, worker, now=now, state=DeliveryState.PENDING, note=note, **returned)


def fail(*, engine: Engine, delivery: Delivery, worker: str, now: datetime, reason: str) -> bool:
    """Give up on the delivery, `reason` shown to admins in the channel's settings.

    Index: the primary key.
    """
    return _finish(engine, delivery, worker, now=now, state=DeliveryState.FAILED, note=reason)


def skip(*, engine: Engine, delivery: Delivery, worker: str, now: datetime, reason: str) -> bool:
    """Do not post the delivery: it is no longer wanted, or nobody is there to post it to.

    Index: the primary key.
    """
    return _finish(engine, delivery, worker, now=now, state=DeliveryState.SKIPPED, note=reason)


def posting_since(last_error: str | None) -> datetime | None:
    """When an earlier claim began posting with no known outcome (so the message may exist), or None."""
    found = _POSTING_SINCE.match(last_error or "")
    return datetime.fromtimestamp(float(found.group(1)), tz=UTC) if found else None


def posting_note(since: datetime | None, problem: str | None) -> str | None:
    """A last_error that keeps the posting-since mark in front of `problem`."""
    if since is None:
        return problem
    mark = f"{POSTING_SINCE}{since.timestamp():.6f}"
    return f"{mark}; {problem}"[:200] if problem else mark


def start_posting(
    *, engine: Engine, delivery: Delivery, worker: str, now: datetime, lease_until: datetime, since: datetime
) -> bool:
    """Renew this worker's claim and mark that posting began at `since`; False when the claim was lost.

    Index: the primary key.
    """
    note = posting_note(since, None)
    return _transition(engine, delivery, worker, lease_until=lease_until, last_error=note, now=now)


def start_posting_many(
    *, engine: Engine, ids: list[int], worker: str, now: datetime, lease_until: datetime
) -> set[int]:
    """start_posting for many deliveries at once, all marked posting since `now`; the ids still held.

    Index: the primary key.
    """
    where = [_ids_in(engine, ids), *_held_by(worker)]
    values = {"lease_until": lease_until, "last_error": posting_note(now, None), "updated_at": now}
    return set(update_deliveries(engine=engine, where=where, **values))


def mark_sent_many(*, engine: Engine, sent: dict[int, str], worker: str, now: datetime) -> set[int]:
    """mark_sent for many deliveries at once (`sent`: each id's message ts); the ids it could record.

    Index: the primary key.
    """
    where = [_ids_in(engine, sent), *_held_by(worker)]
    if engine.dialect.name == "postgresql":
        # Each row's ts from an array beside the ids: the same statement however many are marked.
        ids, tss = (
            array_of("sent_ids", sent, element_type=Integer()),
            array_of("sent_ts", sent.values(), element_type=String()),
        )
        pairs = func.unnest(ids, tss).table_valued("id", "ts").render_derived(name="sent")
        message_ts = select(pairs.c.ts).where(pairs.c.id == col(Delivery.id)).scalar_subquery()
    else:
        message_ts = case(sent, value=col(Delivery.id))
    values = {
        "state": DeliveryState.SENT,
        "message_ts": message_ts,
        "lease_until": None,
        "last_error": None,
        "updated_at": now,
    }
    return set(update_deliveries(engine=engine, where=where, **values))


def renew_claims(*, engine: Engine, worker: str, lease_until: datetime) -> int:
    """Extend every claim `worker` still holds (its heartbeat); how many it holds.

    Index: ix_delivery_state_not_before (on state), then a scan of the claims, which are few.
    """
    return len(update_deliveries(engine=engine, where=_held_by(worker), lease_until=lease_until))


def release_claims(*, engine: Engine, worker: str, now: datetime) -> int:
    """Give back every claim `worker` still holds, due at once and the attempt returned; how many.

    Index: ix_delivery_state_not_before (on state), then a scan of the claims, which are few.
    """
    return len(
        update_deliveries(
            engine=engine,
            where=_held_by(worker),
            state=DeliveryState.PENDING,
            not_before=now,
            lease_until=None,
            attempts=_attempt_returned(),
            updated_at=now,
        )
    )


def record_lost_post(*, engine: Engine, delivery: Delivery, ts: str, now: datetime) -> str | None:
    """After a lost lease: record our post unless another is recorded; the ts the row now holds.

    Index: the primary key.
    """
    with Session(engine) as session:
        # One atomic update: of two posts racing to be recorded, exactly one wins and the other sees it.
        result = session.execute(
            update(Delivery)
            .where(col(Delivery.id) == delivery.id, col(Delivery.state) != DeliveryState.SENT)
            .values(
                state=DeliveryState.SENT, message_ts=ts, lease_until=None, claimed_by=None, last_error=None
            )
            .values(updated_at=now)
            .returning(Delivery.id)
        )
        recorded = result.first() is not None
        session.commit()
        if recorded:
            return ts
        return session.execute(select(Delivery.message_ts).where(col(Delivery.id) == delivery.id)).scalar()


def record_checkin_post(*, engine: Engine, checkin_id: int, ts: str, posted_at: datetime) -> None:
    """The check-in a delivery carried is in the channel as `ts`: answers and replies find it by that.

    Index: the primary key of checkin.
    """
    with Session(engine) as session:
        session.execute(
            update(CheckIn).where(col(CheckIn.id) == checkin_id).values(message_ts=ts, posted_at=posted_at)
        )
        session.commit()


def _sqlite_due(now: datetime, *, keys: list[str] | None, limit: int) -> Select[tuple[int]]:
    """The ids of the first `limit` claimable deliveries, each half of claimable its own index search.

    SQLite reads the whole table for the OR of claimable ordered by not_before; a UNION ALL of the two
    halves keeps both on ix_delivery_state_not_before.
    """
    pending = and_(col(Delivery.state) == DeliveryState.PENDING, col(Delivery.not_before) <= now)
    lapsed = and_(col(Delivery.state) == DeliveryState.CLAIMED, col(Delivery.lease_until) < now)
    halves = [
        select(col(Delivery.id).label("id"), col(Delivery.not_before).label("not_before")).where(
            half, *([col(Delivery.key).in_(keys)] if keys is not None else [])
        )
        for half in (pending, lapsed)
    ]
    due = union_all(*halves).subquery()
    return select(due.c.id).order_by(due.c.not_before).limit(limit)


def claimable(now: datetime, *, keys: list[str] | None = None) -> ColumnElement[bool]:
    """Deliveries a claim may take at `now` (of `keys`, if given): pending and due, or claimed with a lapsed
    lease."""
    due = or_(
        and_(col(Delivery.state) == DeliveryState.PENDING, col(Delivery.not_before) <= now),
        and_(col(Delivery.state) == DeliveryState.CLAIMED, col(Delivery.lease_until) < now),
    )
    return due if keys is None else and_(due, col(Delivery.key).in_(keys))


def claimed(*, now: datetime, lease: timedelta, worker: str) -> dict[str, object]:
    """The values a claim writes: held by `worker` for `lease`, one more attempt."""
    return {
        "state": DeliveryState.CLAIMED,
        "lease_until": now + lease,
        "claimed_by": worker,
        "attempts": Delivery.attempts + 1,
        "updated_at": now,
    }


def _ids_in(engine: Engine, ids: Collection[int]) -> ColumnElement[bool]:
    return one_of(col(Delivery.id), ids, dialect=engine.dialect.name, element_type=Integer())


def _attempt_returned() -> ColumnElement[int]:
    """The attempt count less the claim's own attempt: a claim given back costs the message nothing."""
    return case((col(Delivery.attempts) > 0, col(Delivery.attempts) - 1), else_=0)


def _finish(
    engine: Engine,
    delivery: Delivery,
    worker: str,
    *,
    now: datetime,
    state: DeliveryState,
    note: str | None,
    **values: object,
) -> bool:
    """End a claim in `state`, its lease dropped and `note` kept as last_error; False when it was lost."""
    last_error = note[:200] if note else note
    return _transition(
        engine, delivery, worker, now=now, state=state, lease_until=None, last_error=last_error, **values
    )


def _transition(engine: Engine, delivery: Delivery, worker: str, *, now: datetime, **values: object) -> bool:
    """Change one delivery while `worker` still holds its claim; False when the claim was lost."""
    return bool(update_deliveries(engine=engine, where=_held_by(worker, delivery), updated_at=now, **values))


def _held_by(worker: str, delivery: Delivery | None = None) -> list[ColumnElement[bool]]:
    """The claims `worker` still holds (of one delivery, if given)."""
    held = [col(Delivery.claimed_by) == worker, col(Delivery.state) == DeliveryState.CLAIMED]
    return held if delivery is None else [col(Delivery.id) == delivery.id, *held]
