"""Working days: which days a channel works (weekdays and public holidays), and the nearest one to a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays as public_holidays

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MONDAY_TO_FRIDAY = (0, 1, 2, 3, 4)
# However the days are set, a working day is found within this many days (a week plus a long holiday).
_SEARCH_DAYS = 21


@lru_cache(maxsize=256)
def _holidays_of(country: str, year: int) -> frozenset[date]:
    # The holidays package builds a year's table on first use; a channel asks for the same few years.
    return frozenset(public_holidays.country_holidays(country, years=year).keys())


@lru_cache(maxsize=256)
def _holiday_name(country: str, day: date) -> str | None:
    return public_holidays.country_holidays(country, years=day.year).get(day)


@dataclass(frozen=True)
class WorkCalendar:
    """A channel's working week (date.weekday() numbers) and the country whose public holidays are off."""

    workdays: tuple[int, ...] = MONDAY_TO_FRIDAY
    country: str | None = None

    def is_working(self, day: date) -> bool:
        """True when `day` is a working weekday and not a public holiday."""
        if day.weekday() not in self.workdays:
            return False
        return self.country is None or day not in _holidays_of(self.country, day.year)

    def holiday(self, day: date) -> str | None:
        """The public holiday's name on `day`, if it is one."""
        return _holiday_name(self.country, day) if self.country else None

    def on_or_after(self, day: date) -> date:
        """`day` if it is a working day, else the next one."""
        return self._search(day, step=1)

    def on_or_before(self, day: date) -> date:
        """`day` if it is a working day, else the one before."""
        return self._search(day, step=-1)

    def next_after(self, day: date) -> date:
        """The first working day after `day`."""
        return self.on_or_after(day + timedelta(days=1))

    def _search(self, day: date, *, step: int) -> date:
        for shift in range(_SEARCH_DAYS):
            candidate = day + timedelta(days=shift * step)
            if self.is_working(candidate):
                return candidate
        # No working day in three weeks (a calendar with no working weekdays is refused when set): keep it.
        return day


EVERY_DAY = WorkCalendar(workdays=tuple(range(7)))
