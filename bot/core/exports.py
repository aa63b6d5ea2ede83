"""A channel's milestones as files: a CSV for spreadsheets (and re-import) and an iCalendar feed."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, timedelta

from icalendar import Calendar, Event

from bot.core.money import CURRENCIES, format_money
from bot.core.revisions import budget_of, cost_of
from bot.core.vocabulary import Field
from storage.models import Milestone
from storage.workspace import Workspace

PRODID = "-//Milestone Bot//EN"
# Each field's column; the importer (bot.core.imports) reads these names back, so an export re-imports.
COLUMN_NAMES = {
    Field.TITLE: "Milestone",
    Field.START: "Start Date",
    Field.DUE: "End Date",
    Field.BUDGET: "Budget",
    Field.ACTUAL_COST: "Actual Cost",
    Field.OWNER: "Manager",
    Field.DEPARTMENT: "Department",
    Field.STATUS: "Status",
    Field.COMPLETED_ON: "Completed On",
}
_NAME = COLUMN_NAMES
CSV_HEADER = (
    "Number", _NAME[Field.TITLE], _NAME[Field.START], _NAME[Field.DUE], "Planned End Date",
    _NAME[Field.BUDGET], "Budget Currency", _NAME[Field.ACTUAL_COST], "Actual Cost Currency",
    _NAME[Field.OWNER], _NAME[Field.DEPARTMENT], _NAME[Field.STATUS], _NAME[Field.COMPLETED_ON], "Revisions",
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


def export_file(
    items: list[tuple[Milestone, int]], *, file_format: str, workspace: Workspace
) -> tuple[str, bytes]:
    """What `/milestone export` sends: the file name and bytes, CSV or a calendar with the workspace's ids."""
    if file_format == "csv":
        return "milestones.csv", milestones_csv(items)
    key = f"{workspace.enterprise_id or 'x'}-{workspace.team_id}".lower()
    return "milestones.ics", milestones_ics(items, workspace_key=key, calendar_name="Milestones")


def milestones_csv(items: list[tuple[Milestone, int]]) -> bytes:
    """Every field of each (milestone, revision count) as UTF-8 CSV with a BOM, so Excel opens it right."""
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
            m.channel_id,
            m.created_by,
            m.created_at.astimezone(UTC).isoformat(),
        ]
        writer.writerow([_defused(str(cell)) for cell in row])
    return out.getvalue().encode("utf-8-sig")


def milestones_ics(items: list[tuple[Milestone, int]], *, workspace_key: str, calendar_name: str) -> bytes:
    """An all-day event on the due date of each (milestone, revision count); undated ones are left out."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", calendar_name)
    for m, revisions in items:
        if m.due_date is not None:
            calendar.add_component(_event(m, revisions, workspace_key=workspace_key))
    return calendar.to_ical()


def _event(m: Milestone, revisions: int, *, workspace_key: str) -> Event:
    if m.id is None or m.due_date is None:
        raise ValueError("only saved milestones with a due date go into a calendar")
    summary = f"#{m.number} {m.title}"
    return Event.new(
        # Stable per milestone, so a calendar re-importing the file updates events instead of adding copies.
        uid=f"milestone-{m.id}@{workspace_key}.milestone-bot",
        start=m.due_date,
        end=m.due_date + timedelta(days=1),
        summary=f"✅ {summary}" if m.status == "done" else summary,
        description=_description(m),
        # From the milestone rather than the wall clock: exporting twice gives the same file.
        stamp=m.updated_at.astimezone(UTC),
        sequence=revisions,
        status="CANCELLED" if m.status == "cancelled" else "CONFIRMED",
        # A deadline, not a meeting: it should not make anyone look busy all day.
        transparency="TRANSPARENT",
    )


def _description(m: Milestone) -> str:
    budget, cost = budget_of(m), cost_of(m)
    lines = [
        ("Status", STATUS_WORDS.get(m.status, m.status)),
        ("Owner", m.owner_id),
        ("Department", m.department),
        ("Budget", format_money(budget) if budget else None),
        ("Start", _iso(m.start_date)),
        ("Planned due date", _iso(m.baseline_due_date)),
        ("Completed on", _iso(m.completed_on)),
        ("Actual cost", format_money(cost) if cost else None),
    ]
    return "\n".join(f"{label}: {value}" for label, value in lines if value)


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
