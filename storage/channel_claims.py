"""Claims by channel: a channel's due deliveries go to one claimer at a time, posted in order at its pace."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, Integer, Select, and_, bindparam, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import Text
from sqlmodel import Session, col

from storage.arrays import one_of
from storage.claims import claimable, claimed
from storage.models import Delivery, DeliveryState
from storage.workspace import Channel

# PostgreSQL advisory locks of this class guard the choice of channels between instances claiming at once.
_CHANNEL_LOCK_CLASS = 4012
# How far down the due rows a claim looks for channels nobody is posting to.
_SCAN_ROWS_PER_CHANNEL = 20
_CHANNEL_COLUMNS = (col(Delivery.enterprise_id), col(Delivery.team_id), col(Delivery.channel_id))
_OLDEST_FIRST = (col(Delivery.not_before), col(Delivery.id))


def claim_channels(
    *,
    engine: Engine,
    now: datetime,
    lease: timedelta,
    worker: str,
    channels: int,
    per_channel: int,
    keys: list[str] | None = None,
) -> list[Delivery]:
    """Claim the first due deliveries (up to `per_channel` each) of up to `channels` channels that no live
    claim holds, oldest first: each channel is posted by one claimer at a time, in order.

    Index: ix_delivery_state_not_before (the due rows, and the live claims, which are few); uq_delivery_key
    when `keys` are given.
    """
    due_now = claimable(now, keys=keys)
    where = and_(due_now, tuple_(*_CHANNEL_COLUMNS).not_in(_live_claim_channels(now)))
    postgres = engine.dialect.name == "postgresql"
    with Session(engine, expire_on_commit=False) as session:
        scan = select(*_CHANNEL_COLUMNS).where(where).order_by(*_OLDEST_FIRST)
        found = session.execute(scan.limit(channels * _SCAN_ROWS_PER_CHANNEL))
        picked: list[Channel] = list(dict.fromkeys((row[0], row[1], row[2]) for row in found))[:channels]
        if postgres and picked:
            picked = _lock_channels(session, picked)
        if not picked:
            return []
        # Read again under the channel locks: a claim another instance committed meanwhile is seen as live.
        rows = select(Delivery.id, *_CHANNEL_COLUMNS).where(where, tuple_(*_CHANNEL_COLUMNS).in_(picked))
        rows = rows.order_by(*_OLDEST_FIRST).limit(channels * per_channel)
        if postgres:
            rows = rows.with_for_update(skip_locked=True)
        ids = _first_of_each(session.execute(rows), per_channel=per_channel)
        if not ids:
            session.commit()
            return []
        # The claim and the claimed rows in one statement (an array of ids on PostgreSQL: one query text).
        of_these = one_of(col(Delivery.id), ids, dialect=engine.dialect.name, element_type=Integer())
        values = claimed(now=now, lease=lease, worker=worker)
        claim = update(Delivery).where(of_these).values(**values).returning(Delivery)
        batch = list(session.scalars(claim, execution_options={"synchronize_session": False}))
        session.commit()  # the advisory locks go with the transaction: our claims now keep others away
        return sorted(batch, key=lambda row: (row.not_before, row.id or 0))


def _first_of_each(rows: object, *, per_channel: int) -> list[int]:
    """The ids of the first `per_channel` rows of each channel (rows: id, enterprise, team, channel)."""
    taken: dict[Channel, int] = {}
    ids: list[int] = []
    for row in rows:  # type: ignore[attr-defined]
        channel = (row[1], row[2], row[3])
        if taken.get(channel, 0) < per_channel:
            taken[channel] = taken.get(channel, 0) + 1
            ids.append(row[0])
    return ids


def _live_claim_channels(now: datetime) -> Select:
    """The channels some claim with a live lease is posting to."""
    live = and_(col(Delivery.state) == DeliveryState.CLAIMED, col(Delivery.lease_until) >= now)
    return select(*_CHANNEL_COLUMNS).where(live)


def _lock_channels(session: Session, picked: list[Channel]) -> list[Channel]:
    """The channels of `picked` this transaction could lock (another claimer is choosing the rest)."""
    names = ["\x1f".join(channel) for channel in picked]
    statement = text(
        "SELECT k FROM unnest(:names) AS k WHERE pg_try_advisory_xact_lock(:lock_class, hashtext(k))"
    ).bindparams(bindparam("names", type_=ARRAY(Text())))
    locked = set(session.execute(statement, {"names": names, "lock_class": _CHANNEL_LOCK_CLASS}).scalars())
    return [channel for channel, name in zip(picked, names, strict=True) if name in locked]
