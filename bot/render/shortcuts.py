"""Answers to the "Make a milestone" and "New milestone" shortcuts when no form can open."""

from __future__ import annotations

from bot.render.errors import error_message, too_slow_message
from bot.render.message import Message

# The shortcuts' names as Slack shows them (manifest.yml): what a person looks for to try again.
MAKE_MILESTONE_NAME = "Make a milestone"
NEW_MILESTONE_NAME = "New milestone"


def message_out_of_sight_message() -> Message:
    """The bot cannot see the message's conversation (a private channel or a DM it is not in)."""
    return error_message(
        f"I can't see that conversation, so I can't keep a milestone there. Invite me to the channel, "
        f"then use *{MAKE_MILESTONE_NAME}* on the message again.",
        example="/invite @Milestone Bot",
    )


def shortcut_too_slow_message(name: str) -> Message:
    """Slack gave up waiting for the form: use the shortcut again."""
    return too_slow_message(again=f"the “{name}” shortcut")
