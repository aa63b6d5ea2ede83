"""The "New date…" modal opened from a check-in or an overdue reminder; `bot.core.forms.new_date` reads it."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import (
    DatePickerElement,
    InputBlock,
    PlainTextInputElement,
    PlainTextObject,
)
from slack_sdk.models.views import View

from bot.core.forms.new_date import NewDateBlock, NewDateContext
from bot.core.limits import REASON_CHARS
from bot.render.labels import due_text
from bot.render.message import section
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
    view = View(
        type="modal",
        callback_id="new_date",
        title=PlainTextObject(text=f"New date for #{m.number}"),
        submit=PlainTextObject(text="Save"),
        close=PlainTextObject(text="Cancel"),
        private_metadata=opened_for.to_metadata(),
        blocks=[
            section(
                f"{title_ref(m)} · {f'due {due_text(m, today=today)}' if m.due_date else 'no due date yet'}"
            ),
            InputBlock(
                block_id=NewDateBlock.DUE,
                label=PlainTextObject(text="New due date"),
                element=DatePickerElement(
                    action_id=NewDateBlock.DUE,
                    placeholder=PlainTextObject(text="Pick a date"),
                    initial_date=initial.isoformat() if initial else None,
                ),
                optional=False,
            ),
            InputBlock(
                block_id=NewDateBlock.REASON,
                label=PlainTextObject(text="Reason"),
                element=PlainTextInputElement(
                    action_id=NewDateBlock.REASON,
                    placeholder=PlainTextObject(text="What changed? Kept in the history"),
                    max_length=REASON_CHARS,
                    multiline=True,
                ),
                optional=True,
            ),
        ],
    )
    return view.to_dict()
