"""Read `/milestone settings …`: a channel's time zone, reminders, weekly review, working days, and pause."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Sequence
from datetime import time
from typing import Any

from bot.core.command_types import (
    ESCALATION_OFF,
    CommandError,
    Escalation,
    RemindersTo,
    SettingsChange,
    SettingsCommand,
)
from bot.core.countries import holidays_setting, nearest_countries
from bot.core.escalation import MAX_DAYS, MIN_DAYS
from bot.core.grammar.corrections import corrected, respelt
from bot.core.grammar.tokens import Clause, Token, mention_id, plain_text, shown, split_clauses
from bot.core.limits import LimitError, check_reminder_days, check_timezone, check_workdays, known_timezones
from bot.core.workdays import WEEKDAYS

SETTINGS_EXAMPLE = "/milestone settings timezone Europe/Berlin reminders 7,1,0 at 09:30 review fri 16:00"

_KEYWORDS = {"timezone": "timezone", "tz": "timezone", "reminders": "reminders", "reminder": "reminders",
             "review": "review", "workdays": "workdays", "workday": "workdays", "holidays": "holidays",
             "holiday": "holidays", "chase": "chase", "overdue": "overdue", "pause": "pause",
             "resume": "resume", "escalate": "escalate", "escalation": "escalate"}  # fmt: skip
_SETTING_WORDS = ("timezone", "reminders", "overdue", "escalate", "review", "workdays", "holidays", "chase",
                  "pause", "resume")  # fmt: skip
_EXAMPLES = {
    "timezone": "/milestone settings timezone Europe/Berlin",
    "reminders": "/milestone settings reminders 7,1,0 at 09:30",
    "reminders to": "/milestone settings reminders to owner",
    "review": "/milestone settings review mon at 09:30",
    "review dm": "/milestone settings review dm off",
    "workdays": "/milestone settings workdays mon-fri",
    "holidays": "/milestone settings holidays US",
    "chase": "/milestone settings chase off",
    "overdue": "/milestone settings overdue off",
    "escalate": "/milestone settings escalate after 3 days to @maya",
    "pause": "/milestone settings pause",
    "resume": "/milestone settings resume",
}
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAYS = (
    {name: day for day, name in enumerate(_WEEKDAY_NAMES)}
    | {name[:3]: day for day, name in enumerate(_WEEKDAY_NAMES)}
    | {f"{name}s": day for day, name in enumerate(_WEEKDAY_NAMES)}  # `review fridays`
    | {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}
)
_MERIDIEMS = ("am", "pm", "a.m.", "p.m.")
_TIME = re.compile(r"(?P<hour>[0-9]{1,2})(?::(?P<minute>[0-9]{2}))? ?(?:(?P<half>[ap])\.?m\.?)?")
_TIME_WORDS = {"noon": time(12), "midday": time(12), "midnight": time(0)}
# Abbreviations people type that are no zone name, with the zone most of them mean; only ever suggested.
_ABBREVIATIONS = {"pst": "America/Los_Angeles", "pdt": "America/Los_Angeles", "mdt": "America/Denver",
                  "cst": "America/Chicago", "cdt": "America/Chicago", "edt": "America/New_York",
                  "bst": "Europe/London", "cest": "Europe/Berlin", "ist": "Asia/Kolkata",
                  "aest": "Australia/Sydney"}  # fmt: skip
_SWITCH = {"on": True, "yes": True, "off": False, "no": False}
_EVERY_DAY = ("all", "daily", "everyday", "every day")
# `mon-fri`, `mon – fri`, `mon to fri`, `mon through fri`: a range of days, written as `mon-fri`.
_RANGE = re.compile(r"\s*(?:[-–—]|\bto\b|\bthrough\b|\bthru\b)\s*")
_REMINDERS_TO: dict[str, RemindersTo] = {"channel": "channel", "owner": "owner", "owners": "owner",
                                         "dm": "owner", "both": "both"}  # fmt: skip


class TimeError(ValueError):
    """Raised when text is not a time of day."""


def parse_settings(tokens: Sequence[Token], *, source: str) -> SettingsCommand:
    """The words after `settings`: nothing opens the settings modal; clauses, in any order, each once."""
    lead, clauses = split_clauses(tokens, source=source, keywords=_KEYWORDS)
    if lead.tokens:
        raise _unknown_words(lead.tokens, source=source)
    # Counted word by word: `pause pause` or `tz timezone UTC` make one clause, but say a setting twice.
    seen: set[str] = set()
    for field in (_KEYWORDS[token.word] for token in tokens if token.word in _KEYWORDS):
        if field in seen:
            raise CommandError(f"`{field}` is given twice; give it once.", example=_EXAMPLES[field])
        seen.add(field)
    if {"pause", "resume"} <= seen:
        raise CommandError("Give `pause` or `resume`, not both.", example=_EXAMPLES["pause"])
    values: dict[str, Any] = {}
    for clause in clauses:
        values |= _READERS[clause.field](clause, source)
    return SettingsCommand(SettingsChange(**values))


def parse_time(text: str) -> time:
    """A time of day: `09:30`, `9`, `9am`, `9:30 pm`, `16:00` or `noon`; raise TimeError if it isn't one."""
    written = " ".join(text.lower().split())
    if written in _TIME_WORDS:
        return _TIME_WORDS[written]
    error = TimeError(f"I can't read {shown(text)} as a time; use `09:30`, `9:30pm` or `16:00`.")
    match = _TIME.fullmatch(written)
    if match is None:
        raise error
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if match["half"]:
        if not 1 <= hour <= 12:
            raise error
        hour = hour % 12 + (12 if match["half"] == "p" else 0)
    if hour > 23 or minute > 59:
        raise error
    return time(hour, minute)


def _read_timezone(clause: Clause, source: str) -> dict[str, Any]:
    if not clause.tokens:
        raise _needs(clause, "a time zone, like `timezone Europe/Berlin`")
    # `New York` is meant as `New_York`; IANA names never hold spaces.
    written = plain_text(clause.raw)
    try:
        return {"timezone": check_timezone(written)}
    except LimitError:
        close = _closest_zones("_".join(written.lower().split())[:60])
        guess = f"did you mean {_either(close)}?" if close else "use a name like `America/New_York`."
        message = f"I don't know the time zone {shown(clause.raw)}; {guess}"
        meant = _clause_as(clause, close[0], source=source) if close else None
        raise CommandError(message, example=_EXAMPLES["timezone"], correction=meant) from None


def _read_reminders(clause: Clause, source: str) -> dict[str, Any]:
    """`7,1,0`, `14, 7, 1` or `off`, then optional `at 09:30` and `to owner`; each alone changes only it."""
    if not clause.tokens:
        raise _needs(clause, "days before the due date, like `reminders 7,1,0 at 09:30`")
    tokens, to = _split_at(clause.tokens, ("to",))
    values: dict[str, Any] = {}
    if to is not None:
        # `to owner` may come before the days or the time: what follows its one word is theirs.
        to, rest = _one_word(to, skipping=("the",))
        values["reminders_to"] = _read_reminders_to(to, source=source)
        tokens = [*tokens, *rest]
    if not tokens:
        return values
    at = next((index for index, token in enumerate(tokens) if token.word == "at"), len(tokens))
    if at > 0:
        values["reminder_days"] = _reminder_days(source[tokens[0].start : tokens[at - 1].end])
    if at < len(tokens):
        values["reminder_time"] = _read_time(tokens[at + 1 :], "reminders", source=source)
    return values


def _reminder_days(raw: str) -> tuple[int, ...]:
    """Days before the due date, furthest first; `off` or `none` is no reminders at all."""
    written = plain_text(raw).lower()
    if written.strip() in ("off", "none"):
        return ()
    pieces = list(filter(None, re.split(r"[,\s]+", written)))
    for piece in pieces:
        if not re.fullmatch(r"[0-9]+", piece):
            if re.search(r"[0-9](:|[ap]\.?m)", piece) or piece in _MERIDIEMS:
                message = f"Put `at` before the time: {shown(raw)} isn't a list of days."
            else:
                message = f"{shown(piece)} isn't a number of days; give days before the due date, or `off`."
            raise CommandError(message, example=_EXAMPLES["reminders"])
    try:
        return check_reminder_days(int(piece) for piece in pieces)
    except LimitError as error:
        raise CommandError(str(error), example=_EXAMPLES["reminders"]) from None


def _read_review(clause: Clause, source: str) -> dict[str, Any]:
    """`fri`, `fri 16:00` or `fri at 16:00`, and `dm on|off`; `at 16:00` alone changes only the time."""
    if not clause.tokens:
        raise _needs(clause, "a weekday, like `review mon at 09:30`")
    tokens, dm = _split_at(clause.tokens, ("dm", "dms"))
    values: dict[str, Any] = {}
    if dm is not None:
        # `dm off` may come before the weekday or the time: what follows its one word is theirs.
        dm, rest = _one_word(dm)
        values["review_dm"] = _read_switch(dm, setting="review dm", source=source)
        tokens = [*tokens, *rest]
    if not tokens:
        return values
    if tokens[0].word in _WEEKDAYS:
        values["review_weekday"] = _WEEKDAYS[tokens[0].word]
        tokens = tokens[1:]
    elif tokens[0].word != "at" and not _reads_as_time(tokens[0]):
        message = f"{shown(tokens[0].text)} isn't a weekday; use mon, tue, wed, thu, fri, sat or sun."
        raise CommandError(message, example=_EXAMPLES["review"])
    if tokens and tokens[0].word == "at":
        values["review_time"] = _read_time(tokens[1:], "review", source=source)
    elif tokens:
        values["review_time"] = _read_time(tokens, "review", source=source)
    return values


def _read_workdays(clause: Clause, source: str) -> dict[str, Any]:
    """`mon-fri`, `sun-thu`, `mon,tue,thu`, `mon-wed fri` or `all`: the channel's working weekdays."""
    if not clause.tokens:
        raise _needs(clause, "working days, like `workdays mon-fri`")
    written = " ".join(plain_text(clause.raw).lower().split())
    if written in _EVERY_DAY:
        return {"workdays": tuple(range(7))}
    pieces = [piece for piece in re.split(r"(?:[,;\s]|\band\b)+", _RANGE.sub("-", written)) if piece]
    days: list[int] = []
    for piece in pieces:
        days += _weekday_range(piece, clause=clause, source=source)
    try:
        return {"workdays": check_workdays(days)}
    except LimitError as error:
        raise CommandError(str(error), example=_EXAMPLES["workdays"]) from None


def _weekday_range(piece: str, *, clause: Clause, source: str) -> list[int]:
    """`mon` or `mon-fri` (`fri-mon` wraps over the weekend) as weekday numbers."""
    ends = piece.split("-")
    if len(ends) > 2 or not all(ends):
        message = f"{shown(piece)} isn't a day or a range of days; write them like `mon-fri` or `mon,wed`."
        raise CommandError(message, example=_EXAMPLES["workdays"])
    for end in ends:
        if end not in _WEEKDAYS:
            raise _not_a_weekday(end, clause=clause, source=source)
    first, last = (_WEEKDAYS[end] for end in (ends[0], ends[-1]))
    return [(first + shift) % 7 for shift in range((last - first) % 7 + 1)]


def _not_a_weekday(word: str, *, clause: Clause, source: str) -> CommandError:
    """`fir` isn't a weekday: the closest one suggested, in the person's own command put right."""
    close = difflib.get_close_matches(word[:20], list(_WEEKDAYS), n=1, cutoff=0.6)
    if not close:
        message = f"{shown(word)} isn't a weekday; use mon, tue, wed, thu, fri, sat or sun."
        return CommandError(message, example=_EXAMPLES["workdays"])
    meant = WEEKDAYS[_WEEKDAYS[close[0]]]
    start, end = clause.tokens[0].start, clause.tokens[-1].end
    correction = respelt(source, start=start, end=end, word=word, meant=meant)
    message = f"{shown(word)} isn't a weekday; did you mean `{meant}`?"
    return CommandError(message, example=_EXAMPLES["workdays"], correction=correction)


def _read_holidays(clause: Clause, source: str) -> dict[str, Any]:
    """A country's code or name (`US`, `gb`, `Germany`) for its public holidays, or `none`."""
    if not clause.tokens:
        raise _needs(clause, "a country code, like `holidays US`, or `none`")
    written = plain_text(clause.raw)
    try:
        return {"holidays": holidays_setting(written)}
    except LimitError as error:
        near = nearest_countries(written)
        example = f"/milestone settings holidays {near[0]}" if near else _EXAMPLES["holidays"]
        meant = _clause_as(clause, near[0], source=source) if near else None
        raise CommandError(str(error), example=example, correction=meant) from None


def _read_chase(clause: Clause, source: str) -> dict[str, Any]:
    """`chase on` or `chase off`."""
    if not clause.tokens:
        raise _needs(clause, "`on` or `off`")
    return {"chase": _read_switch(clause.tokens, setting="chase", source=source)}


def _read_overdue(clause: Clause, source: str) -> dict[str, Any]:
    """`overdue on` or `overdue off`: the nudge the working day after the due date, if not done."""
    if not clause.tokens:
        raise _needs(clause, "`on` or `off`")
    return {"overdue_nudge": _read_switch(clause.tokens, setting="overdue", source=source)}


def _read_escalate(clause: Clause, source: str) -> dict[str, Any]:
    """`escalate after 3 days to @maya` (the words in either order) or `escalate off`."""
    if not clause.tokens:
        raise _needs(clause, "a number of working days and a person, like `escalate after 3 days to @maya`")
    if clause.tokens[0].word in _SWITCH and not _SWITCH[clause.tokens[0].word]:
        if len(clause.tokens) > 1:
            raise _unknown_words(clause.tokens[1:], source=source)
        return {"escalation": ESCALATION_OFF}
    days: int | None = None
    person: str | None = None
    for token in clause.tokens:
        word = token.word
        if word in ("after", "to", "working", "day", "days", "workday", "workdays", "the"):
            continue
        if re.fullmatch(r"[0-9]+", word):
            days = _escalation_days(word)
        elif mention_id(token.bare) is not None:
            person = mention_id(token.bare)
        elif token.bare.startswith("<#") or token.bare.startswith("#"):
            message = f"Escalate to a person, not a channel ({shown(plain_text(token.bare))})."
            raise CommandError(message, example=_EXAMPLES["escalate"])
        elif token.bare.startswith("<!") or token.bare.startswith("<@"):
            message = f"Escalate to one person, not {shown(plain_text(token.bare))}."
            raise CommandError(message, example=_EXAMPLES["escalate"])
        elif token.bare.startswith("@"):
            message = f"I can't tell who {shown(token.bare)} is; pick them from Slack's @ menu as you type."
            raise CommandError(message, example=_EXAMPLES["escalate"])
        else:
            raise _unknown_words([token], source=source)
    if days is None:
        message = "`escalate` needs a number of working days, like `after 3 days`."
        raise CommandError(message, example=_EXAMPLES["escalate"])
    if person is None:
        message = "`escalate` needs a person to tell, like `to @maya`."
        raise CommandError(message, example=_EXAMPLES["escalate"])
    return {"escalation": Escalation(days=days, to=person)}


def _escalation_days(word: str) -> int:
    """Working days overdue before escalating: 1 to 30."""
    days = int(word[:4]) if len(word) <= 4 else MAX_DAYS + 1
    if not MIN_DAYS <= days <= MAX_DAYS:
        message = f"Escalate after {MIN_DAYS} to {MAX_DAYS} working days, not {shown(word[:12])}."
        raise CommandError(message, example=_EXAMPLES["escalate"])
    return days


def _read_reminders_to(tokens: Sequence[Token], *, source: str) -> RemindersTo:
    """Where reminders go: `channel`, `owner` (by DM) or `both`; `the channel` reads as `channel`."""
    words = [token for token in tokens if token.word != "the"]
    example = _EXAMPLES["reminders to"]
    if not words:
        raise CommandError("`reminders to` needs channel, owner or both.", example=example)
    if len(words) > 1:
        raise _unknown_words(words[1:], source=source)
    word = words[0].word
    if word in _REMINDERS_TO:
        return _REMINDERS_TO[word]
    close = difflib.get_close_matches(word[:20], list(_REMINDERS_TO), n=1, cutoff=0.6)
    guess = f"did you mean `{_REMINDERS_TO[close[0]]}`? " if close else ""
    first = words[0]
    meant = (
        corrected(source, start=first.start, end=first.end, text=_REMINDERS_TO[close[0]]) if close else None
    )
    message = f"Reminders can't go to {shown(first.text)}; {guess}Use channel, owner or both."
    raise CommandError(message, example=example, correction=meant)


def _read_switch(tokens: Sequence[Token], *, setting: str, source: str) -> bool:
    """`on` or `off` (also `yes` or `no`), the one word after a setting such as `chase`."""
    example = _EXAMPLES[setting]
    if not tokens:
        raise CommandError(f"`{setting}` needs `on` or `off`.", example=example)
    if len(tokens) > 1:
        raise _unknown_words(tokens[1:], source=source)
    if tokens[0].word not in _SWITCH:
        message = f"`{setting}` is `on` or `off`, not {shown(tokens[0].text)}."
        raise CommandError(message, example=example)
    return _SWITCH[tokens[0].word]


def _split_at(
    tokens: Sequence[Token], words: Sequence[str]
) -> tuple[Sequence[Token], Sequence[Token] | None]:
    """The tokens before the first of `words`, and those after it (None when none of `words` is there)."""
    at = next((index for index, token in enumerate(tokens) if token.word in words), None)
    return (tokens, None) if at is None else (tokens[:at], tokens[at + 1 :])


def _one_word(
    tokens: Sequence[Token], *, skipping: Sequence[str] = ()
) -> tuple[Sequence[Token], Sequence[Token]]:
    """The first word (with the `skipping` words before it), and the tokens after it."""
    at = next((index for index, token in enumerate(tokens) if token.word not in skipping), len(tokens))
    return tokens[: at + 1], tokens[at + 1 :]


def _read_pause(clause: Clause, source: str) -> dict[str, Any]:
    if clause.tokens:
        raise _unknown_words(clause.tokens, source=source)
    return {"paused": clause.field == "pause"}


def _read_time(tokens: Sequence[Token], setting: str, *, source: str) -> time:
    """The time that ends a clause, after its `at`: one word, or two as in `9:30 pm`."""
    example = _EXAMPLES[setting]
    if not tokens:
        raise CommandError("`at` needs a time, like `at 09:30`.", example=example)
    size = 2 if len(tokens) > 1 and tokens[1].word in _MERIDIEMS else 1
    if len(tokens) > size:
        raise _unknown_words(tokens[size:], source=source)
    try:
        return parse_time(plain_text(" ".join(token.bare for token in tokens)))
    except TimeError as error:
        raise CommandError(str(error), example=example) from None


def _reads_as_time(token: Token) -> bool:
    return token.word in _TIME_WORDS or _TIME.fullmatch(token.word) is not None


def _clause_as(clause: Clause, text: str, *, source: str) -> str:
    """The command with this clause's value written as `text`, the rest of it as the person wrote it."""
    return corrected(source, start=clause.tokens[0].start, end=clause.tokens[-1].end, text=text)


def _needs(clause: Clause, what: str) -> CommandError:
    return CommandError(f"`{clause.keyword}` needs {what}.", example=_EXAMPLES[clause.field])


def _unknown_words(tokens: Sequence[Token], *, source: str) -> CommandError:
    """Words that are no setting: name them, suggest the closest setting, and list them all."""
    words = source[tokens[0].start : tokens[-1].end]
    close = difflib.get_close_matches(tokens[0].word[:40], list(_KEYWORDS), n=1, cutoff=0.7)
    guess = f"did you mean `{_KEYWORDS[close[0]]}`? The" if close else "the"
    settings = ", ".join(_SETTING_WORDS[:-1]) + f" and {_SETTING_WORDS[-1]}"
    message = f"I don't know {shown(words)}; {guess} settings are {settings}."
    first = tokens[0]
    meant = corrected(source, start=first.start, end=first.end, text=_KEYWORDS[close[0]]) if close else None
    return CommandError(message, example=SETTINGS_EXAMPLE, correction=meant)


@functools.cache
def _zones_by_city() -> dict[str, tuple[str, ...]]:
    """Lower-case zone names by their last part: `berlin` → `europe/berlin`."""
    cities: dict[str, list[str]] = {}
    for name in sorted(known_timezones()):
        cities.setdefault(name.rsplit("/", 1)[-1], []).append(name)
    return {city: tuple(names) for city, names in cities.items()}


def _closest_zones(written: str) -> list[str]:
    """Up to three zone names near what was written: by its city (`berlin`), else by a close spelling."""
    zones, cities = known_timezones(), _zones_by_city()
    city = written.rsplit("/", 1)[-1]
    if written in _ABBREVIATIONS:
        return [_ABBREVIATIONS[written]]
    if city in cities:
        return [zones[name] for name in cities[city]][:3]
    by_name = difflib.get_close_matches(written, list(zones), n=3, cutoff=0.75)
    by_city = [name for match in difflib.get_close_matches(city, list(cities), n=3) for name in cities[match]]
    return [zones[name] for name in dict.fromkeys([*by_name, *by_city])][:3]


def _either(names: Sequence[str]) -> str:
    quoted = [f"`{name}`" for name in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


_READERS: dict[str, Callable[[Clause, str], dict[str, Any]]] = {
    "timezone": _read_timezone,
    "reminders": _read_reminders,
    "review": _read_review,
    "workdays": _read_workdays,
    "holidays": _read_holidays,
    "chase": _read_chase,
    "overdue": _read_overdue,
    "escalate": _read_escalate,
    "pause": _read_pause,
    "resume": _read_pause,
}
