"""Reading back the "New date…" modal: the milestone it was opened for, the new due date and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from bot.core.forms.milestone import REASON_CHARS
from bot.core.forms.values import ModalErrors, metadata_field, read_date, read_metadata, read_text
from storage.models import Milestone

_NO_DATE = "Pick the new due date."


class NewDateBlock(StrEnum):
    """The new-date form's inputs; each block's action_id is its block_id."""

    DUE = "due"
    REASON = "reason"


@dataclass(frozen=True)
class NewDateContext:
    """What the modal carries in private_metadata: the milestone, and the message to update afterwards."""

    number: int
    channel_id: str
    checkin_id: int | None
    message_ts: str | None


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
    due = read_date(values, NewDateBlock.DUE, errors=errors, missing=_NO_DATE)
    if due is not None and due < today:
        errors[NewDateBlock.DUE] = "That date has passed; pick today or later."
    elif due is not None and due == current.due_date:
        errors[NewDateBlock.DUE] = "That's already the due date; pick another one."
    reason = read_text(
        values, NewDateBlock.REASON, label="reason", max_length=REASON_CHARS, errors=errors, one_line=True
    )
    if errors or due is None:
        raise ModalErrors(errors or {NewDateBlock.DUE: _NO_DATE})
    return due, reason
