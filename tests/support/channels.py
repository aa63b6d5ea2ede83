"""A channel's settings built in memory, for tests that need them without a database."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from storage.models import ChannelSettings

CREATED = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)


def make_settings(**overrides: Any) -> ChannelSettings:
    """Berlin time, reminders 7, 1 and 0 days before at 09:30, review Fridays at 16:00; override any field."""
    values: dict[str, Any] = {
        "team_id": "T1",
        "channel_id": "C1",
        "timezone": "Europe/Berlin",
        "reminder_days": "7,1,0",
        "reminder_time": "09:30",
        "review_weekday": 4,
        "review_time": "16:00",
        "created_at": CREATED,
        "updated_at": CREATED,
    }
    return ChannelSettings(**(values | overrides))
