"""Answers to the weekly check-in and to overdue nudges: status buttons, Done, and the new-date form."""

from __future__ import annotations

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.core import access, milestones
from bot.core.checkins import checkin_view, record_answer
from bot.core.command_types import MilestoneFields
from bot.core.forms.buttons import CHECKIN_STATUSES, Action, read_checkin_value, read_new_date_value
from bot.core.forms.new_date import CALLBACK, NewDateBlock, read_new_date_context, read_new_date_modal
from bot.core.milestones import completion
from bot.core.revisions import Value
from bot.core.vocabulary import Field
from bot.listeners.context import RequestContext
from bot.listeners.failures import on_form
from bot.listeners.guard import GuardedApp
from bot.listeners.milestones import announce_change
from bot.render.checkins import checkin_message
from bot.render.new_date import new_date_modal
from storage.checkins import get_checkin
from storage.db import session_scope


def register(app: GuardedApp) -> None:
    """Register the check-in and reminder buttons and the new-date form."""
    for action_id in (*CHECKIN_STATUSES, Action.CHECKIN_DONE):
        app.action(action_id)(answer_checkin)
    app.action(Action.CHECKIN_NEW_DATE)(open_new_date)
    app.action(Action.REMINDER_NEW_DATE)(open_new_date)
    app.view(CALLBACK, refusals=on_form(NewDateBlock.DUE))(submit_new_date)


def answer_checkin(body: dict, client: WebClient, ctx: RequestContext) -> None:
    """Record On track / At risk / Blocked / Done on the milestone and show it on the check-in."""
    action = body["actions"][0]
    checkin_id, number = read_checkin_value(action["value"])
    if action["action_id"] == Action.CHECKIN_DONE:
        status, changes = "done", completion(completed_on=ctx.my_today, cost=None)
    else:
        status = CHECKIN_STATUSES[action["action_id"]]
        changes = {Field.STATUS: status}
    record_answer(
        engine=ctx.engine,
        asker=ctx.asker,
        checkin_id=checkin_id,
        number=number,
        answer=status,
        changes=changes,
    )
    refresh_checkin(ctx, client=client, checkin_id=checkin_id)


def refresh_checkin(ctx: RequestContext, *, client: WebClient, checkin_id: int) -> None:
    """Redraw a posted check-in from the database, so everyone sees who said what (on the channel's date)."""
    with session_scope(ctx.engine) as session:
        checkin = get_checkin(session=session, workspace=ctx.workspace, checkin_id=checkin_id)
        if checkin is None or checkin.message_ts is None:
            return
        today = ctx.channel_today(checkin.channel_id)
        message = checkin_message(checkin_view(session, checkin=checkin, today=today))
    client.chat_update(
        channel=checkin.channel_id, ts=checkin.message_ts, text=message.text, blocks=message.blocks
    )


def new_date_form(
    ctx: RequestContext,
    *,
    number: int,
    checkin_id: int | None = None,
    channel_id: str | None = None,
    message_ts: str | None = None,
) -> dict:
    """The new-date form, if the asker may change the milestone, for `channel_id` (else the milestone's)."""
    milestone = access.check_may_change(engine=ctx.engine, asker=ctx.asker, number=number, action="update")
    return new_date_modal(
        m=milestone,
        today=ctx.my_today,
        checkin_id=checkin_id,
        channel_id=channel_id or milestone.channel_id,
        message_ts=message_ts,
    )


def open_new_date(body: dict, client: WebClient, ctx: RequestContext) -> None:
    """Open the new-date form from a check-in or an overdue nudge."""
    checkin_id, number = read_new_date_value(body["actions"][0]["value"])
    view = new_date_form(
        ctx,
        number=number,
        checkin_id=checkin_id,
        channel_id=body.get("channel", {}).get("id"),
        message_ts=body.get("message", {}).get("ts"),
    )
    client.views_open(trigger_id=body["trigger_id"], view=view)


def submit_new_date(ack: Ack, view: dict, client: WebClient, ctx: RequestContext) -> None:
    """Move the due date with the reason (a slip in the history); on a check-in, count it as the answer."""
    form = read_new_date_context(view["private_metadata"])
    current = access.get_milestone(engine=ctx.engine, workspace=ctx.workspace, number=form.number)
    due, reason = read_new_date_modal(view["state"]["values"], today=ctx.my_today, current=current)
    changes: dict[Field, Value] = {Field.DUE: due}
    if form.checkin_id is not None:
        record_answer(
            engine=ctx.engine,
            asker=ctx.asker,
            checkin_id=form.checkin_id,
            number=form.number,
            answer="new_date",
            changes=changes,
            reason=reason,
        )
        ack()
        refresh_checkin(ctx, client=client, checkin_id=form.checkin_id)
        return
    change = milestones.update_milestone(
        engine=ctx.engine,
        asker=ctx.asker,
        number=form.number,
        fields=MilestoneFields(due=due),
        reason=reason,
        source="button",
    )
    ack()
    announce_change(ctx, client=client, change=change)
