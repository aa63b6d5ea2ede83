"""One cell of an imported plan read by kind: a status, an owner, a currency, how often it repeats, a number.

Each reader adds what is wrong with its cell to `problems`, naming the column as the file writes it.
"""

from __future__ import annotations

import re
from datetime import date

from bot.core.command_types import Status
from bot.core.grammar.tokens import mention_id
from bot.core.import_columns import Column
from bot.core.limits import LimitError, check_text
from bot.core.money import CURRENCIES
from bot.core.recurrence import Recurrence, RecurrenceError, read_recurrence
from bot.core.text import quoted

_STATUSES: dict[str, Status] = {
    **dict.fromkeys(("open", "notstarted", "planned", "todo", "inprogress", "started", "pending"), "open"),
    **dict.fromkeys(("ontrack", "green"), "on_track"),
    **dict.fromkeys(("atrisk", "amber", "yellow"), "at_risk"),
    **dict.fromkeys(("blocked", "red", "stuck"), "blocked"),
    **dict.fromkeys(("done", "complete", "completed", "finished", "closed"), "done"),
    **dict.fromkeys(("cancelled", "canceled", "dropped"), "cancelled"),
}
_USER_ID = re.compile(r"[UW][A-Z0-9]*[0-9][A-Z0-9]*")
_NUMBER = re.compile(r"#?\s*(\d{1,9})")
_NONE = ("", "none", "no", "never", "off", "n/a", "na", "-")
# How plans write a period besides our own words (`every month`, `month`): read as ours.
_PERIODS: dict[str, Recurrence] = {"weekly": "week", "weeks": "week", "monthly": "month", "months": "month",
                                   "quarterly": "quarter", "quarters": "quarter"}  # fmt: skip


def currency_of(raw: str, *, problems: list[str]) -> str | None:
    """A currency code (`usd`, `EUR`); None when the cell is empty or not a code we know."""
    code = raw.strip().upper()
    if not code:
        return None
    if code not in CURRENCIES:
        problems.append(
            f"Currency {quoted(raw, limit=40)} isn't a code I know; use one like USD, EUR or GBP."
        )
        return None
    return code


def status_of(raw: str, *, done_on: date | None, column: Column | None, problems: list[str]) -> Status | None:
    """A status however the plan writes it (`On track`, `at-risk`, `Complete`, `Amber`); a date means done."""
    if not raw:
        return "done" if done_on else None
    status = _STATUSES.get(re.sub(r"[^a-z]", "", raw.lower()))
    said = f"{column.name if column else 'Status'} {quoted(raw, limit=40)}"
    if status is None:
        problems.append(f"{said} isn't one of Open, On track, At risk, Blocked, Done, Cancelled.")
    elif done_on and status not in ("done", "cancelled"):
        problems.append(f"{said} doesn't fit a completion date; make it Done or clear the date.")
    return status


def owner_of(raw: str, *, column: Column | None, problems: list[str]) -> tuple[str | None, str | None]:
    """A Slack user id (`U024BE7LH`, `<@U024BE7LH>`) is the owner; other names are for the caller."""
    if not raw:
        return None, None
    if _USER_ID.fullmatch(raw) and len(raw) <= 32:
        return raw, None
    if (user := mention_id(raw)) and len(user) <= 32:
        return user, None
    name = " ".join(raw.removeprefix("@").split())
    try:
        return None, check_text(name, field="manager")
    except LimitError as error:
        problems.append(f"{column.name if column else 'Manager'}: {error}")
        return None, None


def recurrence_of(raw: str, *, column: Column | None, problems: list[str]) -> Recurrence | None:
    """How often it repeats, as plans write it (`every month`, `Monthly`, `month`); empty is never."""
    words = raw.lower().split()
    written = " ".join(words[1:] if words[:1] == ["every"] else words)
    if written in _NONE:
        return None
    try:
        return read_recurrence(_PERIODS.get(written, written))
    except RecurrenceError as error:
        said = f"{column.name if column else 'Repeats'} {quoted(raw, limit=40)} isn't a period I repeat by"
        if error.meant:
            problems.append(f"{said}; did you mean every {error.meant}?")
        else:
            problems.append(f"{said}; write every week, every month or every quarter, or leave it empty.")
        return None


def after_of(raw: str, *, column: Column | None, problems: list[str]) -> int | None:
    """The Number of the row it comes after (`3`, `#3`); empty or `none` when it comes after none."""
    if raw.lower() in _NONE:
        return None
    number = number_of(raw)
    if number is None:
        said = f"{column.name if column else 'After'} {quoted(raw, limit=40)}"
        problems.append(f"{said} isn't a row's Number; write the Number of the one it comes after, like 3.")
    return number


def number_of(raw: str) -> int | None:
    """A row's number as the export writes it (`12`) or as people do (`#12`); None for anything else."""
    found = _NUMBER.fullmatch(raw.strip())
    return int(found[1]) if found else None
