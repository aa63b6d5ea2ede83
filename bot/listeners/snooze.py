"""The snooze buttons on reminders and nudges: one more reminder the next working day, or next week."""

from __future__ import annotations

from slack_bolt import Respond

from bot.core.forms.buttons import Action
from bot.core.snooze import Snooze
from bot.listeners.context import RequestContext
from bot.listeners.guard import GuardedApp
from bot.listeners.milestones import pressed_number
from bot.listeners.replies import answer
from bot.outbox.reminder_planning import NothingToSnooze, plan_snoozed_reminder
from bot.render.reminders import nothing_to_snooze, snoozed_answer
from bot.slack.conversations import is_person

SNOOZES = {Action.SNOOZE_TOMORROW: Snooze.TOMORROW, Action.SNOOZE_NEXT_WEEK: Snooze.NEXT_WEEK}


def register(app: GuardedApp) -> None:
    """Register Remind me tomorrow and Next week."""
    for action in SNOOZES:
        app.action(action)(snooze_reminder)


def snooze_reminder(body: dict, respond: Respond, ctx: RequestContext) -> None:
    """Plan one more reminder where the pressed one was, and tell the presser when it comes."""
    snoozed = plan_snoozed_reminder(
        ctx.engine,
        workspace=ctx.workspace,
        number=pressed_number(body),
        snooze=SNOOZES[Action(body["actions"][0]["action_id"])],
        by=ctx.person.user_id,
        in_dm=_pressed_in_dm(body),
        now=ctx.at,
        timezone=ctx.person.timezone,
    )
    if isinstance(snoozed, NothingToSnooze):
        answer(respond, nothing_to_snooze(snoozed.milestone, why=snoozed.why))
        return
    channel_id = None if is_person(snoozed.target) else snoozed.target
    message = snoozed_answer(
        snoozed.milestone,
        channel_id=channel_id,
        at=snoozed.at,
        today=snoozed.today,
        planned_now=snoozed.planned_now,
    )
    answer(respond, message)


def _pressed_in_dm(body: dict) -> bool:
    """True when the pressed reminder is in a DM with the bot (a D… conversation)."""
    return str((body.get("channel") or {}).get("id", "")).startswith("D")
