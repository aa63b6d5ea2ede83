"""What every form reader shares: one input's state, the private_metadata, and the errors Slack shows."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from bot.core.limits import LimitError, check_new_due, check_text


class GarbledMetadata(ValueError):
    """A modal's private_metadata is not what the bot put there: not a JSON object, or a wrong field."""


class ModalErrors(ValueError):
    """Every bad field at once, as Slack's `response_action: errors` wants them: block_id → message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{block}: {message}" for block, message in errors.items()))
        self.errors = errors


def read_metadata(private_metadata: str) -> dict[str, Any]:
    """The JSON object the bot stored in a modal's private_metadata; GarbledMetadata when it is not one."""
    try:
        data = json.loads(private_metadata)
    except (TypeError, ValueError) as error:
        raise GarbledMetadata("private_metadata is not JSON") from error
    if not isinstance(data, dict):
        raise GarbledMetadata("private_metadata is not a JSON object")
    return data


def metadata_field(data: dict[str, Any], key: str, kind: type, *, required: bool = False) -> Any:
    """`data[key]` if it is a `kind` (None when absent and not `required`); GarbledMetadata otherwise."""
    value = data.get(key)
    if value is None and not required:
        return None
    # bool is an int to Python, never a number here.
    if not isinstance(value, kind) or isinstance(value, bool):
        raise GarbledMetadata(f"private_metadata {key} is not a {kind.__name__}")
    return value


def entry(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    """One input's state; our action_id always equals its block_id ({} when missing or not an object)."""
    block = values.get(block_id)
    state = block.get(block_id) if isinstance(block, dict) else None
    return state if isinstance(state, dict) else {}


def read_text(
    values: dict[str, Any], block_id: str, *, field: str, errors: dict[str, str], missing: str | None = None
) -> str | None:
    """A text input checked by `limits.check_text`; None when empty (error `missing` if given) or refused."""
    raw = entry(values, block_id).get("value") or ""
    if not raw.strip():
        # Slack sends null for an emptied input; for optional fields that simply means "none".
        if missing:
            errors[block_id] = missing
        return None
    try:
        return check_text(raw, field=field)
    except LimitError as error:
        errors[block_id] = str(error)
        return None


def read_date(
    values: dict[str, Any], block_id: str, *, errors: dict[str, str], missing: str | None = None
) -> date | None:
    """A date picker's date; None when none was picked (an error `missing` if given) or it is not a date."""
    raw = entry(values, block_id).get("selected_date")
    if not raw:
        if missing:
            errors[block_id] = missing
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[block_id] = "Pick a date from the calendar."
        return None


def past_due_error(due: date, *, today: date) -> str | None:
    """The form's words when a new due date breaks `limits.check_new_due`; None when it may be saved."""
    try:
        check_new_due(due, today=today)
    except LimitError:
        # Shown under the date picker, where the date itself is in view: no need to repeat it.
        return "That date has passed; pick today or later."
    return None
