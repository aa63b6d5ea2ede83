"""Shortcuts: "Make a milestone" on any message, "New milestone" from anywhere; both open the add form."""

from __future__ import annotations

import logging

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.forms.message_title import mentioned_users, title_from_message
from bot.listeners.context import RequestContext
from bot.listeners.guard import GuardedApp, ack_at_once
from bot.listeners.replies import answer, open_modal
from bot.render.modals import Capture, milestone_modal
from bot.render.shortcuts import (
    MAKE_MILESTONE_NAME,
    NEW_MILESTONE_NAME,
    message_out_of_sight_message,
    shortcut_too_slow_message,
)

logger = logging.getLogger(__name__)

# chat.getPermalink's answers when the bot cannot see the conversation (a private channel or a DM).
_OUT_OF_SIGHT = frozenset({"channel_not_found", "message_not_found", "not_in_channel"})
# People named in the title are looked up one users.info each before the form opens, and the trigger lasts
# 3 s: past these few, a mention shows as @U123 (the person can still edit the title).
NAMES_LOOKED_UP = 5


def register(app: GuardedApp) -> None:
    """Register both shortcuts (callback ids as in manifest.yml); each is acked before any Slack call."""
    app.message_shortcut("make_milestone", middleware=[ack_at_once])(make_milestone)
    app.global_shortcut("new_milestone", middleware=[ack_at_once])(new_milestone)


def make_milestone(body: dict, client: WebClient, respond: Respond, ctx: RequestContext) -> None:
    """Open the add form on the message: its first line as the title, its channel, and a link back to it."""
    channel_id = body["channel"]["id"]
    message = body.get("message") or {}
    link = message_link(client, channel_id=channel_id, message_ts=body.get("message_ts") or message["ts"])
    if link is None:
        answer(respond, message_out_of_sight_message())
        return
    text = message.get("text") or ""
    named = mentioned_users(text)[:NAMES_LOOKED_UP]
    names = ctx.people.names_of(client, workspace=ctx.workspace, user_ids=named)
    capture = Capture(title=title_from_message(text, names=names), source_link=link)
    view = milestone_modal(
        mode="add", channel_id=channel_id, milestone=None, today=ctx.my_today, capture=capture
    )
    if not open_modal(client, trigger_id=body["trigger_id"], view=view):
        answer(respond, shortcut_too_slow_message(MAKE_MILESTONE_NAME))


def new_milestone(body: dict, client: WebClient, ctx: RequestContext) -> None:
    """Open the add form from anywhere; its channel menu starts on the conversation being looked at."""
    capture = Capture(channel_from_view=True)
    view = milestone_modal(mode="add", channel_id=None, milestone=None, today=ctx.my_today, capture=capture)
    if not open_modal(client, trigger_id=body["trigger_id"], view=view):
        # A global shortcut has no response URL: the app's DM is the one place to say so.
        message = shortcut_too_slow_message(NEW_MILESTONE_NAME)
        client.chat_postMessage(channel=ctx.person.user_id, text=message.text, blocks=message.blocks)


def message_link(client: WebClient, *, channel_id: str, message_ts: str) -> str | None:
    """The message's permalink; None when the bot cannot see its conversation."""
    try:
        return client.chat_getPermalink(channel=channel_id, message_ts=message_ts)["permalink"]
    except SlackApiError as error:
        problem = error.response.get("error")
        if problem not in _OUT_OF_SIGHT:
            raise
        logger.info("no permalink for %s in %s (%s): the bot cannot see it", message_ts, channel_id, problem)
        return None
