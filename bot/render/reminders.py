"""Due-date reminders, in a channel or an owner's DM: days before, on the day, the overdue nudge, and Done."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, PlainTextObject

from bot.core.dates import format_weekday_date
from bot.core.forms.buttons import Action
from bot.core.limits import MAX_DAYS_BEFORE
from bot.core.snooze import Snooze
from bot.core.text import escape_mrkdwn
from bot.render.dates import LONG, day_token, relative_day
from bot.render.history import user_mention
from bot.render.message import Message, one_line, section_json
from bot.render.milestones import title_ref
from storage.models import Milestone

OVERDUE = -1
SNOOZE_LABELS = {Snooze.TOMORROW: "Remind me tomorrow", Snooze.NEXT_WEEK: "Next week"}
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]+$")


def reminder_message(
    m: Milestone,
    *,
    offset: int,
    today: date,
    away_until: date | None = None,
    zone: ZoneInfo | None = None,
) -> Message:
    """A channel reminder `offset` days before the due date, or -1 for the overdue nudge; worded from `today`.

    The owner is mentioned, unless away until `away_until`: then they are named as away and not pinged.
    The due date is Slack's date token (noon in `zone`, the channel's), in the reader's own words.
    """
    _check_offset(offset)
    return _channel_reminder(m, today=today, away_until=away_until, zone=zone, snoozed_by=None)


def reminder_dm(m: Milestone, *, offset: int, today: date, zone: ZoneInfo | None = None) -> Message:
    """The same reminder sent to the owner by DM: it names the channel, and the day as a date token."""
    _check_offset(offset)
    return _dm_reminder(m, today=today, zone=zone, snoozed_by=None)


def snoozed_reminder_message(
    m: Milestone, *, by: str, today: date, away_until: date | None = None, zone: ZoneInfo | None = None
) -> Message:
    """The one more reminder someone asked for in the channel: `⏰ Reminder (snoozed by @bob): #12 …`."""
    return _channel_reminder(m, today=today, away_until=away_until, zone=zone, snoozed_by=by)


def snoozed_reminder_dm(m: Milestone, *, by: str, today: date, zone: ZoneInfo | None = None) -> Message:
    """The one more reminder the owner asked for in their DM."""
    return _dm_reminder(m, today=today, zone=zone, snoozed_by=by)


def _channel_reminder(
    m: Milestone, *, today: date, away_until: date | None, zone: ZoneInfo | None, snoozed_by: str | None
) -> Message:
    when = _Wording.of(m, today=today)
    owner = _owner(m, away_until=away_until, today=today)
    token = day_token(when.due, today=today, zone=zone, words=LONG)
    lead = _lead(when, snoozed_by=snoozed_by)
    body = f"{lead} {title_ref(m)} {when.phrase} ({token}){when.tail}"
    # Notification text: no bold and no date token, which only Block Kit surfaces render.
    text = f"{lead} #{m.number} {escape_mrkdwn(m.title)} {when.phrase} ({when.fallback}){when.tail}"
    return _reminder(m, body=f"{body} — {owner}", text=f"{text} — {owner}", overdue=when.overdue)


def _dm_reminder(m: Milestone, *, today: date, zone: ZoneInfo | None, snoozed_by: str | None) -> Message:
    when = _Wording.of(m, today=today)
    where = f"in {channel_mention(m.channel_id)}"
    token = day_token(when.due, today=today, zone=zone, words=LONG)
    lead = _lead(when, snoozed_by=snoozed_by)
    body = f"{lead} {title_ref(m)} {where} {when.phrase} ({token}){when.tail}"
    name = f"#{m.number} {escape_mrkdwn(m.title)}"
    text = f"{lead} {name} {where} {when.phrase} ({when.fallback}){when.tail}"
    return _reminder(m, body=body, text=text, overdue=when.overdue)


def _lead(when: _Wording, *, snoozed_by: str | None) -> str:
    """The icon, and who asked for this one when it was snoozed (the mention pings them: they asked)."""
    if snoozed_by is None:
        return when.icon
    return f"{when.icon} Reminder (snoozed by {user_mention(snoozed_by)}):"


def _check_offset(offset: int) -> None:
    if offset != OVERDUE and not 0 <= offset <= MAX_DAYS_BEFORE:
        raise ValueError(f"a reminder is 0 to {MAX_DAYS_BEFORE} days before the due date, or {OVERDUE}")


def channel_mention(channel_id: str) -> str:
    """`<#C123>` for a channel id, which Slack shows as the channel's name; anything else escaped."""
    return f"<#{channel_id}>" if _CHANNEL_ID.match(channel_id) else escape_mrkdwn(channel_id)


def snoozed_answer(
    m: Milestone, *, channel_id: str | None, at: datetime, today: date, planned_now: bool
) -> Message:
    """To the presser: `OK — I'll remind #launch about #5 on Wed Dec 2 at 9:00 AM` (the channel's time).

    `channel_id` None: the reminder comes to the presser's DM. A press after another says it was planned.
    """
    whom = channel_mention(channel_id) if channel_id else "you here"
    hour = at.hour % 12 or 12
    when = f"{format_weekday_date(at.date(), today=today)} at {hour}:{at:%M} {'AM' if at.hour < 12 else 'PM'}"
    opening = "OK —" if planned_now else "Already snoozed:"
    return one_line(f"⏰ {opening} I'll remind {whom} about *#{m.number}* on {when}.")


def nothing_to_snooze(m: Milestone, *, why: str) -> Message:
    """To the presser: the milestone is done or cancelled (or has no due date): no reminder is planned."""
    state = "has no due date" if why == "undated" else f"is already {why}"
    return one_line(f"*#{m.number}* {escape_mrkdwn(m.title)} {state}, so there is nothing to remind about.")


@dataclass(frozen=True)
class _Wording:
    """How far the due date is from `today`, in words: the icon, the phrase, and the overdue tail."""

    due: date
    icon: str
    phrase: str
    fallback: str
    tail: str
    overdue: bool

    @classmethod
    def of(cls, m: Milestone, *, today: date) -> _Wording:
        if m.due_date is None:
            raise ValueError(f"#{m.number} has no due date to remind about")
        # A reminder posted late (the scheduler was down) tells the truth about today, not its planned day.
        days_left = (m.due_date - today).days
        overdue = days_left < 0
        return cls(
            due=m.due_date,
            icon="⚠️" if overdue else "⏰",
            phrase=f"{'was' if overdue else 'is'} due {relative_day(m.due_date, today=today)}",
            fallback=format_weekday_date(m.due_date, today=today),
            tail=" and isn't marked done" if overdue else "",
            overdue=overdue,
        )


def _reminder(m: Milestone, *, body: str, text: str, overdue: bool) -> Message:
    return Message(text=text, blocks=[section_json(body), reminder_buttons(m.number, overdue=overdue)])


def reminder_buttons(number: int, *, overdue: bool) -> dict:
    """A reminder's buttons as slack_sdk writes them: a copy of one block made once, with its own number.

    Building them from slack_sdk's objects for each reminder was a third of the pass planning 10,000.
    """
    template, value = _buttons_template(overdue), str(number)
    elements = [
        {**element, "text": dict(element["text"]), "value": value} for element in template["elements"]
    ]
    return {**template, "block_id": f"reminder:{number}", "elements": elements}


@functools.cache
def _buttons_template(overdue: bool) -> dict:
    # Every reminder can be put off; an overdue one can also be settled: Done, or a new date.
    buttons = [*(_overdue_buttons(0) if overdue else []), *_snooze_buttons(0)]
    return ActionsBlock(block_id="reminder:0", elements=buttons).to_dict()


def _owner(m: Milestone, *, away_until: date | None, today: date) -> str:
    if m.owner_id and away_until is not None:
        # Named without the mention: a ping would reach them on their time off.
        return f"owner away until {format_weekday_date(away_until, today=today)}"
    if m.owner_id:
        return user_mention(m.owner_id)
    return f"no owner yet; set one with `/milestone update {m.number} owner @name`"


def _overdue_buttons(number: int) -> list[ButtonElement]:
    return [
        ButtonElement(
            text=PlainTextObject(text="Done"),
            action_id=Action.REMINDER_DONE,
            value=str(number),
            style="primary",
        ),
        ButtonElement(
            text=PlainTextObject(text="New date…"), action_id=Action.REMINDER_NEW_DATE, value=str(number)
        ),
    ]


def _snooze_buttons(number: int) -> list[ButtonElement]:
    return [
        ButtonElement(
            text=PlainTextObject(text=SNOOZE_LABELS[Snooze.TOMORROW]),
            action_id=Action.SNOOZE_TOMORROW,
            value=str(number),
        ),
        ButtonElement(
            text=PlainTextObject(text=SNOOZE_LABELS[Snooze.NEXT_WEEK]),
            action_id=Action.SNOOZE_NEXT_WEEK,
            value=str(number),
        ),
    ]
