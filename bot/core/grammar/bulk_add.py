"""Read `add` with a milestone on each line: every line read as its own `add`, or the wrong line named."""

from __future__ import annotations

from datetime import datetime

from bot.core.command_types import AddCommand, CommandError, MilestoneFields
from bot.core.grammar.command import MAX_COMMAND_LENGTH, parse_command

# How many milestones one `add` may list, one a line.
MAX_BULK_LINES = 50
_EXAMPLE = "/milestone add Launch beta due Dec 15 owner @alice"


def read_add_lines(text: str, *, now: datetime, user_id: str) -> list[MilestoneFields] | None:
    """`add` with a milestone on each line: every line's fields, or a CommandError naming the wrong line.

    None when the text is not an `add` of several lines (the usual grammar reads it).
    """
    words = text.split(maxsplit=1)
    # Anything too long is refused by the grammar, as every command is.
    if not words or words[0].lower() != "add" or len(text) > MAX_COMMAND_LENGTH:
        return None
    lines = [line.strip() for line in text.strip()[len(words[0]) :].splitlines()]
    lines = [line for line in lines if line]
    if len(lines) < 2:
        return None
    if len(lines) > MAX_BULK_LINES:
        raise CommandError(
            f"That's {len(lines)} lines; add at most {MAX_BULK_LINES} at once.", example=_EXAMPLE
        )
    return [_read_line(line, number=n, now=now, user_id=user_id) for n, line in enumerate(lines, start=1)]


def _read_line(line: str, *, number: int, now: datetime, user_id: str) -> MilestoneFields:
    try:
        parsed = parse_command(f"add {line}", now=now, user_id=user_id)
    except CommandError as error:
        message = f"Line {number}: {error.message} Nothing was added."
        raise CommandError(message, example=error.example) from None
    if not isinstance(parsed, AddCommand) or not parsed.fields.title:
        raise CommandError(f"Line {number} has no title. Nothing was added.", example=_EXAMPLE)
    return parsed.fields
