"""A milestone title read from a Slack message: its first line, with Slack's markup turned readable."""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.core.limits import TITLE_CHARS
from bot.core.text import excerpt

# Slack's markup in message text: <@U123>, <@U123|alice>, <#C123|general>, <!here>, <!subteam^S1|@team>,
# <https://x|label>. The part after `|` is what Slack shows, when there is one.
_MARKUP = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
_USER = re.compile(r"^@([UW][A-Z0-9]+)$")
# Slack writes these three characters as entities in message text (and only these).
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


def mentioned_users(text: str) -> list[str]:
    """The user ids the message's first line mentions without a name (`<@U123>`), in order, once each."""
    found = (_USER.match(target) for target, label in _parse(first_line(text)) if not label)
    return list(dict.fromkeys(match.group(1) for match in found if match))


def title_from_message(text: str | None, *, names: Mapping[str, str]) -> str | None:
    """The message's first line as a title: markup readable, spaces collapsed, within the title's length.

    `names` holds people's Slack names by user id (an unnamed mention shows as `@U123`). None when the message
    has no text (only files or attachments).
    """
    line = _MARKUP.sub(lambda match: _readable(match, names=names), first_line(text or ""))
    for entity, character in _ENTITIES:
        line = line.replace(entity, character)
    title = " ".join(line.split())
    return excerpt(title, limit=TITLE_CHARS) if title else None


def first_line(text: str) -> str:
    """The first line with something on it."""
    return next((line for line in text.splitlines() if line.strip()), "")


def _parse(line: str) -> list[tuple[str, str | None]]:
    return [(match.group(1), match.group(2)) for match in _MARKUP.finditer(line)]


def _readable(match: re.Match[str], *, names: Mapping[str, str]) -> str:
    """One piece of markup as a reader sees it in Slack."""
    target, label = match.group(1), match.group(2)
    if target.startswith("@"):
        user_id = target[1:]
        return f"@{label or names.get(user_id) or user_id}"
    if target.startswith("#"):
        return f"#{label or 'channel'}"
    if target.startswith("!"):
        # <!here>, <!channel>, <!everyone>, <!subteam^S1|@team>, <!date^…|fallback>: the label, else the word.
        return label or f"@{target[1:].split('^')[0]}"
    # A link: its label, else the address itself.
    return label or target.removeprefix("mailto:")
