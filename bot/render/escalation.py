"""An overdue milestone escalated: one DM to the person named in settings, one line in its channel."""

from __future__ import annotations

from datetime import date

from bot.core.dates import format_weekday_date
from bot.core.text import counted, escape_mrkdwn
from bot.render.history import user_mention
from bot.render.message import Message, build_message, section
from bot.render.milestones import title_ref
from bot.render.reminders import channel_mention
from storage.models import Milestone


def escalation_dm(m: Milestone, *, days: int, today: date) -> Message:
    """`⚠️ #5 Ship docs in #launch is 3 working days overdue (due Tue Dec 15, owner @bob) — no new date yet.`

    Then the command that shows it. The owner is named, not pinged: they are not in this DM.
    """
    due = format_weekday_date(_due(m), today=today)
    owner = f"owner {user_mention(m.owner_id)}" if m.owner_id else "no owner"
    tail = (
        f"in {channel_mention(m.channel_id)} is {counted(days, 'working day')} overdue (due {due}, {owner})"
        f" — no new date yet. `/milestone show {m.number}`"
    )
    text = f"⚠️ #{m.number} {escape_mrkdwn(m.title)} {tail}"
    return build_message(text=text, blocks=[section(f"⚠️ {title_ref(m)} {tail}")])


def escalation_line(m: Milestone, *, days: int, to: str) -> Message:
    """`⚠️ #5 Ship docs is 3 working days overdue — escalated to @maya.`, in the milestone's channel."""
    tail = f"is {counted(days, 'working day')} overdue — escalated to {user_mention(to)}."
    text = f"⚠️ #{m.number} {escape_mrkdwn(m.title)} {tail}"
    return build_message(text=text, blocks=[section(f"⚠️ {title_ref(m)} {tail}")])


def _due(m: Milestone) -> date:
    if m.due_date is None:
        raise ValueError(f"#{m.number} has no due date to be overdue from")
    return m.due_date
