"""The "New date…" modal opened from a check-in or an overdue reminder; `bot.core.forms.new_date` reads it."""

from __future__ import annotations

from datetime import date

from bot.core.forms.new_date import CALLBACK, NewDateBlock, NewDateContext
from bot.core.limits import REASON_CHARS
from bot.render.inputs import date_input, text_input
from bot.render.labels import due_text
from bot.render.message import modal, section
from bot.render.milestones import title_ref
from storage.models import Milestone


def new_date_modal(
    *, m: Milestone, today: date, checkin_id: int | None, channel_id: str, message_ts: str | None
) -> dict:
    """The form for a new due date and why; the current date is filled in only while it is still ahead."""
    initial = m.due_date if m.due_date and m.due_date > today else None
    opened_for = NewDateContext(
        number=m.number, channel_id=channel_id, checkin_id=checkin_id, message_ts=message_ts
    )
    due = f"due {due_text(m, today=today)}" if m.due_date else "no due date yet"
    return modal(
        callback_id=CALLBACK,
        title=f"New date for #{m.number}",
        submit="Save",
        metadata=opened_for.to_metadata(),
        blocks=[
            section(f"{title_ref(m)} · {due}"),
            date_input(NewDateBlock.DUE, "New due date", initial=initial, optional=False),
            text_input(
                NewDateBlock.REASON,
                "Reason",
                placeholder="What changed? Kept in the history",
                max_length=REASON_CHARS,
                multiline=True,
            ),
        ],
    )
