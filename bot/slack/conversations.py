"""Where a message goes: a channel id as it is, a person's id through their DM with the bot."""

from __future__ import annotations

from slack_sdk import WebClient


def is_person(target: str) -> bool:
    """True for a user id (U…, W… on Enterprise Grid): a message to it goes to their DM."""
    return target[:1] in ("U", "W")


def conversation_id(client: WebClient, target: str) -> str:
    """The conversation to post in or update: the channel itself, or the DM opened with a person."""
    if not is_person(target):
        return target
    # conversations.open answers the same DM every time; chat.update and history need its D… id.
    return client.conversations_open(users=target)["channel"]["id"]
