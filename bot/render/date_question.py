"""Which year a due date without one means, when the nearer has passed: that one (overdue) or the next."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, PlainTextObject

from bot.core.command_types import PastDateQuestion, PastDay
from bot.core.dates import format_date, format_full_date
from bot.core.forms.buttons import (
    BUTTON_VALUE_CHARS,
    Action,
    YearChoice,
    new_question_id,
    year_choice_value,
)
from bot.core.text import counted
from bot.render.message import Message, build_message, context, one_line, section

# A batch names this many of its dates; the rest are counted.
_NAMED_DAYS = 5


def past_date_question(question: PastDateQuestion, *, question_id: str | None = None) -> Message:
    """Which year: two buttons, each carrying its command; nothing is saved until one is pressed.

    A command too long for a button's value (a long batch) gets what to type instead.
    """
    asked = question_id or new_question_id()
    overdue = year_choice_value(YearChoice(asked, question.overdue, question.passed))
    upcoming = year_choice_value(YearChoice(asked, question.upcoming, frozenset()))
    if max(len(overdue), len(upcoming)) > BUTTON_VALUE_CHARS:
        return _too_long_to_ask(question)
    text = f"{_passed_words(question.days, today=question.today)} Which do you mean?"
    this_label, next_label = _labels(question.days, today=question.today)
    buttons = [
        ButtonElement(
            text=PlainTextObject(text=this_label), action_id=Action.PAST_DATE_OVERDUE, value=overdue
        ),
        ButtonElement(text=PlainTextObject(text=next_label), action_id=Action.PAST_DATE_NEXT, value=upcoming),
    ]
    blocks = [
        section(text),
        ActionsBlock(block_id="past_date", elements=buttons),
        context("Nothing is saved until you choose."),
    ]
    return build_message(text=text, blocks=blocks)


def question_answered_message() -> Message:
    """A second press on a question already answered: nothing more was done."""
    return one_line("That question was already answered; nothing more was saved.")


def _passed_words(days: tuple[PastDay, ...], *, today: date) -> str:
    """`*Nov 27* has already passed this year.`; a batch: `*Nov 27* (line 1) and *Nov 20* (line 3) have …`."""
    # Last year's day (`Dec 30` on Jan 2) is written with its year, and is not "this year".
    when = " this year" if all(day.passed.year == today.year for day in days) else ""
    if len(days) == 1:
        return f"*{format_date(days[0].passed, today=today)}* has already passed{when}."
    named = [f"*{format_date(day.passed, today=today)}* (line {day.line})" for day in days[:_NAMED_DAYS]]
    if len(days) > _NAMED_DAYS:
        named.append(f"{len(days) - _NAMED_DAYS} more")
    listed = ", ".join(named[:-1]) + f" and {named[-1]}"
    return f"{listed} have already passed{when}."


def _labels(days: tuple[PastDay, ...], *, today: date) -> tuple[str, str]:
    """`Nov 27, 2026 (already 3 days overdue)` / `Nov 27, 2027`; for several dates, their years."""
    passed = {day.passed for day in days}
    upcoming = {day.upcoming for day in days}
    if len(passed) == 1 and len(upcoming) == 1:
        [this], [later] = passed, upcoming
        overdue = counted((today - this).days, "day")
        return f"{format_full_date(this)} (already {overdue} overdue)", format_full_date(later)
    return f"All in {_years(passed)} (already overdue)", f"All in {_years(upcoming)}"


def _years(days: set[date]) -> str:
    """`2027`, or `2026 / 2027` when the days fall in two years (across New Year, or Feb 29)."""
    return " / ".join(str(year) for year in sorted({day.year for day in days}))


def _too_long_to_ask(question: PastDateQuestion) -> Message:
    """No buttons: say what to type for the next one, and how to keep the ones that passed."""
    text = (
        f"⚠️ {question.message} This command is too long to ask with buttons: to keep the dates "
        "that passed, already overdue, add fewer lines at once."
    )
    return one_line(text)
