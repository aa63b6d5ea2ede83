"""Dates people type (`Dec 15`, `next friday`, `in 3 weeks`, `end of month`, ISO), read in their time zone."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from bot.core.text import quoted

if TYPE_CHECKING:
    from dateparser.conf import Settings

Prefer = Literal["future", "past", "current"]

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
_MAX_TEXT = 60
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Written out rather than strftime("%a"), which follows the process's locale.
_WEEKDAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")  # fmt: skip
_MONTHS = (
    {name.lower(): number for number, name in enumerate(_MONTH_NAMES, start=1)}
    | {name.lower(): number for number, name in enumerate(_MONTH_ABBR, start=1)}
    | {"sept": 9}
)
_WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "weds": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4, "sat": 5, "saturday": 5,
    "sun": 6, "sunday": 6,
}  # fmt: skip
_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}  # fmt: skip
_UNITS = {"day": "day", "week": "week", "wk": "week", "month": "month", "mo": "month", "year": "year",
          "yr": "year"}  # fmt: skip
_DAY_WORDS = {"today": 0, "tomorrow": 1, "tmrw": 1, "yesterday": -1, "day after tomorrow": 2,
              "day before yesterday": -2}  # fmt: skip
_PERIOD_END_ABBR = {"eow": "week", "eom": "month", "eoq": "quarter", "eoy": "year"}
_SHIFTS = {None: 0, "this": 0, "next": 1, "last": -1}

_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_COUNT = r"[0-9]{1,4}|" + "|".join(_COUNTS)
_UNIT = r"(?P<unit>day|week|wk|month|mo|year|yr)s?"
_ISO = re.compile(r"(?P<y>[0-9]{4})[-/. ](?P<m>[0-9]{1,2})[-/. ](?P<d>[0-9]{1,2})")
_NUMERIC = re.compile(r"(?P<a>[0-9]{1,2})[-/. ](?P<b>[0-9]{1,2})(?:[-/. ](?P<y>[0-9]{2}|[0-9]{4}))?")
_DIGITS_ONLY = re.compile(r"[-0-9/. ]+")
_MONTH_DAY = re.compile(rf"(?P<month>{_MONTH}) (?P<d>[0-9]{{1,2}})(?: (?P<y>[0-9]{{4}}))?")
_DAY_MONTH = re.compile(rf"(?P<d>[0-9]{{1,2}}) (?:of )?(?P<month>{_MONTH})(?: (?P<y>[0-9]{{4}}))?")
_MONTH_ONLY = re.compile(rf"(?:{_MONTH})(?: [0-9]{{4}})?")
_ON_WEEKDAY = re.compile(rf"(?:(?P<shift>this|next|last) )?(?P<weekday>{_WEEKDAY})")
_IN_COUNT = re.compile(rf"in (?P<n>{_COUNT}) {_UNIT}")
_COUNT_FROM = re.compile(rf"(?P<n>{_COUNT}) {_UNIT} (?P<way>from now|from today|ago)")
_BARE_COUNT = re.compile(rf"(?P<n>{_COUNT}) {_UNIT}")
_PERIOD = r"(?P<period>week|month|quarter|year)"
_PERIOD_EDGE = re.compile(
    rf"(?P<edge>end|start|beginning) of (?:the )?(?:(?P<shift>this|next|last) )?{_PERIOD}"
)
_NEXT_PERIOD = re.compile(rf"next {_PERIOD}")
_ORDINAL = re.compile(r"\b([0-9]{1,2})(?:st|nd|rd|th)\b")
_EXAMPLES = "`Dec 15`, `2026-12-15` or `next friday`"

# How far back across New Year a day without a year may still mean last year's (then it is asked about).
LAST_YEARS_WINDOW = timedelta(days=31)


class DateError(ValueError):
    """Raised when text is not a date we can read without guessing."""


class PastDate(DateError):
    """A day without a year whose nearer reading has passed: which one is meant is asked.

    `passed` is the latest before today (this year's, or last year's in January); `upcoming` the next one.
    """

    def __init__(self, *, shown: str, passed: date, upcoming: date, today: date) -> None:
        when = " this year" if passed.year == today.year else ""
        super().__init__(f"{shown} has already passed{when}; write the year, like `{upcoming.isoformat()}`.")
        self.passed = passed
        self.upcoming = upcoming


def parse_date(text: str, *, now: datetime, prefer: Prefer = "future") -> date:
    """Read a date typed by a person; `now` is aware, in that person's time zone."""
    return _parse(text, now=now, prefer=prefer, nearest=False)


def parse_due_date(text: str, *, now: datetime) -> date:
    """A due date, read forward; a day without a year is the nearer of its last and next occurrences.

    When the nearer one has passed (`Nov 27` on Nov 30, `Dec 31` on Jan 2), PastDate asks which is meant.
    """
    return _parse(text, now=now, prefer="future", nearest=True)


def _parse(text: str, *, now: datetime, prefer: Prefer, nearest: bool) -> date:
    shown = quoted(text)
    if not text.strip():
        raise DateError(f"Give a date, like {_EXAMPLES}.")
    if len(text) > _MAX_TEXT:
        raise DateError(f"{shown} is too long to be a date; try {_EXAMPLES}.")
    day = _read(_normalise(text), today=now.date(), prefer=prefer, nearest=nearest, shown=shown)
    if day is None:
        day = _read_with_dateparser(text.strip(), now=now, prefer=prefer)
    if day is None:
        raise DateError(f"I can't read {shown} as a date; try {_EXAMPLES}.")
    if not EARLIEST <= day <= LATEST:
        raise DateError(f"{shown} is too far off; pick a date between 2000 and 2100.")
    return day


def format_date(day: date, *, today: date) -> str:
    """Write a date for people: `Dec 15` this year, `Dec 15, 2027` otherwise."""
    text = f"{_MONTH_ABBR[day.month - 1]} {day.day}"
    return text if day.year == today.year else f"{text}, {day.year}"


def format_full_date(day: date) -> str:
    """A date with its year whatever today is: `Nov 27, 2026`, as a choice between two years reads."""
    return f"{_MONTH_ABBR[day.month - 1]} {day.day}, {day.year}"


def format_weekday_date(day: date, *, today: date) -> str:
    """A date with its weekday, as people plan by: `Fri Dec 11` (`Fri Jan 8, 2027` another year)."""
    return f"{_WEEKDAY_ABBR[day.weekday()]} {format_date(day, today=today)}"


def _normalise(text: str) -> str:
    """Lower case, single spaces, no commas, ordinals, dots or leading `on`: `on Dec. 15th,` → `dec 15`."""
    lowered = _ORDINAL.sub(r"\1", text.strip().lower().replace(",", " "))
    lowered = re.sub(r"\.(?=\s|$)", "", lowered)
    words = lowered.split()
    if words[:1] in (["on"], ["by"]):  # `due on Dec 15`, `start by monday`
        words = words[1:]
    return " ".join(words)


def _read(text: str, *, today: date, prefer: Prefer, nearest: bool, shown: str) -> date | None:
    """The forms we read ourselves, as dateparser misreads or guesses them; None when not one of them."""
    if match := _ISO.fullmatch(text):
        return _real_date(int(match["y"]), int(match["m"]), int(match["d"]), shown=shown)
    if match := _NUMERIC.fullmatch(text):
        raise DateError(_ambiguous(match, today=today, shown=shown))
    if _DIGITS_ONLY.fullmatch(text):
        # Digit runs are read differently around the world (and by dateparser as timestamps): never guess.
        raise DateError(f"{shown} could mean several dates; write it like `2026-12-15` or `Dec 15`.")
    words = text.replace("-", " ")
    if (match := _MONTH_DAY.fullmatch(words)) or (match := _DAY_MONTH.fullmatch(words)):
        return _month_day(match, today=today, prefer=prefer, nearest=nearest, shown=shown)
    if _MONTH_ONLY.fullmatch(words):
        raise DateError(f"{shown} needs a day of the month, like `Dec 15`.")
    if words in _DAY_WORDS:
        return today + timedelta(days=_DAY_WORDS[words])
    if _BARE_COUNT.fullmatch(words):
        raise DateError(f"{shown} could be either way; say `in {words}` or `{words} ago`.")
    if match := _ON_WEEKDAY.fullmatch(words):
        return _weekday(_WEEKDAYS[match["weekday"]], shift=match["shift"], today=today, prefer=prefer)
    if (match := _IN_COUNT.fullmatch(words)) or (match := _COUNT_FROM.fullmatch(words)):
        count = _COUNTS.get(match["n"]) or int(match["n"])
        sign = -1 if match.groupdict().get("way") == "ago" else 1
        return _add(today, _UNITS[match["unit"]], sign * count, shown=shown)
    if words in _PERIOD_END_ABBR:
        return _period_edge(today, _PERIOD_END_ABBR[words], shift=0, end=True)
    if match := _PERIOD_EDGE.fullmatch(words):
        return _period_edge(today, match["period"], shift=_SHIFTS[match["shift"]], end=match["edge"] == "end")
    if match := _NEXT_PERIOD.fullmatch(words):
        return _period_edge(today, match["period"], shift=1, end=False)
    return None


def _real_date(year: int, month: int, day: int, *, shown: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f"{shown} isn't a real date.") from None


def _ambiguous(match: re.Match[str], *, today: date, shown: str) -> str:
    """Explain why `03/04` is refused, suggesting the two unambiguous spellings of one reading of it."""
    first, second = int(match["a"]), int(match["b"])
    month, day = (first, second) if first <= 12 else (second, first)
    year = int(match["y"]) if match["y"] else today.year
    year += 2000 if year < 100 else 0
    try:
        example = date(year, month, day)
    except ValueError:
        example = date(today.year, 3, 4)
    iso, short = example.isoformat(), f"{_MONTH_ABBR[example.month - 1]} {example.day}"
    return f"{shown} can be read two ways; write it as `{iso}` or `{short}`."


def _month_day(match: re.Match[str], *, today: date, prefer: Prefer, nearest: bool, shown: str) -> date:
    """`Dec 15` or `15 Dec 2026`; without a year, the year `prefer` points to (or the nearer one)."""
    month, day = _MONTHS[match["month"]], int(match["d"])
    if match["y"]:
        return _real_date(int(match["y"]), month, day, shown=shown)
    if day < 1 or day > calendar.monthrange(2000, month)[1]:  # 2000 is a leap year: Feb 29 can be real
        raise DateError(f"{shown} isn't a real date.")
    if prefer == "current":
        if (month, day) == (2, 29) and not calendar.isleap(today.year):
            raise DateError(f"{shown} isn't a real date in {today.year}.")
        return date(today.year, month, day)
    step = 1 if prefer == "future" else -1
    upcoming = _occurrence(month, day, today=today, step=step, shown=shown)
    if nearest:
        _refuse_a_nearer_past(month, day, today=today, upcoming=upcoming, shown=shown)
    return upcoming


def _occurrence(month: int, day: int, *, today: date, step: int, shown: str) -> date:
    """The first `month`/`day` from today on (`step` 1) or back from today (`step` -1)."""
    # Feb 29 may be up to eight years away; every other day is found in this year or the next.
    for offset in range(9):
        year = today.year + step * offset
        if calendar.isleap(year) or (month, day) != (2, 29):
            candidate = date(year, month, day)
            if (candidate >= today) if step == 1 else (candidate <= today):
                return candidate
    raise DateError(f"{shown} isn't a real date.")


def _refuse_a_nearer_past(month: int, day: int, *, today: date, upcoming: date, shown: str) -> None:
    """PastDate when the latest passed `month`/`day` is no farther back than `upcoming` is ahead."""
    passed = _occurrence(month, day, today=today - timedelta(days=1), step=-1, shown=shown)
    # Last year's counts only from the month just gone: `Dec 30` typed on Jan 2 may mean three days ago, but
    # `Dec 31` typed in February is this year's end, not a date people reach back over New Year for.
    if passed.year < today.year and today - passed > LAST_YEARS_WINDOW:
        return
    # A tie is asked too: neither reading is the nearer, so either would be a guess.
    if today - passed <= upcoming - today:
        raise PastDate(shown=shown, passed=passed, upcoming=upcoming, today=today)


def _weekday(weekday: int, *, shift: str | None, today: date, prefer: Prefer) -> date:
    """`friday`: the nearest one `prefer` points to; `this`/`next`/`last friday`: in that Mon–Sun week."""
    monday = today - timedelta(days=today.weekday())
    if shift is not None or prefer == "current":
        return monday + timedelta(days=7 * _SHIFTS[shift] + weekday)
    ahead = (weekday - today.weekday()) % 7
    return today + timedelta(days=ahead) if prefer == "future" else today - timedelta(days=(7 - ahead) % 7)


def _add(today: date, unit: str, count: int, *, shown: str) -> date:
    """`today` moved by whole days, weeks, months or years; month ends clamp (Jan 31 + 1 month → Feb 28)."""
    if unit in ("day", "week"):
        return today + timedelta(days=count * (7 if unit == "week" else 1))
    months = today.year * 12 + today.month - 1 + count * (12 if unit == "year" else 1)
    year, month = divmod(months, 12)
    if not EARLIEST.year <= year <= LATEST.year:
        raise DateError(f"{shown} is too far off; pick a date between 2000 and 2100.")
    return date(year, month + 1, min(today.day, calendar.monthrange(year, month + 1)[1]))


def _period_edge(today: date, period: str, *, shift: int, end: bool) -> date:
    """First or last day of a week (Mon–Fri: plans end on a working day), month, quarter or year."""
    if period == "week":
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=shift)
        return monday + timedelta(days=4) if end else monday
    length = {"month": 1, "quarter": 3, "year": 12}[period]
    first = (today.month - 1) // length * length + today.year * 12 + shift * length
    if end:
        year, month = divmod(first + length - 1, 12)
        return date(year, month + 1, calendar.monthrange(year, month + 1)[1])
    year, month = divmod(first, 12)
    return date(year, month + 1, 1)


def _read_with_dateparser(text: str, *, now: datetime, prefer: Prefer) -> date | None:
    """Forms we do not read ourselves (`Tue, 15 Dec 2026`, `2 days`): dateparser, strict, never guessing."""
    settings = _base_settings(prefer).replace(RELATIVE_BASE=now.replace(tzinfo=None))
    import dateparser  # imported on first use: loading it costs a noticeable fraction of a second

    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except Exception:  # odd text can trip dateparser's internals; to the user it is just not a date
        return None
    return parsed.date() if parsed is not None else None


@lru_cache(maxsize=3)
def _base_settings(prefer: Prefer) -> Settings:
    """dateparser settings for one `prefer`, built once; each call only swaps in its own `now`."""
    from dateparser.conf import settings

    options = {
        "PREFER_DATES_FROM": "current_period" if prefer == "current" else prefer,
        # Day, month and year must all be written: `Dec 32` or `5` never become some other day.
        "STRICT_PARSING": True,
        # Timestamps and digit runs (`20261215`, `1700000000`) are guesses we do not want.
        "PARSERS": ["relative-time", "absolute-time"],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    return settings.replace(mod_settings=options, **options)
