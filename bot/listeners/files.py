"""Plan vs actual and files: the report (with its chart), sharing it, export, and the import form."""

from __future__ import annotations

import logging
from datetime import datetime

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.core import milestones
from bot.core.chart import timeline_pngs
from bot.core.command_types import ExportCommand, ReportCommand
from bot.core.exports import milestones_csv, milestones_ics
from bot.core.forms.values import metadata_field, read_metadata
from bot.core.imports import read_plan_csv
from bot.core.report import ScopedReport, channel_milestones, load_report, request_from_share, share_value
from bot.deps import Deps, asker
from bot.listeners.guard import GuardedApp
from bot.listeners.replies import answer, open_modal, post_to_channel
from bot.render.imports import import_done_message, import_modal, import_preview_view
from bot.render.message import Message, build_message, section
from bot.render.report import report_message
from bot.slack.files import direct_channel, download, send_files
from bot.slack.people import Person, name_of
from storage.workspace import Workspace

logger = logging.getLogger(__name__)

MAX_CHART_LINES = 200


def register(app: GuardedApp) -> None:
    """Register the share button and the import forms."""
    app.action("report_share")(share_report)
    app.view("import_upload")(preview_import)
    app.view("import_confirm")(confirm_import)


def send_report(
    deps: Deps,
    *,
    client: WebClient,
    workspace: Workspace,
    person: Person,
    channel_id: str,
    request: ReportCommand,
    now: datetime,
    respond: Respond,
) -> None:
    """Answer the asker with the report text at once, then send them its timeline chart directly."""
    scoped = _load(deps, client=client, workspace=workspace, channel_id=channel_id, request=request, now=now)
    message = report_message(
        scoped.report, heading=scoped.heading, today=now.date(), share_value=share_value(request)
    )
    answer(respond, message)
    _send_chart(client, scoped, channel_id=None, user_id=person.user_id, now=now)


def share_report(ack: Ack, body: dict, respond: Respond, client: WebClient, context: BoltContext) -> None:
    """Post the same report, chart included, for the whole channel to see."""
    ack()
    deps, workspace, person = asker(client, context, user_id=body["user"]["id"])
    now = deps.clock().astimezone(person.zone)
    channel_id = body["channel"]["id"]
    request = request_from_share(body["actions"][0]["value"])
    scoped = _load(deps, client=client, workspace=workspace, channel_id=channel_id, request=request, now=now)
    message = report_message(
        scoped.report, heading=scoped.heading, today=now.date(), shared_by=person.user_id
    )
    post_to_channel(client, channel_id=channel_id, user_id=person.user_id, message=message)
    answer(
        respond,
        build_message(text="Shared in the channel.", blocks=[section("📣 Shared in the channel.")]),
        replace=True,
    )
    _send_chart(client, scoped, channel_id=channel_id, user_id=person.user_id, now=now)


def _load(
    deps: Deps,
    *,
    client: WebClient,
    workspace: Workspace,
    channel_id: str,
    request: ReportCommand,
    now: datetime,
) -> ScopedReport:
    return load_report(
        engine=deps.engine,
        workspace=workspace,
        channel_id=channel_id,
        request=request,
        today=now.date(),
        owner_name=name_of(deps.people, client, workspace=workspace, user_id=request.owner_id),
    )


def _send_chart(
    client: WebClient, scoped: ScopedReport, *, channel_id: str | None, user_id: str, now: datetime
) -> None:
    """Upload the timeline chart pages to the channel, or (None) to the person's DM with the bot."""
    # Eight pages of 25 bars is as much timeline as anyone reads in Slack; the text report has every line.
    pages = timeline_pngs(scoped.report.lines[:MAX_CHART_LINES], today=now.date(), title=scoped.heading)
    files = [
        (f"plan-vs-actual-{n}.png", png, f"{scoped.heading} ({n}/{len(pages)})")
        for n, png in enumerate(pages, 1)
    ]
    try:
        where = channel_id or direct_channel(client, user_id=user_id)
        send_files(client, channel_id=where, files=files, comment=f"📈 {scoped.heading}: the timeline")
    except SlackApiError as error:
        # The text report stands on its own; a chart that cannot be uploaded is logged, not fatal.
        logger.warning("could not upload the report chart: %s", error.response.get("error"))


def send_export(
    deps: Deps,
    *,
    client: WebClient,
    workspace: Workspace,
    person: Person,
    channel_id: str,
    request: ExportCommand,
    now: datetime,
) -> Message:
    """The channel's milestones as a CSV or calendar file, sent to the asker directly."""
    items = channel_milestones(engine=deps.engine, workspace=workspace, channel_id=channel_id)
    if request.format == "csv":
        filename, content = "milestones.csv", milestones_csv(items)
    else:
        key = f"{workspace.enterprise_id or 'x'}-{workspace.team_id}".lower()
        filename, content = (
            "milestones.ics",
            milestones_ics(items, workspace_key=key, calendar_name="Milestones"),
        )
    try:
        send_files(
            client,
            channel_id=direct_channel(client, user_id=person.user_id),
            files=[(filename, content, f"Milestones of #{channel_id}")],
            comment=f"📎 {len(items)} milestones from <#{channel_id}>",
        )
    except (SlackClientError, OSError) as problem:
        # The person asked for a file and is waiting for it: say it did not come, rather than nothing.
        logger.warning("could not send the export %s: %s", filename, problem)
        text = f"⚠️ I couldn't send you `{filename}`: Slack did not take the upload. Please try again."
        return build_message(text=text, blocks=[section(text)])
    text = f"📎 Sent you `{filename}` with {len(items)} milestones from <#{channel_id}> in a direct message."
    return build_message(text=text, blocks=[section(text)])


def preview_import(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
    """Read the uploaded CSV and show what would be imported, with every row's problems; write nothing."""
    deps, _, person = asker(client, context, user_id=body["user"]["id"])
    today = deps.clock().astimezone(person.zone).date()
    file_ids = [f["id"] for f in view["state"]["values"]["file"]["file"].get("files") or []]
    if not file_ids:
        ack(response_action="errors", errors={"file": "Upload a CSV file."})
        return
    channel_id = _import_channel(view)
    try:
        preview = read_plan_csv(download(client, file_id=file_ids[0]), today=today)
    except (SlackApiError, OSError, ValueError) as problem:
        logger.warning("import file could not be read: %s", problem)
        ack(response_action="errors", errors={"file": "I couldn't read that file; upload it again as .csv."})
        return
    ack(
        response_action="update",
        view=import_preview_view(
            preview, channel_id=channel_id, file_id=file_ids[0], today=deps.clock().date()
        ),
    )


def confirm_import(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
    """Import every row in one transaction (all or none), then tell the channel."""
    deps, workspace, person = asker(client, context, user_id=body["user"]["id"])
    now = deps.clock().astimezone(person.zone)
    channel_id = _import_channel(view)
    file_id = _import_file(view)
    preview = read_plan_csv(download(client, file_id=file_id), today=now.date())
    if not preview.ok:
        ack(
            response_action="update",
            view=import_preview_view(preview, channel_id=channel_id, file_id=file_id, today=now.date()),
        )
        return
    ack()
    added = milestones.import_milestones(
        engine=deps.engine,
        workspace=workspace,
        channel_id=channel_id,
        actor=person.actor,
        rows=preview.rows,
        timezone=person.timezone,
        now=now,
    )
    message = import_done_message(len(added), numbers=[m.number for m in added], by=person.user_id)
    post_to_channel(client, channel_id=channel_id, user_id=person.user_id, message=message)


def _import_channel(view: dict) -> str:
    return metadata_field(read_metadata(view["private_metadata"]), "channel_id", str, required=True)


def _import_file(view: dict) -> str:
    return metadata_field(read_metadata(view["private_metadata"]), "file_id", str, required=True)


def open_import(client: WebClient, *, trigger_id: str, channel_id: str) -> bool:
    """Open the import form; False when Slack's trigger expired first."""
    return open_modal(client, trigger_id=trigger_id, view=import_modal(channel_id=channel_id))
