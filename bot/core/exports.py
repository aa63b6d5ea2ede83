"""A channel's milestones as files: a CSV for spreadsheets (and re-import) and an iCalendar feed."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import UTC, date, timedelta

from icalendar import Calendar, Event

from bot.core.money import CURRENCIES, Money, format_money
from storage.models import Milestone

PRODID = "-//Milestone Bot//EN"
# The importer (bot.core.imports) reads these names back, so an export can be edited and re-imported.
CSV_HEADER = (
    "Number", "Milestone", "Start Date", "End Date", "Planned End Date", "Budget", "Budget Currency",
    "Actual Cost", "Actual Cost Currency", "Manager", "Department", "Status", "Completed On", "Revisions",
    "Channel", "Created By", "Created At",
)  # fmt: skip
STATUS_WORDS = {
    "open": "Open",
    "on_track": "On track",
    "at_risk": "At risk",
    "blocked": "Blocked",
    "done": "Done",
    "cancelled": "Cancelled",
}
# A spreadsheet runs a cell starting with one of these as a formula (OWASP's CSV injection list).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def milestones_csv(
    items: list[tuple[Milestone, int]], *, channel_names: dict[str, str] | None = None
) -> bytes:
    """Every field of each (milestone, revision count) as UTF-8 CSV with a BOM, so Excel opens it right."""
    names = channel_names or {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for m, revisions in items:
        row = [
            m.number,
            m.title,
            _iso(m.start_date),
            _iso(m.due_date),
            _iso(m.baseline_due_date),
            _amount(m.budget_minor, m.budget_currency),
            m.budget_currency or "",
            _amount(m.actual_cost_minor, m.actual_cost_currency),
            m.actual_cost_currency or "",
            m.owner_id or "",
            m.department or "",
            STATUS_WORDS.get(m.status, m.status),
            _iso(m.completed_on),
            revisions,
            names.get(m.channel_id, m.channel_id),
            m.created_by,
            m.created_at.astimezone(UTC).isoformat(),
        ]
        writer.writerow([_defused(str(cell)) for cell in row])
    return out.getvalue().encode("utf-8-sig")


def milestones_ics(
    items: list[tuple[Milestone, int]],
    *,
    workspace_key: str,
    calendar_name: str,
    owner_names: Mapping[str, str] | None = None,
) -> bytes:
    """An all-day event on the due date of each (milestone, revision count); undated ones are left out."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", calendar_name)
    for m, revisions in items:
        if m.due_date is not None:
            calendar.add_component(
                _event(m, revisions, workspace_key=workspace_key, owners=owner_names or {})
            )
    return calendar.to_ical()


def _event(m: Milestone, revisions: int, *, workspace_key: str, owners: Mapping[str, str]) -> Event:
    if m.id is None or m.due_date is None:
        raise ValueError("only saved milestones with a due date go into a calendar")
    summary = f"#{m.number} {m.title}"
    return Event.new(
        # Stable per milestone, so a calendar re-importing the file updates events instead of adding copies.
        uid=f"milestone-{m.id}@{workspace_key}.milestone-bot",
        start=m.due_date,
        end=m.due_date + timedelta(days=1),
        summary=f"✅ {summary}" if m.status == "done" else summary,
        description=_description(m, owners=owners),
        # From the milestone rather than the wall clock: exporting twice gives the same file.
        stamp=m.updated_at.astimezone(UTC),
        sequence=revisions,
        status="CANCELLED" if m.status == "cancelled" else "CONFIRMED",
        # A deadline, not a meeting: it should not make anyone look busy all day.
        transparency="TRANSPARENT",
    )


def _description(m: Milestone, *, owners: Mapping[str, str]) -> str:
    lines = [f"Status: {STATUS_WORDS.get(m.status, m.status)}"]
    if m.owner_id:
        lines.append(f"Owner: {owners.get(m.owner_id, m.owner_id)}")
    if m.department:
        lines.append(f"Department: {m.department}")
    if m.budget_minor is not None and m.budget_currency:
        lines.append(f"Budget: {format_money(Money(m.budget_minor, m.budget_currency))}")
    if m.start_date:
        lines.append(f"Start: {m.start_date.isoformat()}")
    if m.baseline_due_date:
        lines.append(f"Planned due date: {m.baseline_due_date.isoformat()}")
    if m.completed_on:
        lines.append(f"Completed on: {m.completed_on.isoformat()}")
    if m.actual_cost_minor is not None and m.actual_cost_currency:
        lines.append(f"Actual cost: {format_money(Money(m.actual_cost_minor, m.actual_cost_currency))}")
    return "\n".join(lines)


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _amount(minor: int | None, currency: str | None) -> str:
    """Major units with the currency's decimals and no grouping (`5000.00`), so spreadsheets sum it."""
    if minor is None or currency is None:
        return ""
    digits = CURRENCIES.get(currency, 2)
    sign = "-" if minor < 0 else ""
    major, fraction = divmod(abs(minor), 10**digits)
    return f"{sign}{major}.{fraction:0{digits}d}" if digits else f"{sign}{major}"


def _defused(cell: str) -> str:
    """A leading `'` makes a spreadsheet show a formula-looking cell as text instead of running it."""
    return f"'{cell}" if cell.startswith(_FORMULA_STARTS) else cell
