"""`/milestone import`'s forms: the preview of what the uploaded file would import, and the import itself."""

from __future__ import annotations

import logging

from slack_bolt import Ack
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core import milestones
from bot.core.forms.values import metadata_field, read_metadata
from bot.core.imports import read_plan_csv
from bot.listeners.context import RequestContext
from bot.listeners.guard import GuardedApp
from bot.listeners.replies import post_to_channel
from bot.render.imports import import_done_message, import_preview_view
from bot.slack.files import download

logger = logging.getLogger(__name__)


def register(app: GuardedApp) -> None:
    """Register the import forms."""
    app.view("import_upload")(preview_import)
    app.view("import_confirm")(confirm_import)


def preview_import(ack: Ack, view: dict, client: WebClient, ctx: RequestContext) -> None:
    """Read the uploaded CSV and show what would be imported, with every row's problems; write nothing."""
    file_ids = [f["id"] for f in view["state"]["values"]["file"]["file"].get("files") or []]
    if not file_ids:
        ack(response_action="errors", errors={"file": "Upload a CSV file."})
        return
    channel_id = _import_channel(view)
    try:
        preview = read_plan_csv(download(client, file_id=file_ids[0]), today=ctx.my_today)
    except (SlackApiError, OSError, ValueError) as problem:
        logger.warning("import file could not be read: %s", problem)
        ack(response_action="errors", errors={"file": "I couldn't read that file; upload it again as .csv."})
        return
    view = import_preview_view(preview, channel_id=channel_id, file_id=file_ids[0], today=ctx.my_today)
    ack(response_action="update", view=view)


def confirm_import(ack: Ack, view: dict, client: WebClient, ctx: RequestContext) -> None:
    """Import every row in one transaction (all or none), then tell the channel."""
    channel_id = _import_channel(view)
    file_id = _import_file(view)
    preview = read_plan_csv(download(client, file_id=file_id), today=ctx.my_today)
    if not preview.ok:
        view = import_preview_view(preview, channel_id=channel_id, file_id=file_id, today=ctx.my_today)
        ack(response_action="update", view=view)
        return
    ack()
    added = milestones.import_milestones(
        engine=ctx.engine,
        workspace=ctx.workspace,
        channel_id=channel_id,
        actor=ctx.actor,
        rows=preview.rows,
        timezone=ctx.person.timezone,
        now=ctx.now,
    )
    user_id = ctx.person.user_id
    message = import_done_message(len(added), numbers=[m.number for m in added], by=user_id)
    post_to_channel(client, channel_id=channel_id, user_id=user_id, message=message)


def _import_channel(view: dict) -> str:
    return metadata_field(read_metadata(view["private_metadata"]), "channel_id", str, required=True)


def _import_file(view: dict) -> str:
    return metadata_field(read_metadata(view["private_metadata"]), "file_id", str, required=True)
