"""Messages about milestones: list lines, details with history, and the add, update and delete answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    DividerBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.core.confidence import ConfidenceTrend
from bot.core.dates import format_date, format_weekday_date
from bot.core.forecasts import Forecast
from bot.core.forms.buttons import Action
from bot.core.grammar.tokens import plain_text
from bot.core.money import format_money
from bot.core.next_occurrence import Series
from bot.core.recurrence import recurrence_words
from bot.core.revisions import budget_of
from bot.core.text import escape_mrkdwn, excerpt
from bot.render.dates import day_token, moment_token, posted_due
from bot.render.history import (
    change_text,
    reason_text,
    revision_line,
    user_mention,
)
from bot.render.labels import (
    cost_vs_budget,
    due_on,
    due_text,
    status_label,
    status_text,
    timeliness,
)
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
from bot.render.report_lines import forecast_words
from bot.render.review_confidence import trend_words
from storage.models import CLOSED_STATUSES, CheckInNote, Milestone, Revision

NOTE_LENGTH = 300
# How many milestones a bulk add's summary names; the rest are counted.
BULK_SHOWN = 10

HISTORY_LIMIT = 10
# Slack shows a section's fields two by two and takes at most this many in one section.
SECTION_FIELDS = 10


def title_ref(m: Milestone) -> str:
    """`*#12* Launch beta`, the title escaped."""
    return f"*#{m.number}* {escape_mrkdwn(m.title)}"


def milestone_line(m: Milestone, *, today: date) -> str:
    """One list line: `*#12* Close · due Tue Dec 15 · in 15 days · every month · <@U1> · 🟢 On track`."""
    parts = [title_ref(m), due_on(m, today=today)]
    if m.recurrence:
        parts.append(recurrence_words(m.recurrence))
    parts.append(user_mention(m.owner_id) if m.owner_id else "no owner")
    if m.department:
        parts.append(escape_mrkdwn(m.department))
    parts.append(status_text(m, today=today))
    return " · ".join(parts)


def show_message(
    m: Milestone,
    revisions: list[Revision],
    *,
    today: date,
    tz: ZoneInfo,
    total_revisions: int | None = None,
    notes: Sequence[CheckInNote] = (),
    forecast: Forecast | None = None,
    confidence: ConfidenceTrend | None = None,
    after: Milestone | None = None,
    series: Series | None = None,
) -> Message:
    """Every field, the forecast of an open one, the owner's confidence over the reviews, the last changes
    newest first (of `total_revisions`), check-in notes, Mark done / Edit.

    `series`: the recurring milestone's previous and next, by number."""
    added_on = format_weekday_date(m.created_at.astimezone(tz).date(), today=today)
    likely = (
        [context(f"*Forecast:* {forecast_words(forecast, due=m.due_date, today=today)}")] if forecast else []
    )
    blocks: list[Block] = [
        header(f"#{m.number} {m.title}"),
        *_field_grid(_fields(m, today, after=after, series=series)),
        *likely,
        *([context(f"*Confidence:* {trend_words(confidence)}")] if confidence else []),
        context(f"Added by {user_mention(m.created_by)} on {added_on}"),
        DividerBlock(),
        *_history_blocks(revisions, total=max(total_revisions or 0, len(revisions)), today=today, tz=tz),
        *_notes_blocks(notes, today=today, tz=tz),
        ActionsBlock(elements=_buttons(m)),
    ]
    text = f"#{m.number} {escape_mrkdwn(m.title)} — {status_label(m.status)}, {due_text(m, today=today)}"
    return build_message(text=text, blocks=blocks)


def _notes_blocks(notes: Sequence[CheckInNote], *, today: date, tz: ZoneInfo) -> list[Block]:
    if not notes:
        return []
    lines = []
    for note in notes:
        day = format_date(note.at.astimezone(tz).date(), today=today)
        # Notes arrive as Slack markup: read them as plain text, then escape, so a note pings no one.
        text = escape_mrkdwn(excerpt(" ".join(plain_text(note.text).split()), limit=NOTE_LENGTH))
        lines.append(f"{day} · {user_mention(note.user_id)}: {text}")
    return [section("*Latest check-in notes*\n" + "\n".join(lines))]


def added_message(
    m: Milestone,
    *,
    by: str,
    today: date,
    first_review: datetime | None = None,
    zone: ZoneInfo | None = None,
    after: int | None = None,
) -> Message:
    """One line for the channel: `➕ Added #12 Launch beta · due Fri Dec 11 · after #3 · @bob — by @alice`.

    The due date is Slack's date token (the channel reads it later, each in their own zone: `tomorrow`,
    `Friday, December 11th`), noon in `zone`, the channel's; the notification text has the plain date.
    `after` is the number of the milestone it comes after, said as `list` says it.
    """
    zone = zone or _zone_of(first_review)

    def line(*, plain: bool) -> str:
        parts = [title_ref(m), posted_due(m.due_date, today=today, zone=zone, plain=plain)]
        if m.recurrence:
            parts.append(recurrence_words(m.recurrence))
        if after is not None:
            parts.append(f"after #{after}")
        if m.owner_id:
            parts.append(user_mention(m.owner_id))
        budget = budget_of(m)
        if budget:
            parts.append(format_money(budget))
        if m.department:
            parts.append(escape_mrkdwn(m.department))
        return f"➕ Added {' · '.join(parts)} — by {user_mention(by)}"

    blocks = [section(line(plain=False)), *first_review_blocks(first_review, today=today)]
    return build_message(text=line(plain=True), blocks=blocks)


def _zone_of(moment: datetime | None) -> ZoneInfo | None:
    """The channel's zone, when a moment of its (the first review) carries it."""
    zone = moment.tzinfo if moment is not None else None
    return zone if isinstance(zone, ZoneInfo) else None


def bulk_added_message(
    added: Sequence[Milestone],
    *,
    by: str,
    today: date,
    first_review: datetime | None = None,
    zone: ZoneInfo | None = None,
) -> Message:
    """One summary for several added at once: `➕ 3 milestones added by @alice: #12 Launch beta, …`."""
    zone = zone or _zone_of(first_review)
    head = f"➕ {len(added)} milestones added by {user_mention(by)}"
    # Whole references, never cut (a cut date token would show as raw markup): as many as fit, the rest
    # counted. One always fits: a title is at most 150 characters, 750 escaped.
    room = SECTION_CHARS - len(head) - len(": …and 50 more")
    shown: list[str] = []
    for m in added[:BULK_SHOWN]:
        ref = _short_ref(m, today=today, zone=zone)
        room -= len(ref) + len(", ")
        if shown and room < 0:
            break
        shown.append(ref)
    more = len(added) - len(shown)
    listed = ", ".join(shown) + (f", …and {more} more" if more else "")
    blocks = [section(f"{head}: {listed}")]
    return build_message(text=head, blocks=[*blocks, *first_review_blocks(first_review, today=today)])


def _short_ref(m: Milestone, *, today: date, zone: ZoneInfo | None) -> str:
    due = f" ({day_token(m.due_date, today=today, zone=zone)})" if m.due_date else ""
    return f"{title_ref(m)}{due}"


def first_review_blocks(first_review: datetime | None, *, today: date) -> list[Block]:
    """The channel's first milestones (added, or imported) say when the channel's first weekly review is.

    A moment as Slack's date token: each reader sees it in their own zone (`Monday, December 7th at 9:00 AM`).
    """
    if first_review is None:
        return []
    return [context(f"🗓️ First weekly review: {moment_token(first_review, today=today)}")]


def updated_message(
    m: Milestone,
    changes: list[Revision],
    *,
    by: str,
    today: date,
    behind: Sequence[Milestone] = (),
) -> Message:
    """One line for the channel: what an update changed, old → new, why, and who; then a line to the owner
    of each milestone that comes after this one and is now due before it."""
    if not changes:
        return one_line(f"Nothing to change on {title_ref(m)}: it already says that.")
    summary = ", ".join(change_text(c, today=today) for c in changes)
    reasons = [reason for reason in dict.fromkeys(reason_text(c.reason) for c in changes) if reason]
    why = f" {reasons[0]}" if reasons else ""
    line = f"✏️ Updated {title_ref(m)}: {summary}{why} — by {user_mention(by)}"
    text = f"✏️ Updated #{m.number} {escape_mrkdwn(m.title)}: {summary} — by {user_mention(by)}"
    told = [left_behind_line(later, moved=m, today=today) for later in behind]
    return build_message(
        text=excerpt(" ".join([text, *told]), limit=SECTION_CHARS),
        blocks=[section(excerpt(one, limit=SECTION_CHARS)) for one in (line, *told)],
    )


def left_behind_message(moved: Milestone, behind: Sequence[Milestone], *, today: date) -> Message:
    """For the channel, when a review answer moved a milestone past the ones that come after it: a line to
    each of their owners."""
    told = [left_behind_line(later, moved=moved, today=today) for later in behind]
    return build_message(
        text=excerpt(" ".join(told), limit=SECTION_CHARS),
        blocks=[section(excerpt(one, limit=SECTION_CHARS)) for one in told],
    )


def left_behind_line(later: Milestone, *, moved: Milestone, today: date) -> str:
    """`<@U2> #5 Ship docs comes after #3, which moved to Fri Dec 18 — after #5's due date Tue Dec 15: …`."""
    who = f"{user_mention(later.owner_id)} " if later.owner_id else ""
    moved_to = format_weekday_date(moved.due_date, today=today) if moved.due_date else "no date"
    due = format_weekday_date(later.due_date, today=today) if later.due_date else "no date"
    return (
        f"⚠️ {who}{title_ref(later)} comes after #{moved.number}, which moved to {moved_to} — after "
        f"#{later.number}'s due date {due}: `/milestone update {later.number} due {_plain_day(moved)}`"
    )


def _plain_day(m: Milestone) -> str:
    """A due date as a command takes it: `Dec 18`; the placeholder `…` when there is none."""
    return f"{m.due_date:%b} {m.due_date.day}" if m.due_date else "…"


def delete_confirm_message(m: Milestone, *, today: date) -> Message:
    """Asks before deleting, with a danger button that confirms once more and a Cancel button."""
    due = f" ({due_on(m, today=today)})" if m.due_date else ""
    text = f"Delete {title_ref(m)}{due}? Its history goes with it; this can't be undone."
    confirm = ConfirmObject(
        title=PlainTextObject(text=f"Delete #{m.number}?"),
        text=PlainTextObject(
            text=f"#{m.number} and its history will be gone for everyone in this workspace."
        ),
        confirm=PlainTextObject(text="Delete"),
        deny=PlainTextObject(text="Keep it"),
        style="danger",
    )
    buttons = [
        ButtonElement(
            text=PlainTextObject(text=f"Delete #{m.number}"),
            action_id=Action.DELETE_CONFIRM,
            value=str(m.number),
            style="danger",
            confirm=confirm,
        ),
        ButtonElement(
            text=PlainTextObject(text="Cancel"), action_id=Action.DELETE_CANCEL, value=str(m.number)
        ),
    ]
    return build_message(text=f"Delete #{m.number}?", blocks=[section(text), ActionsBlock(elements=buttons)])


def deleted_message(m: Milestone) -> Message:
    """Replaces the delete question once the milestone is gone."""
    return one_line(f"🗑️ Deleted {title_ref(m)}.")


def delete_cancelled_message(m: Milestone) -> Message:
    """Replaces the delete question when the person changed their mind."""
    return one_line(f"Kept {title_ref(m)}; nothing was deleted.")


def not_found_message(number: int) -> Message:
    """No milestone has that number in this workspace."""
    return one_line(
        f"🔍 There's no milestone *#{number}* in this workspace. "
        "`/milestone list all` in a channel lists every number there, done ones too."
    )


def refused_message(*, action: str, m: Milestone) -> Message:
    """Says who may `action` (our verb, e.g. "delete") this milestone: its owner, its creator or an admin."""
    people = list(dict.fromkeys(user for user in (m.owner_id, m.created_by) if user))
    who = ", ".join(user_mention(user) for user in people)
    return one_line(f"🔒 Only {who} or a workspace admin can {action} *#{m.number}*.")


def _field_grid(fields: list[tuple[str, str]]) -> list[SectionBlock]:
    """The fields two by two, in as many sections as it takes: Slack takes at most 10 fields in one."""
    texts = [MarkdownTextObject(text=f"*{name}*\n{value}") for name, value in fields]
    return [
        SectionBlock(fields=texts[start : start + SECTION_FIELDS])
        for start in range(0, len(texts), SECTION_FIELDS)
    ]


def _fields(
    m: Milestone, today: date, *, after: Milestone | None = None, series: Series | None = None
) -> list[tuple[str, str]]:
    """The field grid of `show`, in plan-table order; unset values as a dash so the grid keeps its shape."""
    budget = budget_of(m)
    fields = [
        ("Status", status_label(m.status)),
        ("Due", due_text(m, today=today)),
        ("Start", format_weekday_date(m.start_date, today=today) if m.start_date else "—"),
        ("Owner", user_mention(m.owner_id) if m.owner_id else "—"),
        ("Department", escape_mrkdwn(m.department) if m.department else "—"),
        ("Budget", format_money(budget) if budget else "—"),
    ]
    if m.recurrence:
        fields.append(("Repeats", recurrence_words(m.recurrence)))
    if series is not None and (series.previous or series.next):
        fields.append(("Series", series_words(series)))
    if after is not None:
        fields.append(("Comes after", comes_after_words(after, today=today)))
    cost = cost_vs_budget(m)
    if cost:
        fields.append(("Actual cost", cost))
    if m.completed_on:
        when = timeliness(m)
        completed = format_weekday_date(m.completed_on, today=today)
        fields.append(("Completed on", f"{completed} ({when})" if when else completed))
    fields.append(("Channel", f"<#{m.channel_id}>"))
    return fields


def series_words(series: Series) -> str:
    """`previous #4 · next #9`: the one it follows and the one that follows it, where there are."""
    parts = []
    if series.previous:
        parts.append(f"previous #{series.previous}")
    if series.next:
        parts.append(f"next #{series.next}")
    return " · ".join(parts)


def comes_after_words(before: Milestone, *, today: date) -> str:
    """`#3 Draft docs (due Fri Dec 11)`; a done one says so instead of its date."""
    if before.status == "done":
        state = "done"
    elif before.due_date:
        state = f"due {format_weekday_date(before.due_date, today=today)}"
    else:
        state = "no due date"
    return f"#{before.number} {escape_mrkdwn(before.title)} ({state})"


def _history_blocks(revisions: list[Revision], *, total: int, today: date, tz: ZoneInfo) -> list[Block]:
    """The last changes, newest first, and how many older ones were left out."""
    if not revisions:
        return [context("*History* · no changes since it was added.")]
    newest = sorted(revisions, key=lambda r: r.at, reverse=True)
    lines = ["*History*", *(revision_line(r, today=today, tz=tz) for r in newest[:HISTORY_LIMIT])]
    blocks: list[Block] = [*packed_sections(lines)]
    earlier = total - min(len(newest), HISTORY_LIMIT)
    if earlier > 0:
        blocks.append(context(f"…and {earlier} earlier change{'' if earlier == 1 else 's'}."))
    return blocks


def _buttons(m: Milestone) -> list[ButtonElement]:
    """Edit always; Mark done only while the milestone is still open."""
    edit = ButtonElement(
        text=PlainTextObject(text="Edit"), action_id=Action.MILESTONE_EDIT, value=str(m.number)
    )
    if m.status in CLOSED_STATUSES:
        return [edit]
    done = ButtonElement(
        text=PlainTextObject(text="Mark done"),
        action_id=Action.MILESTONE_DONE,
        value=str(m.number),
        style="primary",
    )
    return [done, edit]
