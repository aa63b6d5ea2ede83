"""`/milestone`: parse, call a service, render the answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_bolt import Respond

from bot.core import access, milestones
from bot.core.channel_settings import change_settings, read_settings
from bot.core.command_types import (
    AddCommand,
    AwayCommand,
    DeleteCommand,
    DoneCommand,
    ExportCommand,
    HelpCommand,
    ImportCommand,
    ListCommand,
    MilestoneFields,
    ReportCommand,
    ReviewCommand,
    SettingsCommand,
    ShowCommand,
    UpdateCommand,
)
from bot.core.confidence_trends import confidence_of
from bot.core.dependency_links import comes_after
from bot.core.grammar.bulk_add import read_add_lines
from bot.core.grammar.command import parse_command
from bot.core.listing import list_milestones, listing_today
from bot.core.milestone_history import milestone_history
from bot.core.next_occurrence import series_of
from bot.core.track_record import forecast_of
from bot.listeners.away import away
from bot.listeners.context import RequestContext
from bot.listeners.done import announce_done
from bot.listeners.export import send_export
from bot.listeners.guard import GuardedApp
from bot.listeners.milestones import edit_form
from bot.listeners.replies import answer, open_modal
from bot.listeners.report import send_report
from bot.outbox.review_now import post_review_now
from bot.render import milestones as render
from bot.render.checkins import review_outcome_message
from bot.render.errors import too_slow_message
from bot.render.help import help_message
from bot.render.imports import import_modal
from bot.render.lists import list_message
from bot.render.message import Message
from bot.render.modals import milestone_modal
from bot.render.settings import settings_message, settings_modal
from bot.slack.people import name_of


def register(app: GuardedApp) -> None:
    """Register the slash command."""
    app.command("/milestone")(milestone_command)


@dataclass(frozen=True)
class Slash:
    """One `/milestone` request: its context, its channel, and the ways to answer it."""

    ctx: RequestContext
    respond: Respond
    channel_id: str
    trigger_id: str
    channel_name: str = ""  # as Slack sends it with the command: names the channel without another call

    def reply(self, message: Message, *, public: bool = False) -> None:
        """Answer the asker, or (`public`) the whole channel: in the ack when ready in time, else later."""
        answer(self.respond, message, public=public)

    def open_form(self, view: dict, *, again: str) -> None:
        """Open a modal; one whose trigger expired needs the command typed again, and the answer says so."""
        if not open_modal(self.ctx.client, trigger_id=self.trigger_id, view=view):
            self.reply(too_slow_message(again=f"/milestone {again}"))


def milestone_command(command: dict, respond: Respond, ctx: RequestContext) -> None:
    """Handle `/milestone …`: parse it and hand it to its verb's handler; every outcome is a short answer."""
    text = command.get("text") or ""
    slash = Slash(
        ctx=ctx,
        respond=respond,
        channel_id=command["channel_id"],
        trigger_id=command["trigger_id"],
        channel_name=command.get("channel_name") or "",
    )
    run_text(slash, text)


def run_text(slash: Slash, text: str, *, overdue_ok: frozenset[date] = frozenset()) -> None:
    """Read the text after `/milestone` and hand it to its verb's handler; `overdue_ok`: past dates chosen."""
    user_id = slash.ctx.person.user_id
    # `add` with a milestone on each line: every line is read before anything is added.
    lines = read_add_lines(text, now=slash.ctx.now, user_id=user_id, overdue_ok=overdue_ok)
    if lines is not None:
        add_lines(slash, lines)
        return
    parsed = parse_command(text, now=slash.ctx.now, user_id=user_id, overdue_ok=overdue_ok)
    HANDLERS[type(parsed)](slash, parsed)


def show_help(slash: Slash, parsed: HelpCommand) -> None:
    """`help [topic]`."""
    slash.reply(help_message(parsed.topic))


def add(slash: Slash, parsed: AddCommand) -> None:
    """`add …`: add the milestone and tell the channel; with nothing after it, open the add form."""
    ctx = slash.ctx
    if parsed.fields.is_empty():
        view = milestone_modal(mode="add", channel_id=slash.channel_id, milestone=None, today=ctx.my_today)
        slash.open_form(view, again="add")
        return
    added = milestones.add_milestones(
        engine=ctx.engine,
        asker=ctx.asker,
        channel_id=slash.channel_id,
        fields=[parsed.fields],
        after=parsed.after,
    )
    zone, today = ctx.channel_day(slash.channel_id)
    message = render.added_message(
        added.milestones[0],
        by=ctx.person.user_id,
        today=today,
        first_review=added.first_review,
        zone=zone,
        after=parsed.after,
    )
    slash.reply(message, public=True)


def add_lines(slash: Slash, lines: list[MilestoneFields]) -> None:
    """`add` with one milestone a line: add them all (or none) and tell the channel in one summary."""
    ctx = slash.ctx
    added = milestones.add_milestones(
        engine=ctx.engine, asker=ctx.asker, channel_id=slash.channel_id, fields=lines
    )
    zone, today = ctx.channel_day(slash.channel_id)
    message = render.bulk_added_message(
        added.milestones,
        by=ctx.person.user_id,
        today=today,
        first_review=added.first_review,
        zone=zone,
    )
    slash.reply(message, public=True)


def list_(slash: Slash, parsed: ListCommand) -> None:
    """`list [scope]`: the channel's milestones, or the asker's, someone's or a department's."""
    ctx = slash.ctx
    # Who asks and the owner's name first: they may come from Slack, not while a connection is held.
    asker_today, user_id = ctx.my_today, ctx.person.user_id
    owner_name = name_of(ctx.people, ctx.client, workspace=ctx.workspace, user_id=parsed.owner_id)
    # One pool checkout for the channel's zone and the page: each costs a pre-ping round trip and a rollback.
    with ctx.engine.connect() as connection:
        channel_today = ctx.channel_today(slash.channel_id, connection=connection)
        today = listing_today(parsed.scope, asker_today=asker_today, channel_today=channel_today)
        listing = list_milestones(
            engine=ctx.engine,
            connection=connection,
            workspace=ctx.workspace,
            channel_id=slash.channel_id,
            user_id=user_id,
            request=parsed,
            today=today,
            owner_name=owner_name,
        )
    slash.reply(list_message(listing, today=today, after=listing.after))


def show(slash: Slash, parsed: ShowCommand) -> None:
    """`show <n>`: every field, the history and the notes; times in the asker's zone."""
    ctx = slash.ctx
    history = milestone_history(engine=ctx.engine, workspace=ctx.workspace, number=parsed.number)
    today = ctx.channel_today(history.milestone.channel_id)
    likely = forecast_of(engine=ctx.engine, workspace=ctx.workspace, milestone=history.milestone, today=today)
    confidence = confidence_of(engine=ctx.engine, milestone=history.milestone)
    message = render.show_message(
        history.milestone,
        history.revisions,
        total_revisions=history.total,
        notes=history.notes,
        today=today,
        tz=ctx.person.zone,
        forecast=likely,
        confidence=confidence,
        after=comes_after(engine=ctx.engine, milestone=history.milestone),
        series=series_of(engine=ctx.engine, milestone=history.milestone),
    )
    slash.reply(message)


def update(slash: Slash, parsed: UpdateCommand) -> None:
    """`update <n> …`: change it and tell the channel; with nothing after the number, open the edit form."""
    ctx = slash.ctx
    if parsed.is_empty():
        slash.open_form(edit_form(ctx, number=parsed.number), again=f"update {parsed.number}")
        return
    change = milestones.update_milestone(
        engine=ctx.engine,
        asker=ctx.asker,
        number=parsed.number,
        fields=parsed.fields,
        cleared=parsed.cleared,
        status=parsed.status,
        reason=parsed.reason,
        after=parsed.after,
    )
    today = ctx.channel_today(change.milestone.channel_id)
    message = render.updated_message(
        change.milestone, change.revisions, by=ctx.person.user_id, today=today, behind=change.behind
    )
    slash.reply(message, public=True)


def done(slash: Slash, parsed: DoneCommand) -> None:
    """`done <n> [on <date>] [cost <amount>]`: by default today, by the asker's date; one channel line."""
    ctx = slash.ctx
    change = milestones.complete_milestone(
        engine=ctx.engine,
        asker=ctx.asker,
        number=parsed.number,
        completed_on=parsed.completed_on or ctx.my_today,
        cost=parsed.cost,
    )
    announce_done(ctx, client=ctx.client, change=change)


def ask_delete(slash: Slash, parsed: DeleteCommand) -> None:
    """`delete <n>`: ask to confirm, if the asker may delete it."""
    ctx = slash.ctx
    milestone = access.check_may_change(
        engine=ctx.engine, asker=ctx.asker, number=parsed.number, action="delete"
    )
    slash.reply(render.delete_confirm_message(milestone, today=ctx.channel_today(milestone.channel_id)))


def review(slash: Slash, parsed: ReviewCommand) -> None:
    """`review`: post the channel's weekly review now."""
    ctx = slash.ctx
    outcome = post_review_now(
        engine=ctx.engine,
        client=ctx.client,
        workspace=ctx.workspace,
        channel_id=slash.channel_id,
        now=ctx.now,
        lease=ctx.delivery_lease,
    )
    message = review_outcome_message(
        outcome=outcome.outcome, channel_id=slash.channel_id, message_ts=outcome.message_ts
    )
    slash.reply(message)


def settings(slash: Slash, parsed: SettingsCommand) -> None:
    """`settings …`: change the channel's settings and tell it; with nothing after it, open the form."""
    ctx, channel_id, timezone = slash.ctx, slash.channel_id, slash.ctx.person.timezone
    if parsed.change.is_empty():
        current, failed = read_settings(
            engine=ctx.engine, workspace=ctx.workspace, channel_id=channel_id, timezone=timezone, now=ctx.now
        )
        view = settings_modal(s=current, failed=failed, show_failed=ctx.person.is_admin, at=ctx.at)
        slash.open_form(view, again="settings")
        return
    changed = change_settings(
        engine=ctx.engine,
        workspace=ctx.workspace,
        channel_id=channel_id,
        change=parsed.change,
        timezone=timezone,
        now=ctx.now,
    )
    slash.reply(settings_message(changed, failed=[], show_failed=False), public=True)


def report(slash: Slash, parsed: ReportCommand) -> None:
    """`report …`: plan vs actual to the asker, with its chart."""
    send_report(
        slash.ctx,
        channel_id=slash.channel_id,
        request=parsed,
        respond=slash.respond,
        channel_name=slash.channel_name,
    )


def export(slash: Slash, parsed: ExportCommand) -> None:
    """`export csv|ics`: the channel's milestones as a file in the asker's DM."""
    export = send_export(
        slash.ctx, channel_id=slash.channel_id, request=parsed, channel_name=slash.channel_name
    )
    slash.reply(export)


def import_(slash: Slash, parsed: ImportCommand) -> None:
    """`import`: open the upload form."""
    slash.open_form(import_modal(channel_id=slash.channel_id), again="import")


# One handler per verb: the parsed command's type says which.
HANDLERS: dict[type, Callable[[Slash, Any], None]] = {
    HelpCommand: show_help,
    AddCommand: add,
    ListCommand: list_,
    ShowCommand: show,
    UpdateCommand: update,
    DoneCommand: done,
    DeleteCommand: ask_delete,
    ReviewCommand: review,
    SettingsCommand: settings,
    ReportCommand: report,
    ExportCommand: export,
    ImportCommand: import_,
    AwayCommand: away,
}
