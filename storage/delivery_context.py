"""What a round of deliveries is judged by before posting: their milestones, check-ins and channels' settings,
each read once for the whole round."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select, tuple_
from sqlmodel import Session, col

from storage.models import ChannelSettings, CheckIn, Milestone

Channel = tuple[str, str, str]  # enterprise, team, channel


def milestones_by_id(*, session: Session, ids: Collection[int]) -> dict[int, Milestone]:
    """The milestones of `ids` still there (a deleted one is missing).

    Index: the primary key.
    """
    if not ids:
        return {}
    found = session.execute(select(Milestone).where(col(Milestone.id).in_(list(ids))))
    return {milestone.id or 0: milestone for milestone in found.scalars()}


def checkins_by_id(*, session: Session, ids: Collection[int]) -> dict[int, CheckIn]:
    """The check-ins of `ids` still there.

    Index: the primary key.
    """
    if not ids:
        return {}
    found = session.execute(select(CheckIn).where(col(CheckIn.id).in_(list(ids))))
    return {checkin.id or 0: checkin for checkin in found.scalars()}


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
    found = session.execute(select(ChannelSettings).where(tuple_(*columns).in_(list(channels))))
    return {(row.enterprise_id, row.team_id, row.channel_id): row for row in found.scalars()}
