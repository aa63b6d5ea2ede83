"""Plan vs actual: the report with its timeline pictures for the asker, and the button that shares it."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import date

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.core.command_types import ReportCommand
from bot.core.forms.buttons import Action
from bot.core.report import ScopedReport, load_report, request_from_share, share_value
from bot.core.timeline import charted_count
from bot.listeners.ack_answer import RespondInAck
from bot.listeners.context import RequestContext
from bot.listeners.guard import GuardedApp
from bot.listeners.replies import answer, post_to_channel
from bot.render.message import Message, one_line
from bot.render.report import ChartImage, report_message
from bot.slack.channel_names import readable_channel_name
from bot.slack.files import upload_unshared
from bot.slack.people import name_of

logger = logging.getLogger(__name__)

# Slack readies an uploaded file a moment after the upload returns; until then an image block showing it is
# refused as `invalid_blocks`. One more try after this wait, then the report goes without its pictures.
CHART_RETRY_WAIT_S = 1.5

Render = Callable[[Sequence[ChartImage]], Message]


def register(app: GuardedApp) -> None:
    """Register the share button."""
    app.action(Action.REPORT_SHARE)(share_report)


def send_report(
    ctx: RequestContext, *, channel_id: str, request: ReportCommand, respond: Respond, channel_name: str = ""
) -> None:
    """Answer the asker with the report, its timeline pictures in the same message."""
    today = ctx.channel_today(channel_id)
    scoped = _load(ctx, channel_id=channel_id, request=request, today=today, channel_name=channel_name)
    value = share_value(request)

    def render(charts: Sequence[ChartImage]) -> Message:
        return report_message(
            scoped.report, heading=scoped.heading, today=today, share_value=value, charts=charts
        )

    # Pictures go to the response URL itself, never in the command's ack: only the URL says when Slack
    # refused a file it has not readied yet, so that the report can be sent again.
    if charted_count(scoped.report.lines)[0]:
        _ack_now(respond)
    url = Respond(response_url=respond.response_url, proxy=respond.proxy, ssl=respond.ssl)
    _deliver(
        render,
        _upload_chart(ctx.client, scoped, today=today),
        try_send=lambda message: _answered_once(url, message),
        send=lambda message: answer(respond, message),
    )


def share_report(body: dict, respond: Respond, client: WebClient, ctx: RequestContext) -> None:
    """Post the same report, pictures included, for the whole channel to see."""
    channel = body["channel"]
    channel_id = channel["id"]
    today = ctx.channel_today(channel_id)
    request = request_from_share(body["actions"][0]["value"])
    scoped = _load(
        ctx, channel_id=channel_id, request=request, today=today, channel_name=channel.get("name", "")
    )
    user_id = ctx.person.user_id

    def render(charts: Sequence[ChartImage]) -> Message:
        return report_message(
            scoped.report, heading=scoped.heading, today=today, shared_by=user_id, charts=charts
        )

    def post(message: Message) -> None:
        post_to_channel(client, channel_id=channel_id, user_id=user_id, message=message)

    _deliver(
        render,
        _upload_chart(client, scoped, today=today),
        try_send=lambda message: _taken(post, message),
        send=post,
    )
    answer(respond, one_line("📣 Shared in the channel."), replace=True)


def _load(
    ctx: RequestContext, *, channel_id: str, request: ReportCommand, today: date, channel_name: str
) -> ScopedReport:
    return load_report(
        engine=ctx.engine,
        workspace=ctx.workspace,
        channel_id=channel_id,
        request=request,
        today=today,
        owner_name=name_of(ctx.people, ctx.client, workspace=ctx.workspace, user_id=request.owner_id),
        channel_name=readable_channel_name(channel_name),
    )


def _ack_now(respond: Respond) -> None:
    """Ack the command empty now, rather than hold a request thread through the drawing and the upload."""
    if isinstance(respond, RespondInAck):
        respond.slot.close()


def _upload_chart(client: WebClient, scoped: ScopedReport, *, today: date) -> list[ChartImage]:
    """Draw the timeline and upload its pages into no conversation; [] when either fails."""
    if not charted_count(scoped.report.lines)[0]:
        return []  # nothing dated to draw
    try:
        # Imported on the first chart, not at start-up: matplotlib and numpy weigh ~43 MB in every worker
        # process, most of which never draws one.
        from bot.core.chart import timeline_pngs

        pages = timeline_pngs(scoped.report.lines, today=today, title=scoped.heading)
    except Exception:  # a picture that cannot be drawn must not take the report's text down with it
        logger.exception("could not draw the report's timeline")
        return []
    count = len(pages)
    titles = [f"Plan vs actual ({n}/{count})" if count > 1 else "Plan vs actual" for n in range(1, count + 1)]
    files = [
        (f"plan-vs-actual-{n}.png", png, title)
        for n, (png, title) in enumerate(zip(pages, titles, strict=True), 1)
    ]
    try:
        file_ids = upload_unshared(client, files=files)
    except (SlackClientError, OSError) as error:
        # The text report stands on its own: a picture that cannot be uploaded is logged, never fatal.
        logger.warning("could not upload the report's timeline: %s", _reason(error))
        return []
    return [
        ChartImage(file_id=file_id, title=title) for file_id, title in zip(file_ids, titles, strict=False)
    ]


def _deliver(
    render: Render,
    charts: list[ChartImage],
    *,
    try_send: Callable[[Message], bool],
    send: Callable[[Message], object],
) -> None:
    """Send the report with its pictures; refused twice (a file not ready yet), send it without them."""
    if charts:
        for wait in (0.0, CHART_RETRY_WAIT_S):
            time.sleep(wait)
            if try_send(render(charts)):
                return
        logger.warning("report sent without its timeline: Slack refused the pictures twice")
    send(render(()))


def _answered_once(respond: Respond, message: Message) -> bool:
    """One ephemeral answer through the response URL; True when Slack took it."""
    try:
        result = respond(
            text=message.text,
            blocks=message.blocks,
            response_type="ephemeral",
            replace_original=False,
            delete_original=False,
        )
    except OSError:
        return False
    return result.status_code == 200


def _taken(post: Callable[[Message], None], message: Message) -> bool:
    """Post once; False when Slack refused the blocks (any other refusal is raised)."""
    try:
        post(message)
    except SlackApiError as error:
        if error.response.get("error") != "invalid_blocks":
            raise
        return False
    return True


def _reason(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return str(error.response.get("error"))
    return repr(error)[:200]
