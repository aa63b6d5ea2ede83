"""Answers when something goes wrong: bad input with an example to copy, or our own failure."""

from __future__ import annotations

from bot.core.text import escape_mrkdwn
from bot.render.message import Message, one_line


def error_message(message: str, *, example: str) -> Message:
    """`⚠️ {message}` and `Try: {example}`; `message` is mrkdwn the caller already made safe."""
    # Examples are ours but hold placeholders like <date>; escape them, and keep a stray backtick from
    # ending the code span early.
    code = escape_mrkdwn(example).replace("`", "'")
    text = f"⚠️ {message}\nTry: `{code}`"
    return one_line(text)


def internal_error_message() -> Message:
    """Our failure, said plainly: nothing changed, try again."""
    text = "⚠️ Something went wrong on our side; nothing was changed. Please try again."
    return one_line(text)


def too_slow_message(*, again: str | None) -> Message:
    """Slack gave up waiting for a form to open: `again` is the command to retry, else press the button."""
    retry = f"try {escape_mrkdwn(again)} again" if again else "press the button again"
    text = f"⏳ That took too long — {retry}."
    return one_line(text)
