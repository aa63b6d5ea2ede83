"""The channel settings form."""

from __future__ import annotations

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.core.channel_settings import change_settings
from bot.core.forms.settings import CALLBACK, SettingsBlock, read_settings_context, read_settings_modal
from bot.listeners.context import RequestContext
from bot.listeners.failures import on_form
from bot.listeners.guard import GuardedApp
from bot.listeners.replies import post_to_channel
from bot.render.settings import settings_message


def register(app: GuardedApp) -> None:
    """Register the settings form handler."""
    app.view(CALLBACK, refusals=on_form(SettingsBlock.TIMEZONE))(submit_settings)


def submit_settings(ack: Ack, view: dict, client: WebClient, ctx: RequestContext) -> None:
    """Validate the form field by field, save it, and tell the channel what changed."""
    change = read_settings_modal(view["state"]["values"])
    channel_id = read_settings_context(view["private_metadata"]).channel_id
    ack()
    settings = change_settings(
        engine=ctx.engine,
        workspace=ctx.workspace,
        channel_id=channel_id,
        change=change,
        timezone=ctx.person.timezone,
        now=ctx.at,
    )
    message = settings_message(settings, failed=[], show_failed=False)
    post_to_channel(client, channel_id=channel_id, user_id=ctx.person.user_id, message=message)
