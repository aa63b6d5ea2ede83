"""Answers to the weekly review and to overdue nudges: Review my milestones and its forms, the new-date form.

Reviews posted before Review my milestones carried five buttons per milestone; those still answer.
"""

from __future__ import annotations

import logging

from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.core import access, milestones
from bot.core.checkins import checkin_view
from bot.core.command_types import MilestoneFields
from bot.core.dependencies import DependencyError
from bot.core.forms.buttons import (
    CHECKIN_STATUSES,
    Action,
    read_checkin_value,
    read_new_date_value,
    read_review_value,
)
from bot.core.forms.new_date import CALLBACK, NewDateBlock, read_new_date_context, read_new_date_modal
from bot.core.forms.review import (
    NOTE_CALLBACK,
    OWNER_CALLBACK,
    ReviewBlock,
    read_note_form,
    read_owner_form,
    read_review_context,
)
from bot.core.forms.values import ModalErrors
from bot.core.review_answers import (
    MilestoneAnswer,
    answer_review,
    keep_form_note,
    record_answer,
    review_form,
    shown_milestones,
)
from bot.listeners.context import RequestContext
from bot.listeners.done import announce_done
from bot.listeners.failures import ON_REVIEW, on_form
from bot.listeners.guard import GuardedApp
from bot.listeners.milestones import announce_change
from bot.listeners.replies import answer, open_modal, post_to_channel
from bot.render.checkins import (
    checkin_message,
    review_gone_message,
    review_note_message,
)
from bot.render.errors import too_slow_message
from bot.render.milestones import left_behind_message
from bot.render.new_date import new_date_modal
from bot.render.review_form import review_modal
from storage.checkins import get_checkin
from storage.db import session_scope

logger = logging.getLogger(__name__)


def register(app: GuardedApp) -> None:
    """Register Review my milestones and its forms, the older reviews' buttons and the new-date form."""
    app.action(Action.REVIEW_MINE)(open_review)
    app.view(OWNER_CALLBACK, refusals=on_form(ReviewBlock.NOTE))(submit_review)
    app.view(NOTE_CALLBACK, refusals=on_form(ReviewBlock.TEXT))(submit_note)
    for action_id in (*CHECKIN_STATUSES, Action.CHECKIN_DONE):
        app.action(action_id, refusals=ON_REVIEW)(answer_checkin)
    app.action(Action.CHECKIN_NEW_DATE, refusals=ON_REVIEW)(open_new_date)
    app.action(Action.REMINDER_NEW_DATE)(open_new_date)
    app.view(CALLBACK, refusals=on_form(NewDateBlock.DUE))(submit_new_date)


def open_review(body: dict, client: WebClient, respond: Respond, ctx: RequestContext) -> None:
    """Open the presser's review form: found by the review's id, so a DM and the channel answer alike."""
    checkin_id = read_review_value(body["actions"][0]["value"])
    form = review_form(
        engine=ctx.engine, workspace=ctx.workspace, checkin_id=checkin_id, user_id=ctx.person.user_id
    )
    if form is None:
        answer(respond, review_gone_message())
        return
    view = review_modal(form, today=ctx.my_today)
    if not open_modal(client, trigger_id=body["trigger_id"], view=view):
        answer(respond, too_slow_message(again=None))


def submit_review(ack: Ack, view: dict, client: WebClient, ctx: RequestContext) -> None:
    """Record an owner's answers on the review the form was opened from, post the note, redraw the review."""
    opened_for = read_review_context(view["private_metadata"])
    shown = shown_milestones(
        engine=ctx.engine,
        workspace=ctx.workspace,
        checkin_id=opened_for.checkin_id,
        numbers=opened_for.numbers,
    )
    given = read_owner_form(view["state"]["values"], shown=shown, today=ctx.my_today)
    try:
        changes = answer_review(
            engine=ctx.engine,
            asker=ctx.asker,
            checkin_id=opened_for.checkin_id,
            answers=given.answers,
            reason=given.reason,
            completed_on=ctx.my_today,
        )
    except DependencyError as refused:
        # Saved before the ack: a new date out of order shows under its own picker, nothing of the form lost.
        raise ModalErrors({ReviewBlock.due(refused.number): refused.message}) from None
    ack()
    for change in changes:
        if change.milestone.status == "done":
            announce_done(ctx, client=client, change=change)
        elif change.behind:
            # A new date past the ones that come after it: their owners are told in the channel, as an update
            # tells them.
            moved = change.milestone
            message = left_behind_message(moved, change.behind, today=ctx.channel_today(moved.channel_id))
            post_to_channel(client, channel_id=moved.channel_id, user_id=ctx.person.user_id, message=message)
    if given.note:
        post_note(
            ctx,
            client=client,
            checkin_id=opened_for.checkin_id,
            numbers=given.note_on(shown=opened_for.numbers),
            text=given.note,
            kind="note",
            form_id=view["id"],
        )
    refresh_checkin(ctx, client=client, checkin_id=opened_for.checkin_id)


def submit_note(ack: Ack, view: dict, client: WebClient, ctx: RequestContext) -> None:
    """Keep anyone's note or risk on a milestone of the review, and post it in the thread to its owner."""
    opened_for = read_review_context(view["private_metadata"])
    if not opened_for.numbers:
        ack()
        return
    note = read_note_form(view["state"]["values"], shown=opened_for.numbers)
    ack()
    post_note(
        ctx,
        client=client,
        checkin_id=opened_for.checkin_id,
        numbers=[note.number],
        text=note.text,
        kind=note.kind,
        form_id=view["id"],
        to_owner=True,
    )


def post_note(
    ctx: RequestContext,
    *,
    client: WebClient,
    checkin_id: int,
    numbers: list[int],
    text: str,
    kind: str,
    form_id: str,
    to_owner: bool = False,
) -> None:
    """Keep a form's note on its milestones, then say it in the review's thread (once, however often sent)."""
    kept = keep_form_note(
        engine=ctx.engine,
        asker=ctx.asker,
        checkin_id=checkin_id,
        numbers=numbers,
        text=text,
        kind=kind,
        form_id=form_id,
    )
    if kept is None or kept.thread_ts is None:
        return
    message = review_note_message(
        author=ctx.person.user_id, on=kept.on, text=text, kind=kind, to_owner=to_owner
    )
    client.chat_postMessage(
        channel=kept.channel_id, thread_ts=kept.thread_ts, text=message.text, blocks=message.blocks
    )


def answer_checkin(body: dict, client: WebClient, ctx: RequestContext) -> None:
    """A review posted before Review my milestones: its On track / At risk / Blocked / Done still answer."""
    action = body["actions"][0]
    checkin_id, number = read_checkin_value(action["value"])
    status = "done" if action["action_id"] == Action.CHECKIN_DONE else CHECKIN_STATUSES[action["action_id"]]
    change = record_answer(
        engine=ctx.engine,
        asker=ctx.asker,
        checkin_id=checkin_id,
        given=MilestoneAnswer(number=number, status=status),
        completed_on=ctx.my_today,
    )
    if change is not None and status == "done":
        announce_done(ctx, client=client, change=change)
    refresh_checkin(ctx, client=client, checkin_id=checkin_id)


def refresh_checkin(ctx: RequestContext, *, client: WebClient, checkin_id: int) -> None:
    """Redraw a posted check-in from the database, so everyone sees who said what (on the channel's date)."""
    with session_scope(ctx.engine) as session:
        checkin = get_checkin(session=session, workspace=ctx.workspace, checkin_id=checkin_id)
        if checkin is None or checkin.message_ts is None:
            return
        message = checkin_message(checkin_view(session, checkin=checkin, now=ctx.at))
    try:
        client.chat_update(
            channel=checkin.channel_id, ts=checkin.message_ts, text=message.text, blocks=message.blocks
        )
    except (SlackClientError, OSError) as error:
        # The answer is kept whatever Slack says: the next answer's redraw shows it.
        logger.warning("could not redraw check-in %s in %s: %s", checkin_id, checkin.channel_id, error)


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
    """Open the new-date form from an older review's button or an overdue nudge."""
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
    if form.checkin_id is not None:
        record_answer(
            engine=ctx.engine,
            asker=ctx.asker,
            checkin_id=form.checkin_id,
            given=MilestoneAnswer(number=form.number, status=None, new_due=due),
            reason=reason,
            completed_on=ctx.my_today,
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
