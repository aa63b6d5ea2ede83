"""Forecasts from the team's own record: when an open milestone will likely be done, from past slips.

A finished milestone's slip is its completion date minus the date first planned for it. An open milestone's
forecast adds the slips of its owner's past milestones to its due date (its department's when the owner has
too few, the workspace's when the department has too few): the median is the likely date, the 20th and 80th
percentiles the range. One already overdue is judged only by past milestones that ran at least as late.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.core.departments import department_key
from bot.core.workdays import WorkCalendar

# Fewer past milestones than this say too little: no forecast (a wrong date is worse than none).
MIN_HISTORY = 5
# The range: from the 20th to the 80th percentile of the past slips (three in five finished inside it).
LOW_SHARE, HIGH_SHARE = 0.2, 0.8


class Basis(StrEnum):
    """Whose record a forecast comes from."""

    OWNER = "owner"
    DEPARTMENT = "department"
    WORKSPACE = "workspace"


@dataclass(frozen=True)
class Slip:
    """How late one finished milestone was: completed minus first planned, in days (early when negative)."""

    owner_id: str | None
    department: str | None  # department_key: one key for every spelling
    days: int


@dataclass(frozen=True)
class Forecast:
    """When an open milestone will likely be done, a range around it, and how many past milestones say so."""

    likely: date
    earliest: date
    latest: date
    samples: int
    basis: Basis

    def days_late(self, due: date) -> int:
        """How many days after `due` the likely date falls (0 when on or before it)."""
        return max(0, (self.likely - due).days)


def slip(
    *, owner_id: str | None, department: str | None, planned: date | None, completed: date | None
) -> Slip | None:
    """The slip of a finished milestone; None without both a planned and a completion date."""
    if planned is None or completed is None:
        return None
    key = department_key(department) if department else None
    return Slip(owner_id=owner_id, department=key, days=(completed - planned).days)


def forecast(
    *,
    due: date | None,
    owner_id: str | None,
    department: str | None,
    slips: Sequence[Slip],
    today: date,
    calendar: WorkCalendar | None = None,
) -> Forecast | None:
    """The forecast for an open milestone due `due`; None when undated or the record is too short.

    With the channel's `calendar`, each date is a working day: work is not done on a Saturday.
    """
    if due is None:
        return None
    chosen = _record(slips, owner_id=owner_id, department=department)
    if chosen is None:
        return None
    days, basis = chosen
    running_late = (today - due).days
    if running_late > 0:
        # Already this late: only the past milestones that ran at least as late say when it will end.
        later = [d for d in days if d >= running_late]
        if len(later) >= MIN_HISTORY:
            days = later
    ordered = sorted(days)
    dates = [
        max(due + timedelta(days=_percentile(ordered, share)), today)
        for share in (0.5, LOW_SHARE, HIGH_SHARE)
    ]
    if calendar is not None:
        dates = [calendar.on_or_after(day) for day in dates]
    likely, earliest, latest = dates
    return Forecast(likely=likely, earliest=earliest, latest=latest, samples=len(days), basis=basis)


def _record(
    slips: Iterable[Slip], *, owner_id: str | None, department: str | None
) -> tuple[list[int], Basis] | None:
    """The slips a forecast goes by: the owner's, else the department's, else everyone's — the first with
    MIN_HISTORY of them."""
    every = list(slips)
    key = department_key(department) if department else None
    candidates = (
        ([s.days for s in every if owner_id and s.owner_id == owner_id], Basis.OWNER),
        ([s.days for s in every if key and s.department == key], Basis.DEPARTMENT),
        ([s.days for s in every], Basis.WORKSPACE),
    )
    for days, basis in candidates:
        if len(days) >= MIN_HISTORY:
            return days, basis
    return None


def _percentile(ordered: Sequence[int], share: float) -> int:
    """The value `share` of the way through `ordered` (interpolated between neighbours), in whole days."""
    position = share * (len(ordered) - 1)
    below, above = math.floor(position), math.ceil(position)
    value = ordered[below] + (ordered[above] - ordered[below]) * (position - below)
    return math.floor(value + 0.5)  # half a day rounds later: a forecast errs late, not early
