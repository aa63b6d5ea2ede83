"""Done, wherever it is pressed or typed: a milestone's button, the overdue nudge, Home, the review."""

from __future__ import annotations

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.core import milestones
from bot.core.forms.buttons import Action
from bot.listeners.context import RequestContext
from bot.listeners.guard import GuardedApp
from bot.listeners.milestones import pressed_number
from bot.listeners.replies import answer
from bot.render import milestones as render
from bot.render.reminders import reminder_done_message


def register(app: GuardedApp) -> None:
    """Register the Done buttons."""
    app.action(Action.MILESTONE_DONE)(mark_done)
    app.action(Action.REMINDER_DONE)(reminder_done)


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
    done = change.milestone
    message = render.done_message(done, today=ctx.channel_today(done.channel_id))
    client.chat_postMessage(channel=done.channel_id, text=message.text, blocks=message.blocks)


def mark_done(body: dict, respond: Respond, ctx: RequestContext) -> None:
    """Mark the milestone done today and tell the channel."""
    done = done_today(ctx, number=pressed_number(body)).milestone
    answer(respond, render.done_message(done, today=ctx.channel_today(done.channel_id)), public=True)


def reminder_done(body: dict, respond: Respond, ctx: RequestContext) -> None:
    """Mark done from the overdue nudge, and replace the nudge with who did it."""
    done = done_today(ctx, number=pressed_number(body)).milestone
    message = reminder_done_message(done, by=ctx.person.user_id, today=ctx.channel_today(done.channel_id))
    answer(respond, message, public=True, replace=True)
