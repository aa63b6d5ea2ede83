"""The answers to `/milestone away …`: away until a day, back, or whether one is away."""

from __future__ import annotations

from datetime import date

from bot.core.dates import format_weekday_date
from bot.render.message import Message, one_line

_WHAT_AWAY_MEANS = "reminders won't ping you, reviews won't wait for you or DM you"


def away_set_message(until: date, *, today: date) -> Message:
    """`🌴 You're away until Sun Dec 20: …`, and how to come back early."""
    return one_line(
        f"🌴 You're away until {format_weekday_date(until, today=today)}: {_WHAT_AWAY_MEANS}."
        " Back early? `/milestone away off`"
    )


def back_message(*, was_away: bool) -> Message:
    """Welcome back, or that there was nothing to undo."""
    if was_away:
        return one_line("👋 Welcome back — reminders and reviews include you again.")
    return one_line("You weren't marked away. To be: `/milestone away until Dec 20`")


def away_status_message(until: date | None, *, today: date) -> Message:
    """Whether the asker is away (`away` alone), and the command that changes it."""
    if until is None:
        return one_line(
            "You're not marked away. Going away? `/milestone away until Dec 20` — until then,"
            f" {_WHAT_AWAY_MEANS}."
        )
    return away_set_message(until, today=today)
