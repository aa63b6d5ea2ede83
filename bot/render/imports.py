"""Importing a plan from CSV: the upload modal, the preview to confirm or the problems to fix, the result."""

from __future__ import annotations

from datetime import date, datetime

from slack_sdk.models.blocks import Block
from slack_sdk.models.blocks.block_elements import FileInputElement

from bot.core.dates import format_weekday_date
from bot.core.forms.imports import CONFIRM_CALLBACK, UPLOAD_CALLBACK, ImportBlock, import_metadata
from bot.core.imports import MAX_ROWS, ImportPreview, ImportRow
from bot.core.money import format_money
from bot.core.recurrence import recurrence_words
from bot.core.text import counted, escape_mrkdwn
from bot.render.dates import due_words
from bot.render.history import user_mention
from bot.render.inputs import input_block
from bot.render.labels import status_label
from bot.render.message import Message, build_message, context, modal, packed_sections, section
from bot.render.milestones import first_review_blocks
from storage.models import CLOSED_STATUSES

SAMPLE_ROWS = 10
SHOWN_PROBLEMS = 20
_RANGES_SHOWN = 8
_COLUMNS_HINT = (
    "First row: *Milestone* (required), *Start Date*, *End Date*, *Budget*, *Manager*, *Department*; "
    "also read: Status, Completed On, Actual Cost, Currency, Repeats (every week, month or quarter), "
    "Number and After (the Number of the row it comes after). One milestone per row, dates like 2026-12-15, "
    f"at most {MAX_ROWS} rows. Nothing is saved until you confirm the preview. For example:\n"
    "`Milestone,Start Date,End Date,Budget,Manager,Department`\n"
    "`Launch beta,2026-11-01,2026-12-15,$5000,alice@example.com,Marketing`"
)


def import_modal(*, channel_id: str) -> dict:
    """The form to upload a CSV of milestones, with the columns it reads."""
    return modal(
        callback_id=UPLOAD_CALLBACK,
        title="Import milestones",
        submit="Preview",
        metadata=import_metadata(channel_id=channel_id),
        blocks=[
            input_block(
                ImportBlock.FILE,
                "CSV file",
                FileInputElement(action_id=ImportBlock.FILE, filetypes=["csv"], max_files=1),
                hint="Save the plan's milestone table from your spreadsheet as CSV.",
            ),
            context(_COLUMNS_HINT),
        ],
    )


def import_preview_view(preview: ImportPreview, *, channel_id: str, file_id: str, today: date) -> dict:
    """What the file would add, to confirm; or every problem in it, with no way to import until fixed."""
    metadata = import_metadata(channel_id=channel_id, file_id=file_id)
    if not preview.ok:
        return modal(
            callback_id=CONFIRM_CALLBACK,
            title="Can't import this file",
            close="Close",
            metadata=metadata,
            blocks=_problem_blocks(preview),
        )
    count = len(preview.rows)
    lines = [_row_line(row, today=today, rows=preview.rows) for row in preview.rows[:SAMPLE_ROWS]]
    blocks: list[Block] = [
        section(
            f"*{_milestones(count)}* will be added to <#{channel_id}>. "
            f"Nothing is saved until you press *Import {count}*."
        ),
        *packed_sections(lines, max_lines=SAMPLE_ROWS),
    ]
    if count > SAMPLE_ROWS:
        blocks.append(context(f"…and {count - SAMPLE_ROWS} more."))
    unmatched = sorted({row.owner_name for row in preview.rows if row.owner_name})
    if unmatched:
        names = ", ".join(escape_mrkdwn(name) for name in unmatched[:5]) + (
            ", …" if len(unmatched) > 5 else ""
        )
        blocks.append(context(f"No Slack member found for {names}: those milestones get no owner."))
    return modal(
        callback_id=CONFIRM_CALLBACK,
        title=f"Import {_milestones(count)}?",
        submit=f"Import {count}",
        metadata=metadata,
        blocks=blocks,
    )


def import_done_message(
    count: int, *, numbers: list[int], by: str, today: date, first_review: datetime | None = None
) -> Message:
    """One line for the channel, with no tips: `📥 @alice imported 12 milestones (#13–#24).`

    An import that starts the channel also says when its first weekly review is.
    """
    shown = f" ({_number_ranges(numbers)})" if numbers else ""
    text = f"📥 {user_mention(by)} imported {_milestones(count)}{shown}."
    return build_message(text=text, blocks=[section(text), *first_review_blocks(first_review, today=today)])


def _problem_blocks(preview: ImportPreview) -> list[Block]:
    """The header problems, then up to SHOWN_PROBLEMS row errors, and what to do about them."""
    problems = [escape_mrkdwn(problem) for problem in preview.header_problems]
    problems += [f"*Line {error.line}:* {escape_mrkdwn(error.message)}" for error in preview.errors]
    if not problems:
        problems = ["The file has no milestones."]
    total = len(problems)
    blocks: list[Block] = [
        section(f"*{counted(total, 'problem')}* in the file, so nothing was imported."),
        *packed_sections(problems[:SHOWN_PROBLEMS]),
    ]
    if total > SHOWN_PROBLEMS:
        blocks.append(context(f"…and {counted(total - SHOWN_PROBLEMS, 'more problem')}."))
    blocks.append(section("Fix the file and upload it again with `/milestone import`."))
    return blocks


def _row_line(row: ImportRow, *, today: date, rows: list[ImportRow]) -> str:
    """`*Launch beta* · due Tue Dec 15 · in 15 days · starts Sun Nov 1 · $5,000 · <@U1> · Marketing`,
    then `every month` and `after Kick-off` (the title of the file's row it comes after), when given."""
    fields = row.fields
    parts = [
        f"*{escape_mrkdwn(fields.title or '')}*",
        due_words(fields.due, today=today, closed=row.status in CLOSED_STATUSES),
    ]
    if fields.start:
        parts.append(f"starts {format_weekday_date(fields.start, today=today)}")
    if fields.budget:
        parts.append(format_money(fields.budget))
    if fields.owner_id:
        parts.append(user_mention(fields.owner_id))
    elif row.owner_name:
        parts.append(f"{escape_mrkdwn(row.owner_name)} (no Slack member)")
    if fields.department:
        parts.append(escape_mrkdwn(fields.department))
    if row.status and row.status != "open":
        parts.append(status_label(row.status))
    if fields.recurrence:
        parts.append(recurrence_words(fields.recurrence))
    if row.after_row is not None:
        parts.append(f"after {escape_mrkdwn(rows[row.after_row].fields.title or '')}")
    return " · ".join(parts)


def _number_ranges(numbers: list[int]) -> str:
    """`#13–#24`, or `#3, #5–#7` when there are gaps; long runs of gaps end in `…`."""
    ranges: list[list[int]] = []
    for number in sorted(set(numbers)):
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    shown = [f"#{first}" if first == last else f"#{first}–#{last}" for first, last in ranges[:_RANGES_SHOWN]]
    return ", ".join(shown) + (", …" if len(ranges) > _RANGES_SHOWN else "")


def _milestones(count: int) -> str:
    return counted(count, "milestone")
