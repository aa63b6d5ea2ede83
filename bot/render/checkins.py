"""The weekly review-and-revise check-in: what changed since last week, and buttons per milestone."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    PlainTextObject,
)

from bot.core.checkins import CheckInItem, CheckInView, WeekChanges
from bot.core.dates import format_date
from bot.core.forms.buttons import Action, checkin_value
from bot.render.history import user_mention
from bot.render.labels import status_label
from bot.render.message import Message, build_message, header, section
from bot.render.milestones import milestone_line
from storage.models import Milestone

# 20 milestones × (section + buttons) + header, changes, "more" and the footer stay under Slack's 50 blocks.
BUTTON_LIMIT = 20
# Caps that keep every text far below Slack's 3,000 characters, however many people answer or are awaited.
ANSWER_LIMIT = 40
WAITING_LIMIT = 40
SLIPPED_LIMIT = 5
ANSWERS: tuple[tuple[Action, str], ...] = (
    (Action.CHECKIN_ON_TRACK, "On track"),
    (Action.CHECKIN_AT_RISK, "At risk"),
    (Action.CHECKIN_BLOCKED, "Blocked"),
    (Action.CHECKIN_DONE, "Done"),
    (Action.CHECKIN_NEW_DATE, "New date…"),
)
_EMPTY_HINT = "No open milestones in this channel. Add one: `/milestone add Launch beta due Dec 15`"


def checkin_message(view: CheckInView) -> Message:
    """The check-in: header, changes since last week, each milestone with its answers and buttons, footer."""
    count = len(view.items)
    if not count:
        title = "Weekly review: nothing in flight"
        return build_message(text=title, blocks=[header(title), section(_EMPTY_HINT)])
    title = f"Weekly review: {count} milestone{'' if count == 1 else 's'} in flight"
    blocks: list[Block] = [header(title)]
    if view.changes and not view.changes.is_empty():
        blocks.append(section(_changes_line(view.changes, today=view.today)))
    shown = view.items[:BUTTON_LIMIT]
    for item in shown:
        blocks += [section(_item_text(item, today=view.today)), _buttons(view.checkin_id, item.milestone)]
    more = count - len(shown)
    if more:
        blocks.append(section(f"…and {more} more: `/milestone list`"))
    blocks.append(_footer(view.waiting_on, example=shown[0].milestone.number))
    return build_message(text=title, blocks=blocks)


def _changes_line(changes: WeekChanges, *, today: date) -> str:
    """`Since last week: ✅ 2 done · 📅 1 slipped (#12 Dec 15 → Dec 22) · 🟡 1 newly at risk`."""
    parts = []
    if changes.done:
        parts.append(f"✅ {len(changes.done)} done")
    if changes.slipped:
        moves = [
            f"#{m.number} {format_date(old, today=today)} → {format_date(new, today=today)}"
            for m, old, new in changes.slipped[:SLIPPED_LIMIT]
        ]
        extra = len(changes.slipped) - len(moves)
        if extra:
            moves.append(f"{extra} more")
        parts.append(f"📅 {len(changes.slipped)} slipped ({', '.join(moves)})")
    if changes.newly_at_risk:
        parts.append(f"🟡 {len(changes.newly_at_risk)} newly at risk")
    return "Since last week: " + " · ".join(parts)


def _answer_label(status: str) -> str:
    """How an answer reads next to its author: `🟢 On track`, `📅 new date`."""
    return "📅 new date" if status == "new_date" else status_label(status)


def _item_text(item: CheckInItem, *, today: date) -> str:
    """The milestone's list line, then who answered what: `<@U1> 🟢 On track · <@U2> 📅 new date`."""
    line = milestone_line(item.milestone, today=today)
    answers = [f"{user_mention(a.user_id)} {_answer_label(a.status)}" for a in item.answers[-ANSWER_LIMIT:]]
    if not answers:
        return line
    earlier = len(item.answers) - len(answers)
    if earlier:
        answers.insert(0, f"{earlier} earlier")
    return f"{line}\n" + " · ".join(answers)


def _buttons(checkin_id: int, m: Milestone) -> ActionsBlock:
    value = checkin_value(checkin_id=checkin_id, number=m.number)
    return ActionsBlock(
        block_id=f"checkin:{m.number}",
        elements=[
            ButtonElement(text=PlainTextObject(text=label), action_id=action_id, value=value)
            for action_id, label in ANSWERS
        ],
    )


def _footer(waiting_on: list[str], *, example: int) -> ContextBlock:
    people = list(dict.fromkeys(waiting_on))
    if people:
        names = [user_mention(user) for user in people[:WAITING_LIMIT]]
        if len(people) > WAITING_LIMIT:
            names.append(f"{len(people) - WAITING_LIMIT} more")
        waiting = "Waiting on " + ", ".join(names)
    else:
        waiting = "Everyone has answered. Thanks!"
    notes = f"Reply in the thread to add notes — mention #{example} to attach a note to a milestone."
    return ContextBlock(elements=[MarkdownTextObject(text=waiting), MarkdownTextObject(text=notes)])


def review_outcome_message(*, outcome: str, channel_id: str, message_ts: str | None) -> Message:
    """The answer to `/milestone review`: posted, already up (with a link), nothing to review, or failed."""
    link = f"https://slack.com/archives/{channel_id}/p{message_ts.replace('.', '')}" if message_ts else None
    texts = {
        "posted": f"📋 Posted this week's review in <#{channel_id}>.",
        "already_posted": f"📋 This week's review is already up in <#{channel_id}>: <{link}|answer there>.",
        "nothing_in_flight": "Nothing to review: this channel has no open milestones. "
        "Add one with `/milestone add Launch beta due Dec 15`.",
        "not_posted": "⚠️ I couldn't post the review in this channel just now; I'll keep trying. "
        "Is the bot a member of the channel? `/invite @Milestone Bot`",
    }
    text = texts[outcome]
    return build_message(text=text, blocks=[section(text)])
