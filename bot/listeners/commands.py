"""`/milestone`: parse, call a service, render the answer."""

from __future__ import annotations

from datetime import datetime

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.core import access, milestones
from bot.core.channel_settings import change_settings, read_settings
from bot.core.command_types import (
    AddCommand,
    Command,
    CommandError,
    DeleteCommand,
    DoneCommand,
    ExportCommand,
    HelpCommand,
    ImportCommand,
    ListCommand,
    ReportCommand,
    ReviewCommand,
    SettingsCommand,
    ShowCommand,
    UpdateCommand,
)
from bot.core.grammar.command import parse_command
from bot.core.listing import list_milestones
from bot.core.milestone_history import milestone_history
from bot.deps import Deps, asker
from bot.listeners.files import open_import, send_export, send_report
from bot.listeners.guard import GuardedApp
from bot.listeners.outcomes import explain_failure
from bot.listeners.replies import answer, open_modal
from bot.outbox.review_now import post_review_now
from bot.render import milestones as render
from bot.render.checkins import review_outcome_message
from bot.render.errors import error_message, too_slow_message
from bot.render.help import help_message
from bot.render.message import Message
from bot.render.modals import milestone_modal
from bot.render.settings import settings_message, settings_modal
from bot.slack.people import Person, name_of
from storage.models import Milestone
from storage.workspace import Workspace


def register(app: GuardedApp) -> None:
    """Register the slash command."""
    app.command("/milestone")(milestone_command)


def milestone_command(
    ack: Ack, command: dict, respond: Respond, client: WebClient, context: BoltContext
) -> None:
    """Handle `/milestone …`: every outcome, good or bad, is one short answer."""
    ack()
    deps, workspace, person = asker(client, context, user_id=command["user_id"])
    now = deps.clock().astimezone(person.zone)
    try:
        parsed = parse_command(command.get("text") or "", now=now, user_id=person.user_id)
        run = _Run(
            deps=deps,
            workspace=workspace,
            person=person,
            now=now,
            client=client,
            command=command,
            respond=respond,
        )
        message, public = run.dispatch(parsed)
    except CommandError as error:
        answer(respond, error_message(error.message, example=error.example))
        return
    except (access.MilestoneNotFound, access.NotAllowed, milestones.NothingChanged) as failure:
        answer(respond, explain_failure(failure))
        return
    if message is not None:
        answer(respond, message, public=public)


class _Run:
    """One command's context: who asks, where, and when."""

    def __init__(
        self,
        *,
        deps: Deps,
        workspace: Workspace,
        person: Person,
        now: datetime,
        client: WebClient,
        command: dict,
        respond: Respond,
    ) -> None:
        self.deps = deps
        self.respond = respond
        self.workspace = workspace
        self.person = person
        self.now = now
        self.today = now.date()
        self.client = client
        self.command = command
        self.channel_id: str = command["channel_id"]
        self.actor = person.actor

    def dispatch(self, parsed: Command) -> tuple[Message | None, bool]:
        """The answer to send (None when a modal opened instead) and whether the channel should see it."""
        match parsed:
            case HelpCommand(topic=topic):
                return help_message(topic), False
            case AddCommand(fields=fields) if fields.is_empty():
                return self._opened(self._open_modal(mode="add", milestone=None), again="add")
            case AddCommand(fields=fields):
                milestone = milestones.add_milestone(
                    engine=self.deps.engine,
                    workspace=self.workspace,
                    channel_id=self.channel_id,
                    actor=self.actor,
                    fields=fields,
                    timezone=self.person.timezone,
                    now=self.now,
                )
                return render.added_message(milestone, today=self.today), True
            case ListCommand():
                return self._list(parsed), False
            case ShowCommand(number=number):
                history = milestone_history(
                    engine=self.deps.engine, workspace=self.workspace, number=number
                )
                message = render.show_message(
                    history.milestone,
                    history.revisions,
                    total_revisions=history.total,
                    notes=history.notes,
                    today=self.today,
                    tz=self.person.zone,
                )
                return message, False
            case UpdateCommand(number=number) if parsed.is_empty():
                milestone = access.check_may_change(
                    engine=self.deps.engine,
                    workspace=self.workspace,
                    number=number,
                    actor=self.actor,
                    action="update",
                )
                opened = self._open_modal(mode="update", milestone=milestone)
                return self._opened(opened, again=f"update {number}")
            case UpdateCommand(number=number, fields=fields, status=status, reason=reason):
                change = milestones.update_milestone(
                    engine=self.deps.engine,
                    workspace=self.workspace,
                    number=number,
                    actor=self.actor,
                    fields=fields,
                    status=status,
                    reason=reason,
                    now=self.now,
                )
                return render.updated_message(change.milestone, change.revisions, today=self.today), True
            case DoneCommand(number=number, completed_on=completed_on, cost=cost):
                change = milestones.complete_milestone(
                    engine=self.deps.engine,
                    workspace=self.workspace,
                    number=number,
                    actor=self.actor,
                    completed_on=completed_on or self.today,
                    cost=cost,
                    now=self.now,
                )
                return render.done_message(change.milestone, today=self.today), True
            case ReviewCommand():
                outcome = post_review_now(
                    engine=self.deps.engine,
                    client=self.client,
                    workspace=self.workspace,
                    channel_id=self.channel_id,
                    now=self.now,
                )
                message = review_outcome_message(
                    outcome=outcome.outcome, channel_id=self.channel_id, message_ts=outcome.message_ts
                )
                return message, False
            case SettingsCommand(change=change) if change.is_empty():
                settings, failed = read_settings(
                    engine=self.deps.engine,
                    workspace=self.workspace,
                    channel_id=self.channel_id,
                    timezone=self.person.timezone,
                    now=self.now,
                )
                view = settings_modal(s=settings, failed=failed, show_failed=self.person.is_admin)
                opened = open_modal(self.client, trigger_id=self.command["trigger_id"], view=view)
                return self._opened(opened, again="settings")
            case SettingsCommand(change=change):
                settings = change_settings(
                    engine=self.deps.engine,
                    workspace=self.workspace,
                    channel_id=self.channel_id,
                    change=change,
                    timezone=self.person.timezone,
                    now=self.now,
                )
                return settings_message(settings, failed=[], show_failed=False), True
            case ReportCommand():
                send_report(
                    self.deps,
                    client=self.client,
                    workspace=self.workspace,
                    person=self.person,
                    channel_id=self.channel_id,
                    request=parsed,
                    now=self.now,
                    respond=self.respond,
                )
                return None, False
            case ExportCommand():
                return send_export(
                    self.deps,
                    client=self.client,
                    workspace=self.workspace,
                    person=self.person,
                    channel_id=self.channel_id,
                    request=parsed,
                    now=self.now,
                ), False
            case ImportCommand():
                opened = open_import(
                    self.client, trigger_id=self.command["trigger_id"], channel_id=self.channel_id
                )
                return self._opened(opened, again="import")
            case DeleteCommand(number=number):
                milestone = access.check_may_change(
                    engine=self.deps.engine,
                    workspace=self.workspace,
                    number=number,
                    actor=self.actor,
                    action="delete",
                )
                return render.delete_confirm_message(milestone, today=self.today), False
        raise AssertionError(f"unhandled command {parsed!r}")

    def _list(self, parsed: ListCommand) -> Message:
        owner_name = name_of(self.deps.people, self.client, workspace=self.workspace, user_id=parsed.owner_id)
        listing = list_milestones(
            engine=self.deps.engine,
            workspace=self.workspace,
            channel_id=self.channel_id,
            user_id=self.person.user_id,
            request=parsed,
            today=self.today,
            owner_name=owner_name,
        )
        return render.list_message(
            listing.milestones,
            heading=listing.heading,
            total=listing.total,
            today=self.today,
            empty_hint="Nothing here yet. Add one: `/milestone add Launch beta due Dec 15 owner @alice`",
        )

    def _open_modal(self, *, mode: str, milestone: Milestone | None) -> bool:
        view = milestone_modal(mode=mode, channel_id=self.channel_id, milestone=milestone, today=self.today)
        return open_modal(self.client, trigger_id=self.command["trigger_id"], view=view)

    @staticmethod
    def _opened(opened: bool, *, again: str) -> tuple[Message | None, bool]:
        # A modal that opened is the whole answer; one whose trigger expired needs the command typed again.
        return (None, False) if opened else (too_slow_message(again=f"/milestone {again}"), False)
