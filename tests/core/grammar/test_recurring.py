"""`every week|month|quarter` in `add` and `update`: a clause where meant, else words of a title."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.command_types import AddCommand, CommandError, UpdateCommand
from bot.core.grammar.bulk_add import read_add_lines
from bot.core.recurrence import RECURRENCES
from bot.core.vocabulary import Field
from tests.support.commands import ME, NOW, error_of, parse


def added(text: str) -> AddCommand:
    command = parse(text)
    assert isinstance(command, AddCommand)
    return command


def updated(text: str) -> UpdateCommand:
    command = parse(text)
    assert isinstance(command, UpdateCommand)
    return command


@pytest.mark.parametrize("every", RECURRENCES)
def test_add_takes_a_trailing_every_period(every: str) -> None:
    fields = added(f"add Monthly close due 2026-12-31 every {every}").fields
    assert (fields.title, fields.due, fields.recurrence) == ("Monthly close", date(2026, 12, 31), every)


def test_every_may_come_anywhere_among_the_clauses_and_in_any_case() -> None:
    fields = added("add Monthly close EVERY Month due Dec 31 owner <@U2>").fields
    assert (fields.title, fields.recurrence, fields.owner_id) == ("Monthly close", "month", "U2")


def test_every_before_other_words_stays_in_the_title() -> None:
    assert added("add Check every invoice due Dec 15").fields.title == "Check every invoice"
    assert added('add Close every "month" due Dec 15').fields.title == 'Close every "month"'
    assert added('add "Review every quarter" due Dec 15').fields.recurrence is None


def test_a_milestone_that_does_not_repeat_has_no_recurrence() -> None:
    assert added("add Launch beta due Dec 15").fields.recurrence is None


@pytest.mark.parametrize(
    ("text", "said", "example"),
    [
        (
            "add Monthly close due 2026-12-31 every fortnight",
            "I can't repeat every `fortnight`; say every week, every month or every quarter.",
            "/milestone add Monthly close due 2026-12-31 every month",
        ),
        (
            "add Monthly close due 2026-12-31 every 0 months owner me",
            "I can't repeat every `0 months`; say every week, every month or every quarter.",
            "/milestone add Monthly close due 2026-12-31 every month owner me",
        ),
        (
            "add Monthly close due 2026-12-31 every 3 months",
            "I repeat by week, month or quarter; did you mean `every quarter`?",
            "/milestone add Monthly close due 2026-12-31 every quarter",
        ),
        (
            "add Monthly close due 2026-12-31 every monthly",
            "I repeat by week, month or quarter; did you mean `every month`?",
            "/milestone add Monthly close due 2026-12-31 every month",
        ),
        (
            "add Monthly close due 2026-12-31 every",
            "`every` needs a period, like `every month`.",
            "/milestone add Launch beta every month",
        ),
        (
            "update 12 every 2 weeks",
            "I can't repeat every `2 weeks`; say every week, every month or every quarter.",
            "/milestone update 12 every month",
        ),
    ],
)
def test_a_wrong_period_is_refused_with_one_correct_example(text: str, said: str, example: str) -> None:
    error = error_of(text)
    assert (error.message, error.example) == (said, example)


def test_a_period_given_twice_is_refused() -> None:
    assert error_of("add Close every month due Dec 31 every week").message == (
        "The recurrence is given twice; give it once."
    )


def test_update_sets_or_clears_the_recurrence() -> None:
    assert updated("update 12 every quarter").fields.recurrence == "quarter"
    cleared = updated("update #12 every none")
    assert cleared.cleared == frozenset({Field.RECURRENCE})
    assert not cleared.is_empty()
    assert updated("update 12 every off").cleared == frozenset({Field.RECURRENCE})
    assert updated("update 12 due Jan 20 every week because it moved").fields.recurrence == "week"


def test_a_title_update_keeps_every_of_its_own() -> None:
    assert updated("update 12 title Check every invoice").fields.title == "Check every invoice"


# properties

_KEYWORDS = ("due", "by", "start", "owner", "budget", "dept", "department", "every")
plain_words = st.text(st.characters(whitelist_categories=("L",)), min_size=1, max_size=8).filter(
    lambda word: word.lower() not in _KEYWORDS
)


@settings(max_examples=200, deadline=None)
@given(st.lists(plain_words, min_size=1, max_size=6), st.sampled_from(RECURRENCES), st.booleans())
def test_any_title_with_any_period_reads_back(words: list[str], every: str, first: bool) -> None:
    title = " ".join(words)
    text = f"add {title} every {every} due Dec 31" if first else f"add {title} due Dec 31 every {every}"
    fields = added(text).fields
    assert (fields.title, fields.recurrence) == (title, every)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_anything_after_every_gives_a_period_or_a_short_error(written: str) -> None:
    for text in (f"add Close due Dec 31 every {written}", f"update 12 every {written}"):
        try:
            command = parse(text)
        except CommandError as error:
            assert len(error.message) <= 300
            assert error.example.startswith("/milestone ")
            continue
        if isinstance(command, AddCommand):
            assert command.fields.recurrence in (None, *RECURRENCES)


def test_each_line_of_a_bulk_add_may_repeat_on_its_own() -> None:
    text = "add Close due Dec 1 every month\nReport due Dec 2 every week\nLaunch due Dec 3"
    lines = read_add_lines(text, now=NOW, user_id=ME)
    assert [(fields.title, fields.recurrence) for fields in lines or []] == [
        ("Close", "month"),
        ("Report", "week"),
        ("Launch", None),
    ]
