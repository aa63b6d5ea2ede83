"""The working days of several channels at once, for what spans channels (forecasts in a report)."""

from __future__ import annotations

from collections.abc import Collection

from sqlmodel import Session

from bot.core.schedule import schedule_of
from bot.core.workdays import WorkCalendar
from storage.channel_settings import channels_settings
from storage.workspace import Workspace


def work_calendars(
    session: Session, *, workspace: Workspace, channel_ids: Collection[str]
) -> dict[str, WorkCalendar]:
    """Each channel's working days and holidays; Monday to Friday for one without settings yet."""
    found = {
        row.channel_id: schedule_of(row).calendar
        for row in channels_settings(session=session, workspace=workspace, channel_ids=channel_ids)
    }
    return {channel_id: found.get(channel_id) or WorkCalendar() for channel_id in channel_ids}
