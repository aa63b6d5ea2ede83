"""`/milestone import`'s forms: the preview of what the uploaded file would import, and the import itself."""

from __future__ import annotations

import logging

from slack_bolt import Ack
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core import milestones
from bot.core.forms.imports import (
    CONFIRM_CALLBACK,
    UPLOAD_CALLBACK,
    ImportBlock,
    read_import_context,
    read_upload_channel,
    read_uploaded_file,
)
from bot.core.imports import read_plan_csv
from bot.listeners.context import RequestContext
from bot.listeners.failures import on_form
from bot.listeners.guard import GuardedApp
from bot.listeners.replies import post_to_channel
from bot.render.imports import import_done_message, import_preview_view
from bot.slack.files import download

logger = logging.getLogger(__name__)


def register(app: GuardedApp) -> None:
    """Register the import forms."""
    app.view(UPLOAD_CALLBACK, refusals=on_form(ImportBlock.FILE))(preview_import)
    app.view(CONFIRM_CALLBACK)(confirm_import)


def preview_import(ack: Ack, view: dict, client: WebClient, ctx: RequestContext) -> None:
    """Read the uploaded CSV and show what would be imported, with every row's problems; write nothing."""
    file_id = read_uploaded_file(view["state"]["values"])
    channel_id = read_upload_channel(view["private_metadata"])
    try:
        preview = read_plan_csv(download(client, file_id=file_id), today=ctx.my_today)
    except (SlackApiError, OSError, ValueError) as problem:
        logger.warning("import file could not be read: %s", problem)
        ack(
            response_action="errors",
            errors={ImportBlock.FILE: "I couldn't read that file; upload it again as .csv."},
        )
        return
    view = import_preview_view(preview, channel_id=channel_id, file_id=file_id, today=ctx.my_today)
    ack(response_action="update", view=view)


def confirm_import(ack: Ack, view: dict, client: WebClient, ctx: RequestContext) -> None:
    """Import every row in one transaction (all or none), then tell the channel."""
    opened_for = read_import_context(view["private_metadata"])
    channel_id, file_id = opened_for.channel_id, opened_for.file_id
    preview = read_plan_csv(download(client, file_id=file_id), today=ctx.my_today)
    if not preview.ok:
        view = import_preview_view(preview, channel_id=channel_id, file_id=file_id, today=ctx.my_today)
        ack(response_action="update", view=view)
        return
    ack()
    added = milestones.import_milestones(
        engine=ctx.engine, asker=ctx.asker, channel_id=channel_id, rows=preview.rows
    )
    user_id, imported = ctx.person.user_id, added.milestones
    message = import_done_message(
        len(imported),
        numbers=[m.number for m in imported],
        by=user_id,
        today=ctx.channel_today(channel_id),
        first_review=added.first_review,
    )
    post_to_channel(client, channel_id=channel_id, user_id=user_id, message=message)
