"""Reading back a submitted milestone modal: every bad field at once, or just what changed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, cast

from bot.core.command_types import MilestoneFields, Status
from bot.core.money import Money, MoneyError, parse_money
from bot.core.text import TextError, clean_field
from bot.render.labels import money
from storage.models import Milestone

Mode = Literal["add", "update"]

TITLE_CHARS = 150
DEPT_CHARS = 80
BUDGET_CHARS = 40
REASON_CHARS = 500
# `cleared` speaks the history's field names (as services and Revision.field do): owner, not owner_id.
_HISTORY_NAMES = {"owner_id": "owner"}
# Done and cancelled have their own paths (`done`, `delete`), so the form only moves between open states.
STATUS_CHOICES: tuple[Status, ...] = ("open", "on_track", "at_risk", "blocked")


@dataclass(frozen=True)
class ModalContext:
    """What the modal carries in private_metadata: where it was opened, and which milestone it edits."""

    channel_id: str
    number: int | None


@dataclass(frozen=True)
class ModalInput:
    """A submitted form: fields given (update: only changed ones), status, reason, and fields emptied."""

    fields: MilestoneFields
    status: Status | None = None
    reason: str | None = None
    cleared: frozenset[str] = frozenset()  # history names: due, start, owner, budget, department


class GarbledMetadata(ValueError):
    """A modal's private_metadata is not what the bot put there: not a JSON object, or a wrong field."""


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


class ModalErrors(ValueError):
    """Every bad field at once, as Slack's `response_action: errors` wants them: block_id → message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{block}: {message}" for block, message in errors.items()))
        self.errors = errors


def read_modal_context(private_metadata: str, *, values: dict[str, Any] | None = None) -> ModalContext:
    """The channel and milestone number a submitted modal was opened for (the channel picked, from Home)."""
    data = read_metadata(private_metadata)
    channel_id = metadata_field(data, "channel_id", str)
    if not channel_id and values:
        picked = _entry(values, "channel").get("selected_conversation")
        channel_id = picked if isinstance(picked, str) else None
    return ModalContext(channel_id=channel_id or "", number=metadata_field(data, "number", int))


def read_milestone_modal(
    values: dict[str, Any], *, now: datetime, mode: Mode, current: Milestone | None = None
) -> ModalInput:
    """Check Slack's `view.state.values`; raise ModalErrors naming every bad field, or return what changed."""
    if mode == "update" and current is None:
        raise ValueError("reading the edit form needs the milestone it edits")
    errors: dict[str, str] = {}
    title = _read_text(values, "title", label="title", max_length=TITLE_CHARS, errors=errors, required=True)
    department = _read_text(values, "dept", label="department", max_length=DEPT_CHARS, errors=errors)
    reason = _read_text(values, "reason", label="reason", max_length=REASON_CHARS, errors=errors)
    budget_text = _read_text(values, "budget", label="budget", max_length=BUDGET_CHARS, errors=errors)
    budget = _read_budget(budget_text, current=current, errors=errors)
    due = _read_date(values, "due", errors=errors)
    start = _read_date(values, "start", errors=errors)
    owner_id = _entry(values, "owner").get("selected_user") or None
    status = _read_status(values, errors=errors)

    # A past due date is a mistake when new; an existing one may stay while other fields change.
    if due and due < now.date() and due != (current.due_date if current else None):
        errors["due"] = "That date has passed; pick today or later."
    if start and due and start > due:
        errors["start"] = "The start is after the due date."
    if errors:
        raise ModalErrors(errors)

    given = MilestoneFields(
        title=title, due=due, start=start, owner_id=owner_id, budget=budget, department=department
    )
    if current is None:
        return ModalInput(fields=given)
    return _changes(given, status=status, reason=reason, current=current)


def _changes(
    given: MilestoneFields, *, status: Status | None, reason: str | None, current: Milestone
) -> ModalInput:
    """Only what differs from the milestone, so saving an untouched form changes nothing."""
    before = {
        "title": current.title,
        "due": current.due_date,
        "start": current.start_date,
        "owner_id": current.owner_id,
        "budget": money(current.budget_minor, current.budget_currency),
        "department": current.department,
    }
    changed = {
        name: value for name, value in vars(given).items() if value is not None and value != before[name]
    }
    cleared = frozenset(
        _HISTORY_NAMES.get(name, name)
        for name, value in vars(given).items()
        if value is None and before[name] is not None
    )
    return ModalInput(
        fields=MilestoneFields(**changed),
        status=status if status != current.status else None,
        reason=reason,
        cleared=cleared,
    )


def _entry(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    """One input's state; our action_id always equals its block_id ({} when missing or not an object)."""
    block = values.get(block_id)
    entry = block.get(block_id) if isinstance(block, dict) else None
    return entry if isinstance(entry, dict) else {}


def _read_text(
    values: dict[str, Any],
    block_id: str,
    *,
    label: str,
    max_length: int,
    errors: dict[str, str],
    required: bool = False,
) -> str | None:
    raw = _entry(values, block_id).get("value") or ""
    if not raw.strip():
        # Slack sends null for an emptied input; for optional fields that simply means "none".
        if required:
            errors[block_id] = f"Give the milestone a {label}."
        return None
    if block_id == "reason":
        # The reason box is multiline for comfort; history shows it on one line.
        raw = " ".join(raw.split())
    try:
        return clean_field(raw, label=label, max_length=max_length)
    except TextError as error:
        errors[block_id] = str(error)
        return None


def _read_date(values: dict[str, Any], block_id: str, *, errors: dict[str, str]) -> date | None:
    raw = _entry(values, block_id).get("selected_date")
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[block_id] = "Pick a date from the calendar."
        return None


def _read_budget(text: str | None, *, current: Milestone | None, errors: dict[str, str]) -> Money | None:
    if text is None:
        return None
    # A bare number keeps the milestone's currency rather than silently switching it to dollars.
    currency = current.budget_currency if current and current.budget_currency else "USD"
    try:
        return parse_money(text, default_currency=currency)
    except MoneyError:
        errors["budget"] = "Write an amount like $5,000 or 5000 EUR."
        return None


def _read_status(values: dict[str, Any], *, errors: dict[str, str]) -> Status | None:
    option = _entry(values, "status").get("selected_option") or {}
    value = option.get("value")
    if value is None:
        return None
    if value not in STATUS_CHOICES:
        errors["status"] = "Pick one of the listed statuses."
        return None
    return cast(Status, value)
