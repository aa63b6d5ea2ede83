"""`/milestone away until <date>`, `away off`, and `away` alone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.away import away_until, come_back, go_away
from bot.core.command_types import AwayCommand
from bot.render.away import away_set_message, away_status_message, back_message

if TYPE_CHECKING:
    from bot.listeners.commands import Slash


def away(slash: Slash, parsed: AwayCommand) -> None:
    """Mark the asker away until a day (theirs), back, or say whether they are away; only they see it."""
    ctx, today = slash.ctx, slash.ctx.my_today
    if parsed.show:
        until = away_until(engine=ctx.engine, asker=ctx.asker, today=today)
        slash.reply(away_status_message(until, today=today))
    elif parsed.until is None:
        slash.reply(back_message(was_away=come_back(engine=ctx.engine, asker=ctx.asker)))
    else:
        until = go_away(engine=ctx.engine, asker=ctx.asker, until=parsed.until, today=today)
        slash.reply(away_set_message(until, today=today))
