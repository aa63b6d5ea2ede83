"""Due-date reminders, in a channel or an owner's DM: days before, on the day, the overdue nudge, and Done."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, PlainTextObject

from bot.core.dates import format_weekday_date
from bot.core.forms.buttons import Action
from bot.core.limits import MAX_DAYS_BEFORE
from bot.core.text import escape_mrkdwn
from bot.render.dates import LONG, day_token, relative_day
from bot.render.history import user_mention
from bot.render.message import Message, build_message, section
from bot.render.milestones import title_ref
from storage.models import Milestone

OVERDUE = -1
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
    when = _Wording.of(m, offset=offset, today=today)
    owner = _owner(m, away_until=away_until, today=today)
    token = day_token(when.due, today=today, zone=zone, words=LONG)
    body = f"{when.icon} {title_ref(m)} {when.phrase} ({token}){when.tail}"
    # Notification text: no bold and no date token, which only Block Kit surfaces render.
    text = f"{when.icon} #{m.number} {escape_mrkdwn(m.title)} {when.phrase} ({when.fallback}){when.tail}"
    return _reminder(m, body=f"{body} — {owner}", text=f"{text} — {owner}", overdue=when.overdue)


def reminder_dm(m: Milestone, *, offset: int, today: date, zone: ZoneInfo | None = None) -> Message:
    """The same reminder sent to the owner by DM: it names the channel, and the day as a date token."""
    when = _Wording.of(m, offset=offset, today=today)
    where = f"in {channel_mention(m.channel_id)}"
    token = day_token(when.due, today=today, zone=zone, words=LONG)
    body = f"{when.icon} {title_ref(m)} {where} {when.phrase} ({token}){when.tail}"
    name = f"#{m.number} {escape_mrkdwn(m.title)}"
    text = f"{when.icon} {name} {where} {when.phrase} ({when.fallback}){when.tail}"
    return _reminder(m, body=body, text=text, overdue=when.overdue)


def channel_mention(channel_id: str) -> str:
    """`<#C123>` for a channel id, which Slack shows as the channel's name; anything else escaped."""
    return f"<#{channel_id}>" if _CHANNEL_ID.match(channel_id) else escape_mrkdwn(channel_id)


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
    def of(cls, m: Milestone, *, offset: int, today: date) -> _Wording:
        if m.due_date is None:
            raise ValueError(f"#{m.number} has no due date to remind about")
        if offset != OVERDUE and not 0 <= offset <= MAX_DAYS_BEFORE:
            raise ValueError(f"a reminder is 0 to {MAX_DAYS_BEFORE} days before the due date, or {OVERDUE}")
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
    blocks: list[Block] = [section(body)]
    if overdue:
        blocks.append(ActionsBlock(block_id=f"reminder:{m.number}", elements=_overdue_buttons(m)))
    return build_message(text=text, blocks=blocks)


def _owner(m: Milestone, *, away_until: date | None, today: date) -> str:
    if m.owner_id and away_until is not None:
        # Named without the mention: a ping would reach them on their time off.
        return f"owner away until {format_weekday_date(away_until, today=today)}"
    if m.owner_id:
        return user_mention(m.owner_id)
    return f"no owner yet; set one with `/milestone update {m.number} owner @name`"


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
