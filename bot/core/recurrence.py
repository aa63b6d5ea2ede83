"""Recurring milestones: the periods a milestone repeats by, how they are written, and the next dates.

Pure: no storage, no Slack. A month after Jan 31 is the last day of February, and a series kept on the 31st
goes back to the 31st when the month has one (`aimed_day`).
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Literal, cast

Recurrence = Literal["week", "month", "quarter"]
RECURRENCES: tuple[Recurrence, ...] = ("week", "month", "quarter")
# Words that turn a recurrence off: `update 12 every none`.
NO_RECURRENCE = ("none", "off", "never")
_MONTHS: dict[Recurrence, int] = {"month": 1, "quarter": 3}
# `every 3 months` is a quarter: a count and a unit that name one of ours, put right rather than refused.
_COUNTED = re.compile(r"(\d{1,4})\s*(days?|weeks?|months?|quarters?)")
_SAME_AS: dict[tuple[int, str], Recurrence] = {
    (7, "day"): "week",
    (1, "week"): "week",
    (1, "month"): "month",
    (3, "month"): "quarter",
    (1, "quarter"): "quarter",
}
# `every weekly`, `every months`: the period meant, said back as ours.
_SPELLINGS: dict[str, Recurrence] = {"weekly": "week", "weeks": "week", "monthly": "month",
                                     "months": "month", "quarterly": "quarter",
                                     "quarters": "quarter"}  # fmt: skip


# What people write after `every` when they mean a period, ours or not; typos of these count too.
_PERIOD_WORDS = (*RECURRENCES, *_SPELLINGS, "day", "days", "daily", "fortnight", "fortnightly", "biweekly",
                 "year", "years", "yearly", "annually")  # fmt: skip


class RecurrenceError(ValueError):
    """Not a period a milestone repeats by; `meant` is the one it reads as, when one does."""

    def __init__(self, message: str, *, meant: Recurrence | None = None) -> None:
        super().__init__(message)
        self.meant = meant


def read_recurrence(text: str) -> Recurrence | None:
    """`week`, `month` or `quarter` (any case); None for `none`, `off` or `never`; else RecurrenceError."""
    written = " ".join(text.lower().split())
    if written in RECURRENCES:
        return cast(Recurrence, written)
    if written in NO_RECURRENCE:
        return None
    meant = _meant(written)
    shown = written[:40]
    if meant is not None:
        message = f"I repeat by week, month or quarter; did you mean `every {meant}`?"
        raise RecurrenceError(message, meant=meant)
    raise RecurrenceError(f"I can't repeat every `{shown}`; say every week, every month or every quarter.")


def _meant(written: str) -> Recurrence | None:
    """The period a near miss names: `monthly`, `3 months`, `1 week`, `mnth`; None when none."""
    if written in _SPELLINGS:
        return _SPELLINGS[written]
    counted = _COUNTED.fullmatch(written)
    if counted:
        return _SAME_AS.get((int(counted[1]), counted[2].rstrip("s")))
    close = difflib.get_close_matches(written, [*RECURRENCES, *_SPELLINGS], n=1, cutoff=0.75)
    return _SPELLINGS.get(close[0], cast(Recurrence, close[0])) if close else None


def names_a_period(word: str) -> bool:
    """True when a word after `every` speaks of a period, right or not (`month`, `3`, `fortnight`, `none`).

    Only then does `every` start a clause: `Check every invoice` stays a title.
    """
    word = word.lower()
    if word[:1].isdigit() or word in _PERIOD_WORDS or word in NO_RECURRENCE:
        return True
    return bool(difflib.get_close_matches(word, _PERIOD_WORDS, n=1, cutoff=0.8))


def recurrence_words(recurrence: str | None) -> str:
    """`every month`, as `show`, `list` and the history say it; `` when it does not repeat."""
    return f"every {recurrence}" if recurrence else ""


def shifted(day: date, *, every: Recurrence, on_day: int | None = None) -> date:
    """`day` one period later; by months, on `on_day` (default: `day`'s own), the month's last day at most."""
    if every == "week":
        return day + timedelta(days=7)
    months = day.year * 12 + day.month - 1 + _MONTHS[every]
    year, month = divmod(months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(on_day or day.day, last))


def aimed_day(dues: Iterable[date]) -> int:
    """The day of the month a series is kept on, from its due dates newest first (the next one's aim).

    A due date on its month's last day may stand for a later day (Feb 28 for the 31st): the series before it
    says which, as far back as a date that is not a month's last day, or the 31st. `dues` is read lazily,
    only as far back as needed.
    """
    aim = 0
    for due in dues:
        aim = max(aim, due.day)
        if not is_month_end(due) or due.day == 31:
            break
    if not aim:
        raise ValueError("a series has at least one due date")
    return aim


def next_dates(
    *, due: date, start: date | None, every: Recurrence, on_day: int | None = None
) -> tuple[date, date | None]:
    """The next one's due date (on `on_day` of its month, when by months) and its start, shifted alike."""
    # Shifting keeps two dates in order, and `on_day` only ever moves the due date later: start stays first.
    next_start = shifted(start, every=every) if start is not None else None
    return shifted(due, every=every, on_day=on_day), next_start


def is_month_end(day: date) -> bool:
    """True on the last day of its month."""
    return day.day == calendar.monthrange(day.year, day.month)[1]
