"""User text in and out: clean what people type, and make it safe to show in Slack mrkdwn."""

from __future__ import annotations

import re
import unicodedata

# Words Slack turns into a broadcast when a message is posted with link_names; never let user text do it.
_BROADCAST = re.compile(r"@(here|channel|everyone)\b", re.IGNORECASE)
_WORD_JOINER = "\u2060"


def has_control_characters(text: str) -> bool:
    """True when text holds characters no title should (newlines, NUL, escape codes, bidi overrides)."""
    return any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\u200d\t" for ch in text)


def escape_mrkdwn(text: str) -> str:
    """Escape `&`, `<`, `>` and defuse @here/@channel/@everyone: user text shows as typed, pings no one."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub(lambda m: f"@{_WORD_JOINER}{m.group(1)}", escaped)


def excerpt(text: str, *, limit: int = 60) -> str:
    """At most `limit` characters of user text, with … when cut, for quoting back in an error."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(text: str, *, limit: int = 60) -> str:
    """User text quoted in an error: one line, at most `limit` characters, in a code span it cannot break."""
    plain = " ".join(text.replace("`", "'").split())
    return f"`{excerpt(plain, limit=limit)}`"


def without_markup(text: str, *, limit: int = 300) -> str:
    """No raw `<` or `>`, so a message quoting user text can never become Slack markup; and not too long."""
    return excerpt(text.replace("<", "‹").replace(">", "›"), limit=limit)


def counted(count: int, noun: str) -> str:
    """`1 milestone`, `3 milestones`: a count with its noun, plural when it is not one."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
