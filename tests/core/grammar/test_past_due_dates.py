"""A due date without a year that has passed this year becomes a question carrying the person's own command
twice, with the date written out as this year's or the next; the rest of the command reads first."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.command_types import (
    AddCommand,
    CommandError,
    DoneCommand,
    PastDateQuestion,
    PastDay,
    UpdateCommand,
)
from bot.core.grammar.bulk_add import read_add_lines
from bot.core.grammar.command import parse_command

# Monday Nov 30, 2026.
NOV_30 = datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("America/New_York"))
NOV_27 = date(2026, 11, 27)


def question_of(text: str) -> PastDateQuestion:
    with pytest.raises(PastDateQuestion) as caught:
        parse_command(text, now=NOV_30, user_id="U1")
    return caught.value


@pytest.mark.parametrize(
    ("text", "overdue", "upcoming"),
    [
        (
            "add Register company due Nov 27",
            "add Register company due 2026-11-27",
            "add Register company due 2027-11-27",
        ),
        (
            'add "Due diligence" by Nov 27th owner <@U2|bob> budget $5,000',
            'add "Due diligence" by 2026-11-27 owner <@U2|bob> budget $5,000',
            'add "Due diligence" by 2027-11-27 owner <@U2|bob> budget $5,000',
        ),
        (
            "add Register company due on 27 Nov, dept Legal",
            "add Register company due 2026-11-27, dept Legal",
            "add Register company due 2027-11-27, dept Legal",
        ),
        (
            "update 12 due Nov 27 because the notary was booked",
            "update 12 due 2026-11-27 because the notary was booked",
            "update 12 due 2027-11-27 because the notary was booked",
        ),
    ],
)
def test_the_question_carries_the_command_with_the_date_written_out(
    text: str, overdue: str, upcoming: str
) -> None:
    question = question_of(text)
    assert (question.overdue, question.upcoming) == (overdue, upcoming)
    assert question.days == (PastDay(passed=NOV_27, upcoming=date(2027, 11, 27)),)
    assert question.today == NOV_30.date()
    assert question.message.startswith("Due date: `")
    assert "has already passed this year; write the year, like `2027-11-27`." in question.message


def test_the_overdue_choice_reads_only_with_its_date_taken_as_it_is() -> None:
    question = question_of("add Register company due Nov 27 owner <@U2|bob>")
    with pytest.raises(CommandError, match="in the past"):
        parse_command(question.overdue, now=NOV_30, user_id="U1")
    chosen = parse_command(question.overdue, now=NOV_30, user_id="U1", overdue_ok=question.passed)
    assert isinstance(chosen, AddCommand)
    assert (chosen.fields.title, chosen.fields.due, chosen.fields.owner_id) == (
        "Register company",
        NOV_27,
        "U2",
    )
    upcoming = parse_command(question.upcoming, now=NOV_30, user_id="U1")
    assert isinstance(upcoming, AddCommand)
    assert upcoming.fields.due == date(2027, 11, 27)


def test_an_update_asks_and_the_choice_keeps_the_reason() -> None:
    question = question_of("update 12 due Nov 27 because the notary was booked")
    chosen = parse_command(question.overdue, now=NOV_30, user_id="U1", overdue_ok=question.passed)
    assert isinstance(chosen, UpdateCommand)
    assert (chosen.number, chosen.fields.due, chosen.reason) == (12, NOV_27, "the notary was booked")


def test_a_slip_elsewhere_in_the_command_is_said_before_the_question() -> None:
    with pytest.raises(CommandError) as caught:
        parse_command("add Register company due Nov 27 owner bob", now=NOV_30, user_id="U1")
    assert not isinstance(caught.value, PastDateQuestion)
    assert "I can't tell who `bob` is" in caught.value.message
    # Put right in their own words: the date as they typed it, to be asked about once sent.
    assert caught.value.example == "/milestone add Register company due Nov 27 owner @bob"


def test_a_misspelt_verb_is_put_right_keeping_the_date_as_typed() -> None:
    with pytest.raises(CommandError) as caught:
        parse_command("ad Register company due Nov 27", now=NOV_30, user_id="U1")
    assert caught.value.message == "I don't know `ad`; did you mean `add`?"
    assert caught.value.example == "/milestone add Register company due Nov 27"


def test_done_since_and_start_keep_meaning_this_year() -> None:
    done = parse_command("done 3 on Nov 27", now=NOV_30, user_id="U1")
    assert isinstance(done, DoneCommand)
    assert done.completed_on == NOV_27
    added = parse_command("add Register company start Nov 27 due Dec 15", now=NOV_30, user_id="U1")
    assert isinstance(added, AddCommand)
    assert (added.fields.start, added.fields.due) == (NOV_27, date(2026, 12, 15))


def test_a_day_nearer_next_year_and_a_written_year_are_not_asked_about() -> None:
    soon = parse_command("add Kickoff due Jan 5", now=NOV_30, user_id="U1")
    assert isinstance(soon, AddCommand)
    assert soon.fields.due == date(2027, 1, 5)
    with pytest.raises(CommandError, match="in the past") as caught:
        parse_command("add Register company due Nov 27 2026", now=NOV_30, user_id="U1")
    assert not isinstance(caught.value, PastDateQuestion)


def test_a_batch_asks_once_for_every_passed_date() -> None:
    text = "add Register company due Nov 27\nLaunch beta due Dec 15\nOpen office due Nov 20 owner <@U2|bob>"
    with pytest.raises(PastDateQuestion) as caught:
        read_add_lines(text, now=NOV_30, user_id="U1")
    question = caught.value
    assert question.days == (
        PastDay(passed=NOV_27, upcoming=date(2027, 11, 27), line=1),
        PastDay(passed=date(2026, 11, 20), upcoming=date(2027, 11, 20), line=3),
    )
    assert question.message == (
        "Lines 1 and 3: their due dates have already passed this year; write the years, like `2027-11-27`. "
        "Nothing was added."
    )
    assert question.upcoming == (
        "add Register company due 2027-11-27\nLaunch beta due Dec 15\n"
        "Open office due 2027-11-20 owner <@U2|bob>"
    )
    lines = read_add_lines(question.overdue, now=NOV_30, user_id="U1", overdue_ok=question.passed)
    assert [line.due for line in lines or []] == [NOV_27, date(2026, 12, 15), date(2026, 11, 20)]


def test_a_batch_with_one_passed_date_names_its_line() -> None:
    with pytest.raises(PastDateQuestion, match=r"^Line 2: Due date: `Nov 27` has already passed"):
        read_add_lines("add Launch beta due Dec 15\nRegister company due Nov 27", now=NOV_30, user_id="U1")


def test_a_wrong_line_in_a_batch_is_said_before_the_question() -> None:
    text = "add Register company due Nov 27\nLaunch beta due whenever"
    with pytest.raises(CommandError, match=r"^Line 2: ") as caught:
        read_add_lines(text, now=NOV_30, user_id="U1")
    assert not isinstance(caught.value, PastDateQuestion)
