"""`/milestone away until <date>` and `away off`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.command_types import AwayCommand
from bot.render.message import build_message, section

if TYPE_CHECKING:
    from bot.listeners.commands import Slash


def away(slash: Slash, parsed: AwayCommand) -> None:
    """`away until <date>` / `away off`."""
    text = "Away is not ready yet."
    slash.reply(build_message(text=text, blocks=[section(text)]))
