"""Buttons on the bot's messages: confirm or cancel a delete, mark done, edit."""

from __future__ import annotations

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.core import access, milestones
from bot.deps import asker, deps_of, workspace_of
from bot.listeners.guard import GuardedApp
from bot.listeners.outcomes import explain_failure
from bot.listeners.replies import answer
from bot.render import milestones as render
from bot.render.modals import milestone_modal


def register(app: GuardedApp) -> None:
    """Register the button handlers."""
    app.action("delete_confirm")(confirm_delete)
    app.action("delete_cancel")(cancel_delete)
    app.action("milestone_done")(mark_done)
    app.action("milestone_edit")(open_edit)


def _number(body: dict) -> int:
    return int(body["actions"][0]["value"])


def confirm_delete(ack: Ack, body: dict, respond: Respond, client: WebClient, context: BoltContext) -> None:
    """Delete after the person confirmed, checking again that they may."""
    ack()
    deps, workspace, person = asker(client, context, user_id=body["user"]["id"])
    try:
        milestone = milestones.delete_milestone(
            engine=deps.engine, workspace=workspace, number=_number(body), actor=person.actor
        )
    except (access.MilestoneNotFound, access.NotAllowed) as failure:
        answer(respond, explain_failure(failure), replace=True)
        return
    answer(respond, render.deleted_message(milestone), replace=True)


def cancel_delete(ack: Ack, body: dict, respond: Respond, context: BoltContext) -> None:
    """Keep the milestone and say so in place of the question."""
    ack()
    try:
        milestone = access.get_milestone(
            engine=deps_of(context).engine, workspace=workspace_of(context), number=_number(body)
        )
    except access.MilestoneNotFound as failure:
        answer(respond, explain_failure(failure), replace=True)
        return
    answer(respond, render.delete_cancelled_message(milestone), replace=True)


def mark_done(ack: Ack, body: dict, respond: Respond, client: WebClient, context: BoltContext) -> None:
    """Mark the milestone done today (in the presser's time zone)."""
    ack()
    deps, workspace, person = asker(client, context, user_id=body["user"]["id"])
    now = deps.clock().astimezone(person.zone)
    try:
        change = milestones.complete_milestone(
            engine=deps.engine,
            workspace=workspace,
            number=_number(body),
            actor=person.actor,
            completed_on=now.date(),
            cost=None,
            source="button",
            now=now,
        )
    except (access.MilestoneNotFound, access.NotAllowed, milestones.NothingChanged) as failure:
        answer(respond, explain_failure(failure))
        return
    answer(respond, render.done_message(change.milestone, today=now.date()), public=True)


def open_edit(ack: Ack, body: dict, respond: Respond, client: WebClient, context: BoltContext) -> None:
    """Open the edit modal, pre-filled, for someone who may change the milestone."""
    ack()
    deps, workspace, person = asker(client, context, user_id=body["user"]["id"])
    try:
        milestone = access.check_may_change(
            engine=deps.engine,
            workspace=workspace,
            number=_number(body),
            actor=person.actor,
            action="update",
        )
    except (access.MilestoneNotFound, access.NotAllowed) as failure:
        answer(respond, explain_failure(failure))
        return
    today = deps.clock().astimezone(person.zone).date()
    view = milestone_modal(mode="update", channel_id=milestone.channel_id, milestone=milestone, today=today)
    client.views_open(trigger_id=body["trigger_id"], view=view)
