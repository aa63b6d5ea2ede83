"""Plan vs actual: the report (with its timeline chart) for the asker, and the button that shares it."""

from __future__ import annotations

import logging
from datetime import date

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.chart import timeline_pngs
from bot.core.command_types import ReportCommand
from bot.core.forms.buttons import Action
from bot.core.report import ScopedReport, load_report, request_from_share, share_value
from bot.listeners.context import RequestContext
from bot.listeners.guard import GuardedApp
from bot.listeners.replies import answer, post_to_channel
from bot.render.message import build_message, section
from bot.render.report import report_message
from bot.slack.files import direct_channel, send_files
from bot.slack.people import name_of

logger = logging.getLogger(__name__)

MAX_CHART_LINES = 200


def register(app: GuardedApp) -> None:
    """Register the share button."""
    app.action(Action.REPORT_SHARE)(share_report)


def send_report(ctx: RequestContext, *, channel_id: str, request: ReportCommand, respond: Respond) -> None:
    """Answer the asker with the report text at once, then send them its timeline chart directly."""
    today = ctx.channel_today(channel_id)
    scoped = _load(ctx, channel_id=channel_id, request=request, today=today)
    message = report_message(
        scoped.report, heading=scoped.heading, today=today, share_value=share_value(request)
    )
    answer(respond, message)
    _send_chart(ctx.client, scoped, channel_id=None, user_id=ctx.person.user_id, today=today)


def share_report(body: dict, respond: Respond, client: WebClient, ctx: RequestContext) -> None:
    """Post the same report, chart included, for the whole channel to see."""
    channel_id = body["channel"]["id"]
    today = ctx.channel_today(channel_id)
    request = request_from_share(body["actions"][0]["value"])
    scoped = _load(ctx, channel_id=channel_id, request=request, today=today)
    user_id = ctx.person.user_id
    message = report_message(scoped.report, heading=scoped.heading, today=today, shared_by=user_id)
    post_to_channel(client, channel_id=channel_id, user_id=user_id, message=message)
    answer(
        respond,
        build_message(text="Shared in the channel.", blocks=[section("📣 Shared in the channel.")]),
        replace=True,
    )
    _send_chart(client, scoped, channel_id=channel_id, user_id=user_id, today=today)


def _load(ctx: RequestContext, *, channel_id: str, request: ReportCommand, today: date) -> ScopedReport:
    return load_report(
        engine=ctx.engine,
        workspace=ctx.workspace,
        channel_id=channel_id,
        request=request,
        today=today,
        owner_name=name_of(ctx.people, ctx.client, workspace=ctx.workspace, user_id=request.owner_id),
    )


def _send_chart(
    client: WebClient, scoped: ScopedReport, *, channel_id: str | None, user_id: str, today: date
) -> None:
    """Upload the timeline chart pages to the channel, or (None) to the person's DM with the bot."""
    # Eight pages of 25 bars is as much timeline as anyone reads in Slack; the text report has every line.
    pages = timeline_pngs(scoped.report.lines[:MAX_CHART_LINES], today=today, title=scoped.heading)
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
