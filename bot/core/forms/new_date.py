"""Reading back the "New date…" modal: the milestone it was opened for, the new due date and why."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from bot.core.forms.values import (
    ModalErrors,
    metadata_field,
    past_due_error,
    read_date,
    read_metadata,
    read_text,
)
from storage.models import Milestone

CALLBACK = "new_date"
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

    def to_metadata(self) -> str:
        """The private_metadata the modal carries; `read_new_date_context` reads it back."""
        return json.dumps(asdict(self))


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
    refused = _refused_due(due, today=today, current=current) if due else None
    if refused:
        errors[NewDateBlock.DUE] = refused
    reason = read_text(values, NewDateBlock.REASON, field="reason", errors=errors)
    if errors or due is None:
        raise ModalErrors(errors or {NewDateBlock.DUE: _NO_DATE})
    return due, reason


def _refused_due(due: date, *, today: date, current: Milestone) -> str | None:
    """Why `due` can't be the new due date: it has passed, or it is the date already; None when it can."""
    if passed := past_due_error(due, today=today):
        return passed
    return "That's already the due date; pick another one." if due == current.due_date else None
