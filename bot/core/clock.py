"""The wall clock: the one place the app reads it; everything else is handed `now` or a Clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def wall_clock() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)
