"""Reading back the channel settings modal: every setting at once, or every bad field named."""

from __future__ import annotations

import re
from datetime import time
from enum import StrEnum
from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

from bot.core.command_types import SettingsChange
from bot.core.forms.values import ModalErrors, entry
from bot.core.text import excerpt

MAX_REMINDERS = 6
MAX_DAYS_BEFORE = 60
PAUSED = "paused"  # the value of the pause checkbox's one option
_DAY_SEPARATORS = re.compile(r"[,;\s]+")
_DAY_NUMBER = re.compile(r"[0-9]{1,2}")


class SettingsBlock(StrEnum):
    """The settings form's inputs; each block's action_id is its block_id."""

    TIMEZONE = "timezone"
    REMINDER_DAYS = "reminder_days"
    REMINDER_TIME = "reminder_time"
    REVIEW_WEEKDAY = "review_weekday"
    REVIEW_TIME = "review_time"
    PAUSED = "paused"


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


def canonical_timezone(name: str) -> str | None:
    """The IANA spelling of a zone typed in any case (`europe/berlin` → `Europe/Berlin`); None if unknown."""
    return _zones_by_lower_name().get(name.strip().lower())


def stored_days(text: str) -> list[int]:
    """The days before the due date a channel stores as `7,1,0`; empty when reminders are off."""
    return [int(part) for part in _DAY_SEPARATORS.split(text) if _DAY_NUMBER.fullmatch(part)]


@lru_cache(maxsize=1)
def _zones_by_lower_name() -> dict[str, str]:
    return {zone.lower(): zone for zone in available_timezones()}


def _read_timezone(values: dict[str, Any], *, errors: dict[str, str]) -> str | None:
    raw = (entry(values, SettingsBlock.TIMEZONE).get("value") or "").strip()
    if not raw:
        errors[SettingsBlock.TIMEZONE] = "Give a time zone, like Europe/Berlin or America/New_York."
        return None
    zone = canonical_timezone(raw)
    if zone is None:
        errors[SettingsBlock.TIMEZONE] = (
            f"“{excerpt(raw)}” isn't a time zone I know; try one like Europe/Berlin."
        )
    return zone


def _read_days(values: dict[str, Any], *, errors: dict[str, str]) -> tuple[int, ...] | None:
    raw = (entry(values, SettingsBlock.REMINDER_DAYS).get("value") or "").strip()
    parts = [part for part in _DAY_SEPARATORS.split(raw) if part]
    bad = [part for part in parts if not _DAY_NUMBER.fullmatch(part) or int(part) > MAX_DAYS_BEFORE]
    if bad:
        errors[SettingsBlock.REMINDER_DAYS] = (
            f"“{excerpt(bad[0], limit=20)}” isn't a number of days from 0 to {MAX_DAYS_BEFORE};"
            " write them like 7, 1, 0."
        )
        return None
    # Listed furthest first, as they fall; the same day twice is one reminder.
    days = tuple(sorted({int(part) for part in parts}, reverse=True))
    if len(days) > MAX_REMINDERS:
        errors[SettingsBlock.REMINDER_DAYS] = f"That's {len(days)} reminders; keep it to {MAX_REMINDERS}."
        return None
    return days


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
