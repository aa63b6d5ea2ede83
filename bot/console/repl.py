"""The console's loop: read what a person types, hand it to the session, print what the app showed."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.console.outputs import Choice, Output
from bot.console.session import CHANNELS, ZONE, ConsoleSession
from bot.console.text import (
    FILLABLE,
    AnswerError,
    Question,
    ask_line,
    at,
    confirmation,
    questions,
    render,
    render_screen,
    state_of,
)

HELP = """\
Type a /milestone command (the /milestone may be left out):  add Launch beta due next friday owner @alice
  list · show 12 · update 12 due Dec 22 because the vendor slipped · done 12 · report · settings · help
A number presses that choice on the last screen: [1] Done → type 1.
  :time 2026-12-14 09:00   move the clock (your time zone) and run the scheduler: reminders, the weekly review
  :time +3d                move it by minutes, hours, days or weeks (+30m, +2h, +3d, +1w)
  :as alice                type as someone else ({people})
  :in #ops                 type in another channel ({channels})
  :home                    open your Home tab
  :reply [n] <text>        reply in the thread of the message holding [n], or of the bot's last post (notes)
  :help                    this list
  :quit                    leave (Ctrl-D too; Ctrl-C drops the line being typed)
In a form, Enter keeps the value in [brackets], - empties an optional field, :cancel closes the form."""
_SHIFT = re.compile(r"\+(\d+)\s*([mhdw])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_QUIT = (":quit", ":q", ":exit")


class FormCancelled(Exception):
    """The person closed the form (:cancel, or the input ended)."""


class Console:
    """One person at the terminal: what they read from, where the app's answers go, the last choices."""

    def __init__(
        self, session: ConsoleSession, *, read: Callable[[str], str], write: Callable[[str], None], ansi: bool
    ) -> None:
        self.session, self.read, self.write, self.ansi = session, read, write, ansi
        self.choices: list[Choice] = []
        # The last message the bot posted in each channel: where `:reply` goes by default.
        self.last_posted: dict[str, str] = {}

    def run(self) -> int:
        """Greet, then read and answer lines until :quit or the end of the input."""
        self.write(self.welcome())
        while True:
            try:
                line = self.read(self.prompt()).strip()
            except KeyboardInterrupt:
                continue
            except EOFError:
                return 0
            if line in _QUIT:
                return 0
            try:
                self.handle(line)
            except FormCancelled:
                self.write("Form closed; nothing was saved.")
            except KeyboardInterrupt:
                self.write("Interrupted.")
            except ValueError as error:
                self.write(f"⚠️ {error}")
            except Exception as error:
                # Never a traceback: one line, and the loop goes on.
                self.write(f"⚠️ the console hit an error: {type(error).__name__}: {error}")

    def welcome(self) -> str:
        """What the console is, what to type first, and where :help is."""
        return (
            "Milestone Bot console: the real app against a pretend Slack workspace, no token needed.\n"
            f"People {self.people()}; channels {self.channels()}. The clock says {self.clock()}.\n"
            "Try: add Launch beta due next friday owner @alice  ·  then list  ·  :help for more  ·  :quit"
        )

    def people(self) -> str:
        """`@you, @alice, @bob`: who is in the pretend workspace."""
        return ", ".join(at(person.name) for person in self.session.stand_in.people.values())

    def channels(self) -> str:
        """`#general, #ops`."""
        return ", ".join(f"#{name}" for name in CHANNELS)

    def prompt(self) -> str:
        """`you in #general> `."""
        return f"{self.session.user} in {self.session.channel}> "

    def clock(self) -> str:
        """The console clock in the current person's zone: `Mon Dec 14 2026, 09:00 EST`."""
        return self.session.now.astimezone(self.zone()).strftime("%a %b %d %Y, %H:%M %Z")

    def zone(self) -> ZoneInfo:
        """The current person's time zone, as the app reads it from users.info."""
        people = {person.name: person.timezone for person in self.session.stand_in.people.values()}
        return ZoneInfo(people.get(self.session.user, ZONE))

    def handle(self, line: str) -> None:
        """One line: a console command, a choice's number, or a /milestone command."""
        if not line:
            return
        word, _, rest = line.partition(" ")
        rest = rest.strip()
        commands: dict[str, Callable[[str], None]] = {
            ":help": lambda _: self.write(HELP.format(people=self.people(), channels=self.channels())),
            ":time": self.move_clock,
            ":as": self.switch_user,
            ":in": self.switch_channel,
            ":home": lambda _: self.show(self.session.open_home()),
            ":reply": self.reply,
        }
        if word in commands:
            commands[word](rest)
        elif word.startswith(":"):
            self.write(f"There is no {word}; :help lists what there is.")
        elif line.isdigit():
            self.press(int(line))
        else:
            self.show(self.session.run_command(line))

    def move_clock(self, when: str) -> None:
        """`:time 2026-12-14 09:00` or `:time +3d`: the scheduler runs up to then; show what it posted."""
        if not when:
            self.write(f"🕘 {self.clock()}")
            return
        to = self.moment(when)
        if to <= self.session.now:
            self.write(f"🕘 The clock only moves forward; it is {self.clock()}.")
            return
        outputs = self.session.move_clock(to)
        self.write(f"🕘 {self.clock()}")
        if not outputs:
            self.write("The scheduler had nothing to post.")
            return
        # Several posts may come from one move: say when each was posted.
        self.show(outputs, zone=self.zone())

    def moment(self, when: str) -> datetime:
        """When `:time` was told to go: a shift like +3d, or a date and time in the person's zone."""
        shift = _SHIFT.fullmatch(when)
        if shift:
            return self.session.now + timedelta(**{_UNITS[shift[2]]: int(shift[1])})
        try:
            moment = datetime.fromisoformat(when)
        except ValueError:
            raise ValueError(f"{when!r} is not a time; try 2026-12-14 09:00 or +3d") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=self.zone())

    def switch_user(self, name: str) -> None:
        """`:as alice`."""
        self.session.switch_user(name)
        self.write(f"You are now {at(self.session.user)}.")

    def switch_channel(self, name: str) -> None:
        """`:in #ops`."""
        self.session.switch_channel(name)
        self.write(f"You are now in {self.session.channel}.")

    def reply(self, rest: str) -> None:
        """`:reply [n|ts] text`: a reply in a thread, as the app's check-in notes are written."""
        thread_ts, text = self.thread(rest)
        if thread_ts is None:
            self.write(f"Nothing to reply to yet: the bot has posted nothing in {self.session.channel}.")
            return
        if not text:
            self.write("What is the reply? :reply Vendor is late again, #12 slips")
            return
        outputs = self.session.reply_in_thread(text, thread_ts=thread_ts)
        posted = datetime.fromtimestamp(float(thread_ts), self.zone())
        self.write(
            f"💬 you replied in the thread of the message posted {posted:%a %b %d, %H:%M} ({thread_ts})."
        )
        if outputs:
            self.show(outputs)

    def thread(self, rest: str) -> tuple[str | None, str]:
        """The thread and the text: of the message holding choice [n], of `ts`, or of the bot's last post."""
        first, _, text = rest.partition(" ")
        if first.isdigit() and 0 < int(first) <= len(self.choices) and text:
            return self.choices[int(first) - 1].source.ts, text
        if re.fullmatch(r"\d+\.\d+", first) and text:
            return first, text
        return self.last_posted.get(self.session.channel), rest

    def press(self, number: int) -> None:
        """Press the numbered choice of the last screen, asking first when Slack would."""
        if not 1 <= number <= len(self.choices):
            shown = f"1 to {len(self.choices)}" if self.choices else "none on the screen yet"
            self.write(f"There is no [{number}]: choices are {shown}.")
            return
        choice = self.choices[number - 1]
        question = confirmation(choice)
        if question and self.read(f"{question} [y/N] ").strip().lower() not in ("y", "yes"):
            self.write("Not pressed.")
            return
        self.show(self.session.press(choice))

    def show(self, outputs: Sequence[Output], *, zone: ZoneInfo | None = None) -> None:
        """Print what the app showed; a form among it is asked question by question, then submitted."""
        if not outputs:
            self.write("(the bot showed nothing)")
        while outputs:
            text, choices = render_screen(outputs, names=self.session, ansi=self.ansi, zone=zone)
            self.write(text)
            if choices:
                self.choices = choices
            for output in outputs:
                if output.kind == "message" and output.ts and output.channel and not output.thread_ts:
                    self.last_posted[output.channel] = output.ts
            forms = [output for output in outputs if output.kind == "modal"]
            outputs = self.fill(forms[-1]) if forms else []

    def fill(self, form: Output) -> list[Output]:
        """Ask the form's questions, submit it, and ask again the ones the app refused."""
        asked = questions(form.view or {}, names=self.session)
        unfillable = [q.label for q in asked if q.kind not in FILLABLE and not q.optional]
        if unfillable:
            self.write(
                f"The console can't fill in {', '.join(unfillable)} (a file upload); the form is closed."
            )
            return []
        states: dict[str, dict] = {}
        typed: dict[str, str] = {}
        pending = asked
        while True:
            for question in pending:
                default = typed.get(question.block_id, question.initial)
                typed[question.block_id], states[question.block_id] = self.answer(
                    replace(question, initial=default or None), form=form
                )
            values = {q.block_id: {q.action_id: states[q.block_id]} for q in asked}
            outputs = self.session.submit(form, values)
            refused = [o for o in outputs if o.kind == "form_errors"]
            if not refused:
                return outputs
            self.write(render(refused[-1], names=self.session, ansi=self.ansi)[0])
            pending = [q for q in asked if q.block_id in (refused[-1].errors or {})] or asked

    def answer(self, question: Question, *, form: Output | None = None) -> tuple[str, dict]:
        """Read one answer until it fits: what was typed, and the state Slack would send."""
        while True:
            try:
                line = self.read(ask_line(question)).strip()
            except (EOFError, KeyboardInterrupt):
                raise FormCancelled from None
            if line in (":cancel", *_QUIT):
                raise FormCancelled
            if line.startswith(":"):
                self.write("Answer the question first, or :cancel to close the form.")
                continue
            typed = "" if line == "-" else (line or question.initial or "")
            try:
                ids = Directory(self.session, form=form)
                return typed, state_of(question, typed, ids=ids, now=self.local_now())
            except AnswerError as error:
                self.write(f"⚠️ {error}")

    def local_now(self) -> datetime:
        """The console clock in the current person's zone: forms read dates as the app does."""
        return self.session.now.astimezone(self.zone())


class Directory:
    """People and channels by name, through the session's own @name and #channel reading."""

    def __init__(self, session: ConsoleSession, *, form: Output | None = None) -> None:
        self.session = session
        self.form = form

    def user_id(self, name: str) -> str:
        """`U0ALICE` for `@alice`."""
        found = re.fullmatch(r"<@(\w+)>", self.session.escape(at(name.strip())))
        if not found:
            raise ValueError(f"no one called {at(name.strip())} here; try @you, @alice or @bob")
        return found[1]

    def channel_id(self, name: str) -> str:
        """`C0OPS` for `#ops`."""
        found = re.fullmatch(r"<#(\w+)\|[^>]*>", self.session.escape("#" + name.strip().removeprefix("#")))
        if not found:
            raise ValueError(f"no channel {name.strip()} here; try #general or #ops")
        return found[1]

    def suggestions(self, question: Question, typed: str) -> list[dict]:
        """What the app offers in a form's menu as `typed` is typed there."""
        if self.form is None:
            return []
        return self.session.suggest(
            self.form, action_id=question.action_id, block_id=question.block_id, typed=typed
        )


def main(
    *,
    database_url: str,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    now: datetime | None = None,
) -> int:
    """Run the console until :quit or the end of the input; returns the exit status."""
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    interactive = stdin.isatty() and stdout.isatty()
    session = ConsoleSession(database_url=database_url, now=now)
    try:
        read = _terminal_reader() if interactive else _pipe_reader(stdin, stdout)
        console = Console(session, read=read, write=lambda text: _print(text, stdout), ansi=interactive)
        return console.run()
    finally:
        session.close()


def _print(text: str, stdout: TextIO) -> None:
    stdout.write(text + "\n")
    stdout.flush()


def _terminal_reader() -> Callable[[str], str]:
    """Line editing and history (up arrow, Ctrl-R) through prompt_toolkit."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import InMemoryHistory

    prompts: PromptSession[str] = PromptSession(history=InMemoryHistory())
    return lambda prompt: prompts.prompt(prompt)


def _pipe_reader(stdin: TextIO, stdout: TextIO) -> Callable[[str], str]:
    """Plain lines; each is echoed after its prompt, so the transcript reads as if typed."""

    def read(prompt: str) -> str:
        line = stdin.readline()
        if not line:
            raise EOFError
        line = line.rstrip("\n")
        _print(prompt + line, stdout)
        return line

    return read
