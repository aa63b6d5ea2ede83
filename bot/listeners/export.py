"""`/milestone export`: the channel's milestones as a CSV or calendar file, sent to the asker directly."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackClientError

from bot.core.command_types import ExportCommand
from bot.core.exports import ExportNames, export_file, numbers_outside, people_named
from bot.core.report import channel_milestones
from bot.listeners.context import RequestContext
from bot.render.exports import export_failed_message, export_sent_message, nothing_to_export_message
from bot.render.message import Message
from bot.slack.channel_names import readable_channel_name
from bot.slack.files import direct_channel, send_files

logger = logging.getLogger(__name__)


def send_export(
    ctx: RequestContext, *, channel_id: str, request: ExportCommand, channel_name: str = ""
) -> Message:
    """Send the file to the asker's DM with the bot; the answer says it came, or that it did not."""
    workspace, client = ctx.workspace, ctx.client
    items = channel_milestones(engine=ctx.engine, workspace=workspace, channel_id=channel_id)
    if not items:
        return nothing_to_export_message(channel_id=channel_id)
    names = ExportNames(
        # Once per person per export, through the people cache: never a look-up per row.
        people=ctx.people.names_of(client, workspace=workspace, user_ids=people_named(items)),
        channel=readable_channel_name(channel_name),
        zone=ctx.channel_zone(channel_id),
        # A milestone can come after one in another channel: its number is read, not left out.
        numbers=numbers_outside(engine=ctx.engine, items=items),
    )
    export = export_file(items, file_format=request.format, workspace=workspace, names=names)
    try:
        send_files(
            client,
            channel_id=direct_channel(client, user_id=ctx.person.user_id),
            files=[(export.filename, export.content, export.title)],
            comment=f"📎 {export.contents} from <#{channel_id}>",
        )
    except (SlackClientError, OSError) as problem:
        # The person asked for a file and is waiting for it: say it did not come, rather than nothing.
        logger.warning("could not send the export %s: %s", export.filename, problem)
        return export_failed_message(filename=export.filename)
    return export_sent_message(filename=export.filename, contents=export.contents, channel_id=channel_id)
