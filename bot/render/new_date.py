"""The "New date…" modal opened from a check-in or an overdue reminder, and reading it back."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    DatePickerElement,
    InputBlock,
    PlainTextInputElement,
    PlainTextObject,
)
from slack_sdk.models.views import View

from bot.core.text import TextError, clean_field
from bot.render.labels import due_text
from bot.render.message import section
from bot.render.milestones import title_ref
from bot.render.modal_input import REASON_CHARS, ModalErrors, metadata_field, read_metadata
from storage.models import Milestone


@dataclass(frozen=True)
class NewDateContext:
    """What the modal carries in private_metadata: the milestone, and the message to update afterwards."""

    number: int
    channel_id: str
    checkin_id: int | None
    message_ts: str | None


def new_date_modal(
    *, m: Milestone, today: date, checkin_id: int | None, channel_id: str, message_ts: str | None
) -> dict:
    """The form for a new due date and why; the current date is filled in only while it is still ahead."""
    initial = m.due_date if m.due_date and m.due_date > today else None
    metadata = {
        "number": m.number,
        "checkin_id": checkin_id,
        "channel_id": channel_id,
        "message_ts": message_ts,
    }
    view = View(
        type="modal",
        callback_id="new_date",
        title=PlainTextObject(text=f"New date for #{m.number}"),
        submit=PlainTextObject(text="Save"),
        close=PlainTextObject(text="Cancel"),
        private_metadata=json.dumps(metadata),
        blocks=[
            section(
                f"{title_ref(m)} · {f'due {due_text(m, today=today)}' if m.due_date else 'no due date yet'}"
            ),
            InputBlock(
                block_id="due",
                label=PlainTextObject(text="New due date"),
                element=DatePickerElement(
                    action_id="due",
                    placeholder=PlainTextObject(text="Pick a date"),
                    initial_date=initial.isoformat() if initial else None,
                ),
                optional=False,
            ),
            InputBlock(
                block_id="reason",
                label=PlainTextObject(text="Reason"),
                element=PlainTextInputElement(
                    action_id="reason",
                    placeholder=PlainTextObject(text="What changed? Kept in the history"),
                    max_length=REASON_CHARS,
                    multiline=True,
                ),
                optional=True,
            ),
        ],
    )
    return view.to_dict()


def read_new_date_context(private_metadata: str) -> NewDateContext:
    """The milestone, channel, check-in and message a submitted new-date modal was opened for."""
    data = read_metadata(private_metadata)
    return NewDateContext(
        number=metadata_field(data, "number", int, required=True),
        channel_id=metadata_field(data, "channel_id", str, required=True),
        checkin_id=metadata_field(data, "checkin_id", int),
        message_ts=metadata_field(data, "message_ts", str),
    )


def read_new_date_modal(
    values: dict[str, Any], *, today: date, current: Milestone
) -> tuple[date, str | None]:
    """Check the submitted form; raise ModalErrors naming every bad field, or return the date and reason."""
    errors: dict[str, str] = {}
    due = _read_due(values, today=today, current=current, errors=errors)
    reason = _read_reason(values, errors=errors)
    if errors or due is None:
        raise ModalErrors(errors or {"due": "Pick the new due date."})
    return due, reason


def _entry(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    """One input's state; our action_id always equals its block_id."""
    return values.get(block_id, {}).get(block_id) or {}


def _read_due(
    values: dict[str, Any], *, today: date, current: Milestone, errors: dict[str, str]
) -> date | None:
    raw = _entry(values, "due").get("selected_date")
    if not raw:
        errors["due"] = "Pick the new due date."
        return None
    try:
        due = date.fromisoformat(raw)
    except ValueError:
        errors["due"] = "Pick a date from the calendar."
        return None
    if due < today:
        errors["due"] = "That date has passed; pick today or later."
    elif due == current.due_date:
        errors["due"] = "That's already the due date; pick another one."
    return due


def _read_reason(values: dict[str, Any], *, errors: dict[str, str]) -> str | None:
    raw = _entry(values, "reason").get("value") or ""
    if not raw.strip():
        return None
    try:
        # The box is multiline for comfort; the history shows the reason on one line.
        return clean_field(" ".join(raw.split()), label="reason", max_length=REASON_CHARS)
    except TextError as error:
        errors["reason"] = str(error)
        return None
