"""One clause of a `/milestone` command read into its value: a date, an amount, a person, a status or text."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bot.core.command_types import CommandError, PastDateQuestion, PastDay, Status
from bot.core.dates import DateError, PastDate, Prefer, format_date, parse_date, parse_due_date
from bot.core.grammar.corrections import corrected, typed_mention
from bot.core.grammar.tokens import Clause, Token, mention_id, milestone_number, plain_text, shown
from bot.core.limits import LimitError, check_new_due, check_text
from bot.core.money import Money, MoneyError, format_money, parse_money
from bot.core.recurrence import Recurrence, RecurrenceError, read_recurrence
from bot.core.vocabulary import Field

# Clauses that set no field of the milestone: the reason for a change, and where a report starts.
REASON = "reason"
SINCE = "since"


@dataclass(frozen=True)
class FieldWords:
    """How errors name a clause's field, what its clause needs, and a correct clause to copy."""

    name: str
    needs: str
    example: str


FIELDS: dict[str, FieldWords] = {
    Field.TITLE: FieldWords("title", "the new title", "title Launch beta v2"),
    Field.DUE: FieldWords("due date", "a date", "due Dec 15"),
    Field.START: FieldWords("start date", "a date", "start Dec 1"),
    Field.OWNER: FieldWords("owner", "a person", "owner @alice"),
    Field.BUDGET: FieldWords("budget", "an amount", "budget $5,000"),
    Field.DEPARTMENT: FieldWords("department", "a name", "dept Marketing"),
    Field.STATUS: FieldWords("status", "a status", "status at risk"),
    REASON: FieldWords("reason", "a reason", "due Jan 20 because the vendor slipped"),
    Field.COMPLETED_ON: FieldWords("done date", "a date", "on Dec 3"),
    Field.ACTUAL_COST: FieldWords("cost", "an amount", "cost $4,500"),
    SINCE: FieldWords("`since` date", "a date", "since Jan 1"),
    Field.RECURRENCE: FieldWords("recurrence", "a period", "every month"),
    Field.AFTER: FieldWords("milestone it comes after", "a milestone number", "after 3"),
}
# How people write the statuses an update sets, for putting a misspelt one right in their own style.
_STATUS_SPELLINGS = ("on track", "on-track", "on_track", "ontrack", "at risk", "at-risk", "at_risk", "atrisk",
                     "blocked", "open")  # fmt: skip
_STATUSES: dict[str, Status] = {
    "ontrack": "on_track",
    "atrisk": "at_risk",
    "blocked": "blocked",
    "open": "open",
}


@dataclass(frozen=True)
class Request:
    """One command being read: its text, who sent it, and when, for examples and relative dates."""

    source: str
    verb: str
    example: str  # the verb's own example, for errors that concern no one field
    now: datetime
    user_id: str
    default_currency: str
    number: int | None = None
    # Past due dates to take as they are: the ones a person chose, already overdue, when asked which year.
    overdue_ok: frozenset[date] = frozenset()
    # False only to check the rest of a command before asking: a passed date is read as the next one.
    ask_past: bool = True

    @property
    def today(self) -> date:
        """The sender's date."""
        return self.now.date()

    def error(
        self,
        message: str,
        *,
        field: str | None = None,
        unreadable: bool = False,
        correction: str | None = None,
    ) -> CommandError:
        """A CommandError whose example shows this verb, with `field` written correctly when given.

        `correction` is this command put right (see `corrections`), shown instead once it reads.
        """
        kind = Unreadable if unreadable else CommandError
        return kind(message, example=self._example(field), correction=correction)

    def corrected(self, text: str | None, *, first: Token, last: Token | None = None) -> str | None:
        """This command with its words from `first` to `last` (or `first` alone) as `text`; None if none."""
        if text is None:
            return None
        return corrected(self.source, start=first.start, end=(last or first).end, text=text)

    def _example(self, field: str | None) -> str:
        if field is None or (self.verb, field) == ("add", Field.TITLE):
            return self.example
        subject = {"add": "Launch beta", "list": "", "report": ""}.get(self.verb, str(self.number or 12))
        return " ".join(part for part in ("/milestone", self.verb, subject, FIELDS[field].example) if part)


class Unreadable(CommandError):
    """A clause value that is not a date, amount or person at all: perhaps title words after a keyword."""


def read_field(clause: Clause, request: Request) -> Any:
    """The value of one `keyword value` clause, read by its field's reader; an empty value is an error."""
    if not clause.raw.strip():
        field = FIELDS[clause.field]
        message = f"`{clause.keyword}` needs {field.needs}, like `{field.example}`."
        raise request.error(message, field=clause.field, unreadable=True)
    return _READERS[clause.field](clause, request)


def read_text(clause: Clause, request: Request) -> str:
    """A title, department or reason: one line, spaces collapsed, within the field's length."""
    try:
        return check_text(plain_text(clause.raw), field=clause.field)
    except LimitError as error:
        raise request.error(str(error), field=clause.field) from None


def read_due(clause: Clause, request: Request) -> date:
    """A due date, read forward from today; a day already past is an error, unless chosen as overdue.

    A day without a year whose nearer reading has passed is asked about: see PastDate.
    """
    try:
        due = parse_due_date(plain_text(clause.raw), now=request.now)
    except PastDate as past:
        if not request.ask_past:
            return past.upcoming
        raise _past_date_question(past, clause, request) from None
    except DateError as error:
        raise _date_error(error, clause, request) from None
    if due in request.overdue_ok:
        return due
    try:
        check_new_due(due, today=request.today)
    except LimitError as error:
        raise request.error(str(error), field=Field.DUE) from None
    return due


def read_start(clause: Clause, request: Request) -> date:
    """A start date, read in the current period: `Jan 5` in late November is this January."""
    return _read_date(clause, request, prefer="current")


def read_completed_on(clause: Clause, request: Request) -> date:
    """The day a milestone was done, read backward from today; a day still to come is an error."""
    day = _read_date(clause, request, prefer="past")
    if day > request.today:
        shown_day = format_date(day, today=request.today)
        raise request.error(
            f"{shown_day} hasn't come yet; give the day it was done.", field=Field.COMPLETED_ON
        )
    return day


def read_since(clause: Clause, request: Request) -> date:
    """The first day a report covers, read backward from today; a day still to come is an error."""
    day = _read_date(clause, request, prefer="past")
    if day > request.today:
        shown_day = format_date(day, today=request.today)
        raise request.error(f"{shown_day} hasn't come yet; a report looks back from today.", field=SINCE)
    return day


def read_amount(clause: Clause, request: Request) -> Money:
    """A budget or cost; a bare number is in the sender's default currency."""
    try:
        return parse_money(plain_text(clause.raw), default_currency=request.default_currency)
    except MoneyError as error:
        # The rest of their command stays; an amount in their currency stands in for the unreadable one.
        amount = format_money(parse_money("5000", default_currency=request.default_currency))
        stand_in = request.corrected(amount, first=clause.tokens[0], last=clause.tokens[-1])
        raise _value_error(error, clause, request, correction=stand_in) from None


def read_owner(clause: Clause, request: Request) -> str:
    """The user id of a picked mention, or of the sender for `me`."""
    if len(clause.tokens) == 1 and not clause.tokens[0].quoted:
        word = clause.tokens[0].bare
        if user := mention_id(word):
            return user
        if word.lower() in ("me", "myself"):
            return request.user_id
        if word.startswith(("<#", "<!")):
            raise request.error(f"{shown(word)} isn't a person; an owner is one person.", field=Field.OWNER)
    message = f"I can't tell who {shown(clause.raw)} is; type @ and pick the person from Slack's list."
    mention = None if clause.tokens[0].quoted else typed_mention(clause.raw)
    correction = request.corrected(mention, first=clause.tokens[0], last=clause.tokens[-1])
    raise request.error(message, field=Field.OWNER, unreadable=True, correction=correction)


def read_status(clause: Clause, request: Request) -> Status:
    """A status an update may set, however it is written (`on track`, `on-track`, `ontrack`)."""
    key = re.sub(r"[\s_-]+", "", plain_text(clause.raw).lower())
    if key in _STATUSES:
        return _STATUSES[key]
    if key in ("done", "complete", "completed", "finished"):
        done = f"/milestone done {request.number}"
        raise CommandError(f"To mark it done, use `{done}`.", example=f"{done} on Dec 3")
    written = " ".join(plain_text(clause.raw).lower().split())[:40]
    close = difflib.get_close_matches(written, _STATUS_SPELLINGS, n=1, cutoff=0.75)
    if close:
        message = f"{shown(clause.raw)} isn't a status; did you mean `{close[0]}`?"
        raise request.error(
            message,
            field=Field.STATUS,
            correction=request.corrected(close[0], first=clause.tokens[0], last=clause.tokens[-1]),
        )
    message = f"{shown(clause.raw)} isn't a status; use on track, at risk, blocked or open."
    raise request.error(message, field=Field.STATUS)


def read_repeat(clause: Clause, request: Request) -> Recurrence | None:
    """`every week|month|quarter`; None for `every none`; a near miss (`every 3 months`) put right.

    Anything else is refused with their command repeating every month in its place, as dates stand in a day.
    """
    try:
        return read_recurrence(plain_text(clause.raw))
    except RecurrenceError as error:
        meant = request.corrected(error.meant or "month", first=clause.tokens[0], last=clause.tokens[-1])
        raise request.error(str(error), field=Field.RECURRENCE, correction=meant) from None


def read_after(clause: Clause, request: Request) -> int | None:
    """`after 3` or `after #3`: the number of the milestone this one comes after; None for `after none`."""
    written = plain_text(clause.raw).strip()
    if written.lower() == "none":
        return None
    number = milestone_number(written)
    if number is None:
        message = f"{shown(clause.raw)} isn't a milestone number; say `after 3`, or `after none` to clear it."
        raise request.error(message, field=Field.AFTER, unreadable=True)
    return number


def _read_date(clause: Clause, request: Request, *, prefer: Prefer) -> date:
    try:
        return parse_date(plain_text(clause.raw), now=request.now, prefer=prefer)
    except DateError as error:
        raise _date_error(error, clause, request) from None


def _date_error(error: DateError, clause: Clause, request: Request) -> CommandError:
    """What dates said, with the rest of their command kept and a date this clause takes in its place."""
    day = _STAND_IN_DATES[clause.field](request.today)
    stand_in = request.corrected(f"{day:%b} {day.day}", first=clause.tokens[0], last=clause.tokens[-1])
    return _value_error(error, clause, request, correction=stand_in)


def _past_date_question(past: PastDate, clause: Clause, request: Request) -> PastDateQuestion:
    """Ask which year: the command with the date written out as the one passed (overdue), or the next one."""
    last = clause.tokens[-1]
    comma = last.text[len(last.bare) :]  # `due Nov 27, owner @bob`: the comma stays

    def written(day: date) -> str:
        return request.corrected(day.isoformat() + comma, first=clause.tokens[0], last=last) or ""

    upcoming = written(past.upcoming)
    return PastDateQuestion(
        f"{FIELDS[clause.field].name.capitalize()}: {past}",
        example=f"/milestone {plain_text(upcoming)}",
        days=(PastDay(passed=past.passed, upcoming=past.upcoming),),
        overdue=written(past.passed),
        upcoming=upcoming,
        today=request.today,
    )


def _value_error(
    error: ValueError, clause: Clause, request: Request, *, correction: str | None = None
) -> CommandError:
    """`Due date: I can't read `whenever` as a date; …`: the field, then what dates or money said."""
    name = FIELDS[clause.field].name
    message = f"{name[:1].upper()}{name[1:]}: {error}"
    return request.error(message, field=clause.field, unreadable=True, correction=correction)


# A day each date clause takes, whatever today is: a due date to come, a start, done or report day not.
_STAND_IN_DATES: dict[str, Callable[[date], date]] = {
    Field.DUE: lambda today: today + timedelta(days=7),
    Field.START: lambda today: today,
    Field.COMPLETED_ON: lambda today: today,
    SINCE: lambda today: today.replace(day=1),
}


_READERS: dict[str, Callable[[Clause, Request], Any]] = {
    Field.TITLE: read_text,
    Field.DEPARTMENT: read_text,
    REASON: read_text,
    Field.DUE: read_due,
    Field.START: read_start,
    Field.COMPLETED_ON: read_completed_on,
    SINCE: read_since,
    Field.BUDGET: read_amount,
    Field.ACTUAL_COST: read_amount,
    Field.OWNER: read_owner,
    Field.STATUS: read_status,
    Field.RECURRENCE: read_repeat,
    Field.AFTER: read_after,
}
