"""Messages about milestones: list lines, list, details with history, and add / update / done answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
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

from bot.core.dates import format_date
from bot.core.forms.buttons import Action
from bot.core.grammar.tokens import plain_text
from bot.core.money import format_money
from bot.core.revisions import budget_of
from bot.core.text import escape_mrkdwn, excerpt
from bot.core.vocabulary import Field
from bot.render.history import (
    change_text,
    describe_value,
    field_label,
    reason_text,
    revision_line,
    user_mention,
)
from bot.render.labels import (
    cost_vs_budget,
    days,
    days_overdue,
    due_text,
    status_label,
    timeliness,
)
from bot.render.message import Message, build_message, context, header, packed_sections, section
from storage.models import CLOSED_STATUSES, CheckInNote, Milestone, Revision

NOTE_LENGTH = 300

LIST_LIMIT = 100
HISTORY_LIMIT = 10
_NARROW_HINT = "Narrow it with `/milestone list mine`, `overdue` or `dept &lt;name&gt;`."


def title_ref(m: Milestone) -> str:
    """`*#12* Launch beta`, the title escaped."""
    return f"*#{m.number}* {escape_mrkdwn(m.title)}"


def milestone_line(m: Milestone, *, today: date) -> str:
    """One list line: `*#12* Launch beta · due Dec 15 · <@U1> · 🟢 On track`."""
    parts = [
        title_ref(m),
        f"due {format_date(m.due_date, today=today)}" if m.due_date else "no due date",
        user_mention(m.owner_id) if m.owner_id else "no owner",
    ]
    if m.department:
        parts.append(escape_mrkdwn(m.department))
    parts.append(status_label(m.status))
    overdue = days_overdue(m, today=today)
    if overdue:
        parts.append(f"⚠️ {days(overdue)} overdue")
    return " · ".join(parts)


def list_message(
    milestones: list[Milestone], *, heading: str, total: int, today: date, empty_hint: str
) -> Message:
    """A header and the milestones, several lines per section; says how many more when cut."""
    if not milestones:
        return build_message(
            text=f"{escape_mrkdwn(heading)}: {empty_hint}", blocks=[header(heading), section(empty_hint)]
        )
    shown = milestones[:LIST_LIMIT]
    blocks: list[Block] = [header(heading), *packed_sections(milestone_line(m, today=today) for m in shown)]
    more = max(total, len(milestones)) - len(shown)
    if more:
        blocks.append(context(f"…and {more} more. {_NARROW_HINT}"))
    count = f"{len(shown)} milestone" if len(shown) == 1 else f"{len(shown)} milestones"
    return build_message(text=f"{escape_mrkdwn(heading)}: {count}", blocks=blocks)


def show_message(
    m: Milestone,
    revisions: list[Revision],
    *,
    today: date,
    tz: ZoneInfo,
    total_revisions: int | None = None,
    notes: Sequence[CheckInNote] = (),
) -> Message:
    """Every field, the last changes newest first (of `total_revisions`), check-in notes, Mark done / Edit."""
    added_on = format_date(m.created_at.astimezone(tz).date(), today=today)
    blocks: list[Block] = [
        header(f"#{m.number} {m.title}"),
        SectionBlock(
            fields=[MarkdownTextObject(text=f"*{name}*\n{value}") for name, value in _fields(m, today)]
        ),
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


def added_message(m: Milestone, *, today: date) -> Message:
    """Confirms a new milestone and shows how to revise and finish it."""
    details = [
        f"due {format_date(m.due_date, today=today)}" if m.due_date else "no due date yet",
        f"owner {user_mention(m.owner_id)}" if m.owner_id else "no owner yet",
    ]
    budget = budget_of(m)
    if budget:
        details.append(f"budget {format_money(budget)}")
    if m.department:
        details.append(f"dept {escape_mrkdwn(m.department)}")
    text = f"Added {title_ref(m)} — {', '.join(details)}."
    hint = (
        f"Revise: `/milestone update {m.number} due &lt;date&gt; because &lt;reason&gt;`"
        f" · Finish: `/milestone done {m.number}` · Details: `/milestone show {m.number}`"
    )
    return build_message(text=text, blocks=[section(text), context(hint)])


def updated_message(m: Milestone, changes: list[Revision], *, today: date) -> Message:
    """Lists what an update changed, old → new, with the reason given."""
    if not changes:
        return _plain(f"Nothing to change on {title_ref(m)}: it already says that.")
    lines = [f"✏️ Updated {title_ref(m)}"]
    for change in changes:
        old = describe_value(change.field, change.old, today=today)
        new = describe_value(change.field, change.new, today=today)
        lines.append(f"• {field_label(change.field)}: {old} → {new}")
    blocks: list[Block] = [*packed_sections(lines)]
    notes = [reason for reason in (reason_text(c.reason) for c in changes) if reason]
    if any(c.field == Field.DUE for c in changes) and m.due_date:
        notes.insert(0, f"Due {due_text(m, today=today)}")
    if notes:
        blocks.append(context(" · ".join(dict.fromkeys(notes))))
    summary = ", ".join(change_text(c, today=today) for c in changes)
    return build_message(text=f"Updated #{m.number} {escape_mrkdwn(m.title)}: {summary}", blocks=blocks)


def done_message(m: Milestone, *, today: date) -> Message:
    """Celebrates a finished milestone: when, against the plan, and cost against budget."""
    text = f"✅ {title_ref(m)} is done"
    if m.completed_on:
        text += f" — completed {format_date(m.completed_on, today=today)}"
        when = timeliness(m)
        planned = m.baseline_due_date or m.due_date
        if when == "on time":
            text += ", on time"
        elif when and planned:
            text += f", {when} against the plan of {format_date(planned, today=today)}"
    lines = [f"{text}."]
    cost = cost_vs_budget(m)
    budget = budget_of(m)
    if cost:
        lines.append(f"Cost {cost}.")
    elif budget:
        lines.append(f"Budget was {format_money(budget)}; no actual cost recorded.")
    return build_message(text=lines[0], blocks=[section("\n".join(lines))])


def delete_confirm_message(m: Milestone, *, today: date) -> Message:
    """Asks before deleting, with a danger button that confirms once more and a Cancel button."""
    due = f" (due {format_date(m.due_date, today=today)})" if m.due_date else ""
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
    return _plain(f"🗑️ Deleted {title_ref(m)}.")


def delete_cancelled_message(m: Milestone) -> Message:
    """Replaces the delete question when the person changed their mind."""
    return _plain(f"Kept {title_ref(m)}; nothing was deleted.")


def not_found_message(number: int) -> Message:
    """No milestone has that number in this workspace."""
    return _plain(
        f"🔍 There's no milestone *#{number}* in this workspace. `/milestone list all` shows every number."
    )


def refused_message(*, action: str, m: Milestone) -> Message:
    """Says who may `action` (our verb, e.g. "delete") this milestone: its owner, its creator or an admin."""
    people = list(dict.fromkeys(user for user in (m.owner_id, m.created_by) if user))
    who = ", ".join(user_mention(user) for user in people)
    return _plain(f"🔒 Only {who} or a workspace admin can {action} *#{m.number}*.")


def _plain(text: str) -> Message:
    """A one-section message whose fallback text is the same line."""
    return build_message(text=text, blocks=[section(text)])


def _fields(m: Milestone, today: date) -> list[tuple[str, str]]:
    """The field grid of `show`, in plan-table order; unset values as a dash so the grid keeps its shape."""
    status = status_label(m.status)
    overdue = days_overdue(m, today=today)
    if overdue:
        status += f" · ⚠️ {days(overdue)} overdue"
    budget = budget_of(m)
    fields = [
        ("Status", status),
        ("Due", due_text(m, today=today)),
        ("Start", format_date(m.start_date, today=today) if m.start_date else "—"),
        ("Owner", user_mention(m.owner_id) if m.owner_id else "—"),
        ("Department", escape_mrkdwn(m.department) if m.department else "—"),
        ("Budget", format_money(budget) if budget else "—"),
    ]
    cost = cost_vs_budget(m)
    if cost:
        fields.append(("Actual cost", cost))
    if m.completed_on:
        when = timeliness(m)
        completed = format_date(m.completed_on, today=today)
        fields.append(("Completed on", f"{completed} ({when})" if when else completed))
    fields.append(("Channel", f"<#{m.channel_id}>"))
    return fields


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
