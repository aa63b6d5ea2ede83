"""Read the text of a `/milestone` command into a Command, or say in a CommandError what was wrong."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from bot.core.away import check_away_until
from bot.core.command_types import (
    AddCommand,
    AwayCommand,
    Command,
    CommandError,
    DeleteCommand,
    DoneCommand,
    HelpCommand,
    ListCommand,
    ListScope,
    MilestoneFields,
    PastDateQuestion,
    ReviewCommand,
    ShowCommand,
    UpdateCommand,
)
from bot.core.dates import DateError, parse_date
from bot.core.grammar import report_export_import
from bot.core.grammar.clauses import FIELDS, REASON, Request, Unreadable, read_field, read_text
from bot.core.grammar.corrections import corrected, typed_mention, with_correction
from bot.core.grammar.settings import SETTINGS_EXAMPLE, parse_settings
from bot.core.grammar.tokens import (
    Clause,
    Token,
    TokenError,
    mention_id,
    plain_text,
    shown,
    split_clauses,
    tokenize,
)
from bot.core.limits import LimitError, check_plan_dates
from bot.core.recurrence import names_a_period
from bot.core.text import has_control_characters
from bot.core.vocabulary import Field

MAX_COMMAND_LENGTH = 4000
VERBS = ("help", "add", "list", "show", "update", "done", "delete", "settings", "review", "report", "export",
         "import", "away")  # fmt: skip
HELP_TOPICS = (*VERBS, "dates", "budget", "status")

_EXAMPLES = {
    "help": "/milestone help add",
    "add": "/milestone add Launch beta due Dec 15 owner @alice budget $5,000 dept Marketing",
    "list": "/milestone list mine",
    "show": "/milestone show 12",
    "update": "/milestone update 12 due Jan 20 because the vendor slipped",
    "done": "/milestone done 12 on Dec 3 cost $4,500",
    "delete": "/milestone delete 12",
    "settings": SETTINGS_EXAMPLE,
    "review": "/milestone review",
    "report": report_export_import.REPORT_EXAMPLE,
    "export": report_export_import.EXPORT_EXAMPLE,
    "import": report_export_import.IMPORT_EXAMPLE,
    # A day that never goes stale, unlike `Dec 20` would.
    "away": "/milestone away until next friday",
}
# Words people reach for instead of a verb; only ever suggested, never acted on.
_ALIASES = {"new": "add", "create": "add", "ls": "list", "view": "show", "info": "show", "edit": "update",
            "change": "update", "complete": "done", "finish": "done", "remove": "delete",
            "rm": "delete"}  # fmt: skip
_HELP_ALIASES = {"date": "dates", "money": "budget", "statuses": "status", "workdays": "settings",
                 "holidays": "settings", "vacation": "away"}  # fmt: skip

_ADD_KEYWORDS = {"due": Field.DUE, "by": Field.DUE, "start": Field.START, "owner": Field.OWNER,
                 "budget": Field.BUDGET, "dept": Field.DEPARTMENT,
                 "department": Field.DEPARTMENT, "every": Field.RECURRENCE, "after": Field.AFTER}  # fmt: skip
# `by` stays out of update: a new title such as `Renamed by admin` is common, and update's grammar has `due`.
_UPDATE_KEYWORDS = {keyword: field for keyword, field in _ADD_KEYWORDS.items() if keyword != "by"} | {
    "title": Field.TITLE,
    "status": Field.STATUS,
    "because": REASON,
}
_DONE_KEYWORDS = {"on": Field.COMPLETED_ON, "cost": Field.ACTUAL_COST}
_LIST_SCOPES: dict[str, ListScope] = {"mine": "mine", "me": "mine", "my": "mine", "overdue": "overdue",
                                      "upcoming": "upcoming", "done": "done", "all": "all",
                                      "channel": "channel"}  # fmt: skip
_NUMBER = re.compile(r"#?([0-9]+)")
_AFTER_VALUE = re.compile(r"none|#?[0-9]+")
_AWAY_UNTIL = ("until", "till", "til", "through", "thru", "to")
_AWAY_OFF = ("off", "back")
# `#12x`, `12.`, `(#12)`: one number with a stray character or two around it (`-3` is no slip of the hand).
_NEARLY_A_NUMBER = re.compile(r"[^0-9#+-]{0,2}(#?)0*([1-9][0-9]{0,8})[^0-9]{0,2}")


def parse_command(
    text: str,
    *,
    now: datetime,
    user_id: str,
    default_currency: str = "USD",
    overdue_ok: frozenset[date] = frozenset(),
) -> Command:
    """Read `/milestone` text as Slack sends it (escaped) in the sender's `now`; raise CommandError if bad.

    The error's example is the person's own command put right when a correction is known and reads. A due
    date without a year that has passed this year is asked about (PastDateQuestion) once the rest reads;
    `overdue_ok` are past due dates taken as they are, chosen by answering that question.
    """
    read = functools.partial(
        _read_command, now=now, user_id=user_id, default_currency=default_currency, overdue_ok=overdue_ok
    )
    try:
        return read(text)
    except PastDateQuestion as question:
        asked = question
    except CommandError as error:
        raise with_correction(error, read=read) from None
    # The question only once the rest of the command reads: a slip elsewhere is said first, put right in
    # the person's own words (the date as they typed it).
    check = functools.partial(read, ask_past=False)
    try:
        check(text)
    except CommandError as error:
        raise with_correction(error, read=check) from None
    raise asked


def _read_command(
    text: str,
    *,
    now: datetime,
    user_id: str,
    default_currency: str,
    overdue_ok: frozenset[date],
    ask_past: bool = True,
) -> Command:
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
        raise _unknown_verb(tokens[0], source=text)
    request = Request(
        source=text,
        verb=verb,
        example=_EXAMPLES[verb],
        now=now,
        user_id=user_id,
        default_currency=default_currency,
        overdue_ok=overdue_ok,
        ask_past=ask_past,
    )
    try:
        return _PARSERS[verb](tokens[1:], request)
    except TokenError as error:
        raise request.error(str(error)) from None


def _has_lone_surrogates(text: str) -> bool:
    # JSON can carry an unpaired surrogate; it would fail later when stored or sent back to Slack.
    return any("\ud800" <= character <= "\udfff" for character in text)


def _unknown_verb(token: Token, *, source: str) -> CommandError:
    word = (token.word or token.text.lower())[:40]
    close = difflib.get_close_matches(word, [*VERBS, *_ALIASES], n=1, cutoff=0.6)
    if close:
        verb = _ALIASES.get(close[0], close[0])
        return CommandError(
            f"I don't know {shown(token.text)}; did you mean `{verb}`?",
            example=_EXAMPLES[verb],
            correction=corrected(source, start=token.start, end=token.end, text=verb),
        )
    message = f"I don't know {shown(token.text)}; `/milestone help` lists what I do."
    return CommandError(message, example="/milestone help")


def _parse_help(tokens: Sequence[Token], request: Request) -> Command:
    if not tokens:
        return HelpCommand()
    topic = _HELP_ALIASES.get(tokens[0].word, tokens[0].word)
    return HelpCommand(topic if topic in HELP_TOPICS else None)


def _parse_settings(tokens: Sequence[Token], request: Request) -> Command:
    return parse_settings(tokens, source=request.source)


def _parse_review(tokens: Sequence[Token], request: Request) -> Command:
    if tokens:
        rest = shown(request.source[tokens[0].start :])
        move = "to change the weekly review's day, use `/milestone settings review fri 16:00`"
        raise request.error(f"`review` posts the check-in now and takes nothing more, not {rest}; {move}.")
    return ReviewCommand()


def _parse_away(tokens: Sequence[Token], request: Request) -> Command:
    """`away until <date>` (the last day away, read in the sender's zone), `away off`, or `away` alone."""
    if not tokens:
        return AwayCommand(show=True)
    first = tokens[0]
    if first.word in _AWAY_OFF:
        if len(tokens) > 1:
            rest = request.source[tokens[1].start :]
            message = f"`away {first.word}` takes nothing more; I don't know {shown(rest)}."
            raise CommandError(message, example="/milestone away off")
        return AwayCommand()
    if first.word not in _AWAY_UNTIL:
        written = plain_text(request.source[first.start :])
        message = f"Say the last day you're away, like `away until Dec 20`; not {shown(written)}."
        # `away untl Dec 20` meant `until`; `away Dec 20` that one day: either way, their date after `until`.
        close = difflib.get_close_matches(first.word[:20], [*_AWAY_UNTIL, *_AWAY_OFF], n=1, cutoff=0.7)
        meant = request.corrected(close[0], first=first) if close else None
        until = corrected(request.source, start=first.start, end=first.start, text="until ")
        raise CommandError(message, example=request.example, correction=meant or until)
    if len(tokens) == 1:
        raise request.error(f"`{first.word}` needs the last day you're away, like `away until Dec 20`.")
    try:
        until = parse_date(plain_text(request.source[tokens[1].start :]), now=request.now, prefer="future")
        check_away_until(until, today=request.today)
    except (DateError, LimitError) as error:
        raise request.error(str(error)) from None
    return AwayCommand(until=until)


def _every_starts_clause(after: Token | None) -> bool:
    """`every` starts a clause before a period, or at the end; `Check every invoice` is a title."""
    return after is None or (not after.quoted and names_a_period(after.bare))


def _after_starts_clause(after: Token | None) -> bool:
    """`after 3`, `after #3`, `after none` start a clause; `Party after launch` is a title."""
    return after is not None and not after.quoted and bool(_AFTER_VALUE.fullmatch(after.bare.lower()))


_GUARDED = {"every": _every_starts_clause, "after": _after_starts_clause}


def _parse_add(tokens: Sequence[Token], request: Request) -> Command:
    if not tokens:
        return AddCommand(MilestoneFields())
    lead, clauses = split_clauses(
        tokens,
        source=request.source,
        keywords=_ADD_KEYWORDS,
        bare_mention=Field.OWNER,
        bare_amount=Field.BUDGET,
        lead_is_text=True,
        guarded=_GUARDED,
    )
    if not lead.tokens:
        starts = f" (quote it if it starts with `{clauses[0].keyword}`)" if clauses[0].keyword else ""
        raise request.error(f"Give the milestone a title first{starts}.")
    title = read_text(replace(lead, field=Field.TITLE), request)
    title_was_quoted = len(lead.tokens) == 1 and lead.tokens[0].quoted
    values = _read_clauses(clauses, request, keywords=_ADD_KEYWORDS, hint_quoting=not title_was_quoted)
    # `after none` on a new milestone is what it has anyway.
    after = values.pop(Field.AFTER, None)
    return AddCommand(MilestoneFields.of({Field.TITLE: title, **values}), after=after)


def _parse_list(tokens: Sequence[Token], request: Request) -> Command:
    if not tokens:
        return ListCommand()
    first = tokens[0]
    if first.word in ("dept", "department"):
        lead, _ = split_clauses(tokens[1:], source=request.source, keywords={}, lead_is_text=True)
        return ListCommand("dept", department=read_text(replace(lead, field=Field.DEPARTMENT), request))
    if len(tokens) > 1:
        rest = request.source[tokens[1].start :]
        raise request.error(f"`list` takes one filter; I don't know what {shown(rest)} is for.")
    if owner := mention_id(first.bare):
        return ListCommand("owner", owner_id=owner)
    if first.word in _LIST_SCOPES:
        return ListCommand(_LIST_SCOPES[first.word])
    if first.text.startswith("@"):
        raise request.error(
            f"I can't tell who {shown(first.text)} is; type @ and pick them from Slack's list.",
            correction=request.corrected(typed_mention(first.bare), first=first),
        )
    close = difflib.get_close_matches(first.word[:40], list(_LIST_SCOPES), n=1)
    guess = f"did you mean `{close[0]}`? " if close else ""
    raise request.error(
        f"I can't list {shown(first.text)}; {guess}Use mine, overdue, upcoming, done, all, @person or dept.",
        correction=request.corrected(close[0] if close else None, first=first),
    )


def _parse_show(tokens: Sequence[Token], request: Request) -> Command:
    return ShowCommand(_only_number(tokens, request))


def _parse_delete(tokens: Sequence[Token], request: Request) -> Command:
    return DeleteCommand(_only_number(tokens, request))


def _parse_update(tokens: Sequence[Token], request: Request) -> Command:
    request = replace(request, number=_number(tokens, request))
    lead, clauses = split_clauses(
        tokens[1:],
        source=request.source,
        keywords=_UPDATE_KEYWORDS,
        bare_mention=Field.OWNER,
        bare_amount=Field.BUDGET,
        free_text=frozenset({Field.TITLE}),
        to_end=frozenset({REASON}),
        guarded=_GUARDED,
    )
    if lead.tokens and lead.tokens[0].word == "after":
        # `after` without a number to follow is not taken as a clause (see _after_starts_clause).
        message = "`after` needs the number of the milestone it comes after: `after 3` (or `after none`)."
        raise request.error(message, field=Field.AFTER)
    _refuse_lead(
        lead,
        request,
        expected="say what to change: title, due, start, owner, budget, dept, status, every or after",
        keywords=_UPDATE_KEYWORDS,
    )
    values = _read_clauses(clauses, request, keywords=_UPDATE_KEYWORDS)
    reason, status = values.pop(REASON, None), values.pop(Field.STATUS, None)
    # `every none`, `after none`: the fields an update may clear in words.
    cleared = frozenset(name for name in (Field.RECURRENCE, Field.AFTER) if values.get(name, "") is None)
    after = values.pop(Field.AFTER, None)
    fields = MilestoneFields.of(values)
    command = UpdateCommand(
        request.number or 0, fields, status=status, reason=reason, cleared=cleared, after=after
    )
    if reason is not None and command.is_empty():
        raise request.error("Say what changes along with the reason.", field=REASON)
    return command


def _parse_done(tokens: Sequence[Token], request: Request) -> Command:
    request = replace(request, number=_number(tokens, request))
    lead, clauses = split_clauses(
        tokens[1:], source=request.source, keywords=_DONE_KEYWORDS, bare_amount=Field.ACTUAL_COST
    )
    _refuse_lead(lead, request, expected="give `on Dec 3` or `cost $4,500`", keywords=_DONE_KEYWORDS)
    values = _read_clauses(clauses, request, keywords=_DONE_KEYWORDS)
    completed_on, cost = values.get(Field.COMPLETED_ON), values.get(Field.ACTUAL_COST)
    return DoneCommand(request.number or 0, completed_on=completed_on, cost=cost)


def _only_number(tokens: Sequence[Token], request: Request) -> int:
    number = _number(tokens, request)
    if len(tokens) > 1:
        rest = request.source[tokens[1].start :]
        message = f"`{request.verb}` takes just a milestone number; I don't know {shown(rest)}."
        raise request.error(message, correction=request.source[: tokens[0].end])
    return number


def _number(tokens: Sequence[Token], request: Request) -> int:
    """The milestone number that follows the verb: `12` or `#12`."""
    if not tokens:
        raise request.error(f"Which milestone? Give its number, like `/milestone {request.verb} 12`.")
    match = None if tokens[0].quoted else _NUMBER.fullmatch(tokens[0].bare)
    if match is None:
        raise _not_a_number(tokens[0], request)
    digits = match[1].lstrip("0")
    if not digits:
        raise request.error("Milestone numbers start at 1.")
    if len(digits) > 9:
        raise request.error(f"{shown(tokens[0].text)} is too big to be a milestone number.")
    return int(digits)


def _not_a_number(token: Token, request: Request) -> CommandError:
    """`#12x` isn't a milestone number: when one number is in it, the command put right with that number."""
    nearly = _NEARLY_A_NUMBER.fullmatch(token.inner if token.quoted else token.bare)
    if nearly is None:
        return request.error(f"{shown(token.text)} isn't a milestone number; use the one shown as `#12`.")
    meant = nearly[1] + nearly[2]
    message = f"{shown(token.text)} isn't a milestone number; did you mean `{meant}`?"
    return request.error(message, correction=request.corrected(meant, first=token))


def _refuse_lead(lead: Clause, request: Request, *, expected: str, keywords: Mapping[str, str]) -> None:
    """Words before any clause: a misspelt keyword (`deu Dec 20`) is put right in the example."""
    if not lead.tokens:
        return
    message = f"After #{request.number}, {expected}; not {shown(lead.raw)}."
    first = lead.tokens[0]
    close = difflib.get_close_matches(first.word[:40], list(keywords), n=1, cutoff=0.6)
    if not close:
        raise request.error(message)
    meant = request.corrected(close[0], first=first)
    raise request.error(f"{message} Did you mean `{close[0]}`?", correction=meant)


def _read_clauses(
    clauses: Sequence[Clause],
    request: Request,
    *,
    keywords: Mapping[str, str],
    hint_quoting: bool = False,
) -> dict[str, Any]:
    """Each clause's value, read by its field's reader; a field given twice is an error.

    With `hint_quoting`, a failing first clause may be title words (`Meet the owner of …`): say to quote them.
    """
    values: dict[str, Any] = {}
    for index, clause in enumerate(clauses):
        if clause.field in values:
            raise request.error(f"The {FIELDS[clause.field].name} is given twice; give it once.")
        try:
            values[clause.field] = read_field(clause, request)
        except PastDateQuestion:
            raise
        except CommandError as error:
            unreadable = isinstance(error, Unreadable)
            error = _with_keyword_respelt(error, clause, request, keywords=keywords)
            # A correction shows the other reading; the hint would only make the answer longer.
            if not (unreadable and hint_quoting and index == 0 and clause.keyword) or error.correction:
                raise error from None
            hint = f" (If `{clause.keyword}` is part of the title, put the title in quotes.)"
            raise CommandError(
                error.message + hint, example=error.example, correction=error.correction
            ) from None
    try:
        check_plan_dates(start=values.get(Field.START), due=values.get(Field.DUE), today=request.today)
    except LimitError as error:
        raise request.error(str(error), field=Field.START) from None
    return values


def _with_keyword_respelt(
    error: CommandError, clause: Clause, request: Request, *, keywords: Mapping[str, str]
) -> CommandError:
    """`due Dec 15 ownr @alice`: a misspelt keyword swallowed into a value is put right in the example."""
    for token in clause.tokens[1:]:
        close = difflib.get_close_matches(token.word[:40], list(keywords), n=1, cutoff=0.75)
        if close and token.word not in keywords:
            message = f"{error.message} Did you mean `{close[0]}` for {shown(token.text)}?"
            correction = request.corrected(close[0], first=token)
            return CommandError(message, example=error.example, correction=correction)
    return error


_PARSERS: dict[str, Callable[[Sequence[Token], Request], Command]] = {
    "help": _parse_help,
    "add": _parse_add,
    "list": _parse_list,
    "show": _parse_show,
    "update": _parse_update,
    "done": _parse_done,
    "delete": _parse_delete,
    "settings": _parse_settings,
    "review": _parse_review,
    "report": report_export_import.parse_report,
    "export": report_export_import.parse_export,
    "import": report_export_import.parse_import,
    "away": _parse_away,
}
