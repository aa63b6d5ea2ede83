"""Reading back the channel settings modal: every setting at once, or every bad field named."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import time
from enum import StrEnum
from typing import Any, cast

from bot.core.command_types import NO_HOLIDAYS, RemindersTo, SettingsChange
from bot.core.countries import holidays_setting
from bot.core.forms.values import ModalErrors, entry, metadata_field, read_metadata
from bot.core.limits import LimitError, check_reminder_days, check_timezone, check_workdays
from storage.models import REMINDERS_TO

CALLBACK = "channel_settings"
PAUSED = "paused"  # the value of the pause checkbox's one option
REVIEW_DM = "review_dm"  # the values of the review DM checkboxes' two options
CHASE = "chase"
OVERDUE_NUDGE = "overdue"  # the value of the reminder box "the day after, if not done"
COUNTRY_CHARS = 40  # a country's code or name (`US`, `United Kingdom`)
_PICK_A_ZONE = "Pick a time zone from the list: type a city to find it, like Berlin or New York."
# A reminder box's value is its days before the due date; a longer run (never from Slack) is no day.
_DAY_NUMBER = re.compile("[0-9]{1,3}")


class SettingsBlock(StrEnum):
    """The settings form's inputs; each block's action_id is its block_id."""

    TIMEZONE = "timezone"
    REMINDER_DAYS = "reminder_days"  # checkboxes: days before the due date, and the overdue nudge
    REMINDER_TIME = "reminder_time"
    REVIEW_WEEKDAY = "review_weekday"
    REVIEW_TIME = "review_time"
    WORKDAYS = "workdays"
    HOLIDAYS = "holidays"
    REMINDERS_TO = "reminders_to"
    REVIEW_DMS = "review_dms"
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
    """Check Slack's `view.state.values`; raise ModalErrors naming every bad field, or return all settings.

    A form opened before an input was added to it submits without that input: its setting is left as is.
    """
    errors: dict[str, str] = {}
    timezone = _read_timezone(values, errors=errors)
    days, nudge = _read_reminders(values, errors=errors)
    reminder_time = _read_time(values, SettingsBlock.REMINDER_TIME, what="reminders", errors=errors)
    weekday = _read_weekday(values, errors=errors)
    review_time = _read_time(values, SettingsBlock.REVIEW_TIME, what="the weekly review", errors=errors)
    workdays = _read_workdays(values, errors=errors)
    holidays = _read_holidays(values, errors=errors)
    if errors:
        raise ModalErrors(errors)
    review_dms = _chosen(values, SettingsBlock.REVIEW_DMS)
    return SettingsChange(
        timezone=timezone,
        reminder_days=days,
        reminder_time=reminder_time,
        review_weekday=weekday,
        review_time=review_time,
        paused=PAUSED in (_chosen(values, SettingsBlock.PAUSED) or set()),
        workdays=workdays,
        holidays=holidays,
        review_dm=None if review_dms is None else REVIEW_DM in review_dms,
        chase=None if review_dms is None else CHASE in review_dms,
        reminders_to=_read_reminders_to(values),
        overdue_nudge=nudge,
    )


def _read_timezone(values: dict[str, Any], *, errors: dict[str, str]) -> str | None:
    """The zone picked from the menu (or typed, in a form opened before the menu came)."""
    state = entry(values, SettingsBlock.TIMEZONE)
    if "value" in state:  # the old text box: its own words say what to type
        try:
            return check_timezone(state["value"] if isinstance(state["value"], str) else "")
        except LimitError as error:
            errors[SettingsBlock.TIMEZONE] = str(error)
            return None
    picked = (state.get("selected_option") or {}).get("value")
    try:
        return check_timezone(picked if isinstance(picked, str) else "")
    except LimitError:
        # Only a forged or stale choice gets here: the menu offers known zones alone.
        errors[SettingsBlock.TIMEZONE] = _PICK_A_ZONE
        return None


def _read_reminders(
    values: dict[str, Any], *, errors: dict[str, str]
) -> tuple[tuple[int, ...] | None, bool | None]:
    """The ticked reminder days, furthest first, and whether the overdue nudge is on; none ticked: all off.

    A form opened before the boxes came (a text box then) leaves both as they are.
    """
    state = entry(values, SettingsBlock.REMINDER_DAYS)
    if "selected_options" not in state:
        return None, None
    chosen = _chosen(values, SettingsBlock.REMINDER_DAYS) or set()
    try:
        days = check_reminder_days(int(value) for value in chosen if _DAY_NUMBER.fullmatch(value or ""))
    except LimitError as error:
        errors[SettingsBlock.REMINDER_DAYS] = str(error)
        return None, None
    return days, OVERDUE_NUDGE in chosen


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


def _read_workdays(values: dict[str, Any], *, errors: dict[str, str]) -> tuple[int, ...] | None:
    """The ticked weekdays; at least one."""
    chosen = _chosen(values, SettingsBlock.WORKDAYS)
    if chosen is None:
        return None
    days = [int(value) for value in chosen if value in {str(day) for day in range(7)}]
    try:
        return check_workdays(days)
    except LimitError:
        errors[SettingsBlock.WORKDAYS] = "Tick at least one working day."
        return None


def _read_holidays(values: dict[str, Any], *, errors: dict[str, str]) -> str | None:
    """A country's code or name, read as the command reads it; empty (or `none`) is no public holidays."""
    if SettingsBlock.HOLIDAYS not in values:
        return None
    written = " ".join((entry(values, SettingsBlock.HOLIDAYS).get("value") or "").split())
    if not written:
        return NO_HOLIDAYS
    try:
        return holidays_setting(written)
    except LimitError as error:
        errors[SettingsBlock.HOLIDAYS] = str(error)
        return None


def _read_reminders_to(values: dict[str, Any]) -> RemindersTo | None:
    """Where reminders go; a choice the form never offered leaves it as is."""
    option = entry(values, SettingsBlock.REMINDERS_TO).get("selected_option") or {}
    value = option.get("value")
    return cast(RemindersTo, value) if value in REMINDERS_TO else None


def _chosen(values: dict[str, Any], block_id: str) -> set[str] | None:
    """The values of the ticked boxes of a checkboxes input; None when the form has no such input."""
    if block_id not in values:
        return None
    options = entry(values, block_id).get("selected_options") or []
    return {option.get("value") for option in options if isinstance(option, dict)}
