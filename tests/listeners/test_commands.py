"""The verb → handler table of `/milestone`."""

from __future__ import annotations

import typing

from bot.core.command_types import AwayCommand, Command, SettingsCommand
from bot.listeners import away, commands
from bot.listeners.commands import HANDLERS


def test_every_command_the_grammar_can_give_has_one_handler() -> None:
    assert set(HANDLERS) == set(typing.get_args(Command))


def test_away_and_settings_go_to_their_own_handlers() -> None:
    assert HANDLERS[AwayCommand] is away.away
    assert HANDLERS[SettingsCommand] is commands.settings
