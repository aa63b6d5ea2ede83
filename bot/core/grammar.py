"""Read the text of a `/milestone` command into a Command, or say in a CommandError what was wrong."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from bot.core.commands import (
    AddCommand,
    Command,
    CommandError,
    DeleteCommand,
    DoneCommand,
    HelpCommand,
    LaterCommand,
    ListCommand,
    ListScope,
    MilestoneFields,
    ShowCommand,
    Status,
    UpdateCommand,
)
from bot.core.dates import DateError, Prefer, format_date, parse_date
from bot.core.money import Money, MoneyError, parse_money
from bot.core.text import TextError, clean_field, has_control_characters
from bot.core.tokens import Clause, Token, TokenError, mention_id, plain_text, shown, split_clauses, tokenize

MAX_COMMAND_LENGTH = 4000
VERBS = ("help", "add", "list", "show", "update", "done", "delete", "settings", "review", "report", "export",
         "import")  # fmt: skip
HELP_TOPICS = (*VERBS, "dates", "budget", "status")
LATER_VERBS = ("settings", "review", "report", "export", "import")

_EXAMPLES = {
    "help": "/milestone help add",
    "add": "/milestone add Launch beta due Dec 15 owner @alice budget $5,000 dept Marketing",
    "list": "/milestone list mine",
    "show": "/milestone show 12",
    "update": "/milestone update 12 due Jan 20 because the vendor slipped",
    "done": "/milestone done 12 on Dec 3 cost $4,500",
    "delete": "/milestone delete 12",
} | {verb: f"/milestone {verb}" for verb in LATER_VERBS}
# Words people reach for instead of a verb; only ever suggested, never acted on.
_ALIASES = {"new": "add", "create": "add", "ls": "list", "view": "show", "info": "show", "edit": "update",
            "change": "update", "complete": "done", "finish": "done", "remove": "delete",
            "rm": "delete"}  # fmt: skip
_HELP_ALIASES = {"date": "dates", "money": "budget", "statuses": "status"}

_ADD_KEYWORDS = {"due": "due", "by": "due", "start": "start", "owner": "owner_id", "budget": "budget",
                 "dept": "department", "department": "department"}  # fmt: skip
# `by` stays out of update: a new title such as `Renamed by admin` is common, and update's grammar has `due`.
_UPDATE_KEYWORDS = {keyword: field for keyword, field in _ADD_KEYWORDS.items() if keyword != "by"} | {
    "title": "title",
    "status": "status",
    "because": "reason",
}
_DONE_KEYWORDS = {"on": "completed_on", "cost": "cost"}


@dataclass(frozen=True)
class _Field:
    """How errors name a field, what its clause needs, and a correct clause to copy."""

    name: str
    needs: str
    example: str
    max_length: int = 0  # text fields only


_FIELDS = {
    "title": _Field("title", "the new title", "title Launch beta v2", max_length=150),
    "due": _Field("due date", "a date", "due Dec 15"),
    "start": _Field("start date", "a date", "start Dec 1"),
    "owner_id": _Field("owner", "a person", "owner @alice"),
    "budget": _Field("budget", "an amount", "budget $5,000"),
    "department": _Field("department", "a name", "dept Marketing", max_length=80),
    "status": _Field("status", "a status", "status at risk"),
    "reason": _Field("reason", "a reason", "due Jan 20 because the vendor slipped", max_length=500),
    "completed_on": _Field("done date", "a date", "on Dec 3"),
    "cost": _Field("cost", "an amount", "cost $4,500"),
}
_STATUSES: dict[str, Status] = {
    "ontrack": "on_track",
    "atrisk": "at_risk",
    "blocked": "blocked",
    "open": "open",
}
_LIST_SCOPES: dict[str, ListScope] = {"mine": "mine", "me": "mine", "my": "mine", "overdue": "overdue",
                                      "upcoming": "upcoming", "done": "done", "all": "all",
                                      "channel": "channel"}  # fmt: skip
_NUMBER = re.compile(r"#?([0-9]+)")


@dataclass(frozen=True)
class _Request:
    """One command being read: its text, who sent it, and when, for examples and relative dates."""

    source: str
    verb: str
    now: datetime
    user_id: str
    default_currency: str
    number: int | None = None

    @property
    def today(self) -> date:
        return self.now.date()

    def error(self, message: str, *, field: str | None = None, unreadable: bool = False) -> CommandError:
        """A CommandError whose example shows this verb, with `field` written correctly when given."""
        kind = _Unreadable if unreadable else CommandError
        return kind(message, example=self._example(field))

    def _example(self, field: str | None) -> str:
        if field is None or (self.verb, field) == ("add", "title"):
            return _EXAMPLES[self.verb]
        subject = {"add": "Launch beta", "list": ""}.get(self.verb, str(self.number or 12))
        return " ".join(part for part in ("/milestone", self.verb, subject, _FIELDS[field].example) if part)


class _Unreadable(CommandError):
    """A clause value that is not a date, amount or person at all: perhaps title words after a keyword."""


def parse_command(text: str, *, now: datetime, user_id: str, default_currency: str = "USD") -> Command:
    """Read `/milestone` text as Slack sends it (escaped) in the sender's `now`; raise CommandError if bad."""
    # The verb's example, for errors found before the text is split into words.
    first_words = text[:40].split(maxsplit=1)
    example = _EXAMPLES.get(first_words[0].lower() if first_words else "", "/milestone help")
    if len(text) > MAX_COMMAND_LENGTH:
        message = f"That command is {len(text):,} characters; keep it under {MAX_COMMAND_LENGTH:,}."
        raise CommandError(message, example=example)
    # Line breaks only separate words; everything else invisible is refused before any parsing.
    if has_control_characters(text.replace("\n", " ").replace("\r", " ")) or _has_lone_surrogates(text):
        raise CommandError(
            "The command has an invisible control character; type it without it.", example=example
        )
    try:
        tokens = tokenize(text)
    except TokenError as error:
        raise CommandError(str(error), example=example) from None
    if not tokens:
        return HelpCommand()
    verb = tokens[0].word
    if verb not in _PARSERS:
        raise _unknown_verb(tokens[0])
    request = _Request(source=text, verb=verb, now=now, user_id=user_id, default_currency=default_currency)
    try:
        return _PARSERS[verb](tokens[1:], request)
    except TokenError as error:
        raise request.error(str(error)) from None


def _has_lone_surrogates(text: str) -> bool:
    # JSON can carry an unpaired surrogate; it would fail later when stored or sent back to Slack.
    return any("\ud800" <= character <= "\udfff" for character in text)


def _unknown_verb(token: Token) -> CommandError:
    word = (token.word or token.text.lower())[:40]
    close = difflib.get_close_matches(word, [*VERBS, *_ALIASES], n=1, cutoff=0.6)
    if close:
        verb = _ALIASES.get(close[0], close[0])
        return CommandError(
            f"I don't know {shown(token.text)}; did you mean `{verb}`?", example=_EXAMPLES[verb]
        )
    message = f"I don't know {shown(token.text)}; `/milestone help` lists what I do."
    return CommandError(message, example="/milestone help")


def _parse_help(tokens: Sequence[Token], request: _Request) -> Command:
    if not tokens:
        return HelpCommand()
    topic = _HELP_ALIASES.get(tokens[0].word, tokens[0].word)
    return HelpCommand(topic if topic in HELP_TOPICS else None)


def _parse_later(tokens: Sequence[Token], request: _Request) -> Command:
    args = request.source[tokens[0].start :].strip() if tokens else ""
    return LaterCommand(request.verb, args=args)


def _parse_add(tokens: Sequence[Token], request: _Request) -> Command:
    if not tokens:
        return AddCommand(MilestoneFields())
    lead, clauses = split_clauses(
        tokens,
        source=request.source,
        keywords=_ADD_KEYWORDS,
        bare_mention="owner_id",
        bare_amount="budget",
        lead_is_text=True,
    )
    if not lead.tokens:
        starts = f" (quote it if it starts with `{clauses[0].keyword}`)" if clauses[0].keyword else ""
        raise request.error(f"Give the milestone a title first{starts}.")
    title = _read_text(replace(lead, field="title"), request)
    title_was_quoted = len(lead.tokens) == 1 and lead.tokens[0].quoted
    values = _read_clauses(clauses, request, hint_quoting=not title_was_quoted)
    return AddCommand(MilestoneFields(title=title, **values))


def _parse_list(tokens: Sequence[Token], request: _Request) -> Command:
    if not tokens:
        return ListCommand()
    first = tokens[0]
    if first.word in ("dept", "department"):
        lead, _ = split_clauses(tokens[1:], source=request.source, keywords={}, lead_is_text=True)
        return ListCommand("dept", department=_read_text(replace(lead, field="department"), request))
    if len(tokens) > 1:
        rest = request.source[tokens[1].start :]
        raise request.error(f"`list` takes one filter; I don't know what {shown(rest)} is for.")
    if owner := mention_id(first.bare):
        return ListCommand("owner", owner_id=owner)
    if first.word in _LIST_SCOPES:
        return ListCommand(_LIST_SCOPES[first.word])
    if first.text.startswith("@"):
        raise request.error(
            f"I can't tell who {shown(first.text)} is; type @ and pick them from Slack's list."
        )
    close = difflib.get_close_matches(first.word[:40], list(_LIST_SCOPES), n=1)
    guess = f"did you mean `{close[0]}`? " if close else ""
    raise request.error(
        f"I can't list {shown(first.text)}; {guess}Use mine, overdue, upcoming, done, all, @person or dept."
    )


def _parse_show(tokens: Sequence[Token], request: _Request) -> Command:
    return ShowCommand(_only_number(tokens, request))


def _parse_delete(tokens: Sequence[Token], request: _Request) -> Command:
    return DeleteCommand(_only_number(tokens, request))


def _parse_update(tokens: Sequence[Token], request: _Request) -> Command:
    request = replace(request, number=_number(tokens, request))
    lead, clauses = split_clauses(
        tokens[1:],
        source=request.source,
        keywords=_UPDATE_KEYWORDS,
        bare_mention="owner_id",
        bare_amount="budget",
        free_text=frozenset({"title"}),
        to_end=frozenset({"reason"}),
    )
    _refuse_lead(
        lead, request, expected="say what to change: title, due, start, owner, budget, dept or status"
    )
    values = _read_clauses(clauses, request)
    reason, status = values.pop("reason", None), values.pop("status", None)
    command = UpdateCommand(request.number or 0, MilestoneFields(**values), status=status, reason=reason)
    if reason is not None and command.is_empty():
        raise request.error("Say what changes along with the reason.", field="reason")
    return command


def _parse_done(tokens: Sequence[Token], request: _Request) -> Command:
    request = replace(request, number=_number(tokens, request))
    lead, clauses = split_clauses(
        tokens[1:], source=request.source, keywords=_DONE_KEYWORDS, bare_amount="cost"
    )
    _refuse_lead(lead, request, expected="give `on Dec 3` or `cost $4,500`")
    values = _read_clauses(clauses, request)
    return DoneCommand(request.number or 0, completed_on=values.get("completed_on"), cost=values.get("cost"))


def _only_number(tokens: Sequence[Token], request: _Request) -> int:
    number = _number(tokens, request)
    if len(tokens) > 1:
        rest = request.source[tokens[1].start :]
        raise request.error(f"`{request.verb}` takes just a milestone number; I don't know {shown(rest)}.")
    return number


def _number(tokens: Sequence[Token], request: _Request) -> int:
    """The milestone number that follows the verb: `12` or `#12`."""
    if not tokens:
        raise request.error(f"Which milestone? Give its number, like `/milestone {request.verb} 12`.")
    match = None if tokens[0].quoted else _NUMBER.fullmatch(tokens[0].bare)
    if match is None:
        raise request.error(f"{shown(tokens[0].text)} isn't a milestone number; use the one shown as `#12`.")
    digits = match[1].lstrip("0")
    if not digits:
        raise request.error("Milestone numbers start at 1.")
    if len(digits) > 9:
        raise request.error(f"{shown(tokens[0].text)} is too big to be a milestone number.")
    return int(digits)


def _refuse_lead(lead: Clause, request: _Request, *, expected: str) -> None:
    if lead.tokens:
        raise request.error(f"After #{request.number}, {expected}; not {shown(lead.raw)}.")


def _read_clauses(
    clauses: Sequence[Clause], request: _Request, *, hint_quoting: bool = False
) -> dict[str, Any]:
    """Each clause's value, read by its field's reader; a field given twice is an error.

    With `hint_quoting`, a failing first clause may be title words (`Meet the owner of …`): say to quote them.
    """
    values: dict[str, Any] = {}
    for index, clause in enumerate(clauses):
        if clause.field in values:
            raise request.error(f"The {_FIELDS[clause.field].name} is given twice; give it once.")
        try:
            values[clause.field] = _read_clause(clause, request)
        except _Unreadable as error:
            if not (hint_quoting and index == 0 and clause.keyword):
                raise
            hint = f" (If `{clause.keyword}` is part of the title, put the title in quotes.)"
            raise CommandError(error.message + hint, example=error.example) from None
    start, due = values.get("start"), values.get("due")
    if start is not None and due is not None and start > due:
        today = request.today
        message = f"The start ({format_date(start, today=today)}) is after the due date"
        raise request.error(f"{message} ({format_date(due, today=today)}).", field="start")
    return values


def _read_clause(clause: Clause, request: _Request) -> Any:
    if not clause.raw.strip():
        field = _FIELDS[clause.field]
        message = f"`{clause.keyword}` needs {field.needs}, like `{field.example}`."
        raise request.error(message, field=clause.field, unreadable=True)
    return _READERS[clause.field](clause, request)


def _read_text(clause: Clause, request: _Request) -> str:
    field = _FIELDS[clause.field]
    try:
        return clean_field(plain_text(clause.raw), label=field.name, max_length=field.max_length)
    except TextError as error:
        raise request.error(str(error), field=clause.field) from None


def _read_date(clause: Clause, request: _Request, *, prefer: Prefer) -> date:
    try:
        return parse_date(plain_text(clause.raw), now=request.now, prefer=prefer)
    except DateError as error:
        raise _value_error(error, clause, request) from None


def _read_due(clause: Clause, request: _Request) -> date:
    due = _read_date(clause, request, prefer="future")
    if due < request.today:
        day = format_date(due, today=request.today)
        raise request.error(f"{day} is in the past; give a due date from today on.", field="due")
    return due


def _read_start(clause: Clause, request: _Request) -> date:
    return _read_date(clause, request, prefer="current")


def _read_completed_on(clause: Clause, request: _Request) -> date:
    day = _read_date(clause, request, prefer="past")
    if day > request.today:
        shown_day = format_date(day, today=request.today)
        raise request.error(f"{shown_day} hasn't come yet; give the day it was done.", field="completed_on")
    return day


def _read_money(clause: Clause, request: _Request) -> Money:
    try:
        return parse_money(plain_text(clause.raw), default_currency=request.default_currency)
    except MoneyError as error:
        raise _value_error(error, clause, request) from None


def _value_error(error: ValueError, clause: Clause, request: _Request) -> CommandError:
    """`Due date: I can't read `whenever` as a date; …`: the field, then what dates or money said."""
    name = _FIELDS[clause.field].name
    return request.error(f"{name[:1].upper()}{name[1:]}: {error}", field=clause.field, unreadable=True)


def _read_owner(clause: Clause, request: _Request) -> str:
    if len(clause.tokens) == 1 and not clause.tokens[0].quoted:
        word = clause.tokens[0].bare
        if user := mention_id(word):
            return user
        if word.lower() in ("me", "myself"):
            return request.user_id
        if word.startswith(("<#", "<!")):
            raise request.error(f"{shown(word)} isn't a person; an owner is one person.", field="owner_id")
    message = f"I can't tell who {shown(clause.raw)} is; type @ and pick the person from Slack's list."
    raise request.error(message, field="owner_id", unreadable=True)


def _read_status(clause: Clause, request: _Request) -> Status:
    key = re.sub(r"[\s_-]+", "", plain_text(clause.raw).lower())
    if key in _STATUSES:
        return _STATUSES[key]
    if key in ("done", "complete", "completed", "finished"):
        command = f"/milestone done {request.number}"
        raise CommandError(f"To mark it done, use `{command}`.", example=f"{command} on Dec 3")
    message = f"{shown(clause.raw)} isn't a status; use on track, at risk, blocked or open."
    raise request.error(message, field="status")


_READERS: dict[str, Callable[[Clause, _Request], Any]] = {
    "title": _read_text,
    "department": _read_text,
    "reason": _read_text,
    "due": _read_due,
    "start": _read_start,
    "completed_on": _read_completed_on,
    "budget": _read_money,
    "cost": _read_money,
    "owner_id": _read_owner,
    "status": _read_status,
}
_PARSERS: dict[str, Callable[[Sequence[Token], _Request], Command]] = {
    "help": _parse_help,
    "add": _parse_add,
    "list": _parse_list,
    "show": _parse_show,
    "update": _parse_update,
    "done": _parse_done,
    "delete": _parse_delete,
} | dict.fromkeys(LATER_VERBS, _parse_later)
