"""The channel settings form."""

from __future__ import annotations

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.core.channel_settings import change_settings
from bot.core.forms.milestone import read_modal_context
from bot.core.forms.settings import read_settings_modal
from bot.core.forms.values import ModalErrors
from bot.deps import asker
from bot.listeners.guard import GuardedApp
from bot.listeners.replies import post_to_channel
from bot.render.settings import settings_message


def register(app: GuardedApp) -> None:
    """Register the settings form handler."""
    app.view("channel_settings")(submit_settings)


def submit_settings(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
    """Validate the form field by field, save it, and tell the channel what changed."""
    try:
        change = read_settings_modal(view["state"]["values"])
    except ModalErrors as invalid:
        ack(response_action="errors", errors=invalid.errors)
        return
    ack()
    deps, workspace, person = asker(client, context, user_id=body["user"]["id"])
    channel_id = read_modal_context(view["private_metadata"]).channel_id
    settings = change_settings(
        engine=deps.engine,
        workspace=workspace,
        channel_id=channel_id,
        change=change,
        timezone=person.timezone,
        now=deps.clock(),
    )
    message = settings_message(settings, failed=[], show_failed=False)
    post_to_channel(client, channel_id=channel_id, user_id=person.user_id, message=message)
