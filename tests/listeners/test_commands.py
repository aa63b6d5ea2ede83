"""The verb → handler table of `/milestone`."""

from __future__ import annotations

import typing

from bot.core.command_types import Command
from bot.listeners.commands import HANDLERS


def test_every_command_the_grammar_can_give_has_one_handler() -> None:
    assert set(HANDLERS) == set(typing.get_args(Command))
