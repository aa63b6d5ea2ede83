"""Bad input put right: the person's own command with the slip corrected, the example once it reads.

A reader that knows what was meant (a verb, keyword, status or number a letter off, a name typed without
picking it, a date or amount that can't be read) raises its CommandError with a `correction`: the whole
command, as Slack would send it, with only that slip changed. `with_correction` reads it again; a correction
may need another first (`ad Launch due whenever` → `add`, then a date); one still unreadable is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.core.command_types import Command, CommandError, PastDateQuestion
from bot.core.grammar.tokens import plain_text

# A correction may need another (a verb, then a date), up to this many.
_ROUNDS = 4
# A longer command is no example to copy from a short answer: the verb's own example is shown instead.
_MAX_LENGTH = 300
# A name typed after `owner` (`alice`, `@alice`, `bob.smith`): a mention only once picked from Slack's list.
_TYPED_NAME = re.compile(r"@?([^\W_][\w.'-]{0,40})")
# Stands for the person in a corrected command, so it reads; shown as the `@name` that was typed.
_SOMEONE = "U0SOMEONE"


def corrected(source: str, *, start: int, end: int, text: str) -> str:
    """The command with what was typed from `start` to `end` put right as `text`."""
    return source[:start] + text + source[end:]


def respelt(source: str, *, start: int, end: int, word: str, meant: str) -> str:
    """The command with every `word` (in any case) between `start` and `end` written as `meant`."""
    pattern = re.compile(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])", re.IGNORECASE)
    return corrected(source, start=start, end=end, text=pattern.sub(lambda _: meant, source[start:end]))


def typed_mention(raw: str) -> str | None:
    """A name typed as text (`alice`, `@alice`) as the mention it was meant to be; None if it is no name.

    Typed text is never a mention: the example shows `@alice`, to be picked from Slack's list as it is typed.
    """
    name = _TYPED_NAME.fullmatch(plain_text(raw))
    return f"<@{_SOMEONE}|{name[1]}>" if name else None


def with_correction(error: CommandError, *, read: Callable[[str], Command]) -> CommandError:
    """The error with its correction as the example once that reads, else with its generic example."""
    correction = error.correction
    for _ in range(_ROUNDS):
        if correction is None:
            break
        correction = " ".join(correction.split())
        if len(correction) > _MAX_LENGTH:
            break
        try:
            read(correction)
        except PastDateQuestion:
            pass  # it reads: sent, it asks which year its date is
        except CommandError as still_wrong:
            correction = still_wrong.correction
            continue
        example = f"/milestone {plain_text(correction)}"
        return CommandError(error.message, example=example, correction=correction)
    return CommandError(error.message, example=error.example)
