"""What the app showed, as terminal text: Block Kit made readable, buttons and menus as numbered choices."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Protocol

from bot.console.outputs import Choice, Output
from bot.core.dates import DateError, parse_date
from bot.core.grammar.settings import parse_time

BOT = "Milestone Bot"
DIVIDER = "─" * 40
INDENT = "  "
_BOLD, _DIM, _ITALIC, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[3m", "\x1b[0m"
# Slack's markup in mrkdwn: <@U1>, <#C1|general>, <!date^…|fallback>, <https://…|label>.
_ANGLE = re.compile(r"<([^<>\n]*)>")
# A code span keeps its text as typed; bold and italic apply only outside one.
_CODE = re.compile(r"(`[^`\n]+`)")
_EMPHASIS = {
    "*": re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"),
    "_": re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])"),
    "~": re.compile(r"(?<![\w~])~(?=\S)([^~\n]+?)(?<=\S)~(?![\w~])"),
}
_STYLE = {"*": _BOLD, "_": _ITALIC, "~": _DIM}


class Names(Protocol):
    """Who and where an id is, as people read it (ConsoleSession answers both)."""

    def user_name(self, user_id: str) -> str:
        """The person's name, e.g. `alice`."""
        ...

    def channel_name(self, channel_id: str) -> str:
        """The channel's name, e.g. `general`."""
        ...


def at(name: str) -> str:
    """`@alice`, whether the name came with its @ or not."""
    return "@" + name.removeprefix("@")


def hashed(name: str) -> str:
    """`#general`, whether the name came with its # or not."""
    return "#" + name.removeprefix("#")


def readable(mrkdwn: str, *, names: Names, ansi: bool = False) -> str:
    """Slack mrkdwn as a person reads it: mentions by name, dates by their fallback, links by label."""
    text = _ANGLE.sub(lambda match: _markup(match.group(1), names=names), mrkdwn)
    parts = _CODE.split(text)
    text = "".join(part if part.startswith("`") else _emphasis(part, ansi=ansi) for part in parts)
    return html.unescape(text) if "&" in text else text


def _markup(inner: str, *, names: Names) -> str:
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        return at(names.user_name(target[1:]))
    if target.startswith("#"):
        return hashed(label or names.channel_name(target[1:]))
    if target.startswith("!"):
        # <!date^…|fallback>, <!subteam^…|@team>; <!here> and friends read as the word.
        return label or "@" + target[1:].split("^")[0]
    return label or target.removeprefix("mailto:")


def _emphasis(text: str, *, ansi: bool) -> str:
    for mark, pattern in _EMPHASIS.items():
        text = pattern.sub(f"{_STYLE[mark]}\\1{_RESET}" if ansi else r"\1", text)
    return text


def _styled(text: str, style: str, *, ansi: bool) -> str:
    return f"{style}{text}{_RESET}" if ansi and text else text


def where(output: Output, *, names: Names, zone: tzinfo | None = None) -> str:
    """The first line of an output: where it appeared and who sees it (and when, given a zone)."""
    channel = output.channel or "DM"
    if channel == "DM" and output.user and output.kind != "home":
        # A DM has one reader: say whose, as a prompt to one owner reads wrong in someone else's.
        channel = f"DM to {at(names.user_name(output.user))}"
    thread = " · in the thread" if output.thread_ts else ""
    if output.kind == "ephemeral":
        return f"{channel} · only you see this"
    if output.kind == "update":
        return f"{channel}{thread} · {BOT} (edited)"
    if output.kind == "delete":
        return f"{channel} · {BOT} deleted a message"
    if output.kind == "home":
        who = at(names.user_name(output.user)) if output.user else "you"
        return f"Home tab · {who}"
    if output.kind == "modal":
        return f"form · {_plain((output.view or {}).get('title')) or 'untitled'}"
    if output.kind == "form_errors":
        return "the form was not saved"
    if output.kind == "reaction":
        return f"{channel} · {BOT} reacted"
    if zone and output.ts:
        posted = datetime.fromtimestamp(float(output.ts), zone)
        return f"{channel}{thread} · {BOT} · {posted:%a %b %d, %H:%M}"
    return f"{channel}{thread} · {BOT}"


def render(
    output: Output, *, names: Names, first: int = 1, ansi: bool = False, zone: tzinfo | None = None
) -> tuple[str, list[Choice]]:
    """One output as terminal text, and the choices in it, numbered from `first`; `zone` dates posts."""
    if output.kind == "file":
        what = output.text or "a file"
        return f"📎 saved {what} to {output.path}", []
    if output.kind == "form_errors":
        lines = [f"{INDENT}⚠️ {message}" for message in (output.errors or {}).values()]
        return "\n".join([where(output, names=names), *lines]), []
    blocks = output.blocks or tuple((output.view or {}).get("blocks", ()))
    writer = _Writer(output=output, names=names, first=first, ansi=ansi)
    for block in blocks:
        writer.block(block)
    if not blocks and output.text and output.kind != "delete":
        writer.lines.append(readable(output.text, names=names, ansi=ansi))
    body = [INDENT + line if line else "" for text in writer.lines for line in text.split("\n")]
    heading = _styled(where(output, names=names, zone=zone), _DIM, ansi=ansi)
    return "\n".join([heading, *body]), writer.choices


def render_screen(
    outputs: Iterable[Output], *, names: Names, ansi: bool = False, zone: tzinfo | None = None
) -> tuple[str, list[Choice]]:
    """Several outputs, one after the other, with the choices numbered across all of them from 1."""
    texts: list[str] = []
    choices: list[Choice] = []
    for output in outputs:
        text, more = render(output, names=names, first=len(choices) + 1, ansi=ansi, zone=zone)
        texts.append(text)
        choices += more
    return "\n\n".join(texts), choices


class _Writer:
    """Walks one output's blocks, writing lines and numbering the choices it meets."""

    def __init__(self, *, output: Output, names: Names, first: int, ansi: bool) -> None:
        self.output, self.names, self.first, self.ansi = output, names, first, ansi
        self.lines: list[str] = []
        self.choices: list[Choice] = []

    def text(self, obj: dict | None) -> str:
        if not obj:
            return ""
        if obj.get("type") == "plain_text":
            return obj.get("text", "")
        return readable(obj.get("text", ""), names=self.names, ansi=self.ansi)

    def block(self, block: dict) -> None:
        kind = block.get("type")
        if kind == "header":
            self.lines.append(_styled(self.text(block.get("text")), _BOLD, ansi=self.ansi))
        elif kind == "section":
            self.section(block)
        elif kind == "context":
            line = "  ·  ".join(self.context_part(element) for element in block.get("elements", ()))
            self.lines.append(_styled(line, _DIM, ansi=self.ansi))
        elif kind == "divider":
            self.lines.append(DIVIDER)
        elif kind == "image":
            self.lines.append(f"[image: {block.get('alt_text', '')}]")
        elif kind == "actions":
            self.lines.append(self.elements(block, block.get("elements", ())))
        elif kind != "input":
            # Questions are asked one by one (questions()); anything else shows what text it has.
            self.lines.append(self.text(block.get("text")))

    def section(self, block: dict) -> None:
        if block.get("text"):
            self.lines.append(self.text(block["text"]))
        for field in block.get("fields", ()):
            name, _, value = self.text(field).partition("\n")
            self.lines.append(f"{name}: {value}" if value else name)
        accessory = block.get("accessory")
        if accessory and accessory.get("type") == "image":
            self.lines.append(f"[image: {accessory.get('alt_text', '')}]")
        elif accessory:
            self.lines.append(INDENT + self.elements(block, [accessory]))

    def context_part(self, element: dict) -> str:
        if element.get("type") == "image":
            return f"[image: {element.get('alt_text', '')}]"
        return self.text(element)

    def elements(self, block: dict, elements: Sequence[dict]) -> str:
        return "  ".join(self.element(block, element) for element in elements)

    def element(self, block: dict, element: dict) -> str:
        kind = element.get("type", "")
        if kind == "button":
            return self.choice(block, element, label=self.text(element.get("text")), option=None)
        if kind in ("overflow", "static_select"):
            shown = [
                self.choice(block, element, label=self.text(option.get("text")), option=option)
                for option in options_of(element)
            ]
            placeholder = self.text(element.get("placeholder"))
            return (f"{placeholder}: " if placeholder else "") + "  ".join(shown)
        placeholder = self.text(element.get("placeholder")) or kind
        return f"({placeholder}: not in the console)"

    def choice(self, block: dict, element: dict, *, label: str, option: dict | None) -> str:
        number = self.first + len(self.choices)
        self.choices.append(
            Choice(
                label=label,
                action_id=element.get("action_id", ""),
                block_id=block.get("block_id", ""),
                value=option.get("value") if option else element.get("value"),
                source=self.output,
                element_type=element.get("type", ""),
                option=option,
            )
        )
        return f"[{number}] {label}"


def options_of(element: dict) -> list[dict]:
    """A menu's options, its option groups flattened."""
    grouped = [option for group in element.get("option_groups", ()) for option in group.get("options", ())]
    # A menu that loads its options as one types holds only the current choice.
    initial = element.get("initial_option") if element.get("type") == "external_select" else None
    return [*element.get("options", ()), *grouped, *([initial] if initial else [])]


def confirmation(choice: Choice) -> str | None:
    """The question Slack asks before a press goes through (a button's `confirm`), or None."""
    for block in choice.source.blocks or (choice.source.view or {}).get("blocks", ()):
        elements = [*block.get("elements", ()), *([block["accessory"]] if block.get("accessory") else [])]
        for element in elements:
            confirm = element.get("confirm")
            if element.get("action_id") == choice.action_id and confirm:
                return f"{_plain(confirm.get('title'))}: {_plain(confirm.get('text'))}"
    return None


def _plain(obj: dict | None) -> str:
    return html.unescape(obj.get("text", "")) if obj else ""


class Directory(Protocol):
    """Ids of the people and channels a form's answers name (ConsoleSession's pretend workspace)."""

    def user_id(self, name: str) -> str:
        """The id of `alice` or `@alice`; ValueError when there is no such person."""
        ...

    def channel_id(self, name: str) -> str:
        """The id of `ops` or `#ops`; ValueError when there is no such channel."""
        ...

    def suggestions(self, question: Question, typed: str) -> list[dict]:
        """The options the app offers as `typed` is typed in a menu that loads them (external_select)."""
        ...


class AnswerError(ValueError):
    """Raised when a typed answer does not fit its question; the message says what would."""


@dataclass(frozen=True)
class Question:
    """One input of a form, asked in the terminal; `initial` is what Enter keeps, as a person types it."""

    label: str
    block_id: str
    action_id: str
    kind: (
        str  # the element's type: plain_text_input, datepicker, timepicker, static_select, users_select, ...
    )
    optional: bool
    initial: str | None = None
    options: tuple[dict, ...] = ()  # static_select and checkboxes: the options, numbered from 1
    hint: str | None = None


def questions(view: dict, *, names: Names) -> list[Question]:
    """A modal's inputs, in order, with their current values written as a person would type them."""
    asked = []
    for block in view.get("blocks", ()):
        if block.get("type") != "input":
            continue
        element = block.get("element", {})
        asked.append(
            Question(
                label=_plain(block.get("label")),
                block_id=block.get("block_id", ""),
                action_id=element.get("action_id", ""),
                kind=element.get("type", ""),
                optional=bool(block.get("optional")),
                initial=_initial(element, names=names),
                options=tuple(options_of(element)),
                hint=_plain(block.get("hint")) or None,
            )
        )
    return asked


def _initial(element: dict, *, names: Names) -> str | None:
    kind = element.get("type")
    if kind == "users_select" and element.get("initial_user"):
        return at(names.user_name(element["initial_user"]))
    if kind in ("conversations_select", "channels_select"):
        channel = element.get("initial_conversation") or element.get("initial_channel")
        return hashed(names.channel_name(channel)) if channel else None
    if kind in ("static_select", "radio_buttons", "external_select") and element.get("initial_option"):
        return _plain(element["initial_option"].get("text"))
    if kind == "checkboxes" and element.get("initial_options"):
        return ", ".join(_plain(option.get("text")) for option in element["initial_options"])
    return element.get("initial_value") or element.get("initial_date") or element.get("initial_time")


def ask_line(question: Question) -> str:
    """How a question reads before the answer: hint and numbered options above, then label and default."""
    takes = _TAKES.get(question.kind)
    above = [f"{INDENT}{question.hint}"] if question.hint else []
    if question.options and question.kind != "external_select":
        numbered = (f"[{n}] {_plain(option.get('text'))}" for n, option in enumerate(question.options, 1))
        above.append(INDENT + "  ".join(numbered))
    label = question.label + (f" ({takes})" if takes else "")
    if question.optional:
        label += ", optional"
    default = f" [{question.initial}]" if question.initial else ""
    return "\n".join([*above, f"{label}{default}: "])


_TAKES = {
    "datepicker": "a date like 2026-12-15 or next friday",
    "timepicker": "a time like 09:30",
    "users_select": "a person like @alice",
    "conversations_select": "a channel like #ops",
    "channels_select": "a channel like #ops",
    "checkboxes": "numbers like 1,2",
    "static_select": "a number",
    "radio_buttons": "a number",
    "external_select": "type to search",
}


def state_values(
    asked: Sequence[Question], answers: Mapping[str, str], *, ids: Directory, now: datetime
) -> dict[str, dict[str, dict]]:
    """The form's state as Slack submits it, from the text typed per block_id (missing: left empty)."""
    return {
        question.block_id: {
            question.action_id: state_of(question, answers.get(question.block_id, ""), ids=ids, now=now)
        }
        for question in asked
    }


# Each input the console can fill in (a file upload it cannot): the key Slack sends its answer under, and the
# reader of what was typed (typed, question, ids, now).
_Reader = Callable[[str, Question, Directory, datetime], object]
_STATES: dict[str, tuple[str, _Reader]] = {
    "plain_text_input": ("value", lambda typed, q, ids, now: typed),
    "datepicker": ("selected_date", lambda typed, q, ids, now: _date(typed, now=now)),
    "timepicker": ("selected_time", lambda typed, q, ids, now: _time(typed)),
    "static_select": ("selected_option", lambda typed, q, ids, now: _picked(q, typed)[0]),
    "radio_buttons": ("selected_option", lambda typed, q, ids, now: _picked(q, typed)[0]),
    "checkboxes": ("selected_options", lambda typed, q, ids, now: _picked(q, typed)),
    "external_select": ("selected_option", lambda typed, q, ids, now: _suggested(q, typed, ids=ids)),
    "users_select": ("selected_user", lambda typed, q, ids, now: ids.user_id(typed)),
    "conversations_select": ("selected_conversation", lambda typed, q, ids, now: ids.channel_id(typed)),
    "channels_select": ("selected_channel", lambda typed, q, ids, now: ids.channel_id(typed)),
}
FILLABLE = frozenset(_STATES)


def state_of(question: Question, typed: str, *, ids: Directory, now: datetime) -> dict:
    """One input's state as Slack sends it; AnswerError when the typed text does not fit the question."""
    typed = typed.strip()
    if not typed and not question.optional:
        raise AnswerError(f"{question.label} is required.")
    if question.kind not in _STATES:
        raise AnswerError(f"{question.label}: the console can't fill in a {question.kind}.")
    key, reader = _STATES[question.kind]
    if not typed:
        return {"type": question.kind, key: [] if question.kind == "checkboxes" else None}
    try:
        return {"type": question.kind, key: reader(typed, question, ids, now)}
    except AnswerError:
        raise
    except ValueError as error:
        raise AnswerError(f"{question.label}: {error}") from error


def _date(typed: str, *, now: datetime) -> str:
    """YYYY-MM-DD as a date picker gives it; other dates are read as `/milestone` reads them."""
    try:
        return date.fromisoformat(typed).isoformat()
    except ValueError:
        pass
    try:
        return parse_date(typed, now=now).isoformat()
    except DateError as error:
        raise AnswerError(f"{error} A date picker takes 2026-12-15.") from error


def _time(typed: str) -> str:
    """HH:MM as a time picker gives it, from a time read as `/milestone settings` reads one (9am, 16:00)."""
    return parse_time(typed).strftime("%H:%M")


def _suggested(question: Question, typed: str, *, ids: Directory) -> dict:
    """The option the app offers for what was typed: the one named exactly, else its first."""
    # Enter keeps the current choice, which the form holds (`initial_option`) whatever the app would offer.
    kept = [option for option in question.options if _plain(option.get("text")) == typed]
    offered = kept or ids.suggestions(question, typed)
    exact = [
        option
        for option in offered
        if typed.lower() in (_plain(option.get("text")).lower(), str(option.get("value", "")).lower())
    ]
    if not offered:
        raise AnswerError(f"{question.label}: nothing found for {typed!r}; try other words.")
    return (exact or offered)[0]


def _picked(question: Question, typed: str) -> list[dict]:
    """The options named by number (`2`, `1,3`) or by their label."""
    labels = [_plain(option.get("text")).lower() for option in question.options]
    pieces = [piece.strip() for piece in typed.split(",")]
    picked = []
    while pieces:
        # A label may hold a comma itself (`The day after, if not done`): the shortest run that names one.
        for size in range(1, len(pieces) + 1):
            part = ", ".join(pieces[:size])
            if part.isdigit() and 1 <= int(part) <= len(question.options):
                picked.append(question.options[int(part) - 1])
                break
            if part.lower() in labels:
                picked.append(question.options[labels.index(part.lower())])
                break
        else:
            raise AnswerError(
                f"{question.label}: pick one of 1 to {len(question.options)}, not {pieces[0]!r}."
            )
        pieces = pieces[size:]
    return picked
