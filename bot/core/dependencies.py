"""Dependencies: a milestone that comes after another cannot be due before it, and no chain runs in a circle.

Pure rules: the caller loads the workspace's links (`{5: 3}`, #5 after #3) and the dates, and says the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from bot.core.command_types import CommandError
from bot.core.dates import format_date, format_weekday_date
from bot.core.forecasts import Forecast
from bot.core.vocabulary import Field


class DependencyError(CommandError):
    """A dependency refused; `field` is what a form marks: the one it comes after, or the due date.

    `number` is the milestone refused: a form listing several (the weekly review) marks that one's box.
    """

    def __init__(self, message: str, *, example: str, field: Field, number: int) -> None:
        super().__init__(message, example=example)
        self.field = field
        self.number = number


@dataclass(frozen=True, kw_only=True)
class Predecessor:
    """The milestone one comes after, as the rules need it."""

    number: int
    title: str
    due: date | None
    closed: bool


@dataclass(frozen=True)
class Adding:
    """A milestone being added: refused, it is never saved, so it is named by its title and not by a number.

    `command` is its add without the `after`: a correct example when the one it names is not found.
    """

    title: str
    command: str


def check_link(
    *, number: int, after: int, found: bool, links: Mapping[int, int], adding: Adding | None = None
) -> None:
    """Refuse `#number after #after` when it is the same one, not in this workspace, or closes a circle."""
    if after == number:
        message = f"#{number} can't come after itself."
        raise DependencyError(message, example=_example(number, after=None), field=Field.AFTER, number=number)
    if not found:
        message = f"There's no milestone #{after} in this workspace; `/milestone list all` shows the numbers."
        example = adding.command if adding else _example(number, after=None)
        raise DependencyError(message, example=example, field=Field.AFTER, number=number)
    chain = chain_from(after, links=links)
    if number in chain:
        path = " → ".join(f"#{link}" for link in chain[: chain.index(number) + 1])
        message = f"#{after} already comes after #{number} ({path}), so #{number} can't come after #{after}."
        raise DependencyError(
            message, example=f"/milestone update {number} after none", field=Field.AFTER, number=number
        )


def chain_from(number: int, *, links: Mapping[int, int]) -> list[int]:
    """`number`, the one it comes after, the one that comes after, …; stops at the first repeat."""
    chain = [number]
    while chain[-1] in links and links[chain[-1]] not in chain:
        chain.append(links[chain[-1]])
    return chain


def check_order(
    *, number: int, due: date | None, before: Predecessor, today: date, adding: Adding | None = None
) -> None:
    """Refuse a due date before that of the open milestone this one comes after, naming both dates."""
    if due is None or before.due is None or not is_out_of_order(due=due, before=before):
        return
    message = (
        f"{adding.title if adding else f'#{number}'} would be due {format_weekday_date(due, today=today)}, "
        f"before #{before.number} {before.title} (due {format_weekday_date(before.due, today=today)}), "
        "which it comes after."
    )
    day = format_date(before.due, today=today)
    example = (
        f"/milestone add {adding.title} due {day} after {before.number}"
        if adding
        else f"/milestone update {number} due {day}"
    )
    raise DependencyError(message, example=example, field=Field.DUE, number=number)


def is_out_of_order(*, due: date | None, before: Predecessor) -> bool:
    """True when a milestone is due before the open one it comes after (a done one is no longer waited on)."""
    return not before.closed and due is not None and before.due is not None and due < before.due


def left_behind(*, moved_to: date | None, later: Sequence[tuple[int, date | None]]) -> list[int]:
    """Of the milestones (number, due) that come after one that moved to `moved_to`, those now due first."""
    if moved_to is None:
        return []
    return [number for number, due in later if due is not None and due < moved_to]


def forecast_after(own: Forecast | None, *, before: Forecast | None) -> Forecast | None:
    """A forecast never earlier than the likely date of the milestone it comes after (+0 days)."""
    if own is None or before is None or own.likely >= before.likely:
        return own
    likely = before.likely
    return replace(own, likely=likely, earliest=max(own.earliest, likely), latest=max(own.latest, likely))


def forecasts_after(
    own: Mapping[int, Forecast | None], *, after: Mapping[int, int]
) -> dict[int, Forecast | None]:
    """Each forecast moved to no earlier than those of the ones it comes after, up the chain, as far as `own`
    (the open milestones' own forecasts, by key) goes; `after` links a key to the one it comes after."""
    moved: dict[int, Forecast | None] = {}
    for key, likely in own.items():
        seen = {key}
        before = after.get(key)
        while before is not None and before in own and before not in seen:
            likely = forecast_after(likely, before=own[before])
            seen.add(before)
            before = after.get(before)
        moved[key] = likely
    return moved


def _example(number: int, *, after: int | None) -> str:
    other = after or (number - 1 if number > 1 else number + 1)
    return f"/milestone update {number} after {other}"
