"""How a change to a milestone is written into its history: one Revision per field, values as text."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from bot.core.money import Money
from bot.core.vocabulary import Field
from storage.models import Milestone, Revision

Value = str | date | Money | None


def encode(value: Value) -> str | None:
    """A field value as kept in the history: ISO dates, money as `500000 USD`, text as is."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Money):
        return f"{value.minor} {value.currency}"
    return value


def stored_money(raw: str) -> Money | None:
    """Money as `encode` keeps it (`500000 USD`) back as Money; also `USD 500000`; None for anything else."""
    parts = raw.split()
    if len(parts) != 2:
        return None
    if not parts[0].lstrip("-").isdigit():
        parts.reverse()
    amount, currency = parts
    if not amount.lstrip("-").isdigit() or not currency.isalpha():
        return None
    return Money(int(amount), currency.upper())


def budget_of(milestone: Milestone) -> Money | None:
    """The planned budget, if any."""
    if milestone.budget_minor is None or milestone.budget_currency is None:
        return None
    return Money(milestone.budget_minor, milestone.budget_currency)


def cost_of(milestone: Milestone) -> Money | None:
    """The actual cost, if recorded."""
    if milestone.actual_cost_minor is None or milestone.actual_cost_currency is None:
        return None
    return Money(milestone.actual_cost_minor, milestone.actual_cost_currency)


def field_value(milestone: Milestone, field: Field) -> Value:
    """The current value of a revisable field."""
    if field == Field.BUDGET:
        return budget_of(milestone)
    if field == Field.ACTUAL_COST:
        return cost_of(milestone)
    return getattr(milestone, _COLUMNS[field])


def set_field(milestone: Milestone, field: Field, value: Value) -> None:
    """Set a revisable field, splitting money into minor units and currency."""
    if field in _MONEY_COLUMNS:
        minor, currency = _MONEY_COLUMNS[field]
        money = value if isinstance(value, Money) else None
        setattr(milestone, minor, money.minor if money else None)
        setattr(milestone, currency, money.currency if money else None)
        return
    setattr(milestone, _COLUMNS[field], value)


def apply_changes(
    milestone: Milestone,
    changes: Mapping[Field, Value],
    *,
    by: str,
    at: datetime,
    reason: str | None,
    source: str,
) -> list[Revision]:
    """Apply the changes that differ from the current values; return one unsaved Revision for each."""
    revisions = []
    for field, new in changes.items():
        old = field_value(milestone, field)
        if old == new:
            continue
        set_field(milestone, field, new)
        revisions.append(
            Revision(
                milestone_id=milestone.id or 0,
                field=Field(field).value,
                old=encode(old),
                new=encode(new),
                by=by,
                at=at,
                reason=reason,
                source=source,
            )
        )
    if revisions:
        milestone.updated_at = at
    return revisions


# The table's columns for each field; money takes two.
_COLUMNS = {
    Field.TITLE: "title",
    Field.DUE: "due_date",
    Field.START: "start_date",
    Field.OWNER: "owner_id",
    Field.DEPARTMENT: "department",
    Field.STATUS: "status",
    Field.COMPLETED_ON: "completed_on",
    Field.RECURRENCE: "recurrence",
}
_MONEY_COLUMNS = {
    Field.BUDGET: ("budget_minor", "budget_currency"),
    Field.ACTUAL_COST: ("actual_cost_minor", "actual_cost_currency"),
}
