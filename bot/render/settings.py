"""A channel's settings: the summary `/milestone settings` shows, the settings modal, and reading it back."""

from __future__ import annotations

import json
import re
from datetime import time
from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    DividerBlock,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
    TimePickerElement,
)
from slack_sdk.models.views import View

from bot.core.command_types import SettingsChange
from bot.core.text import escape_mrkdwn, excerpt
from bot.render.message import Message, build_message, context, packed_sections, section
from bot.render.modal_input import ModalErrors
from storage.models import ChannelSettings, Delivery

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_REMINDERS = 6
MAX_DAYS_BEFORE = 60
FAILED_LIMIT = 10
_ERROR_CHARS = 120
_DAYS_HINT = "Days before the due date; empty for none. The overdue nudge is always sent the day after."
_TEXT_FORM = (
    "Or type `/milestone settings timezone Europe/Berlin reminders 7,1,0 at 09:30 review fri 16:00`;"
    " `/milestone settings pause` or `resume` stops and restarts reminders and check-ins."
)
_DAY_SEPARATORS = re.compile(r"[,;\s]+")
_DAY_NUMBER = re.compile(r"[0-9]{1,2}")


def settings_message(s: ChannelSettings, *, failed: list[Delivery], show_failed: bool) -> Message:
    """The channel's schedule on one line, failed posts for admins, and how to change it all."""
    summary = f"Settings for <#{s.channel_id}>: {summary_text(s)}"
    blocks: list[Block] = [section(summary)]
    if show_failed and failed:
        blocks += packed_sections(failed_lines(failed), max_lines=FAILED_LIMIT + 2)
    blocks.append(context(_TEXT_FORM))
    return build_message(text=summary, blocks=blocks)


def summary_text(s: ChannelSettings) -> str:
    """`time zone Europe/Berlin · reminders 7 and 1 days before at 09:30 · weekly review Fridays at 16:00`."""
    days = stored_days(s.reminder_days)
    reminders = f"reminders {_days_text(days)} at {s.reminder_time}" if days else "reminders off"
    review = f"weekly review {WEEKDAYS[s.review_weekday]}s at {s.review_time}"
    state = "active"
    if s.paused:
        reason = " ".join((s.paused_reason or "").split())
        state = f"paused ({escape_mrkdwn(reason)})" if reason else "paused"
    return " · ".join([f"time zone {escape_mrkdwn(s.timezone)}", reminders, review, state])


def failed_lines(failed: list[Delivery]) -> list[str]:
    """`⚠️ 2 messages could not be posted:` and a line per delivery (kind, key, last error, attempts)."""
    count = len(failed)
    lines = [f"⚠️ {count} message{'' if count == 1 else 's'} could not be posted:"]
    for delivery in failed[:FAILED_LIMIT]:
        key = escape_mrkdwn(delivery.key.replace("`", "'"))
        error = escape_mrkdwn(
            excerpt(" ".join((delivery.last_error or "no error recorded").split()), limit=_ERROR_CHARS)
        )
        tries = f"{delivery.attempts} attempt{'' if delivery.attempts == 1 else 's'}"
        lines.append(f"• {escape_mrkdwn(delivery.kind)} `{key}` — {error} ({tries})")
    if count > FAILED_LIMIT:
        lines.append(f"and {count - FAILED_LIMIT} more")
    return lines


def stored_days(text: str) -> list[int]:
    """The days before the due date a channel stores as `7,1,0`; empty when reminders are off."""
    return [int(part) for part in _DAY_SEPARATORS.split(text) if _DAY_NUMBER.fullmatch(part)]


def settings_modal(*, s: ChannelSettings, failed: list[Delivery], show_failed: bool) -> dict:
    """The settings form filled with the channel's current values; admins also see failed posts."""
    weekday_options = [
        Option(value=str(day), text=PlainTextObject(text=name)) for day, name in enumerate(WEEKDAYS)
    ]
    pause_option = Option(
        value="paused", text=PlainTextObject(text="Pause reminders and check-ins in this channel")
    )
    blocks: list[Block] = [
        InputBlock(
            block_id="timezone",
            label=PlainTextObject(text="Time zone"),
            element=PlainTextInputElement(
                action_id="timezone",
                placeholder=PlainTextObject(text="Europe/Berlin"),
                initial_value=s.timezone or None,
                max_length=64,
            ),
            hint=PlainTextObject(text="Reminders and the weekly review follow this zone's clock."),
        ),
        InputBlock(
            block_id="reminder_days",
            label=PlainTextObject(text="Reminder days"),
            element=PlainTextInputElement(
                action_id="reminder_days",
                placeholder=PlainTextObject(text="7, 1, 0"),
                initial_value=", ".join(str(day) for day in stored_days(s.reminder_days)) or None,
                max_length=64,
            ),
            hint=PlainTextObject(text=_DAYS_HINT),
            optional=True,
        ),
        _time_input("reminder_time", "Reminder time", initial=s.reminder_time),
        InputBlock(
            block_id="review_weekday",
            label=PlainTextObject(text="Weekly review day"),
            element=StaticSelectElement(
                action_id="review_weekday",
                placeholder=PlainTextObject(text="Pick a day"),
                options=weekday_options,
                initial_option=weekday_options[s.review_weekday] if 0 <= s.review_weekday < 7 else None,
            ),
        ),
        _time_input("review_time", "Weekly review time", initial=s.review_time),
        InputBlock(
            block_id="paused",
            label=PlainTextObject(text="Pause"),
            element=CheckboxesElement(
                action_id="paused",
                options=[pause_option],
                initial_options=[pause_option] if s.paused else None,
            ),
            hint=PlainTextObject(text=f"Paused: {excerpt(s.paused_reason, limit=120)}")
            if s.paused and s.paused_reason
            else None,
            optional=True,
        ),
    ]
    if show_failed and failed:
        blocks += [DividerBlock(), *(context(line) for line in failed_lines(failed))]
    view = View(
        type="modal",
        callback_id="channel_settings",
        title=PlainTextObject(text="Channel settings"),
        submit=PlainTextObject(text="Save"),
        close=PlainTextObject(text="Cancel"),
        private_metadata=json.dumps({"channel_id": s.channel_id}),
        blocks=blocks,
    )
    return view.to_dict()


def read_settings_modal(values: dict[str, Any]) -> SettingsChange:
    """Check Slack's `view.state.values`; raise ModalErrors naming every bad field, or return all settings."""
    errors: dict[str, str] = {}
    timezone = _read_timezone(values, errors=errors)
    days = _read_days(values, errors=errors)
    reminder_time = _read_time(values, "reminder_time", what="reminders", errors=errors)
    weekday = _read_weekday(values, errors=errors)
    review_time = _read_time(values, "review_time", what="the weekly review", errors=errors)
    chosen = _entry(values, "paused").get("selected_options") or []
    if errors:
        raise ModalErrors(errors)
    return SettingsChange(
        timezone=timezone,
        reminder_days=days,
        reminder_time=reminder_time,
        review_weekday=weekday,
        review_time=review_time,
        paused=any(option.get("value") == "paused" for option in chosen),
    )


def canonical_timezone(name: str) -> str | None:
    """The IANA spelling of a zone typed in any case (`europe/berlin` → `Europe/Berlin`); None if unknown."""
    return _zones_by_lower_name().get(name.strip().lower())


@lru_cache(maxsize=1)
def _zones_by_lower_name() -> dict[str, str]:
    return {zone.lower(): zone for zone in available_timezones()}


def _days_text(days: list[int]) -> str:
    """`7, 1 and 0 days before`, `1 day before`."""
    numbers = [str(day) for day in days]
    listed = numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} and {numbers[-1]}"
    return f"{listed} day{'' if days == [1] else 's'} before"


def _time_input(block_id: str, label: str, *, initial: str) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=PlainTextObject(text=label),
        element=TimePickerElement(
            action_id=block_id,
            placeholder=PlainTextObject(text="Pick a time"),
            initial_time=initial or None,
        ),
    )


def _entry(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    """One input's state; our action_id always equals its block_id."""
    return values.get(block_id, {}).get(block_id) or {}


def _read_timezone(values: dict[str, Any], *, errors: dict[str, str]) -> str | None:
    raw = (_entry(values, "timezone").get("value") or "").strip()
    if not raw:
        errors["timezone"] = "Give a time zone, like Europe/Berlin or America/New_York."
        return None
    zone = canonical_timezone(raw)
    if zone is None:
        errors["timezone"] = f"“{excerpt(raw)}” isn't a time zone I know; try one like Europe/Berlin."
    return zone


def _read_days(values: dict[str, Any], *, errors: dict[str, str]) -> tuple[int, ...] | None:
    raw = (_entry(values, "reminder_days").get("value") or "").strip()
    parts = [part for part in _DAY_SEPARATORS.split(raw) if part]
    bad = [part for part in parts if not _DAY_NUMBER.fullmatch(part) or int(part) > MAX_DAYS_BEFORE]
    if bad:
        errors["reminder_days"] = (
            f"“{excerpt(bad[0], limit=20)}” isn't a number of days from 0 to {MAX_DAYS_BEFORE};"
            " write them like 7, 1, 0."
        )
        return None
    # Listed furthest first, as they fall; the same day twice is one reminder.
    days = tuple(sorted({int(part) for part in parts}, reverse=True))
    if len(days) > MAX_REMINDERS:
        errors["reminder_days"] = f"That's {len(days)} reminders; keep it to {MAX_REMINDERS}."
        return None
    return days


def _read_time(values: dict[str, Any], block_id: str, *, what: str, errors: dict[str, str]) -> time | None:
    raw = _entry(values, block_id).get("selected_time")
    if not raw:
        errors[block_id] = f"Pick a time for {what}."
        return None
    try:
        return time.fromisoformat(raw)
    except ValueError:
        errors[block_id] = "Pick a time from the list."
        return None


def _read_weekday(values: dict[str, Any], *, errors: dict[str, str]) -> int | None:
    option = _entry(values, "review_weekday").get("selected_option") or {}
    value = option.get("value")
    if value not in {str(day) for day in range(7)}:
        errors["review_weekday"] = "Pick a day for the weekly review."
        return None
    return int(value)
