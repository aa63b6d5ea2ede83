"""Dates as people read them: the weekday, and how far off it is (`due Fri Dec 11 · in 11 days`).

Answers read at once (ephemeral replies, Home, forms) say how far off a date is, from the `today` they are
given. Messages posted in a channel or a DM are read hours or days later, when `tomorrow` has become wrong:
they carry Slack's date token instead, `<!date^…|Fri Dec 11>`, which each reader's Slack writes in their own
zone and language (`tomorrow`, `Friday, December 11th`), with the plain weekday date as its fallback.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.core.dates import format_weekday_date

# Slack's words for a token: `yesterday`, `today`, `tomorrow`, else `Friday, December 11th` (with the
# year when it is over six months away). The weekday stays, so a misread `next friday` shows.
PRETTY = "{date_long_pretty}"
# The same without `today`/`tomorrow`, where the words around the token already say how far off it is.
LONG = "{date_long}"
# A day something happened, in a dense line: `today`, `yesterday`, else `Nov 24`.
SHORT = "{date_short_pretty}"
# A moment, not a day: the first review's date and time, in the reader's zone.
MOMENT = "{date_long_pretty} at {time}"
# A due date is a calendar day, a token an instant: noon in the channel's zone is that day for every
# reader within 11 hours of the channel. Clocks change at night, so noon exists on a DST day and is
# still that day's noon (New York: 17:00 UTC on Nov 1, 16:00 UTC on Mar 8, 2026).
_NOON = time(12, 0)


def days(count: int) -> str:
    """`1 day`, `5 days`."""
    return f"{count} day" if count == 1 else f"{count} days"


def relative_day(day: date, *, today: date) -> str:
    """How far `day` is from `today`: `today`, `tomorrow`, `yesterday`, `in 11 days`, `3 days ago`."""
    gap = (day - today).days
    if gap == 0:
        return "today"
    if gap == 1:
        return "tomorrow"
    if gap == -1:
        return "yesterday"
    return f"in {days(gap)}" if gap > 0 else f"{days(-gap)} ago"


def overdue_words(late: int) -> str:
    """`⚠️ 3 days overdue`: an open milestone `late` days past its due date."""
    return f"⚠️ {days(late)} overdue"


def when_due(day: date, *, today: date, closed: bool = False) -> str:
    """`Fri Dec 11 · in 11 days`, `Fri Nov 27 · ⚠️ 3 days overdue`; closed: just the date."""
    shown = format_weekday_date(day, today=today)
    if closed:
        return shown  # done or cancelled: how far off the plan was is history, not urgency
    late = (today - day).days
    return f"{shown} · {overdue_words(late) if late > 0 else relative_day(day, today=today)}"


def due_words(day: date | None, *, today: date, closed: bool = False) -> str:
    """For answers read at once: `due Fri Dec 11 · in 11 days` (see `when_due`), or `no due date`."""
    return f"due {when_due(day, today=today, closed=closed)}" if day else "no due date"


def done_words(day: date, *, today: date) -> str:
    """`done Tue Dec 1`: when it was finished, with nothing relative."""
    return f"done {format_weekday_date(day, today=today)}"


def noon(day: date, *, zone: ZoneInfo | None) -> int:
    """The Unix time of noon on `day` in `zone` (UTC when the zone is not known: `day` from UTC−12 to +11)."""
    return int(datetime.combine(day, _NOON, tzinfo=zone or UTC).timestamp())


def token(unix: int, *, words: str, fallback: str) -> str:
    """Slack's date token, `<!date^1765472400^{date_long_pretty}|Fri Dec 11>`; mrkdwn only."""
    return f"<!date^{unix}^{words}|{fallback}>"


def day_token(day: date, *, today: date, zone: ZoneInfo | None = None, words: str = PRETTY) -> str:
    """A calendar day as Slack's date token, for messages read later; falls back to `Fri Dec 11`."""
    return token(noon(day, zone=zone), words=words, fallback=format_weekday_date(day, today=today))


def moment_token(at: datetime, *, today: date) -> str:
    """An aware moment as Slack's date token (`Monday, December 7th at 9:00 AM` in the reader's zone)."""
    fallback = f"{format_weekday_date(at.date(), today=today)}, {at:%H:%M}"
    return token(int(at.timestamp()), words=MOMENT, fallback=fallback)


def posted_due(
    day: date | None, *, today: date, zone: ZoneInfo | None = None, closed: bool = False, plain: bool = False
) -> str:
    """For messages read later: `due <!date…|Fri Dec 11>`, and `· ⚠️ overdue` while open past due.

    `plain` writes the fallback instead of the token, for a message's notification text.
    """
    if day is None:
        return "no due date"
    shown = format_weekday_date(day, today=today) if plain else day_token(day, today=today, zone=zone)
    overdue = not closed and day < today
    return f"due {shown}" + (" · ⚠️ overdue" if overdue else "")
