"""Messages as a person reads them where Slack cannot write a date token: each token as its fallback."""

from __future__ import annotations

import re

# `<!date^1797008400^{date_long_pretty}|Fri Dec 11>`: the instant, Slack's words, the fallback.
DATE_TOKEN = re.compile(r"<!date\^(?P<unix>-?[0-9]+)\^(?P<words>[^|<>^]+)\|(?P<fallback>[^<>|]+)>")


def fallbacks(text: str) -> str:
    """`due <!date^…|Fri Dec 11>` → `due Fri Dec 11`: what an old client or a terminal shows."""
    return DATE_TOKEN.sub(lambda match: match["fallback"], text)


def tokens(text: str) -> list[tuple[int, str, str]]:
    """Every date token in `text`: its Unix time, its format words and its fallback."""
    return [(int(m["unix"]), m["words"], m["fallback"]) for m in DATE_TOKEN.finditer(text)]
