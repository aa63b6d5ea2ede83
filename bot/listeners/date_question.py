"""The past-date question's two buttons: run the chosen command as if the person had typed it, once."""

from __future__ import annotations

import logging

from slack_bolt import Respond

from bot.core.forms.buttons import Action, read_year_choice_value
from bot.listeners.commands import Slash, run_text
from bot.listeners.context import RequestContext
from bot.listeners.failures import IN_PLACE
from bot.listeners.guard import GuardedApp
from bot.listeners.replies import answer
from bot.render.date_question import question_answered_message
from storage.events import first_sighting, forget_sighting

logger = logging.getLogger(__name__)

# A question's id is kept beside Slack's event ids: the same "first one only" record, on any instance.
_SEEN_PREFIX = "past_date:"


def register(app: GuardedApp) -> None:
    """Register both buttons; a refusal (bad input, not allowed) takes the place of the question."""
    app.action(Action.PAST_DATE_OVERDUE, refusals=IN_PLACE)(choose_year)
    app.action(Action.PAST_DATE_NEXT, refusals=IN_PLACE)(choose_year)


def choose_year(body: dict, respond: Respond, ctx: RequestContext) -> None:
    """Run the command the pressed button carries, then take the question away; pressed again, nothing."""
    choice = read_year_choice_value(body["actions"][0]["value"])
    # Before anything is saved: of two presses (a double click, or the other button), only the first runs.
    seen = _SEEN_PREFIX + choice.question_id
    if not first_sighting(engine=ctx.engine, event_id=seen, now=ctx.at):
        answer(respond, question_answered_message(), replace=True)
        return
    channel = body.get("channel") or {}
    slash = Slash(
        ctx=ctx,
        respond=respond,
        channel_id=channel.get("id") or body["container"]["channel_id"],
        trigger_id=body["trigger_id"],
        channel_name=channel.get("name") or "",
    )
    try:
        run_text(slash, choice.command, overdue_ok=choice.overdue_ok)
    except Exception:
        # Nothing was saved (a refusal, or a failure the guard apologises for): the question may be answered
        # again, rather than saying "already answered" about a choice that came to nothing.
        forget_sighting(engine=ctx.engine, event_id=seen)
        raise
    _take_away(respond)


def _take_away(respond: Respond) -> None:
    """Delete the answered question; what was chosen is saved whether or not this gets through."""
    try:
        respond(delete_original=True)
    except OSError:  # a question left behind is harmless: pressing it again adds nothing
        logger.warning("could not take an answered past-date question away", exc_info=True)
