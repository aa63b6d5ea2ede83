"""Answers to the weekly check-in and to overdue nudges: status buttons, Done, and the new-date form."""

from __future__ import annotations

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.core import access, milestones
from bot.core.checkins import checkin_view, record_answer
from bot.core.command_types import MilestoneFields
from bot.core.forms.new_date import read_new_date_context, read_new_date_modal
from bot.core.forms.values import ModalErrors
from bot.core.milestones import completion
from bot.core.revisions import Value
from bot.deps import Deps, asker
from bot.listeners.guard import GuardedApp
from bot.listeners.outcomes import explain_failure
from bot.listeners.replies import answer, post_to_channel
from bot.render import milestones as render
from bot.render.checkins import checkin_message
from bot.render.new_date import new_date_modal
from bot.render.reminders import reminder_done_message
from bot.slack.people import Person
from storage.checkins import get_checkin
from storage.db import session_scope
from storage.workspace import Workspace

STATUS_BUTTONS = {"checkin_on_track": "on_track", "checkin_at_risk": "at_risk", "checkin_blocked": "blocked"}


def register(app: GuardedApp) -> None:
    """Register the check-in and reminder buttons and the new-date form."""
    for action_id in (*STATUS_BUTTONS, "checkin_done"):
        app.action(action_id)(answer_checkin)
    app.action("checkin_new_date")(open_new_date)
    app.action("open_new_date")(open_new_date)
    app.action("reminder_done")(reminder_done)
    app.view("new_date")(submit_new_date)


def answer_checkin(ack: Ack, body: dict, respond: Respond, client: WebClient, context: BoltContext) -> None:
    """Record On track / At risk / Blocked / Done on the milestone and show it on the check-in."""
    ack()
    deps, workspace, person = asker(client, context, user_id=body["user"]["id"])
    action = body["actions"][0]
    checkin_id, number = (int(part) for part in action["value"].split(":"))
    now = deps.clock().astimezone(person.zone)
    if action["action_id"] == "checkin_done":
        status, changes = "done", completion(completed_on=now.date(), cost=None)
    else:
        status = STATUS_BUTTONS[action["action_id"]]
        changes = {"status": status}
    try:
        record_answer(
            engine=deps.engine,
            workspace=workspace,
            checkin_id=checkin_id,
            number=number,
            actor=person.actor,
            answer=status,
            changes=changes,
            now=now,
        )
    except (access.MilestoneNotFound, access.NotAllowed) as refusal:
        answer(respond, explain_failure(refusal))
        return
    refresh_checkin(deps, client=client, workspace=workspace, checkin_id=checkin_id, person=person)


def refresh_checkin(
    deps: Deps, *, client: WebClient, workspace: Workspace, checkin_id: int, person: Person
) -> None:
    """Redraw a posted check-in from the database, so everyone sees who said what."""
    with session_scope(deps.engine) as session:
        checkin = get_checkin(session=session, workspace=workspace, checkin_id=checkin_id)
        if checkin is None or checkin.message_ts is None:
            return
        message = checkin_message(
            checkin_view(session, checkin=checkin, today=deps.clock().astimezone(person.zone).date())
        )
    client.chat_update(
        channel=checkin.channel_id, ts=checkin.message_ts, text=message.text, blocks=message.blocks
    )


def open_new_date(ack: Ack, body: dict, respond: Respond, client: WebClient, context: BoltContext) -> None:
    """Open the new-date form for someone who may change the milestone."""
    ack()
    deps, workspace, person = asker(client, context, user_id=body["user"]["id"])
    value = body["actions"][0]["value"]
    checkin_id, number = (int(v) for v in value.split(":")) if ":" in value else (None, int(value))
    try:
        milestone = access.check_may_change(
            engine=deps.engine, workspace=workspace, number=number, actor=person.actor, action="update"
        )
    except (access.MilestoneNotFound, access.NotAllowed) as refusal:
        answer(respond, explain_failure(refusal))
        return
    view = new_date_modal(
        m=milestone,
        today=deps.clock().astimezone(person.zone).date(),
        checkin_id=checkin_id,
        channel_id=body.get("channel", {}).get("id", milestone.channel_id),
        message_ts=body.get("message", {}).get("ts"),
    )
    client.views_open(trigger_id=body["trigger_id"], view=view)


def submit_new_date(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
    """Move the due date with the reason (a slip in the history); on a check-in, count it as the answer."""
    deps, workspace, person = asker(client, context, user_id=body["user"]["id"])
    now = deps.clock().astimezone(person.zone)
    form = read_new_date_context(view["private_metadata"])
    try:
        current = access.get_milestone(engine=deps.engine, workspace=workspace, number=form.number)
        due, reason = read_new_date_modal(view["state"]["values"], today=now.date(), current=current)
    except access.MilestoneNotFound:
        ack(response_action="errors", errors={"due": f"#{form.number} was deleted meanwhile."})
        return
    except ModalErrors as invalid:
        ack(response_action="errors", errors=invalid.errors)
        return
    changes: dict[str, Value] = {"due": due}
    try:
        if form.checkin_id is not None:
            record_answer(
                engine=deps.engine,
                workspace=workspace,
                checkin_id=form.checkin_id,
                number=form.number,
                actor=person.actor,
                answer="new_date",
                changes=changes,
                reason=reason,
                now=now,
            )
        else:
            change = milestones.update_milestone(
                engine=deps.engine,
                workspace=workspace,
                number=form.number,
                actor=person.actor,
                fields=MilestoneFields(due=due),
                reason=reason,
                source="button",
                now=now,
            )
    except (access.MilestoneNotFound, access.NotAllowed, milestones.NothingChanged) as refusal:
        ack(response_action="errors", errors={"due": explain_failure(refusal).text})
        return
    ack()
    if form.checkin_id is not None:
        refresh_checkin(deps, client=client, workspace=workspace, checkin_id=form.checkin_id, person=person)
    else:
        message = render.updated_message(change.milestone, change.revisions, today=now.date())
        post_to_channel(
            client, channel_id=change.milestone.channel_id, user_id=person.user_id, message=message
        )


def reminder_done(ack: Ack, body: dict, respond: Respond, client: WebClient, context: BoltContext) -> None:
    """Mark done from the overdue nudge, and replace the nudge with who did it."""
    ack()
    deps, workspace, person = asker(client, context, user_id=body["user"]["id"])
    now = deps.clock().astimezone(person.zone)
    try:
        change = milestones.complete_milestone(
            engine=deps.engine,
            workspace=workspace,
            number=int(body["actions"][0]["value"]),
            actor=person.actor,
            completed_on=now.date(),
            cost=None,
            source="button",
            now=now,
        )
    except (access.MilestoneNotFound, access.NotAllowed, milestones.NothingChanged) as refusal:
        answer(respond, explain_failure(refusal))
        return
    answer(
        respond,
        reminder_done_message(change.milestone, by=person.user_id, today=now.date()),
        public=True,
        replace=True,
    )
