"""The weekly review's private prompts: an owner's DM at review time, and the chase a working day later."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, Block

from bot.core.confidence import ConfidenceTrend
from bot.render.dates import posted_due
from bot.render.labels import status_label
from bot.render.message import Message, build_message, context, packed_sections, section
from bot.render.milestones import title_ref
from bot.render.reminders import channel_mention
from bot.render.review_button import review_mine_button
from bot.render.review_confidence import drop_words
from storage.models import CLOSED_STATUSES, Milestone

# A DM lists this many of the owner's milestones; the review form itself holds them all.
MAX_PROMPT_LINES = 20


def review_prompt_message(
    *,
    checkin_id: int,
    channel_id: str,
    milestones: Sequence[Milestone],
    today: date,
    zone: ZoneInfo | None = None,
    confidence_drops: Mapping[int, ConfidenceTrend] | None = None,
) -> Message:
    """An owner's prompt: "3 of your milestones in #launch need a review", their lines, and the button.

    A DM read when the owner gets to it: due dates are Slack's date tokens, noon in `zone` (the channel's).
    Each of theirs whose confidence fell by 2 or more (`confidence_drops`, by number) is called out.
    """
    count = len(milestones)
    need = "needs" if count == 1 else "need"
    headline = f"{count} of your milestones in {channel_mention(channel_id)} {need} a review"
    lines = [_line(m, today=today, zone=zone) for m in milestones[:MAX_PROMPT_LINES]]
    blocks: list[Block] = [section(f"*{headline}*"), *packed_sections(lines)]
    hidden = count - len(lines)
    if hidden > 0:
        blocks.append(context(f"…and {hidden} more: the form lists them all."))
    drops = confidence_drops or {}
    fell = [f"⚠️ {title_ref(m)}: {drop_words(drops[m.number])}" for m in milestones if m.number in drops]
    blocks += packed_sections(fell)
    blocks.append(_button(checkin_id))
    return build_message(text=headline, blocks=blocks)


def chase_message(*, checkin_id: int, channel_id: str, numbers: Sequence[int]) -> Message:
    """The chase: "Still waiting on your review of #4, #6 in #launch", and the button."""
    listed = ", ".join(f"#{n}" for n in numbers)
    text = f"Still waiting on your review of {listed} in {channel_mention(channel_id)}"
    return build_message(text=text, blocks=[section(text), _button(checkin_id)])


def _line(m: Milestone, *, today: date, zone: ZoneInfo | None) -> str:
    due = posted_due(m.due_date, today=today, zone=zone, closed=m.status in CLOSED_STATUSES)
    return f"• {title_ref(m)} · {due} · {status_label(m.status)}"


def _button(checkin_id: int) -> ActionsBlock:
    return ActionsBlock(block_id="review_prompt", elements=[review_mine_button(checkin_id=checkin_id)])
