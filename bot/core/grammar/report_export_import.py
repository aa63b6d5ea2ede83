"""Read `/milestone report …`, `export …` and `import`: the verbs that take the plan as a whole in or out."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any, Literal

from bot.core.command_types import ExportCommand, ImportCommand, ReportCommand
from bot.core.grammar.clauses import FIELDS, SINCE, Request, read_field
from bot.core.grammar.corrections import typed_mention
from bot.core.grammar.tokens import Clause, Token, shown, split_clauses
from bot.core.vocabulary import Field

REPORT_EXAMPLE = "/milestone report dept Marketing since Jan 1"
EXPORT_EXAMPLE = "/milestone export csv"
IMPORT_EXAMPLE = "/milestone import"

_REPORT_KEYWORDS = {
    "dept": Field.DEPARTMENT,
    "department": Field.DEPARTMENT,
    "owner": Field.OWNER,
    "since": SINCE,
}
# Scopes said with one word, only first: a department's name may hold `all` (`dept All hands`).
_SCOPE_WORDS = {"all": "all", "channel": "channel", "mine": "mine", "me": "mine", "my": "mine"}
_FORMATS: dict[str, Literal["csv", "ics"]] = {"csv": "csv", "ics": "ics", "ical": "ics", "calendar": "ics"}
_WHICH_FORMAT = "Say which format: `/milestone export csv` or `/milestone export ics`."


def parse_report(tokens: Sequence[Token], request: Request) -> ReportCommand:
    """The words after `report`: the channel unless `all`, `dept …`, `owner …` or a mention; and `since …`."""
    lead, clauses = split_clauses(
        tokens, source=request.source, keywords=_REPORT_KEYWORDS, bare_mention=Field.OWNER
    )
    values: dict[str, Any] = {}
    for clause in clauses:
        if clause.field in values:
            raise request.error(f"The {FIELDS[clause.field].name} is given twice; give it once.")
        values[clause.field] = read_field(clause, request)
    scope_word = _scope_word(lead, request) if lead.tokens else None
    scopes = [lead.tokens[0].word] if lead.tokens else []
    scopes += [
        word for word, field in (("dept", Field.DEPARTMENT), ("owner", Field.OWNER)) if field in values
    ]
    if len(scopes) > 1:
        both = " and ".join(f"`{word}`" for word in scopes)
        raise request.error(f"A report covers one of `all`, a `dept` or an `owner`, not {both}.")
    since = values.get(SINCE)
    if Field.DEPARTMENT in values:
        return ReportCommand("dept", department=values[Field.DEPARTMENT], since=since)
    if Field.OWNER in values or scope_word == "mine":
        return ReportCommand("owner", owner_id=values.get(Field.OWNER, request.user_id), since=since)
    return ReportCommand("all" if scope_word == "all" else "channel", since=since)


def parse_export(tokens: Sequence[Token], request: Request) -> ExportCommand:
    """One format word, in any case: `csv`, or `ics` (also `ical`, `calendar`); anything else asks which."""
    if len(tokens) == 1 and tokens[0].word in _FORMATS:
        return ExportCommand(_FORMATS[tokens[0].word])
    if not tokens:
        raise request.error(_WHICH_FORMAT)
    rest = shown(request.source[tokens[0].start :])
    raise request.error(f"I can't export {rest}. {_WHICH_FORMAT}")


def parse_import(tokens: Sequence[Token], request: Request) -> ImportCommand:
    """`import` alone: it opens the import form, where the milestone table is given."""
    if tokens:
        rest = shown(request.source[tokens[0].start :])
        raise request.error(
            f"`import` opens a form for your milestone table; it takes nothing more, not {rest}."
        )
    return ImportCommand()


def _scope_word(lead: Clause, request: Request) -> str:
    """`all`, `channel` or `mine`: the one word that may come before any clause."""
    first, rest = lead.tokens[0], lead.tokens[1:]
    if first.word in _SCOPE_WORDS and not rest:
        return _SCOPE_WORDS[first.word]
    if first.word in _SCOPE_WORDS:
        stray = shown(request.source[rest[0].start : rest[-1].end])
        raise request.error(f"I don't know what {stray} means after `{first.word}`.")
    if first.text.startswith("@"):
        message = f"I can't tell who {shown(first.text)} is; type @ and pick them from Slack's list."
        meant = request.corrected(typed_mention(first.bare), first=first)
        raise request.error(message, field=Field.OWNER, correction=meant)
    close = difflib.get_close_matches(first.word[:40], [*_SCOPE_WORDS, *_REPORT_KEYWORDS], n=1)
    guess = f"did you mean `{close[0]}`? " if close else ""
    raise request.error(
        f"I don't know what {shown(lead.raw)} means in a report. {guess}"
        "Use `all`, `dept Marketing`, `owner @alice` or `since Jan 1`.",
        correction=request.corrected(close[0] if close else None, first=first),
    )
