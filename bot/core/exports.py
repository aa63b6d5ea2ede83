"""A channel's milestones as files: a CSV for spreadsheets (and re-import) and an iCalendar feed."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy import Engine

from bot.core.money import CURRENCIES, format_money
from bot.core.recurrence import recurrence_words
from bot.core.revisions import budget_of, cost_of
from bot.core.text import counted
from bot.core.vocabulary import Field
from storage.dependencies import numbers_by_id
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
    Field.RECURRENCE: "Repeats",
    Field.AFTER: "After",
}
_NAME = COLUMN_NAMES
CREATED_AT = "Created At"
CSV_HEADER = (
    "Number", _NAME[Field.TITLE], _NAME[Field.START], _NAME[Field.DUE], "Planned End Date",
    _NAME[Field.BUDGET], "Budget Currency", _NAME[Field.ACTUAL_COST], "Actual Cost Currency",
    _NAME[Field.OWNER], _NAME[Field.DEPARTMENT], _NAME[Field.STATUS], _NAME[Field.COMPLETED_ON], "Revisions",
    "Channel", "Created By", CREATED_AT,
    # Added since: at the end, as spreadsheets find columns by their place.
    _NAME[Field.RECURRENCE], _NAME[Field.AFTER],
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
# What would end a `<@U…|name>` mention early, or break it over lines.
_NOT_IN_MENTION = re.compile(r"[<>\s]+")


@dataclass(frozen=True)
class ExportNames:
    """How an export names people and its channel: what Slack told the caller, ids where it would not say."""

    people: Mapping[str, str] = field(default_factory=dict)  # user id → the name Slack shows for them
    channel: str = ""  # the channel's name, without `#`
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))  # the channel's, for the file's times
    # milestone id → `#N` of those outside the file that ones in it come after (another channel's)
    numbers: Mapping[int, int] = field(default_factory=dict)

    def person(self, user_id: str | None) -> str:
        """A person's name; an id nobody could name stays as it is."""
        return self.people.get(user_id, user_id) if user_id else ""

    def owner_cell(self, user_id: str | None) -> str:
        """`<@U2|Alice Smith>`: the name for people, the id for the importer, which reads Slack mentions."""
        name = _NOT_IN_MENTION.sub(" ", self.people.get(user_id, "")).strip() if user_id else ""
        return f"<@{user_id}|{name}>" if user_id and name else user_id or ""

    def channel_label(self, channel_id: str) -> str:
        """`#launch`, or the channel's id when its name is not known."""
        return f"#{self.channel}" if self.channel else channel_id

    @property
    def title(self) -> str:
        """The file's title as Slack shows it above the file."""
        return f"Milestones of #{self.channel}" if self.channel else "Milestones"


@dataclass(frozen=True)
class ExportFile:
    """What `/milestone export` sends and how the answer describes it."""

    filename: str
    content: bytes
    title: str
    contents: str  # `3 milestones`, `2 milestones with a due date (1 without one left out)`


def people_named(items: list[tuple[Milestone, int]]) -> list[str]:
    """Every person an export names (owners and who added each milestone), each once: the look-ups to make."""
    ids = (user_id for m, _ in items for user_id in (m.owner_id, m.created_by))
    return list(dict.fromkeys(user_id for user_id in ids if user_id))


def numbers_outside(*, engine: Engine, items: list[tuple[Milestone, int]]) -> dict[int, int]:
    """The `#N` of each milestone one in `items` comes after that is not among them: ExportNames.numbers."""
    inside = {m.id for m, _ in items}
    wanted = {m.after_id for m, _ in items if m.after_id is not None and m.after_id not in inside}
    if not wanted:
        return {}
    with engine.connect() as connection:
        return numbers_by_id(connection=connection, ids=wanted)


def export_file(
    items: list[tuple[Milestone, int]], *, file_format: str, workspace: Workspace, names: ExportNames
) -> ExportFile:
    """What `/milestone export` sends: a CSV, or a calendar with the workspace's ids, naming people."""
    if file_format == "csv":
        content = milestones_csv(items, names=names)
        return ExportFile("milestones.csv", content, names.title, counted(len(items), "milestone"))
    key = f"{workspace.enterprise_id or 'x'}-{workspace.team_id}".lower()
    content = milestones_ics(items, workspace_key=key, calendar_name=names.title, names=names)
    dated = sum(1 for m, _ in items if m.due_date is not None)
    contents = counted(dated, "milestone")
    if dated < len(items):
        undated = len(items) - dated
        contents += f" with a due date ({undated} without one left out)"
    return ExportFile("milestones.ics", content, names.title, contents)


def csv_header(zone: ZoneInfo) -> list[str]:
    """The CSV's first row; the creation time's column names the zone its times are in."""
    return [f"{CREATED_AT} ({zone.key})" if name == CREATED_AT else name for name in CSV_HEADER]


def milestones_csv(items: list[tuple[Milestone, int]], *, names: ExportNames | None = None) -> bytes:
    """Every field of each (milestone, revision count) as UTF-8 CSV with a BOM, so Excel opens it right."""
    names = names or ExportNames()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(csv_header(names.zone))
    # The export's own numbers first: an import links a row's After to the row of that Number.
    numbers = {**names.numbers, **{m.id: m.number for m, _ in items if m.id is not None}}
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
            names.owner_cell(m.owner_id),
            m.department or "",
            STATUS_WORDS.get(m.status, m.status),
            _iso(m.completed_on),
            revisions,
            names.channel_label(m.channel_id),
            names.person(m.created_by),
            m.created_at.astimezone(names.zone).strftime("%Y-%m-%d %H:%M"),
            recurrence_words(m.recurrence),
            numbers.get(m.after_id, "") if m.after_id is not None else "",
        ]
        writer.writerow([_defused(str(cell)) for cell in row])
    return out.getvalue().encode("utf-8-sig")


def milestones_ics(
    items: list[tuple[Milestone, int]],
    *,
    workspace_key: str,
    calendar_name: str,
    names: ExportNames | None = None,
) -> bytes:
    """An all-day event on the due date of each (milestone, revision count); undated ones are left out."""
    names = names or ExportNames()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", calendar_name)
    for m, revisions in items:
        if m.due_date is not None:
            calendar.add_component(_event(m, revisions, workspace_key=workspace_key, names=names))
    return calendar.to_ical()


def _event(m: Milestone, revisions: int, *, workspace_key: str, names: ExportNames) -> Event:
    if m.id is None or m.due_date is None:
        raise ValueError("only saved milestones with a due date go into a calendar")
    summary = f"#{m.number} {m.title}"
    return Event.new(
        # Stable per milestone, so a calendar re-importing the file updates events instead of adding copies.
        uid=f"milestone-{m.id}@{workspace_key}.milestone-bot",
        start=m.due_date,
        end=m.due_date + timedelta(days=1),
        summary=f"✅ {summary}" if m.status == "done" else summary,
        description=_description(m, names=names),
        # From the milestone rather than the wall clock: exporting twice gives the same file.
        stamp=m.updated_at.astimezone(UTC),
        sequence=revisions,
        status="CANCELLED" if m.status == "cancelled" else "CONFIRMED",
        # A deadline, not a meeting: it should not make anyone look busy all day.
        transparency="TRANSPARENT",
    )


def _description(m: Milestone, *, names: ExportNames) -> str:
    budget, cost = budget_of(m), cost_of(m)
    lines = [
        ("Status", STATUS_WORDS.get(m.status, m.status)),
        ("Repeats", recurrence_words(m.recurrence)),
        ("Owner", names.person(m.owner_id)),
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
