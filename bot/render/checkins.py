"""The weekly review: a compact channel message people answer with one button, and the notes in its thread."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, Block

from bot.core.checkins import CheckInItem, CheckInView, WeekChanges
from bot.core.dates import format_weekday_date
from bot.core.review_counts import ReviewCount
from bot.core.text import escape_mrkdwn, excerpt
from bot.render.dates import SHORT, day_token, posted_due
from bot.render.history import user_mention
from bot.render.labels import status_label
from bot.render.message import (
    SECTION_CHARS,
    Message,
    build_message,
    context,
    header,
    one_line,
    packed_sections,
    section,
)
from bot.render.milestones import refused_message, title_ref
from bot.render.review_button import REVIEW_MINE_LABEL, review_mine_button
from bot.render.review_confidence import drop_words
from storage.models import CLOSED_STATUSES, Milestone

# Rows shown in the channel; with the header, summary, changes, "more", button and hint, 100 rows packed
# ten to a section stay under Slack's 50 blocks, each section under its 3,000 characters.
ROW_LIMIT = 100
# Caps that keep the counting line far below 3,000 characters, however many people are awaited.
PEOPLE_LIMIT = 20
NUMBERS_LIMIT = 5
SLIPPED_LIMIT = 5
SUMMARY_WORDS = {
    "on_track": "🟢 {} on track",
    "at_risk": "🟡 {} at risk",
    "blocked": "🔴 {} blocked",
    "overdue": "⚠️ {} overdue",
    "done": "✅ {} done",
    "not_answered": "⏳ {} not yet answered",
}
_EMPTY_HINT = "No open milestones in this channel. Add one: `/milestone add Launch beta due Dec 15`"


def checkin_message(view: CheckInView) -> Message:
    """The review: header, where it stands, what changed, one line per milestone, and Review my milestones.

    Read all week, so its days are Slack's date tokens, not `in 3 days`: noon in the channel's zone
    (the view's), in the post and in every redraw alike.
    """
    count = len(view.items)
    if not count:
        title = "Weekly review: nothing in flight"
        return build_message(text=title, blocks=[header(title), section(_EMPTY_HINT)])
    title = f"Weekly review: {count} milestone{'' if count == 1 else 's'} in flight"
    blocks: list[Block] = [header(title), section(_standing(view))]
    if view.changes and not view.changes.is_empty():
        blocks.append(section(_changes_line(view.changes, today=view.today)))
    blocks += packed_sections(_confidence_falls(view))
    shown = view.items[:ROW_LIMIT]
    blocks += packed_sections(_row(item, today=view.today, zone=view.zone) for item in shown)
    if count > len(shown):
        blocks.append(section(f"…and {count - len(shown)} more — `/milestone list`"))
    blocks.append(ActionsBlock(block_id="review", elements=[review_mine_button(checkin_id=view.checkin_id)]))
    example = shown[0].milestone.number
    blocks.append(
        context(f"Reply in the thread to add a note — mention #{example} to attach it to a milestone.")
    )
    return build_message(text=title, blocks=blocks)


def _confidence_falls(view: CheckInView) -> list[str]:
    """`⚠️ *#4* Launch beta: confidence fell from 4 to 2 at the last review`, each that fell by 2 or more."""
    drops = view.confidence_drops
    return [
        f"⚠️ {title_ref(item.milestone)}: {drop_words(drops[item.milestone.number])}"
        for item in view.items
        if item.milestone.number in drops
    ]


def _standing(view: CheckInView) -> str:
    """The summary line, then the count: `🟢 2 on track · ⏳ 2 not yet answered` / `4 of 6 answered · …`."""
    summary = " · ".join(SUMMARY_WORDS[part].format(n) for part, n in view.summary().items())
    counting = counting_line(view.count, today=view.today)
    return f"{summary}\n{counting}" if summary else counting


def counting_line(count: ReviewCount, *, today: date) -> str:
    """`4 of 6 answered · waiting on <@A> (#4), <@C> (#6) · #7 has no owner · <@D> away until Sun Dec 20`."""
    if count.expected == 0:
        parts = ["Nobody to wait on"]
    elif count.complete:
        parts = ["Answered — thanks!" if count.expected == 1 else f"All {count.expected} answered — thanks!"]
    else:
        waiting = [f"{user_mention(user)} ({_numbers(numbers)})" for user, numbers in count.waiting.items()]
        parts = [f"{count.answered} of {count.expected} answered", "waiting on " + _capped(waiting)]
    if count.ownerless:
        verb = "has" if len(count.ownerless) == 1 else "have"
        parts.append(f"{_numbers(count.ownerless, limit=PEOPLE_LIMIT)} {verb} no owner")
    away = [
        f"{user_mention(user)} is away until {format_weekday_date(until, today=today)}"
        for user, until in count.away.items()
    ]
    if away:
        parts.append(_capped(away, joiner=" · ", more="more away"))
    return " · ".join(parts)


def _numbers(numbers: list[int], *, limit: int = NUMBERS_LIMIT) -> str:
    shown = ", ".join(f"#{n}" for n in numbers[:limit])
    return shown if len(numbers) <= limit else f"{shown} and {len(numbers) - limit} more"


def _capped(phrases: list[str], *, joiner: str = ", ", more: str = "more") -> str:
    shown = joiner.join(phrases[:PEOPLE_LIMIT])
    extra = len(phrases) - PEOPLE_LIMIT
    return shown if extra <= 0 else f"{shown}{joiner}{extra} {more}"


def _row(item: CheckInItem, *, today: date, zone: ZoneInfo | None) -> str:
    """`*#4* Launch beta · due <Fri Dec 11> · <@U1> · 🟡 At risk — <@U1>, <Tue Dec 8>` (`<…>`: tokens)."""
    m = item.milestone
    closed = m.status in CLOSED_STATUSES
    parts = [
        title_ref(m),
        posted_due(m.due_date, today=today, zone=zone, closed=closed),
        user_mention(m.owner_id) if m.owner_id else "no owner",
        _answer_text(item, today=today, zone=zone),
    ]
    return " · ".join(parts)


def _answer_text(item: CheckInItem, *, today: date, zone: ZoneInfo | None) -> str:
    """The latest status in this review, with who and when; `not yet answered` before anyone did."""
    m, answer = item.milestone, item.answer
    if answer is None:
        return status_label(m.status) if m.status in CLOSED_STATUSES else "not yet answered"
    said = status_label(m.status)
    if answer.status == "new_date":
        said = "📅 New date" if m.status == "open" else f"{said} · 📅 new date"
    day = item.answered_on
    when = f", {day_token(day, today=today, zone=zone, words=SHORT)}" if day else ""
    return f"{said} — {user_mention(answer.user_id)}{when}"


def _changes_line(changes: WeekChanges, *, today: date) -> str:
    """`Since last week: ✅ 2 done · 📅 1 slipped (#12 Tue Dec 15 → Tue Dec 22) · 🟡 1 newly at risk`."""
    parts = []
    if changes.done:
        parts.append(f"✅ {len(changes.done)} done")
    if changes.slipped:
        moves = [
            f"#{m.number} {format_weekday_date(old, today=today)} → {format_weekday_date(new, today=today)}"
            for m, old, new in changes.slipped[:SLIPPED_LIMIT]
        ]
        extra = len(changes.slipped) - len(moves)
        if extra:
            moves.append(f"{extra} more")
        parts.append(f"📅 {len(changes.slipped)} slipped ({', '.join(moves)})")
    if changes.newly_at_risk:
        parts.append(f"🟡 {len(changes.newly_at_risk)} newly at risk")
    return "Since last week: " + " · ".join(parts)


def review_note_message(*, author: str, on: list[Milestone], text: str, kind: str, to_owner: bool) -> Message:
    """A note from the review form, posted in the review's thread; to a non-owner's, the owner is mentioned.

    `📝 <@U2> on *#4* Launch beta — <@U1>: …` · `⚠️ <@U2> flags a risk on *#4* Launch beta — <@U1>: …`
    """
    what = "flags a risk on" if kind == "risk" else "on"
    emoji = "⚠️" if kind == "risk" else "📝"
    # A note on many milestones names them by number only, so the line stays a line.
    names = [title_ref(m) for m in on] if len(on) <= 3 else [f"*#{m.number}*" for m in on]
    line = f"{emoji} {user_mention(author)} {what} " + _capped(names)
    owners = list(dict.fromkeys(m.owner_id for m in on if m.owner_id and m.owner_id != author))
    if to_owner and owners:
        line += " — " + ", ".join(user_mention(owner) for owner in owners)
    line = excerpt(f"{line}: {escape_mrkdwn(text)}", limit=SECTION_CHARS)
    return build_message(text=line, blocks=[section(line)])


def review_refusal_message(*, m: Milestone, action: str) -> Message:
    """An old review button pressed by someone who may not change the milestone: what they can do instead."""
    refused = refused_message(action=action, m=m).text
    text = (
        f"{refused} You can still add a note or flag a risk: press *{REVIEW_MINE_LABEL}* on the review, "
        "or reply in its thread."
    )
    return one_line(text)


def review_gone_message() -> Message:
    """The review a button belongs to is no longer there."""
    text = "This review is no longer open. `/milestone list` shows where things stand."
    return one_line(text)


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
    return one_line(text)
