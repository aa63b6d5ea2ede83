"""Sending a rendered Message back through Slack: ephemeral answers, channel posts, replaced messages."""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_bolt import Respond
from slack_bolt.kwargs_injection.args import Args
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookResponse

from bot.listeners.ack_answer import RespondInAck
from bot.listeners.response_urls import POOL
from bot.render.message import Message

logger = logging.getLogger(__name__)

# Seconds to wait before each new try when the response URL did not take an answer: short, because the
# person is looking at Slack, and few, because a response URL expires (30 minutes, 5 uses).
ANSWER_RETRY_DELAYS = (0.2, 0.5, 1.0)


def answer(respond: Respond, message: Message, *, public: bool = False, replace: bool = False) -> bool:
    """Answer through `respond`: to the asker only, unless `public`; `replace` edits the original.

    A slash command's first answer ready in time rides in its HTTP ack (bot/listeners/ack_answer.py); any
    other goes to the response URL, where a 5xx, a 429 or a network error is tried again a few times and an
    answer that never got through is logged at ERROR. True when Slack took it.
    """
    for delay in (*ANSWER_RETRY_DELAYS, None):
        try:
            result = _respond(
                respond, message, response_type="in_channel" if public else "ephemeral", replace=replace
            )
            status, problem = result.status_code, result.body
        except OSError as error:
            status, problem = None, repr(error)
        if status == 200:
            return True
        if delay is None or (status is not None and status < 500 and status != 429):
            break
        time.sleep(delay)
    logger.error("answer through the response URL lost: status %s, %s", status, str(problem)[:200])
    return False


def _respond(respond: Respond, message: Message, *, response_type: str, replace: bool) -> WebhookResponse:
    """respond(): in the ack while its slot is open, else to the response URL over a kept-alive connection."""
    if (
        isinstance(respond, RespondInAck)
        and not replace
        and respond.slot.answer(text=message.text, blocks=message.blocks, response_type=response_type)
    ):
        return WebhookResponse(url=respond.response_url or "", status_code=200, body="ok", headers={})
    # Bolt's own Respond (either kind) without a proxy: the same body, on a reused connection.
    if type(respond) in (Respond, RespondInAck) and respond.response_url and not respond.proxy:
        body = {"text": message.text, "response_type": response_type, "replace_original": replace}
        if message.blocks:
            body["blocks"] = list(message.blocks)
        return POOL.post(respond.response_url, {**body, "delete_original": False}, context=respond.ssl)
    return respond(
        text=message.text,
        blocks=message.blocks,
        response_type=response_type,
        replace_original=replace,
        delete_original=False,
    )


def open_modal(client: WebClient, *, trigger_id: str, view: dict) -> bool:
    """Open a modal; False when the trigger expired (Slack waited more than 3 s), so the caller can say so."""
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as error:
        if error.response.get("error") != "expired_trigger_id":
            raise
        logger.info("trigger %s expired before the modal opened", trigger_id)
        return False
    return True


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


def tell(args: Args, *, body: dict[str, Any], message: Message, replace: bool = False) -> None:
    """Answer through `respond` (the ack or the response URL); without one, in the person's DM.

    An event has no one to answer.
    """
    if args.respond is not None and args.respond.response_url:
        answer(args.respond, message, replace=replace)
        return
    user = body.get("user")
    user_id = user.get("id") if isinstance(user, dict) else None
    if body.get("type") == "event_callback" or not isinstance(user_id, str) or not user_id:
        return
    args.client.chat_postMessage(channel=user_id, text=message.text, blocks=message.blocks)
