"""Done, wherever it is typed or pressed: the command, a milestone's button, the nudge, Home, the review.

Every path ends in `announce_done`: one line in the milestone's channel with Undo, and the reminders and
nudges already posted about it redrawn without their buttons.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.core import milestones
from bot.core.done import UNDO_WINDOW, PostedReminder, UndoTooLate, posted_reminders
from bot.core.done import undo_done as reopen
from bot.core.forms.buttons import Action
from bot.listeners.context import RequestContext
from bot.listeners.guard import GuardedApp
from bot.listeners.milestones import pressed_number
from bot.listeners.replies import answer, post_to_channel
from bot.render.done import done_line, redrawn_reminder, reopened_line, undo_too_late_message
from bot.slack.conversations import conversation_id
from storage.models import Milestone

logger = logging.getLogger(__name__)


def register(app: GuardedApp) -> None:
    """Register the Done buttons and Undo."""
    app.action(Action.MILESTONE_DONE)(mark_done)
    # The overdue nudge's Done is the same Done: the channel's line says it, the nudge loses its buttons.
    app.action(Action.REMINDER_DONE)(mark_done)
    app.action(Action.UNDO_DONE)(undo_done)


def done_today(ctx: RequestContext, *, number: int) -> milestones.Change:
    """Mark a milestone done from a button (on it, its nudge, the Home tab): today, by the presser's date."""
    return milestones.complete_milestone(
        engine=ctx.engine,
        asker=ctx.asker,
        number=number,
        completed_on=ctx.my_today,
        cost=None,
        source="button",
    )


def announce_done(ctx: RequestContext, *, client: WebClient, change: milestones.Change) -> None:
    """Tell the milestone's channel it is done (the one Done announcement, whichever path made it)."""
    done, by = change.milestone, ctx.person.user_id
    zone, today = ctx.channel_day(done.channel_id)
    message = done_line(done, by=by, following=change.next, today=today, zone=zone)
    post_to_channel(client, channel_id=done.channel_id, user_id=by, message=message)
    redraw_reminders(ctx, client=client, done=done)


def redraw_reminders(ctx: RequestContext, *, client: WebClient, done: Milestone) -> None:
    """Take the buttons off the reminders and nudges posted about a done milestone; say who did it, when."""
    zone, today = ctx.channel_day(done.channel_id)
    day = done.completed_on or today
    by = ctx.person.user_id
    _update_reminders(
        ctx,
        client=client,
        milestone=done,
        blocks_of=lambda posted: redrawn_reminder(posted.blocks, by=by, day=day, today=today, zone=zone),
    )


def _update_reminders(
    ctx: RequestContext,
    *,
    client: WebClient,
    milestone: Milestone,
    blocks_of: Callable[[PostedReminder], list[dict]],
) -> None:
    """Redraw every reminder and nudge posted about a milestone, in the channel or the owner's DM."""
    # A person's reminders share one DM with the bot: it is looked up once, not once a reminder.
    conversations: dict[str, str] = {}
    for posted in posted_reminders(engine=ctx.engine, milestone_id=milestone.id or 0):
        blocks = blocks_of(posted)
        try:
            if posted.target not in conversations:
                conversations[posted.target] = conversation_id(client, posted.target)
            channel = conversations[posted.target]
            client.chat_update(channel=channel, ts=posted.ts, text=posted.text, blocks=blocks)
        except (SlackClientError, OSError) as error:
            # The Done itself stands; an old reminder keeping its buttons is no reason to fail it.
            logger.warning("could not redraw reminder %s in %s: %s", posted.ts, posted.target, error)


def mark_done(body: dict, client: WebClient, ctx: RequestContext) -> None:
    """Mark the milestone done today and tell the channel."""
    announce_done(ctx, client=client, change=done_today(ctx, number=pressed_number(body)))


def undo_done(body: dict, client: WebClient, respond: Respond, ctx: RequestContext) -> None:
    """Reopen a milestone marked done minutes ago, in place of the done line; later, say how to reopen it."""
    try:
        change = reopen(engine=ctx.engine, asker=ctx.asker, number=pressed_number(body))
    except UndoTooLate as late:
        answer(respond, undo_too_late_message(late.milestone, undo_for=UNDO_WINDOW))
        return
    message = reopened_line(change.milestone, by=ctx.person.user_id, withdrawn=change.withdrawn)
    answer(respond, message, public=True, replace=True)
    # The reminders get back what they were posted with, buttons included.
    _update_reminders(ctx, client=client, milestone=change.milestone, blocks_of=lambda posted: posted.blocks)
