"""What a round of deliveries is judged by before posting: their milestones, check-ins and channels' settings,
each read once for the whole round."""

from __future__ import annotations

from collections.abc import Collection
from typing import TypeVar

from sqlalchemy import Integer, String, select, tuple_
from sqlmodel import Session, col

from storage.arrays import one_of
from storage.models import ChannelSettings, CheckIn, Milestone
from storage.workspace import Channel

Row = TypeVar("Row", Milestone, CheckIn)


def milestones_by_id(*, session: Session, ids: Collection[int]) -> dict[int, Milestone]:
    """The milestones of `ids` still there (a deleted one is missing).

    Index: the primary key.
    """
    return _by_id(session, Milestone, ids)


def checkins_by_id(*, session: Session, ids: Collection[int]) -> dict[int, CheckIn]:
    """The check-ins of `ids` still there.

    Index: the primary key.
    """
    return _by_id(session, CheckIn, ids)


def _by_id(session: Session, model: type[Row], ids: Collection[int]) -> dict[int, Row]:
    if not ids:
        return {}
    key = col(model.id)
    of_these = one_of(key, ids, dialect=_dialect(session), element_type=Integer())
    return {row.id or 0: row for row in session.execute(select(model).where(of_these)).scalars()}


def settings_of_channels(
    *, session: Session, channels: Collection[Channel]
) -> dict[Channel, ChannelSettings]:
    """The settings rows of `channels` (enterprise, team, channel) that have one.

    Index: uq_channel_settings_channel.
    """
    if not channels:
        return {}
    columns = (
        col(ChannelSettings.enterprise_id),
        col(ChannelSettings.team_id),
        col(ChannelSettings.channel_id),
    )
    dialect = _dialect(session)
    if dialect == "postgresql":
        # Each column among its values (one array each, on the unique index); the few other combinations
        # this also matches are dropped below.
        where = [
            one_of(column, {c[n] for c in channels}, dialect=dialect, element_type=String())
            for n, column in enumerate(columns)
        ]
    else:
        where = [tuple_(*columns).in_(list(channels))]
    found = session.execute(select(ChannelSettings).where(*where))
    rows = {(row.enterprise_id, row.team_id, row.channel_id): row for row in found.scalars()}
    return {channel: row for channel, row in rows.items() if channel in channels}


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name
