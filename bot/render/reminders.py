"""Due-date reminders posted to a channel: days before, on the day, the overdue nudge, and its Done answer."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, PlainTextObject

from bot.core.dates import format_date
from bot.core.forms.buttons import Action
from bot.core.limits import MAX_DAYS_BEFORE
from bot.core.text import escape_mrkdwn
from bot.render.history import user_mention
from bot.render.labels import days
from bot.render.message import Message, build_message, section
from bot.render.milestones import title_ref
from storage.models import Milestone

OVERDUE = -1


def reminder_message(m: Milestone, *, offset: int, today: date) -> Message:
    """A reminder `offset` days before the due date, or -1 for the overdue nudge; worded from `today`."""
    if m.due_date is None:
        raise ValueError(f"#{m.number} has no due date to remind about")
    if offset != OVERDUE and not 0 <= offset <= MAX_DAYS_BEFORE:
        raise ValueError(f"a reminder is 0 to {MAX_DAYS_BEFORE} days before the due date, or {OVERDUE}")
    # A reminder posted late (the scheduler was down) tells the truth about today, not its planned day.
    days_left = (m.due_date - today).days
    overdue = days_left < 0
    fallback = format_date(m.due_date, today=today)
    when = _when(days_left)
    tail = " and isn't marked done" if overdue else ""
    owner = _owner(m)
    icon = "⚠️" if overdue else "⏰"
    body = f"{icon} {title_ref(m)} {when} ({_date_token(m.due_date, fallback=fallback)}){tail} — {owner}"
    # Notification text: no bold and no date token, which only Block Kit surfaces render.
    text = f"{icon} #{m.number} {escape_mrkdwn(m.title)} {when} ({fallback}){tail} — {owner}"
    blocks: list[Block] = [section(body)]
    if overdue:
        blocks.append(ActionsBlock(block_id=f"reminder:{m.number}", elements=_overdue_buttons(m)))
    return build_message(text=text, blocks=blocks)


def reminder_done_message(m: Milestone, *, by: str, today: date) -> Message:
    """Replaces the overdue nudge once someone pressed Done: who, and on which day."""
    day = format_date(m.completed_on or today, today=today)
    body = f"✅ {title_ref(m)} marked done by {user_mention(by)} ({day})."
    text = f"✅ #{m.number} {escape_mrkdwn(m.title)} marked done by {user_mention(by)} ({day})."
    return build_message(text=text, blocks=[section(body)])


def _when(days_left: int) -> str:
    if days_left == -1:
        return "was due yesterday"
    if days_left < 0:
        return f"was due {days(-days_left)} ago"
    if days_left == 0:
        return "is due today"
    if days_left == 1:
        return "is due tomorrow"
    return f"is due in {days(days_left)}"


def _owner(m: Milestone) -> str:
    if m.owner_id:
        return user_mention(m.owner_id)
    return f"no owner yet; set one with `/milestone update {m.number} owner @name`"


def _date_token(day: date, *, fallback: str) -> str:
    """Slack's date token, which each reader sees in their own zone and words (`tomorrow`, `Dec 15th`)."""
    # Noon UTC is the same calendar day from UTC-12 to UTC+11, so almost no one sees the day shift.
    unix = calendar.timegm(datetime.combine(day, time(12, 0)).timetuple())
    return f"<!date^{unix}^{{date_short}}|{fallback}>"


def _overdue_buttons(m: Milestone) -> list[ButtonElement]:
    return [
        ButtonElement(
            text=PlainTextObject(text="Done"),
            action_id=Action.REMINDER_DONE,
            value=str(m.number),
            style="primary",
        ),
        ButtonElement(
            text=PlainTextObject(text="New date…"), action_id=Action.REMINDER_NEW_DATE, value=str(m.number)
        ),
    ]
