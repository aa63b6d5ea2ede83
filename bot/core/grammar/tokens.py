"""The words of a `/milestone` command as Slack sends it, and how they group into `keyword value` clauses.

Slack sends slash-command text escaped (`&amp;`, `&lt;`, `&gt;`) with markup such as `<@U123|alice>`,
`<#C123|general>`, `<!here>` or `<https://x.y|label>`. A typed `<` arrives escaped: every `<…>` is markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from bot.core.money import names_currency
from bot.core.text import quoted

_QUOTE_FAMILIES = ('"“”„', "'‘’")
# A quote closes only before a space, the end or a comma, so the apostrophe in `'Bob's launch'` stays text.
_CLOSING = {family: re.compile(rf"[{family}](?=[\s,]|$)") for family in _QUOTE_FAMILIES}
_MARKUP = re.compile(r"<([^<>]*)>")
_ENTITY = re.compile(r"&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
_MILESTONE_NUMBER = re.compile(r"#?0*([1-9][0-9]{0,8})")
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>")
_BROADCASTS = ("here", "channel", "everyone")
# Only commas: a trailing `;` may end an entity such as `&gt;`.
_TRAILING = ","


# Whether a keyword starts a clause, given the word after it (None at the end): `every month`, not `every
# invoice` in a title.
StartsClause = Callable[["Token | None"], bool]


class TokenError(ValueError):
    """Raised when the words of a command cannot be grouped: an unclosed quote, or words in no clause."""


@dataclass(frozen=True)
class Token:
    """One word, a quoted phrase, or a piece of Slack markup, with its place in the command text."""

    text: str
    start: int
    end: int
    quoted: bool = False
    inner: str = ""  # a quoted phrase without its quotes

    @property
    def bare(self) -> str:
        """The word without the comma people put between clauses."""
        return self.text.rstrip(_TRAILING)

    @property
    def word(self) -> str:
        """The lower-case word for matching verbs and keywords; never matches when quoted."""
        return "" if self.quoted else self.bare.lower().rstrip(":")


@dataclass(frozen=True)
class Clause:
    """A keyword and its value (`due Dec 15`), or a bare mention or amount standing for one."""

    field: str
    keyword: str | None
    tokens: tuple[Token, ...]
    raw: str  # the value as Slack sent it: a lone quoted phrase without quotes, else the text as typed


def tokenize(text: str) -> list[Token]:
    """Split command text on spaces, keeping quoted phrases and `<…>` markup whole."""
    tokens: list[Token] = []
    position, length = 0, len(text)
    next_markup_end = -2  # cached `>` position, so a run of unmatched `<` stays linear
    while position < length:
        if text[position].isspace():
            position += 1
            continue
        start = position
        family = next((family for family in _QUOTE_FAMILIES if text[start] in family), None)
        if family is not None:
            close = _CLOSING[family].search(text, start + 1)
            if close is None:
                raise TokenError(f"The quote before {shown(text[start:])} is never closed.")
            position = close.end()
            while position < length and text[position] in _TRAILING:
                position += 1
            tokens.append(Token(text[start:position], start, position, True, text[start + 1 : close.start()]))
            continue
        while position < length and not text[position].isspace():
            if text[position] == "<":
                if next_markup_end < position and next_markup_end != -1:
                    next_markup_end = text.find(">", position)
                if next_markup_end != -1:
                    position = next_markup_end + 1  # a link label may hold spaces: keep the markup whole
                    continue
            position += 1
        tokens.append(Token(text[start:position], start, position))
    return tokens


def split_clauses(
    tokens: Sequence[Token],
    *,
    source: str,
    keywords: Mapping[str, str],
    bare_mention: str | None = None,
    bare_amount: str | None = None,
    lead_is_text: bool = False,
    free_text: frozenset[str] = frozenset(),
    to_end: frozenset[str] = frozenset(),
    guarded: Mapping[str, StartsClause] | None = None,
) -> tuple[Clause, list[Clause]]:
    """The words before the first clause, then each clause; keywords map a word to the field it sets.

    A bare mention stands for a `bare_mention` clause and an amount with a currency for a `bare_amount` one.
    Amounts end neither a text lead (a title such as `Raise $2m seed`) nor the value of a `free_text` field;
    a `to_end` field takes the rest of the command. A `guarded` keyword starts a clause only when its test
    passes the word after it; elsewhere it is a word like any other.
    """
    boundary = _Boundaries(
        tokens, keywords=keywords, bare_mention=bare_mention, bare_amount=bare_amount, guarded=guarded or {}
    )
    lead_end = boundary.next(0, amounts=not lead_is_text)
    lead = _clause("lead", None, tokens[:lead_end], source=source)
    clauses: list[Clause] = []
    position = lead_end
    while position < len(tokens):
        if boundary.is_keyword(position):
            field = keywords[tokens[position].word]
            value_start = position + 1
            # `due by Dec 15`: a second keyword for the same field is part of the first.
            while value_start < len(tokens) and keywords.get(tokens[value_start].word) == field:
                value_start += 1
            if field in to_end:
                value_end = len(tokens)
            elif value_start < len(tokens) and not boundary.is_keyword(value_start):
                # The first word is the value even when it is a mention or an amount: `owner <@U1>`.
                value_end = boundary.next(value_start + 1, amounts=field not in free_text)
            else:
                value_end = value_start
            keyword = tokens[position].bare
            clauses.append(_clause(field, keyword, tokens[value_start:value_end], source=source))
            position = value_end
            continue
        field, size = boundary.at(position, amounts=True)
        implicit = tokens[position : position + size]
        clauses.append(_clause(field or "", None, implicit, source=source))
        position += size
        stray_end = boundary.next(position, amounts=True)
        if stray_end > position:
            stray = source[tokens[position].start : tokens[stray_end - 1].end]
            raise TokenError(f"I don't know what {shown(stray)} means after {shown(implicit[-1].text)}.")
    return lead, clauses


class _Boundaries:
    """Where clauses start: a keyword, a bare mention, or (when they count) an amount with a currency."""

    def __init__(
        self,
        tokens: Sequence[Token],
        *,
        keywords: Mapping[str, str],
        bare_mention: str | None,
        bare_amount: str | None,
        guarded: Mapping[str, StartsClause],
    ) -> None:
        self.tokens = tokens
        self.keywords = keywords
        self.bare_mention = bare_mention
        self.bare_amount = bare_amount
        self.guarded = guarded

    def is_keyword(self, index: int) -> bool:
        """True when the word at `index` is a keyword that starts a clause there."""
        word = self.tokens[index].word
        if word not in self.keywords:
            return False
        starts = self.guarded.get(word)
        after = self.tokens[index + 1] if index + 1 < len(self.tokens) else None
        return starts is None or starts(after)

    def at(self, index: int, *, amounts: bool) -> tuple[str | None, int]:
        """The field a clause starting at `index` sets and how many words start it; (None, 0) if none."""
        token = self.tokens[index]
        if self.is_keyword(index):
            return self.keywords[token.word], 1
        if token.quoted:
            return None, 0
        if self.bare_mention and mention_id(token.bare):
            return self.bare_mention, 1
        if amounts and self.bare_amount:
            return self.bare_amount, self._amount_size(index)
        return None, 0

    def next(self, start: int, *, amounts: bool) -> int:
        """Index of the first boundary at or after `start`, or the number of tokens."""
        for index in range(start, len(self.tokens)):
            if self.at(index, amounts=amounts)[1]:
                return index
        return len(self.tokens)

    def _amount_size(self, index: int) -> int:
        """1 for `$5,000`, 2 for `5000 EUR` or `EUR 5000`, 0 when no amount with a currency starts here."""
        words = [token.bare for token in self.tokens[index : index + 3] if not token.quoted]
        if len(words) >= 2 and names_currency(f"{words[0]} {words[1]}"):
            # `Dec 15 2026 EUR 5000`: `2026 EUR` also looks like money, but `EUR 5000` is what was meant.
            if len(words) == 3 and words[2][:1].isdigit() and names_currency(f"{words[1]} {words[2]}"):
                return 0
            return 2
        return 1 if words and names_currency(words[0]) else 0


def _clause(field: str, keyword: str | None, tokens: Sequence[Token], *, source: str) -> Clause:
    if len(tokens) == 1 and tokens[0].quoted:
        raw = tokens[0].inner
    elif tokens:
        raw = source[tokens[0].start : tokens[-1].end].rstrip(_TRAILING)
    else:
        raw = ""
    return Clause(field, keyword, tuple(tokens), raw)


def milestone_number(written: str) -> int | None:
    """The number in `3` or `#3`, as milestone numbers are written everywhere (up to 9 digits), else None."""
    match = _MILESTONE_NUMBER.fullmatch(written.strip())
    return int(match[1]) if match else None


def mention_id(text: str) -> str | None:
    """The user id in a Slack user mention (`<@U123|alice>` → `U123`), else None."""
    match = _MENTION.fullmatch(text)
    return match[1] if match else None


def plain_text(raw: str) -> str:
    """Slack-escaped text as people read it: `@alice`, `#general`, `@here`, link labels, `&` for `&amp;`."""
    return _ENTITY.sub(lambda match: _ENTITIES[match[1]], _MARKUP.sub(_plain_markup, raw))


def _plain_markup(match: re.Match[str]) -> str:
    target, _, label = match[1].partition("|")
    kind, name = target[:1], target[1:]
    if kind in ("@", "#"):
        return kind + (label or name)
    if kind == "!":
        if name in _BROADCASTS:
            return f"@{name}"
        if name.startswith("subteam^"):
            return label or "@" + name.removeprefix("subteam^")
        return label or name
    return label or target


def shown(raw: str) -> str:
    """User text quoted back in an error: plain, one line, at most 60 characters, no backticks."""
    return quoted(plain_text(raw))
