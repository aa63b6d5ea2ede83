"""Done, however it was given: the channel's one line with Undo, the reopened line, and reminders redrawn."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, PlainTextObject

from bot.core.forms.buttons import Action
from bot.core.text import escape_mrkdwn
from bot.render.dates import SHORT, day_token, posted_due
from bot.render.history import user_mention
from bot.render.labels import cost_vs_budget, timeliness
from bot.render.message import Message, build_message, context, one_line, section
from bot.render.milestones import title_ref
from storage.models import Milestone

# The block Undo sits in: the reopened line replaces the whole message, so one id is enough.
UNDO_BLOCK = "undo_done"


def done_line(
    m: Milestone,
    *,
    by: str,
    following: Milestone | None = None,
    today: date | None = None,
    zone: ZoneInfo | None = None,
) -> Message:
    """`✅ #12 Launch beta done by @alice (3 days late)`, and an Undo button (it works for a while).

    A recurring one says its next in the same line: `🔁 next: #13 due Fri Jan 30` (Slack's date token, noon
    in `zone`, the channel's, read from `today`, the channel's date; by default the day the next was made).
    """
    when = timeliness(m)
    tail = f"done by {user_mention(by)}" + (f" ({when})" if when else "")
    line = f"✅ {title_ref(m)} {tail}"
    cost = cost_vs_budget(m)
    if cost:
        line += f" · cost {cost}"
    text = f"✅ #{m.number} {escape_mrkdwn(m.title)} {tail}"
    if following is not None:
        day = today or following.created_at.date()
        line += f" · 🔁 next: *#{following.number}* {posted_due(following.due_date, today=day, zone=zone)}"
        text += f" · next: #{following.number} {posted_due(following.due_date, today=day, plain=True)}"
    undo = ButtonElement(text=PlainTextObject(text="Undo"), action_id=Action.UNDO_DONE, value=str(m.number))
    blocks = [section(line), ActionsBlock(block_id=UNDO_BLOCK, elements=[undo])]
    return build_message(text=text, blocks=blocks)


def reopened_line(m: Milestone, *, by: str, withdrawn: Milestone | None = None) -> Message:
    """Replaces the done line once Undo was pressed: `↩️ #12 Launch beta reopened by @alice`.

    `withdrawn`: the next one its Done had created, taken back with it (`· next one #13 removed`).
    """
    tail = f" · next one #{withdrawn.number} removed" if withdrawn is not None else ""
    line = f"↩️ {title_ref(m)} reopened by {user_mention(by)}{tail}"
    text = f"↩️ #{m.number} {escape_mrkdwn(m.title)} reopened by {user_mention(by)}{tail}"
    return build_message(text=text, blocks=[section(line)])


def undo_too_late_message(m: Milestone, *, undo_for: timedelta) -> Message:
    """To the presser only: Undo has expired, and the command that reopens the milestone."""
    text = (
        f"Undo works for {_minutes(undo_for)} after Done, and #{m.number} was marked done earlier. "
        f"To reopen it: `/milestone update {m.number} status on-track`"
    )
    return one_line(text)


def redrawn_reminder(
    blocks: list[dict], *, by: str, day: date, today: date, zone: ZoneInfo | None = None
) -> list[dict]:
    """A posted reminder or nudge without its buttons, and who did it: `✅ Done — @alice, <Tue Dec 8>`.

    The day is Slack's date token (noon in `zone`, the channel's): `today` while it is, then the date.
    """
    kept = [block for block in blocks if block.get("type") != "actions"]
    when = day_token(day, today=today, zone=zone, words=SHORT)
    stamp = context(f"✅ Done — {user_mention(by)}, {when}").to_dict()
    return [*kept, stamp]


def _minutes(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"
