"""Sending a rendered Message back through Slack: ephemeral answers, channel posts, replaced messages."""

from __future__ import annotations

import logging

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.render.message import Message

logger = logging.getLogger(__name__)


def answer(respond: Respond, message: Message, *, public: bool = False, replace: bool = False) -> None:
    """Answer through the response URL: to the asker only, unless `public`; `replace` edits the original."""
    respond(
        text=message.text,
        blocks=message.blocks,
        response_type="in_channel" if public else "ephemeral",
        replace_original=replace,
        delete_original=False,
    )


def post_to_channel(client: WebClient, *, channel_id: str, user_id: str, message: Message) -> None:
    """Post in the channel; if the bot is not in it, tell the person directly instead of failing silently."""
    try:
        client.chat_postMessage(channel=channel_id, text=message.text, blocks=message.blocks)
    except SlackApiError as error:
        if error.response.get("error") not in ("not_in_channel", "channel_not_found", "is_archived"):
            raise
        logger.info(
            "cannot post in %s (%s); telling %s directly", channel_id, error.response["error"], user_id
        )
        client.chat_postMessage(channel=user_id, text=message.text, blocks=message.blocks)
