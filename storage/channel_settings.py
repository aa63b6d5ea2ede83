"""Queries on channel settings: how and when each channel hears from the bot."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import Connection, Engine, bindparam
from sqlmodel import Session, col, func, select

from storage.models import ChannelSettings
from storage.workspace import Workspace


def get_channel_settings(
    *, session: Session, workspace: Workspace, channel_id: str
) -> ChannelSettings | None:
    """The channel's settings row, or None before its first milestone.

    Index: uq_channel_settings_channel.
    """
    statement = select(ChannelSettings).where(
        ChannelSettings.team_id == workspace.team_id,
        ChannelSettings.enterprise_id == workspace.enterprise_id,
        ChannelSettings.channel_id == channel_id,
    )
    return session.exec(statement).first()


def channels_settings(
    *, session: Session, workspace: Workspace, channel_ids: Collection[str]
) -> list[ChannelSettings]:
    """The settings rows of these channels of the workspace (none for a channel without milestones yet).

    Index: uq_channel_settings_channel.
    """
    if not channel_ids:
        return []
    statement = select(ChannelSettings).where(
        ChannelSettings.team_id == workspace.team_id,
        ChannelSettings.enterprise_id == workspace.enterprise_id,
        col(ChannelSettings.channel_id).in_(sorted(channel_ids)),
    )
    return list(session.exec(statement).all())


# Built once: a statement built per call costs more to key for SQLAlchemy's compiled cache than to run.
_CHANNEL_TIMEZONE = select(ChannelSettings.timezone).where(
    ChannelSettings.team_id == bindparam("team_id"),
    ChannelSettings.enterprise_id == bindparam("enterprise_id"),
    ChannelSettings.channel_id == bindparam("channel_id"),
)


def channel_timezone(*, connection: Connection, workspace: Workspace, channel_id: str) -> str | None:
    """The time zone the channel's settings row gives it, or None before its first milestone.

    One column on a plain connection: every slash command reads it, most of them for nothing else.
    Index: uq_channel_settings_channel.
    """
    where = {"team_id": workspace.team_id, "enterprise_id": workspace.enterprise_id, "channel_id": channel_id}
    return connection.execute(_CHANNEL_TIMEZONE, where).scalar_one_or_none()


def workspace_timezones(*, session: Session, workspace: Workspace, limit: int) -> list[str]:
    """The time zones the workspace's channels use, most used first.

    Index: uq_channel_settings_channel, by its (enterprise_id, team_id) prefix.
    """
    statement = (
        select(ChannelSettings.timezone)
        .where(
            ChannelSettings.team_id == workspace.team_id,
            ChannelSettings.enterprise_id == workspace.enterprise_id,
        )
        .group_by(col(ChannelSettings.timezone))
        .order_by(func.count().desc(), col(ChannelSettings.timezone))
        .limit(limit)
    )
    return list(session.exec(statement).all())


def all_channel_settings(*, session: Session) -> list[ChannelSettings]:
    """Every channel's settings (one small row per channel that has milestones).

    Index: none, a full read of a table with one row per channel in use.
    """
    return list(session.exec(select(ChannelSettings)).all())


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
