"""Links between the rows of an imported plan: a row's After names the Number of another row of the file.

The rules are bot/core/dependencies.py's (no circle, not due before the open one it comes after); here the
file's numbers are matched to its rows, and a link that can't be made is said as a row error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bot.core.dependencies import DependencyError, Predecessor, check_link, is_out_of_order
from storage.models import CLOSED_STATUSES

if TYPE_CHECKING:
    from bot.core.imports import ImportRow


@dataclass(frozen=True, kw_only=True)
class FileNumbers:
    """How the file numbers its rows: whether it has a Number column, and the lines holding each number."""

    numbered: bool
    lines: Mapping[int, Sequence[int]]  # every data row's Number, good row or not → its lines
    after_column: str  # the After column's header, as the file writes it
    due_column: str


def linked_rows(
    rows: list[ImportRow], *, numbers: FileNumbers
) -> tuple[list[ImportRow], list[tuple[int, str]]]:
    """The good rows, each After found as `after_row` (its index in `rows`); every link refused, by line."""
    index_of = {row.line: index for index, row in enumerate(rows)}
    links = {row.number: row.after for row in rows if row.number is not None and row.after is not None}
    linked: list[ImportRow] = []
    refused: list[tuple[int, str]] = []
    for row in rows:
        if row.after is None:
            linked.append(row)
            continue
        lines = numbers.lines.get(row.after, ())
        target = rows[index_of[lines[0]]] if len(lines) == 1 and lines[0] in index_of else None
        problem = _refusal(row, lines=lines, target=target, links=links, numbers=numbers)
        if problem:
            refused.append((row.line, problem))
        linked.append(replace(row, after_row=index_of[target.line]) if target else row)
    return linked, refused


def _refusal(
    row: ImportRow,
    *,
    lines: Sequence[int],
    target: ImportRow | None,
    links: Mapping[int, int],
    numbers: FileNumbers,
) -> str | None:
    """Why this row can't come after the one its After names; None when it can (or that row has problems
    of its own, said on its line)."""
    after = row.after
    if after is None:
        return None
    said = f"{numbers.after_column} {after}"
    # Its new number is not known before the import: N stands for it (`<n>` would read as Slack markup).
    later = f"once imported, link it with `/milestone update N after {after}`, N being its new number"
    if not numbers.numbered:
        return f"{said}: this file has no Number column to find #{after} by; clear the cell, and {later}."
    if not lines:
        return f"{said}: no row of this file is #{after}; clear the cell, and {later}."
    if len(lines) > 1:
        return f"{said}: lines {lines[0]} and {lines[1]} are both #{after}; give each row its own Number."
    if target is None:
        return None
    if row.number is not None:
        try:
            check_link(number=row.number, after=after, found=True, links=links)
        except DependencyError as refused:
            # Its own example is a command on numbers the file's rows do not have yet.
            return f"{said}: {refused.message} Clear one of those After cells."
    return _out_of_order(row, after=after, target=target, numbers=numbers)


def _out_of_order(row: ImportRow, *, after: int, target: ImportRow, numbers: FileNumbers) -> str | None:
    """A due date before that of the open row it comes after, naming both."""
    due, before_due = row.fields.due, target.fields.due
    before = Predecessor(
        number=after,
        title=target.fields.title or "",
        due=before_due,
        closed=target.status in CLOSED_STATUSES,
    )
    if due is None or before_due is None or not is_out_of_order(due=due, before=before):
        return None
    return (
        f"{numbers.due_column} {due.isoformat()} is before that of #{after} {before.title} "
        f"({before_due.isoformat()}), which it comes after; make it {before_due.isoformat()} or later."
    )
