"""Which column of an imported plan holds what: header names read loosely, and a currency a header gives."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.core.money import CURRENCIES, MoneyError, parse_money
from bot.core.text import quoted, without_markup
from bot.core.vocabulary import Field

PLANNED_DUE = "planned_due"  # a column besides the fields a person sets
NUMBER = "number"  # a row's `#N` in the file: what another row's After names

# Header names, lower case with everything but letters and digits removed, mapped to what they hold.
_COLUMNS: dict[str, tuple[str, ...]] = {
    Field.TITLE: ("milestone", "title", "name", "task", "milestonename", "milestonetitle", "taskname"),
    Field.START: ("startdate", "start", "begin", "begindate", "plannedstart", "plannedstartdate"),
    Field.DUE: ("enddate", "due", "duedate", "deadline", "end", "finish", "finishdate", "targetdate"),
    # The plan's original end date: the due date only when the file has no current one.
    PLANNED_DUE: ("plannedenddate", "plannedend", "plannedduedate", "baselineenddate", "baselinedue"),
    Field.BUDGET: ("budget", "costplanned", "plannedcost", "budgetedcost", "estimatedcost"),
    Field.OWNER: ("manager", "owner", "responsible", "assignee", "assignedto", "lead"),
    Field.DEPARTMENT: ("department", "dept", "team", "division"),
    Field.STATUS: ("status", "state"),
    Field.COMPLETED_ON: ("completedon", "completiondate", "datecompleted", "actualenddate", "doneon"),
    Field.ACTUAL_COST: ("actualcost", "actual", "costactual", "actualspend", "spent"),
    Field.RECURRENCE: ("repeats", "repeat", "recurrence", "recurring", "every", "repeatsevery", "frequency"),
    Field.AFTER: ("after", "comesafter", "dependson", "predecessor", "dependency"),
    NUMBER: ("number", "no", "nr", "num", "milestonenumber", "milestoneno"),
    "currency": ("currency", "ccy"),
    "budget_currency": ("budgetcurrency",),
    "actual_currency": ("actualcostcurrency", "actualcurrency", "costcurrency"),
}
_FIELD_OF = {name: kind for kind, names in _COLUMNS.items() for name in names}
_MONEY_COLUMNS = (Field.BUDGET, Field.ACTUAL_COST)
_BRACKETED = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
_CURRENCY_SIGN = re.compile(r"[$€£¥₹]")


@dataclass(frozen=True)
class Column:
    """Where a column is, its header as the file writes it (safe to quote back), and a currency it gives."""

    index: int
    name: str
    currency: str | None = None  # from a header like `Budget (€)`


def read_header(header: list[str]) -> dict[str, Column]:
    """Which column holds what; the first of two that mean the same wins, and unknown ones are ignored."""
    columns: dict[str, Column] = {}
    for index, raw in enumerate(header):
        kind, currency = _column_kind(raw)
        if kind is not None and kind not in columns:
            name = without_markup(" ".join(raw.split()), limit=40)
            columns[kind] = Column(index=index, name=name, currency=currency)
    if Field.DUE not in columns and PLANNED_DUE in columns:
        columns[Field.DUE] = columns.pop(PLANNED_DUE)
    return columns


def no_title_message(header: list[str]) -> str:
    """What to say when no column holds the milestone names, quoting the first few headers."""
    found = ", ".join(without_markup(quoted(cell, limit=40)) for cell in header[:8] if cell.strip())
    return (
        "No column holds the milestone names: I looked for Milestone, Title, Name or Task "
        f"in the first row, which has {found}."
    )


def _column_kind(raw: str) -> tuple[str | None, str | None]:
    """What a header names, loosely (`END-DATE`, `Dept.`, `budget ($)`), and a currency it gives amounts."""
    plain = unicodedata.normalize("NFKC", raw).lower()
    # `#` alone has no letters or digits to match by; the export writes `Number`, spreadsheets often `#`.
    key = _key(_BRACKETED.sub(" ", plain)) or (NUMBER if plain.strip() == "#" else "")
    currency = _header_currency(plain)
    if key not in _FIELD_OF and key[-3:].upper() in CURRENCIES and key[:-3] in _FIELD_OF:
        key, currency = key[:-3], key[-3:].upper()  # `Budget USD`
    kind = _FIELD_OF.get(key)
    return kind, currency if kind in _MONEY_COLUMNS else None


def _header_currency(header: str) -> str | None:
    """`Budget ($)` or `Budget [EUR]`: the currency of that column's bare amounts."""
    bracketed = " ".join(group for match in _BRACKETED.finditer(header) for group in match.groups() if group)
    tokens = _CURRENCY_SIGN.findall(header) + re.findall(r"\b[a-z]{3}\b", bracketed)
    for token in tokens:
        try:
            return parse_money(f"1 {token}").currency
        except MoneyError:
            continue
    return None


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKC", text).lower())
