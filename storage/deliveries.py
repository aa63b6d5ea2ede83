"""The delivery outbox: plan once per key, claim with a lease, and record what happened."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, Engine, and_, case, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from storage.channel_settings import get_channel_settings
from storage.models import CheckIn, Delivery, DeliveryKind, DeliveryState
from storage.workspace import Workspace

# A claim that starts posting writes when into last_error, and keeps it until the outcome is known: a later
# claim then looks the message up in the channel from that moment on (the post may have reached Slack).
POSTING_SINCE = "posting since "
_POSTING_SINCE = re.compile(r"^posting since (\d+(?:\.\d+)?)")


def existing_keys(*, session: Session, keys: Iterable[str]) -> set[str]:
    """Which of these delivery keys are already planned.

    Index: uq_delivery_key.
    """
    wanted = list(keys)
    if not wanted:
        return set()
    return set(session.execute(select(Delivery.key).where(col(Delivery.key).in_(wanted))).scalars())


def plan_delivery(
    *,
    session: Session,
    key: str,
    kind: DeliveryKind,
    workspace: Workspace,
    channel_id: str,
    payload: dict,
    not_before: datetime,
    now: datetime,
    milestone_id: int | None = None,
    due_date: date | None = None,
    checkin_id: int | None = None,
) -> bool:
    """Insert the delivery unless its key exists, whoever planned it; True when this call inserted it.

    Index: uq_delivery_key (the conflict target).
    """
    values = {
        "key": key,
        "kind": kind,
        "enterprise_id": workspace.enterprise_id,
        "team_id": workspace.team_id,
        "channel_id": channel_id,
        "milestone_id": milestone_id,
        "due_date": due_date,
        "checkin_id": checkin_id,
        "payload": json.dumps(payload),
        "not_before": not_before,
        "state": DeliveryState.PENDING,
        "attempts": 0,
        "created_at": now,
        "updated_at": now,
    }
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(Delivery)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["key"])
        # RETURNING, not rowcount: PostgreSQL's driver reports -1 rows for this statement.
        .returning(Delivery.id)
    )
    return session.execute(statement).first() is not None


def supersede_reminders(*, session: Session, milestone_id: int, keep_key: str, now: datetime) -> None:
    """Skip a milestone's older reminders still waiting: only the latest due one is posted.

    Index: none of its own; a milestone has a handful of reminders, found through the foreign key.
    """
    session.execute(
        update(Delivery)
        .where(
            col(Delivery.milestone_id) == milestone_id,
            col(Delivery.kind) == DeliveryKind.REMINDER,
            col(Delivery.state) == DeliveryState.PENDING,
            col(Delivery.key) != keep_key,
        )
        .values(state=DeliveryState.SKIPPED, last_error="superseded by a later reminder", updated_at=now)
    )


def claim_due(
    *, engine: Engine, now: datetime, lease: timedelta, worker: str, limit: int, keys: list[str] | None = None
) -> list[Delivery]:
    """Claim up to `limit` due deliveries (of `keys`, if given): pending, or claimed with a lapsed lease.

    Index: ix_delivery_state_not_before (uq_delivery_key when `keys` are given).
    """
    due_now = _claimable(now) if keys is None else and_(_claimable(now), col(Delivery.key).in_(keys))
    changes = {
        "state": DeliveryState.CLAIMED,
        "lease_until": now + lease,
        "claimed_by": worker,
        "attempts": Delivery.attempts + 1,
        "updated_at": now,
    }
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
            due = select(Delivery.id).where(due_now).order_by(col(Delivery.not_before)).limit(limit)
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
        claimed = session.execute(
            select(Delivery).where(col(Delivery.id).in_(ids)).order_by(col(Delivery.id))
        )
        return list(claimed.scalars())


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


def renew_claims(*, engine: Engine, worker: str, lease_until: datetime) -> int:
    """Extend every claim `worker` still holds (its heartbeat); how many it holds.

    Index: ix_delivery_state_not_before (on state), then a scan of the claims, which are few.
    """
    return _update(engine, _held_by(worker), lease_until=lease_until)


def release_claims(*, engine: Engine, worker: str, now: datetime) -> int:
    """Give back every claim `worker` still holds, due at once and the attempt returned; how many.

    Index: ix_delivery_state_not_before (on state), then a scan of the claims, which are few.
    """
    return _update(
        engine,
        _held_by(worker),
        state=DeliveryState.PENDING,
        not_before=now,
        lease_until=None,
        attempts=_attempt_returned(),
        updated_at=now,
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


def defer_pending(
    *, engine: Engine, workspace: Workspace, channel_id: str | None = None, until: datetime, now: datetime
) -> int:
    """Hold a workspace's (or one channel's) pending deliveries until `until`; how many were held.

    Slack asked us to slow down in a channel (429), or refuses the workspace's token.
    Index: ix_delivery_channel.
    """
    where = [
        *_of_workspace(workspace),
        col(Delivery.state) == DeliveryState.PENDING,
        col(Delivery.not_before) < until,
    ]
    if channel_id is not None:
        where.append(col(Delivery.channel_id) == channel_id)
    return _update(engine, where, not_before=until, updated_at=now)


def pause_channel(
    *, engine: Engine, workspace: Workspace, channel_id: str, reason: str, now: datetime
) -> None:
    """Stop a channel's deliveries until an admin resumes it: Slack says the bot cannot post there.

    Index: uq_channel_settings_channel.
    """
    with Session(engine) as session:
        settings = get_channel_settings(session=session, workspace=workspace, channel_id=channel_id)
        if settings is not None:
            settings.paused, settings.paused_reason, settings.updated_at = True, reason[:200], now
            session.add(settings)
            session.commit()


def failed_deliveries(
    *, session: Session, workspace: Workspace, channel_id: str, limit: int = 20
) -> list[Delivery]:
    """A channel's deliveries that gave up, newest first: shown to admins in settings.

    Index: ix_delivery_channel.
    """
    statement = (
        select(Delivery)
        .where(
            *_of_workspace(workspace),
            col(Delivery.channel_id) == channel_id,
            col(Delivery.state) == DeliveryState.FAILED,
        )
        .order_by(col(Delivery.updated_at).desc())
        .limit(limit)
    )
    return list(session.execute(statement).scalars())


def skip_workspace(*, engine: Engine, workspace: Workspace, reason: str, now: datetime) -> int:
    """Skip every delivery of a workspace not yet sent (the app left it); how many were skipped.

    Index: ix_delivery_channel (its leading workspace columns).
    """
    unsent = [
        *_of_workspace(workspace),
        col(Delivery.state).in_((DeliveryState.PENDING, DeliveryState.CLAIMED)),
    ]
    return _update(
        engine, unsent, state=DeliveryState.SKIPPED, last_error=reason, lease_until=None, updated_at=now
    )


def _claimable(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(col(Delivery.state) == DeliveryState.PENDING, col(Delivery.not_before) <= now),
        and_(col(Delivery.state) == DeliveryState.CLAIMED, col(Delivery.lease_until) < now),
    )


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
    return _update(engine, _held_by(worker, delivery), updated_at=now, **values) > 0


def _held_by(worker: str, delivery: Delivery | None = None) -> list[ColumnElement[bool]]:
    """The claims `worker` still holds (of one delivery, if given)."""
    held = [col(Delivery.claimed_by) == worker, col(Delivery.state) == DeliveryState.CLAIMED]
    return held if delivery is None else [col(Delivery.id) == delivery.id, *held]


def _of_workspace(workspace: Workspace) -> list[ColumnElement[bool]]:
    """The deliveries of one workspace."""
    return [
        col(Delivery.team_id) == workspace.team_id,
        col(Delivery.enterprise_id) == workspace.enterprise_id,
    ]


def _update(engine: Engine, where: list[ColumnElement[bool]], **values: object) -> int:
    """One UPDATE of the deliveries matching `where`, committed; how many rows it changed."""
    with Session(engine) as session:
        # RETURNING, not rowcount: it counts the same on both databases.
        changed = len(
            session.execute(update(Delivery).where(*where).values(**values).returning(Delivery.id)).all()
        )
        session.commit()
        return changed
