"""Read `add` with a milestone on each line: every line read as its own `add`, or the wrong line named."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime

from bot.core.command_types import AddCommand, CommandError, MilestoneFields, PastDateQuestion
from bot.core.grammar.command import MAX_COMMAND_LENGTH, parse_command

# How many milestones one `add` may list, one a line.
MAX_BULK_LINES = 50
_EXAMPLE = "/milestone add Launch beta due Dec 15 owner @alice"


def read_add_lines(
    text: str, *, now: datetime, user_id: str, overdue_ok: frozenset[date] = frozenset()
) -> list[MilestoneFields] | None:
    """`add` with a milestone on each line: every line's fields, or a CommandError naming the wrong line.

    None when the text is not an `add` of several lines (the usual grammar reads it). Due dates without a
    year that have passed this year are asked about in one PastDateQuestion for the batch, once every line
    reads; `overdue_ok` are past due dates taken as they are, chosen by answering it.
    """
    words = text.split(maxsplit=1)
    # Anything too long is refused by the grammar, as every command is.
    if not words or words[0].lower() != "add" or len(text) > MAX_COMMAND_LENGTH:
        return None
    lines = [line.strip() for line in text.strip()[len(words[0]) :].splitlines()]
    lines = [line for line in lines if line]
    if len(lines) < 2:
        return None
    if len(lines) > MAX_BULK_LINES:
        raise CommandError(
            f"That's {len(lines)} lines; add at most {MAX_BULK_LINES} at once.", example=_EXAMPLE
        )
    fields: list[MilestoneFields] = []
    questions: dict[int, PastDateQuestion] = {}
    for number, line in enumerate(lines, start=1):
        try:
            fields.append(_read_line(line, number=number, now=now, user_id=user_id, overdue_ok=overdue_ok))
        except PastDateQuestion as question:
            questions[number] = question
    if questions:
        raise _batch_question(lines, questions, today=now.date())
    return fields


def _read_line(
    line: str, *, number: int, now: datetime, user_id: str, overdue_ok: frozenset[date]
) -> MilestoneFields:
    try:
        parsed = parse_command(f"add {line}", now=now, user_id=user_id, overdue_ok=overdue_ok)
    except PastDateQuestion:
        raise
    except CommandError as error:
        message = f"Line {number}: {error.message} Nothing was added."
        raise CommandError(message, example=error.example) from None
    if not isinstance(parsed, AddCommand) or not parsed.fields.title:
        raise CommandError(f"Line {number} has no title. Nothing was added.", example=_EXAMPLE)
    if parsed.after is not None:
        # The numbers of a list's own lines are not known before it is added: say it once they are.
        message = f"Line {number}: add them first, then `/milestone update <n> after {parsed.after}`."
        raise CommandError(
            f"{message} Nothing was added.", example=f"/milestone update 12 after {parsed.after}"
        )
    return parsed.fields


def _batch_question(
    lines: list[str], questions: dict[int, PastDateQuestion], *, today: date
) -> PastDateQuestion:
    """One question for the batch: every such date on the day that passed (overdue), or the next time."""

    def batch(command_of: Callable[[PastDateQuestion], str]) -> str:
        chosen = [
            command_of(questions[n]).removeprefix("add ") if n in questions else line
            for n, line in enumerate(lines, start=1)
        ]
        return "add " + "\n".join(chosen)

    days = tuple(replace(day, line=n) for n, question in questions.items() for day in question.days)
    first_number, first = next(iter(questions.items()))
    if len(questions) == 1:
        message = f"Line {first_number}: {first.message} Nothing was added."
    else:
        named = ", ".join(str(n) for n in list(questions)[:-1]) + f" and {list(questions)[-1]}"
        example = first.days[0].upcoming.isoformat()
        when = " this year" if all(day.passed.year == today.year for day in days) else ""
        message = (
            f"Lines {named}: their due dates have already passed{when}; "
            f"write the years, like `{example}`. Nothing was added."
        )
    return PastDateQuestion(
        message,
        example=first.example,
        days=days,
        overdue=batch(lambda question: question.overdue),
        upcoming=batch(lambda question: question.upcoming),
        today=today,
    )
