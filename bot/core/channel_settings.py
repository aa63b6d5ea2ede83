"""A channel's settings: read them (with defaults before the first milestone) and change them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.command_types import ESCALATION_OFF, NO_HOLIDAYS, SettingsChange
from bot.core.limits import stored_reminder_days, stored_workdays
from storage.channel_settings import get_channel_settings
from storage.db import session_scope
from storage.deliveries import failed_deliveries
from storage.models import ChannelSettings, Delivery
from storage.workspace import Workspace


def settings_for(
    session: Session, *, workspace: Workspace, channel_id: str, timezone: str, now: datetime
) -> ChannelSettings:
    """The channel's settings row, or an unsaved one with the defaults and the given time zone."""
    found = get_channel_settings(session=session, workspace=workspace, channel_id=channel_id)
    if found is not None:
        return found
    return ChannelSettings(
        team_id=workspace.team_id,
        enterprise_id=workspace.enterprise_id,
        channel_id=channel_id,
        timezone=timezone,
        created_at=now,
        updated_at=now,
    )


def read_settings(
    *, engine: Engine, workspace: Workspace, channel_id: str, timezone: str, now: datetime
) -> tuple[ChannelSettings, list[Delivery]]:
    """The channel's settings and the deliveries that gave up there."""
    with Session(engine) as session:
        settings = settings_for(
            session, workspace=workspace, channel_id=channel_id, timezone=timezone, now=now
        )
        return settings, failed_deliveries(session=session, workspace=workspace, channel_id=channel_id)


def change_settings(
    *,
    engine: Engine,
    workspace: Workspace,
    channel_id: str,
    change: SettingsChange,
    timezone: str,
    now: datetime,
) -> ChannelSettings:
    """Apply the given changes (creating the row if needed); resuming clears the reason it was paused."""
    with session_scope(engine) as session:
        settings = settings_for(
            session, workspace=workspace, channel_id=channel_id, timezone=timezone, now=now
        )
        _apply(change, settings=settings)
        settings.updated_at = now
        session.add(settings)
        return settings


def _apply(change: SettingsChange, *, settings: ChannelSettings) -> None:
    """Every setting the change gives, written as the row stores it; the rest stays as it is."""
    if change.timezone is not None:
        settings.timezone = change.timezone
    if change.reminder_days is not None:
        settings.reminder_days = stored_reminder_days(change.reminder_days)
    if change.reminder_time is not None:
        settings.reminder_time = change.reminder_time.strftime("%H:%M")
    if change.review_weekday is not None:
        settings.review_weekday = change.review_weekday
    if change.review_time is not None:
        settings.review_time = change.review_time.strftime("%H:%M")
    if change.paused is not None:
        settings.paused = change.paused
        settings.paused_reason = "paused in settings" if change.paused else None
    if change.workdays is not None:
        settings.workdays = stored_workdays(change.workdays)
    if change.holidays is not None:
        settings.holidays = None if change.holidays == NO_HOLIDAYS else change.holidays
    if change.review_dm is not None:
        settings.review_dm = change.review_dm
    if change.chase is not None:
        settings.chase = change.chase
    if change.reminders_to is not None:
        settings.reminders_to = change.reminders_to
    if change.overdue_nudge is not None:
        settings.overdue_nudge = change.overdue_nudge
    if change.escalation is not None:
        off = change.escalation == ESCALATION_OFF
        settings.escalate_days = None if off else change.escalation.days
        settings.escalate_to = None if off else change.escalation.to
