"""A channel's name as Slack sends it with a request, kept only when it is a real name a person can read."""

from __future__ import annotations

# What Slack sends as a channel's name where a conversation has none of its own (a DM, an older private one).
_NOT_A_NAME = frozenset({"directmessage", "privategroup"})


def readable_channel_name(sent: str | None) -> str:
    """The channel's name to show after a `#`, or "" for a conversation with no name of its own."""
    name = (sent or "").strip()
    return "" if name in _NOT_A_NAME else name
