"""The limits on what people may save: one validator per rule, for grammar, modals, import and services."""

from __future__ import annotations

import functools
import re
import zoneinfo
from collections.abc import Iterable
from datetime import date

import holidays as public_holidays

from bot.core.dates import format_date
from bot.core.text import excerpt, has_control_characters
from bot.core.workdays import MONDAY_TO_FRIDAY, WEEKDAYS

TITLE_CHARS = 150
DEPARTMENT_CHARS = 80
BUDGET_CHARS = 40  # the amount as typed in the form, before it is read as money
REASON_CHARS = 500
OWNER_NAME_CHARS = 100  # a Manager cell in an imported plan that is not a Slack user
NOTE_CHARS = 1000  # a note from the review form: several lines welcome
MAX_REMINDERS = 6
MAX_DAYS_BEFORE = 60

_CHARS = {
    "title": TITLE_CHARS,
    "department": DEPARTMENT_CHARS,
    "budget": BUDGET_CHARS,
    "reason": REASON_CHARS,
    "manager": OWNER_NAME_CHARS,
}
# Files in the zone database that name no place: `localtime` is whatever the server runs in.
_NOT_ZONES = ("localtime", "posixrules", "factory")


class LimitError(ValueError):
    """Raised when a value breaks a limit; its message tells a person what to give instead."""


def check_text(raw: str, *, field: str) -> str:
    """A title, department, budget, reason or manager name: one line, spaces collapsed, within its length."""
    # The reason box is multiline for comfort; history shows a reason on one line.
    written = " ".join(raw.split()) if field == "reason" else raw
    if has_control_characters(written):
        raise LimitError(f"The {field} has a line break or control character; keep it on one line.")
    text = " ".join(written.split())
    if not text:
        raise LimitError(f"The {field} is empty.")
    if len(text) > _CHARS[field]:
        raise LimitError(f"The {field} is {len(text)} characters; keep it to {_CHARS[field]}.")
    return text


def check_note(raw: str) -> str:
    """A review note: several lines welcome, no other control characters, within NOTE_CHARS."""
    text = raw.strip()
    if not text:
        raise LimitError("The note is empty.")
    if has_control_characters(text.replace("\n", " ").replace("\t", " ")):
        raise LimitError("The note has a control character; write it as plain text.")
    if len(text) > NOTE_CHARS:
        raise LimitError(f"The note is {len(text)} characters; keep it to {NOTE_CHARS}.")
    return text


def check_plan_dates(*, start: date | None, due: date | None, today: date) -> None:
    """A milestone may start on its due date, never after it."""
    if start is not None and due is not None and start > due:
        shown_start, shown_due = format_date(start, today=today), format_date(due, today=today)
        raise LimitError(f"The start ({shown_start}) is after the due date ({shown_due}).")


def check_new_due(due: date, *, today: date) -> None:
    """A due date given anew is today or later (one already saved may stay while other fields change)."""
    if due < today:
        raise LimitError(f"{format_date(due, today=today)} is in the past; give a due date from today on.")


def check_reminder_days(days: Iterable[int]) -> tuple[int, ...]:
    """Days before the due date, 0 to 60, at most 6 once the same day twice counts once; furthest first."""
    unique = set()
    for day in days:
        if not 0 <= day <= MAX_DAYS_BEFORE:
            # A day typed with hundreds of digits is still quoted short.
            raise LimitError(
                f"{excerpt(str(day), limit=20)} isn't a number of days from 0 to {MAX_DAYS_BEFORE}."
            )
        unique.add(day)
    if len(unique) > MAX_REMINDERS:
        raise LimitError(f"That's {len(unique)} reminders; keep it to {MAX_REMINDERS}.")
    return tuple(sorted(unique, reverse=True))


def stored_reminder_days(days: Iterable[int]) -> str:
    """Reminder days as a channel stores them: `7,1,0`; empty when reminders are off."""
    return ",".join(str(day) for day in check_reminder_days(days))


def reminder_days_of(stored: str) -> tuple[int, ...]:
    """The days a channel stores as `7,1,0`, furthest first; a part that is no day in range is skipped."""
    parts = (part.strip() for part in re.split(r"[,;\s]+", stored))
    days = {int(part) for part in parts if part.isascii() and part.isdigit()}
    return tuple(sorted((day for day in days if day <= MAX_DAYS_BEFORE), reverse=True))


def check_timezone(name: str) -> str:
    """The canonical IANA name of a zone written in any case, with spaces for `_` (`america/new york`)."""
    zone = known_timezones().get("_".join(name.split()).lower())
    if zone is None:
        written = excerpt(" ".join(name.split()))
        if not written:
            raise LimitError("Give a time zone, like Europe/Berlin or America/New_York.")
        raise LimitError(f"“{written}” isn't a time zone I know; try one like Europe/Berlin.")
    return zone


@functools.cache
def known_timezones() -> dict[str, str]:
    """Every zone a channel may use, by its lower-case spelling, to the canonical spelling."""
    names = zoneinfo.available_timezones() | {"UTC"}
    return {name.lower(): name for name in names if name.lower() not in _NOT_ZONES}


def check_workdays(days: Iterable[int]) -> tuple[int, ...]:
    """Working weekdays (0 is Monday): at least one; each once, Monday first."""
    unique = sorted(set(days))
    if not unique:
        raise LimitError("A week needs at least one working day.")
    if any(not 0 <= day <= 6 for day in unique):
        raise LimitError("A weekday is one of mon, tue, wed, thu, fri, sat, sun.")
    return tuple(unique)


def stored_workdays(days: Iterable[int]) -> str:
    """Working weekdays as channel settings store them: `mon,tue,wed,thu,fri`."""
    return ",".join(WEEKDAYS[day] for day in check_workdays(days))


def workdays_of(stored: str) -> tuple[int, ...]:
    """The working weekdays a settings row stores; an unreadable value reads as Monday to Friday."""
    try:
        return check_workdays(WEEKDAYS.index(name.strip()) for name in stored.split(",") if name.strip())
    except (LimitError, ValueError):
        return MONDAY_TO_FRIDAY


def check_country(code: str) -> str:
    """An ISO 3166 country code the holidays package knows (`US`, `GB`, `DE`), upper-cased."""
    country = code.strip().upper()
    if country not in public_holidays.list_supported_countries():
        raise LimitError(
            f"I don't know the public holidays of {excerpt(code, limit=20)!r}; try a code like US, GB or DE."
        )
    return country
