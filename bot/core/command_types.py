"""What a `/milestone` command asks for, once parsed: plain data, no Slack and no storage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from typing import Any, Literal

from bot.core.money import Money
from bot.core.recurrence import Recurrence
from bot.core.vocabulary import Field

Status = Literal["open", "on_track", "at_risk", "blocked", "done", "cancelled"]
ListScope = Literal["channel", "mine", "overdue", "upcoming", "done", "all", "owner", "dept"]
RemindersTo = Literal["channel", "owner", "both"]
NO_HOLIDAYS = ""  # SettingsChange.holidays for `holidays none`: no public holidays off


@dataclass(frozen=True)
class Escalation:
    """Overdue milestones go to a person after this many working days without a new date; 0 days: off."""

    days: int
    to: str  # their user id


ESCALATION_OFF = Escalation(days=0, to="")  # SettingsChange.escalation for `escalate off`


class CommandError(ValueError):
    """Bad input: what was wrong, and one correct example to copy.

    `correction` is the person's own command put right, as Slack would send it (without `/milestone`); the
    grammar shows it as the example only once it reads, else the generic `example` stays.
    """

    def __init__(self, message: str, *, example: str, correction: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.example = example
        self.correction = correction


@dataclass(frozen=True)
class PastDay:
    """A due date typed without a year whose nearer reading has passed (`Nov 27` on Nov 30)."""

    passed: date  # the latest before today (this year's, or last year's across New Year): overdue
    upcoming: date  # the next one from today on (Feb 29: the next leap year's)
    line: int | None = None  # its line in an `add` of several lines


class PastDateQuestion(CommandError):
    """Which year a due date without one means, asked rather than guessed: nothing is saved until answered.

    `overdue` and `upcoming` are the person's command with each such date written out (`2026-11-27`, or
    `2027-11-27`), as Slack would send it; `today` is the asker's date, for "already 3 days overdue".
    """

    def __init__(
        self,
        message: str,
        *,
        example: str,
        days: tuple[PastDay, ...],
        overdue: str,
        upcoming: str,
        today: date,
    ) -> None:
        super().__init__(message, example=example, correction=upcoming)
        self.days = days
        self.overdue = overdue
        self.upcoming = upcoming
        self.today = today

    @property
    def passed(self) -> frozenset[date]:
        """The past due dates the overdue choice keeps: the grammar takes them although they have passed."""
        return frozenset(day.passed for day in self.days)


@dataclass(frozen=True)
class MilestoneFields:
    """Fields given to `add` or `update`; None means "not given"."""

    title: str | None = None
    due: date | None = None
    start: date | None = None
    owner_id: str | None = None
    budget: Money | None = None
    department: str | None = None
    recurrence: Recurrence | None = None

    def is_empty(self) -> bool:
        """True when no field was given."""
        return all(value is None for value in vars(self).values())

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> MilestoneFields:
        """Fields given by their vocabulary names (`owner`, not the attribute `owner_id`)."""
        return cls(**{_ATTRIBUTES[Field(name)]: value for name, value in values.items()})

    def by_field(self) -> dict[Field, Any]:
        """Every field by its vocabulary name, None where not given: as services and history name them."""
        return {field: getattr(self, attribute) for field, attribute in _ATTRIBUTES.items()}


# MilestoneFields' attributes by the vocabulary's names; only the owner's differs (it holds a user id).
_ATTRIBUTES = {
    Field.TITLE: "title",
    Field.DUE: "due",
    Field.START: "start",
    Field.OWNER: "owner_id",
    Field.BUDGET: "budget",
    Field.DEPARTMENT: "department",
    Field.RECURRENCE: "recurrence",
}


@dataclass(frozen=True)
class HelpCommand:
    topic: str | None = None


@dataclass(frozen=True)
class AddCommand:
    fields: MilestoneFields  # empty: open the modal
    after: int | None = None  # `after 3`: the number of the milestone it comes after


@dataclass(frozen=True)
class ListCommand:
    scope: ListScope = "channel"
    owner_id: str | None = None
    department: str | None = None


@dataclass(frozen=True)
class ShowCommand:
    number: int


@dataclass(frozen=True)
class UpdateCommand:
    number: int
    fields: MilestoneFields
    status: Status | None = None
    reason: str | None = None
    cleared: frozenset[Field] = frozenset()  # fields given as none: `every none`, `after none`
    after: int | None = None  # `after 3`: the number of the milestone it comes after

    def is_empty(self) -> bool:
        """True when nothing to change was given: open the modal."""
        return self.fields.is_empty() and self.status is None and not self.cleared and self.after is None


@dataclass(frozen=True)
class DoneCommand:
    number: int
    completed_on: date | None = None
    cost: Money | None = None


@dataclass(frozen=True)
class DeleteCommand:
    number: int


@dataclass(frozen=True)
class SettingsChange:
    """Channel settings to change; None means "leave as is"."""

    timezone: str | None = None
    reminder_days: tuple[int, ...] | None = None  # days before the due date; () turns them off
    reminder_time: time | None = None
    review_weekday: int | None = None  # 0 = Monday, as date.weekday()
    review_time: time | None = None
    paused: bool | None = None
    workdays: tuple[int, ...] | None = None  # working weekdays, 0 = Monday, each once, Monday first
    holidays: str | None = None  # ISO code of the country whose public holidays are off; NO_HOLIDAYS: none
    review_dm: bool | None = None  # owners get the weekly review by DM
    chase: bool | None = None  # one DM the next working day to owners who have not answered
    reminders_to: RemindersTo | None = None
    overdue_nudge: bool | None = None  # the "overdue" nudge the working day after the due date
    escalation: Escalation | None = None  # ESCALATION_OFF turns it off

    def is_empty(self) -> bool:
        """True when nothing is to change."""
        return all(value is None for value in vars(self).values())


@dataclass(frozen=True)
class SettingsCommand:
    change: SettingsChange  # empty: open the settings modal


@dataclass(frozen=True)
class ReviewCommand:
    """Post the channel's review-and-revise check-in now."""


@dataclass(frozen=True)
class ReportCommand:
    """Plan vs actual: for the channel (default), the whole workspace, a department or an owner."""

    scope: Literal["channel", "all", "dept", "owner"] = "channel"
    department: str | None = None
    owner_id: str | None = None
    since: date | None = None  # only milestones due (or done) on or after this date


@dataclass(frozen=True)
class ExportCommand:
    """The channel's milestones as a file for the person who asked."""

    format: Literal["csv", "ics"]


@dataclass(frozen=True)
class ImportCommand:
    """Open the import form (a CSV shaped like a business plan's milestone table)."""


@dataclass(frozen=True)
class AwayCommand:
    """`away until <date>`: away up to and including that date; `away off` (until None): back.

    `away` alone (`show`): say whether the asker is away, and how to set it.
    """

    until: date | None = None
    show: bool = False


Command = (
    HelpCommand
    | AddCommand
    | ListCommand
    | ShowCommand
    | UpdateCommand
    | DoneCommand
    | DeleteCommand
    | SettingsCommand
    | ReviewCommand
    | ReportCommand
    | ExportCommand
    | ImportCommand
    | AwayCommand
)
