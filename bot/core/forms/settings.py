"""Reading back the channel settings modal: every setting at once, or every bad field named."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import time
from enum import StrEnum
from typing import Any

from bot.core.command_types import SettingsChange
from bot.core.forms.values import ModalErrors, entry, metadata_field, read_metadata
from bot.core.limits import MAX_DAYS_BEFORE, LimitError, check_reminder_days, check_timezone
from bot.core.text import excerpt

CALLBACK = "channel_settings"
PAUSED = "paused"  # the value of the pause checkbox's one option
BOX_CHARS = 64  # what the time zone and reminder days boxes hold
_DAY_SEPARATORS = re.compile(r"[,;\s]+")
# As many digits as the box holds; a longer run (never from Slack's form) is no number, not a huge one.
_DAY_NUMBER = re.compile(f"[0-9]{{1,{BOX_CHARS}}}")


class SettingsBlock(StrEnum):
    """The settings form's inputs; each block's action_id is its block_id."""

    TIMEZONE = "timezone"
    REMINDER_DAYS = "reminder_days"
    REMINDER_TIME = "reminder_time"
    REVIEW_WEEKDAY = "review_weekday"
    REVIEW_TIME = "review_time"
    PAUSED = "paused"


@dataclass(frozen=True)
class SettingsContext:
    """What the settings form carries in private_metadata: the channel whose settings it shows."""

    channel_id: str

    def to_metadata(self) -> str:
        """The private_metadata the form carries; `read_settings_context` reads it back."""
        return json.dumps({"channel_id": self.channel_id})


def read_settings_context(private_metadata: str) -> SettingsContext:
    """The channel a submitted settings form was opened for."""
    data = read_metadata(private_metadata)
    return SettingsContext(channel_id=metadata_field(data, "channel_id", str, required=True))


def read_settings_modal(values: dict[str, Any]) -> SettingsChange:
    """Check Slack's `view.state.values`; raise ModalErrors naming every bad field, or return all settings."""
    errors: dict[str, str] = {}
    timezone = _read_timezone(values, errors=errors)
    days = _read_days(values, errors=errors)
    reminder_time = _read_time(values, SettingsBlock.REMINDER_TIME, what="reminders", errors=errors)
    weekday = _read_weekday(values, errors=errors)
    review_time = _read_time(values, SettingsBlock.REVIEW_TIME, what="the weekly review", errors=errors)
    chosen = entry(values, SettingsBlock.PAUSED).get("selected_options") or []
    if errors:
        raise ModalErrors(errors)
    return SettingsChange(
        timezone=timezone,
        reminder_days=days,
        reminder_time=reminder_time,
        review_weekday=weekday,
        review_time=review_time,
        paused=any(option.get("value") == PAUSED for option in chosen),
    )


def _read_timezone(values: dict[str, Any], *, errors: dict[str, str]) -> str | None:
    try:
        return check_timezone(entry(values, SettingsBlock.TIMEZONE).get("value") or "")
    except LimitError as error:
        errors[SettingsBlock.TIMEZONE] = str(error)
        return None


def _read_days(values: dict[str, Any], *, errors: dict[str, str]) -> tuple[int, ...] | None:
    """Days as typed (`7, 1, 0`, `14 3`), furthest first and each once; empty turns reminders off."""
    raw = entry(values, SettingsBlock.REMINDER_DAYS).get("value") or ""
    parts = [part for part in _DAY_SEPARATORS.split(raw) if part]
    not_days = [part for part in parts if not _DAY_NUMBER.fullmatch(part)]
    if not_days:
        errors[SettingsBlock.REMINDER_DAYS] = (
            f"“{excerpt(not_days[0], limit=20)}” isn't a number of days from 0 to {MAX_DAYS_BEFORE};"
            " write them like 7, 1, 0."
        )
        return None
    try:
        return check_reminder_days(int(part) for part in parts)
    except LimitError as error:
        errors[SettingsBlock.REMINDER_DAYS] = str(error)
        return None


def _read_time(values: dict[str, Any], block_id: str, *, what: str, errors: dict[str, str]) -> time | None:
    raw = entry(values, block_id).get("selected_time")
    if not raw:
        errors[block_id] = f"Pick a time for {what}."
        return None
    try:
        return time.fromisoformat(raw)
    except ValueError:
        errors[block_id] = "Pick a time from the list."
        return None


def _read_weekday(values: dict[str, Any], *, errors: dict[str, str]) -> int | None:
    option = entry(values, SettingsBlock.REVIEW_WEEKDAY).get("selected_option") or {}
    value = option.get("value")
    if value not in {str(day) for day in range(7)}:
        errors[SettingsBlock.REVIEW_WEEKDAY] = "Pick a day for the weekly review."
        return None
    return int(value)
