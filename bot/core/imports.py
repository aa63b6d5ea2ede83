"""Reading a business plan's milestone table from CSV into a preview: rows to add, or every problem found."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from itertools import islice

from bot.core.command_types import MilestoneFields, Status
from bot.core.dates import DateError, parse_date
from bot.core.import_cells import after_of, currency_of, number_of, owner_of, recurrence_of, status_of
from bot.core.import_columns import NUMBER, PLANNED_DUE, Column, no_title_message, read_header
from bot.core.import_links import FileNumbers, linked_rows
from bot.core.limits import LimitError, check_plan_dates, check_text
from bot.core.money import CURRENCIES, Money, MoneyError, parse_money
from bot.core.text import without_markup
from bot.core.vocabulary import Field

MAX_BYTES = 1_000_000
MAX_ROWS = 500
_SNIFF_CHARS = 4096
_DELIMITERS = ",;\t"
# The export writes `'` before cells a spreadsheet would run as formulas; reading, it comes off again.
_DEFUSED = re.compile(r"'(?=[=+\-@\t\r])")


@dataclass(frozen=True)
class ImportRow:
    """One good data row: the milestone to add, as `add` would take it, plus what a finished one records."""

    line: int
    fields: MilestoneFields
    completed_on: date | None = None
    actual_cost: Money | None = None
    owner_name: str | None = None  # a Manager that is not a Slack user id: the caller resolves it, or not
    status: Status | None = None
    planned_due: date | None = None  # the plan's original date, when the file has it besides the current one
    number: int | None = None  # its Number in the file, which another row's After may name
    after: int | None = None  # the Number of the row of this file it comes after
    after_row: int | None = None  # that row's index in the preview's rows


@dataclass(frozen=True)
class RowError:
    """A problem with one cell, naming the column and the value; `line` counts the header as line 1."""

    line: int
    message: str


@dataclass(frozen=True)
class ImportPreview:
    """What importing would add; nothing is imported unless there are rows and no problems at all."""

    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    header_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every row is good and there is at least one."""
        return bool(self.rows) and not self.errors and not self.header_problems


def read_plan_csv(data: bytes, *, today: date, default_currency: str = "USD") -> ImportPreview:
    """Check a plan's milestone table (Milestone, Start Date, End Date, Budget, …); nothing is saved."""
    if default_currency not in CURRENCIES:
        raise ValueError(f"unknown default currency {default_currency!r}")
    if len(data) > MAX_BYTES:
        return _problem(f"The file is over 1 MB; split it into files of at most {MAX_ROWS} milestones.")
    text = _decode(data)
    if text is None or "\x00" in text:
        return _problem("That isn't a text file; save the table from your spreadsheet as CSV (UTF-8).")
    try:
        records = list(islice(_records(text), MAX_ROWS + 2))
    except csv.Error as error:
        return _problem(without_markup(str(error)))
    if not records:
        return _problem("The file is empty.")
    (_, header), body = records[0], records[1:]
    columns = read_header(header)
    if Field.TITLE not in columns:
        return _problem(no_title_message(header))
    if not body:
        return _problem("The file has a header row but no milestones under it.")
    if len(body) > MAX_ROWS:
        return _problem(f"The file has more than {MAX_ROWS} milestones; split it into smaller files.")
    now = datetime.combine(today, time(12), tzinfo=UTC)
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    for line, cells in body:
        row = _read_row(cells, line=line, columns=columns, now=now, currency=default_currency)
        if isinstance(row, ImportRow):
            rows.append(row)
        else:
            errors += row
    return _linked(rows, errors=errors, body=body, columns=columns)


def _linked(
    rows: list[ImportRow],
    *,
    errors: list[RowError],
    body: list[tuple[int, list[str]]],
    columns: dict[str, Column],
) -> ImportPreview:
    """The preview with each After found among the file's rows, and the links refused among its errors."""
    if Field.AFTER not in columns:
        return ImportPreview(rows=rows, errors=errors)
    number_column = columns.get(NUMBER)
    lines: dict[int, list[int]] = {}  # every row's Number, good row or not: a link to a bad one isn't refused
    for line, cells in body:
        raw = cells[number_column.index] if number_column and number_column.index < len(cells) else ""
        if (number := number_of(raw)) is not None:
            lines.setdefault(number, []).append(line)
    due_column = columns.get(Field.DUE)
    numbers = FileNumbers(
        numbered=number_column is not None,
        lines=lines,
        after_column=columns[Field.AFTER].name,
        due_column=due_column.name if due_column else "",
    )
    rows, refused = linked_rows(rows, numbers=numbers)
    errors += [RowError(line=line, message=without_markup(problem)) for line, problem in refused]
    return ImportPreview(rows=rows, errors=sorted(errors, key=lambda error: error.line))


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank record with the line it starts on (a quoted cell may span lines); header = line 1."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), skipinitialspace=True)
    line = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield line, cells
            line = reader.line_num + 1
    except csv.Error as error:
        raise csv.Error(f"Line {line} can't be read as CSV: {error}.") from error


def _problem(message: str) -> ImportPreview:
    return ImportPreview(header_problems=[message])


def _decode(data: bytes) -> str | None:
    """UTF-8 (with or without Excel's BOM), UTF-16 with a BOM, else Windows Excel's own cp1252."""
    encodings = ("utf-16",) if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else ()
    for encoding in (*encodings, "utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _delimiter(text: str) -> str:
    """`,`, `;` (Excel where `,` is the decimal mark) or tab: sniffed, else the commonest in line 1."""
    sample = text[:_SNIFF_CHARS]
    first_line = next((line for line in sample.splitlines() if line.strip()), "")
    try:
        found = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        found = ""
    if found and found in first_line:
        return found
    counts = {candidate: first_line.count(candidate) for candidate in _DELIMITERS}
    best = max(counts, key=lambda candidate: counts[candidate])
    return best if counts[best] else ","


class _RowReader:
    """The cells of one data row read by kind, collecting every problem rather than stopping at the first."""

    def __init__(self, cells: list[str], *, columns: dict[str, Column], now: datetime, currency: str) -> None:
        self.cells, self.columns, self.now, self.currency = cells, columns, now, currency
        self.problems: list[str] = []

    def cell(self, kind: str) -> str:
        column = self.columns.get(kind)
        if column is None or column.index >= len(self.cells):
            return ""
        return _DEFUSED.sub("", self.cells[column.index].strip(), count=1)

    def text(self, kind: Field) -> str | None:
        raw = " ".join(self.cell(kind).split())  # a spreadsheet cell may hold line breaks; a title may not
        if not raw:
            return None
        try:
            return check_text(raw, field=kind)
        except LimitError as error:
            self.problems.append(f"{self.columns[kind].name}: {error}")
            return None

    def day(self, kind: str) -> date | None:
        raw = self.cell(kind)
        if not raw:
            return None
        try:
            return parse_date(raw, now=self.now, prefer="current")
        except DateError as error:
            self.problems.append(f"{self.columns[kind].name}: {error}")
            return None

    def amount(self, kind: str, currency_column: str) -> Money | None:
        raw = self.cell(kind)
        if not raw:
            return None
        default = currency_of(self.cell(currency_column) or self.cell("currency"), problems=self.problems)
        default = default or self.columns[kind].currency or self.currency
        try:
            return parse_money(raw, default_currency=default)
        except MoneyError as error:
            self.problems.append(f"{self.columns[kind].name}: {error}")
            return None

    def plan_dates(self) -> tuple[date | None, date | None]:
        """The start and due date, when the one is not after the other."""
        start, due = self.day(Field.START), self.day(Field.DUE)
        try:
            check_plan_dates(start=start, due=due, today=self.now.date())
        except LimitError as error:
            self.problems.append(f"{self.columns[Field.START].name}: {error}")
        return start, due


def _read_row(
    cells: list[str], *, line: int, columns: dict[str, Column], now: datetime, currency: str
) -> ImportRow | list[RowError]:
    """One data row, or every problem in it."""
    row = _RowReader(cells, columns=columns, now=now, currency=currency)
    title = row.text(Field.TITLE)
    if title is None and not row.cell(Field.TITLE).strip():
        row.problems.append(f"{columns[Field.TITLE].name} is empty; every milestone needs a name.")
    start, due = row.plan_dates()
    planned_due, completed_on = row.day(PLANNED_DUE), row.day(Field.COMPLETED_ON)
    status = status_of(
        row.cell(Field.STATUS), done_on=completed_on, column=columns.get(Field.STATUS), problems=row.problems
    )
    budget = row.amount(Field.BUDGET, "budget_currency")
    actual_cost = row.amount(Field.ACTUAL_COST, "actual_currency")
    department = row.text(Field.DEPARTMENT)
    owner_id, owner_name = owner_of(
        row.cell(Field.OWNER), column=columns.get(Field.OWNER), problems=row.problems
    )
    recurrence = recurrence_of(
        row.cell(Field.RECURRENCE), column=columns.get(Field.RECURRENCE), problems=row.problems
    )
    after = after_of(row.cell(Field.AFTER), column=columns.get(Field.AFTER), problems=row.problems)
    if row.problems:
        return [
            RowError(line=line, message=without_markup(problem)) for problem in dict.fromkeys(row.problems)
        ]
    fields = MilestoneFields(
        title=title,
        due=due,
        start=start,
        owner_id=owner_id,
        budget=budget,
        department=department,
        recurrence=recurrence,
    )
    return ImportRow(
        line=line,
        fields=fields,
        completed_on=completed_on,
        actual_cost=actual_cost,
        owner_name=owner_name,
        status=status,
        planned_due=planned_due,
        number=number_of(row.cell(NUMBER)),
        after=after,
    )
