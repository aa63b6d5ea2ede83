"""Revisions as sentences: who changed what from old to new, when, and why."""

from __future__ import annotations

import re
from datetime import date
from zoneinfo import ZoneInfo

from bot.core.dates import format_date, format_weekday_date
from bot.core.money import format_money
from bot.core.recurrence import recurrence_words
from bot.core.revisions import stored_money
from bot.core.text import escape_mrkdwn, excerpt
from bot.core.vocabulary import Field
from bot.render.labels import status_label
from storage.models import Revision

# Each field: the words people read, and how its stored string is written.
_FIELDS: dict[str, tuple[str, str]] = {
    Field.TITLE: ("title", "text"),
    Field.DUE: ("due date", "date"),
    Field.START: ("start", "date"),
    Field.COMPLETED_ON: ("completed on", "date"),
    Field.OWNER: ("owner", "user"),
    Field.DEPARTMENT: ("department", "text"),
    Field.BUDGET: ("budget", "money"),
    Field.ACTUAL_COST: ("actual cost", "money"),
    Field.STATUS: ("status", "status"),
    Field.RECURRENCE: ("repeats", "recurrence"),
    Field.AFTER: ("comes after", "number"),
}
_USER_ID = re.compile(r"^[UW][A-Z0-9]{1,31}$")
# Quoted values and reasons are shortened so a history line stays a line.
_VALUE_CHARS = 60
_REASON_CHARS = 120


def field_label(field: str) -> str:
    """Words for a stored field name: `due` → `due date`; a name this version doesn't know, as written."""
    label, _ = _FIELDS.get(field, (field.replace("_", " "), "text"))
    return escape_mrkdwn(label)


def user_mention(user_id: str) -> str:
    """`<@U123>` for a real user id; anything else is shown escaped, so it can never become a ping."""
    return f"<@{user_id}>" if _USER_ID.match(user_id) else escape_mrkdwn(user_id)


def describe_value(field: str, raw: str | None, *, today: date) -> str:
    """A stored revision value written for people: dates, money, statuses, owners; other text escaped."""
    if raw is None or raw == "":
        return "none"
    _, kind = _FIELDS.get(field, ("", "text"))
    if kind == "date":
        try:
            # The weekday shows a misread date (`next friday`) in the update's echo as in the history.
            return format_weekday_date(date.fromisoformat(raw), today=today)
        except ValueError:
            pass
    elif kind == "money":
        amount = stored_money(raw)
        if amount is not None:
            return format_money(amount)
    elif kind == "status":
        return status_label(raw)
    elif kind == "user":
        return user_mention(raw)
    elif kind == "recurrence":
        return recurrence_words(raw)
    elif kind == "number" and raw.isdigit():
        return f"#{raw}"
    return escape_mrkdwn(excerpt(raw, limit=_VALUE_CHARS))


def change_text(revision: Revision, *, today: date) -> str:
    """What one revision did: `changed due date Dec 15 → Dec 20`, `set budget to $5,000`, `cleared owner`."""
    label = field_label(revision.field)
    old = describe_value(revision.field, revision.old, today=today)
    new = describe_value(revision.field, revision.new, today=today)
    if not revision.old:
        return f"set {label} to {new}"
    if not revision.new:
        return f"cleared {label} (was {old})"
    return f"changed {label} {old} → {new}"


def reason_text(reason: str | None) -> str | None:
    """A revision's reason as an italic clause, `_because vendor late_`; None when none was given."""
    if not reason or not reason.strip():
        return None
    text = " ".join(reason.split())
    # People often type the word themselves ("because vendor late"); say it once.
    if text.lower().startswith("because "):
        text = text[len("because ") :]
    return f"_because {escape_mrkdwn(excerpt(text, limit=_REASON_CHARS))}_"


def revision_line(revision: Revision, *, today: date, tz: ZoneInfo) -> str:
    """`Nov 25 · <@U1> changed due date Dec 15 → Dec 20 — _because vendor late_`, dated in `tz`."""
    day = format_date(revision.at.astimezone(tz).date(), today=today)
    line = f"{day} · {user_mention(revision.by)} {change_text(revision, today=today)}"
    if revision.source == "undo":
        line += " (undo)"
    reason = reason_text(revision.reason)
    return f"{line} — {reason}" if reason else line
