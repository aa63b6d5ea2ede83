"""Reading `/milestone` text in tests: as one sender, at one moment (a Wednesday morning in New York)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.command_types import Command, CommandError
from bot.core.grammar.command import parse_command

NEW_YORK = ZoneInfo("America/New_York")
# Wednesday, Nov 25, 2026.
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=NEW_YORK)
ME = "U0ME"


def parse(text: str, *, now: datetime = NOW) -> Command:
    """The command `ME` sent at `now`."""
    return parse_command(text, now=now, user_id=ME)


def error_of(text: str, *, now: datetime = NOW) -> CommandError:
    """The CommandError the text is refused with (the test fails when it is read)."""
    with pytest.raises(CommandError) as caught:
        parse(text, now=now)
    return caught.value
