"""Reading back a submitted milestone modal: every bad field at once, or just what changed."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal, cast

from bot.core.command_types import MilestoneFields, Status
from bot.core.forms.values import (
    GarbledMetadata,
    ModalErrors,
    entry,
    metadata_field,
    past_due_error,
    read_date,
    read_metadata,
    read_text,
)
from bot.core.grammar.tokens import milestone_number
from bot.core.limits import LimitError, check_plan_dates, check_text
from bot.core.money import Money, MoneyError, parse_money
from bot.core.recurrence import RECURRENCES, Recurrence
from bot.core.revisions import field_value
from bot.core.vocabulary import Field
from storage.models import Milestone

Mode = Literal["add", "update"]
# The form's callback_id says which of the two was submitted.
CALLBACKS: dict[Mode, str] = {"add": "milestone_add", "update": "milestone_update"}

# The department menu's option values: `dept:Marketing` for a department (new or not), or no department.
DEPARTMENT_VALUE = "dept:"
NO_DEPARTMENT = "none"

# The "Repeats" menu's option value for "Doesn't repeat"; the others are the periods themselves.
DOES_NOT_REPEAT = "none"
REPEAT_CHOICES: tuple[str, ...] = (DOES_NOT_REPEAT, *RECURRENCES)

# Done and cancelled have their own paths (`done`, `delete`), so the form only moves between open states.
STATUS_CHOICES: tuple[Status, ...] = ("open", "on_track", "at_risk", "blocked")


class MilestoneBlock(StrEnum):
    """The milestone form's inputs; each block's action_id is its block_id."""

    TITLE = "title"
    STATUS = "status"
    CHANNEL = "channel"
    DUE = "due"
    START = "start"
    OWNER = "owner"
    BUDGET = "budget"
    DEPARTMENT = "dept"
    RECURRENCE = "recurrence"  # "Repeats": a period, or DOES_NOT_REPEAT
    AFTER = "after"  # "Comes after": a milestone number
    REASON = "reason"


@dataclass(frozen=True)
class ModalContext:
    """What the modal carries in private_metadata: where it was opened, which milestone it edits, and
    the message it was made from (a permalink, from the "Make a milestone" shortcut)."""

    channel_id: str
    number: int | None
    source_link: str | None = None


@dataclass(frozen=True)
class ModalInput:
    """A submitted form: fields given (update: only changed ones), status, reason, and fields emptied."""

    fields: MilestoneFields
    status: Status | None = None
    reason: str | None = None
    # fields emptied: due, start, owner, budget, department, recurrence ("Doesn't repeat"), after
    cleared: frozenset[Field] = frozenset()
    after: int | None = None  # a new number for "Comes after" (emptied: Field.AFTER in cleared)


def milestone_metadata(*, channel_id: str | None, number: int | None, source_link: str | None = None) -> str:
    """The private_metadata the milestone form carries; `read_modal_context` reads it back."""
    data: dict[str, Any] = {"channel_id": channel_id, "number": number}
    if source_link:
        data["source_link"] = source_link
    return json.dumps(data)


def read_modal_context(private_metadata: str, *, values: dict[str, Any] | None = None) -> ModalContext:
    """The channel and milestone number a submitted modal was opened for (the channel picked, from Home)."""
    data = read_metadata(private_metadata)
    channel_id = metadata_field(data, "channel_id", str)
    if not channel_id and values:
        picked = entry(values, MilestoneBlock.CHANNEL).get("selected_conversation")
        channel_id = picked if isinstance(picked, str) else None
    return ModalContext(
        channel_id=channel_id or "",
        number=metadata_field(data, "number", int),
        source_link=_read_source_link(data),
    )


def _read_source_link(data: dict[str, Any]) -> str | None:
    """The permalink of the message the form was made from; only a Slack web address is taken."""
    link = metadata_field(data, "source_link", str)
    if link is not None and not link.startswith("https://"):
        raise GarbledMetadata("private_metadata source_link is not a web address")
    return link


def read_add_channel(private_metadata: str, *, values: dict[str, Any]) -> str:
    """The channel a submitted add form is for: the one it was opened in, or the one picked (from Home)."""
    channel_id = read_modal_context(private_metadata, values=values).channel_id
    if not channel_id:
        # The form always carries or asks for a channel: without one it was not ours, and nothing is stored.
        raise GarbledMetadata("an add form with no channel")
    return channel_id


def read_milestone_modal(
    values: dict[str, Any],
    *,
    now: datetime,
    mode: Mode,
    current: Milestone | None = None,
    current_after: int | None = None,
) -> ModalInput:
    """Check Slack's `view.state.values`; raise ModalErrors naming every bad field, or return what changed.

    `current_after` is the number of the milestone the edited one comes after, as the form showed it.
    """
    if mode == "update" and current is None:
        raise ValueError("reading the edit form needs the milestone it edits")
    errors: dict[str, str] = {}
    title = read_text(
        values, MilestoneBlock.TITLE, field=Field.TITLE, errors=errors, missing="Give the milestone a title."
    )
    department = _read_department(values, errors=errors)
    reason = read_text(values, MilestoneBlock.REASON, field="reason", errors=errors)
    budget_text = read_text(values, MilestoneBlock.BUDGET, field=Field.BUDGET, errors=errors)
    budget = _read_budget(budget_text, current=current, errors=errors)
    due = read_date(values, MilestoneBlock.DUE, errors=errors)
    start = read_date(values, MilestoneBlock.START, errors=errors)
    owner_id = entry(values, MilestoneBlock.OWNER).get("selected_user") or None
    status = _read_status(values, errors=errors)
    repeats = _read_repeats(values, errors=errors)
    after = _read_after(values, errors=errors)
    _check_dates(due=due, start=start, today=now.date(), current=current, errors=errors)
    if errors:
        raise ModalErrors(errors)

    recurrence = cast(Recurrence, repeats) if repeats in RECURRENCES else None
    given = MilestoneFields(
        title=title,
        due=due,
        start=start,
        owner_id=owner_id,
        budget=budget,
        department=department,
        recurrence=recurrence,
    )
    if current is None:
        return ModalInput(fields=given, after=after)
    # Nothing picked is a form opened before it had the menu: the milestone keeps its recurrence.
    kept: frozenset[Field] = frozenset() if repeats else frozenset({Field.RECURRENCE})
    changes = _changes(given, status=status, reason=reason, current=current, kept=kept)
    if after == current_after:
        return changes
    if after is None:
        return replace(changes, cleared=changes.cleared | {Field.AFTER})
    return replace(changes, after=after)


def _read_after(values: dict[str, Any], *, errors: dict[str, str]) -> int | None:
    """The edit form's "Comes after": `3` or `#3`; empty is none."""
    text = entry(values, MilestoneBlock.AFTER).get("value")
    if not isinstance(text, str) or not text.strip():
        return None
    number = milestone_number(text)
    if number is None:
        message = "Give the number of the milestone it comes after, like 3, or leave it empty."
        errors[MilestoneBlock.AFTER] = message
    return number


def _read_repeats(values: dict[str, Any], *, errors: dict[str, str]) -> str | None:
    """The "Repeats" menu: a period or DOES_NOT_REPEAT; None when nothing was picked."""
    option = entry(values, MilestoneBlock.RECURRENCE).get("selected_option")
    value = option.get("value") if isinstance(option, dict) else None
    if value is None:
        return None
    if value not in REPEAT_CHOICES:
        # Only a forged payload sends a value the menu does not offer.
        errors[MilestoneBlock.RECURRENCE] = "Pick one of the listed choices."
        return None
    return cast(str, value)


def _changes(
    given: MilestoneFields,
    *,
    status: Status | None,
    reason: str | None,
    current: Milestone,
    kept: frozenset[Field] = frozenset(),
) -> ModalInput:
    """Only what differs from the milestone, so saving an untouched form changes nothing; `kept` untouched."""
    entered = {field: value for field, value in given.by_field().items() if field not in kept}
    before = {field: field_value(current, field) for field in entered}
    changed = {
        field: value for field, value in entered.items() if value is not None and value != before[field]
    }
    cleared = frozenset(
        field for field, value in entered.items() if value is None and before[field] is not None
    )
    return ModalInput(
        fields=MilestoneFields.of(changed),
        status=status if status != current.status else None,
        reason=reason,
        cleared=cleared,
    )


def _check_dates(
    *, due: date | None, start: date | None, today: date, current: Milestone | None, errors: dict[str, str]
) -> None:
    """The limits on a plan's dates, in the form's words beside the pickers."""
    # A past due date is a mistake when new; an existing one may stay while other fields change.
    if due and due != (current.due_date if current else None):
        refused = past_due_error(due, today=today)
        if refused:
            errors[MilestoneBlock.DUE] = refused
    try:
        check_plan_dates(start=start, due=due, today=today)
    except LimitError:
        errors[MilestoneBlock.START] = "The start is after the due date."


def department_value(name: str) -> str:
    """The department menu's option value for a department."""
    return f"{DEPARTMENT_VALUE}{name}"


def _read_department(values: dict[str, Any], *, errors: dict[str, str]) -> str | None:
    """The department picked (or typed, in a form opened before the menu came); None: no department."""
    state = entry(values, MilestoneBlock.DEPARTMENT)
    if "value" in state:
        return read_text(values, MilestoneBlock.DEPARTMENT, field=Field.DEPARTMENT, errors=errors)
    value = (state.get("selected_option") or {}).get("value")
    if not isinstance(value, str) or value == NO_DEPARTMENT:
        return None
    if not value.startswith(DEPARTMENT_VALUE):
        errors[MilestoneBlock.DEPARTMENT] = "Pick a department from the list, or type a new one's name."
        return None
    try:
        return check_text(value.removeprefix(DEPARTMENT_VALUE), field=Field.DEPARTMENT)
    except LimitError as error:
        errors[MilestoneBlock.DEPARTMENT] = str(error)
        return None


def _read_budget(text: str | None, *, current: Milestone | None, errors: dict[str, str]) -> Money | None:
    if text is None:
        return None
    # A bare number keeps the milestone's currency rather than silently switching it to dollars.
    currency = current.budget_currency if current and current.budget_currency else "USD"
    try:
        return parse_money(text, default_currency=currency)
    except MoneyError:
        errors[MilestoneBlock.BUDGET] = "Write an amount like $5,000 or 5000 EUR."
        return None


def _read_status(values: dict[str, Any], *, errors: dict[str, str]) -> Status | None:
    option = entry(values, MilestoneBlock.STATUS).get("selected_option") or {}
    value = option.get("value")
    if value is None:
        return None
    if value not in STATUS_CHOICES:
        errors[MilestoneBlock.STATUS] = "Pick one of the listed statuses."
        return None
    return cast(Status, value)
