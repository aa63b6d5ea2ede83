"""The past-date question as a person reads it: which date passed, two buttons, and what each one runs."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.command_types import PastDateQuestion
from bot.core.forms.buttons import (
    BUTTON_VALUE_CHARS,
    Action,
    YearChoice,
    read_year_choice_value,
    year_choice_value,
)
from bot.core.grammar.bulk_add import read_add_lines
from bot.core.grammar.command import parse_command
from bot.render.date_question import past_date_question, question_answered_message
from tests.support.blocks import action_elements, assert_valid, mrkdwn_texts

NOV_30 = datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("America/New_York"))


def asked(text: str) -> PastDateQuestion:
    with pytest.raises(PastDateQuestion) as caught:
        if read_add_lines(text, now=NOV_30, user_id="U1") is None:
            parse_command(text, now=NOV_30, user_id="U1")
    return caught.value


def test_the_question_names_the_date_and_offers_both_years() -> None:
    message = past_date_question(asked("add Register company due Nov 27"), question_id="q1")

    assert_valid(message)
    assert list(mrkdwn_texts(message.blocks)) == [
        "*Nov 27* has already passed this year. Which do you mean?",
        "Nothing is saved until you choose.",
    ]
    overdue, upcoming = action_elements(message.blocks)
    assert (overdue["action_id"], upcoming["action_id"]) == (Action.PAST_DATE_OVERDUE, Action.PAST_DATE_NEXT)
    assert overdue["text"]["text"] == "Nov 27, 2026 (already 3 days overdue)"
    assert upcoming["text"]["text"] == "Nov 27, 2027"
    assert read_year_choice_value(overdue["value"]) == YearChoice(
        "q1", "add Register company due 2026-11-27", frozenset({date(2026, 11, 27)})
    )
    assert read_year_choice_value(upcoming["value"]) == YearChoice(
        "q1", "add Register company due 2027-11-27", frozenset()
    )


def test_each_question_gets_its_own_id() -> None:
    question = asked("add Register company due Nov 27")
    first, second = past_date_question(question), past_date_question(question)
    ids = {
        read_year_choice_value(b["value"]).question_id
        for m in (first, second)
        for b in action_elements(m.blocks)
    }
    assert len(ids) == 2


def test_a_batch_names_each_line_and_offers_the_years() -> None:
    lines = [f"Task {n} due Nov {20 + n}" for n in range(1, 8)]
    message = past_date_question(asked("add " + "\n".join(lines)))

    assert_valid(message)
    assert message.text == (
        "*Nov 21* (line 1), *Nov 22* (line 2), *Nov 23* (line 3), *Nov 24* (line 4), *Nov 25* (line 5) "
        "and 2 more have already passed this year. Which do you mean?"
    )
    labels = [button["text"]["text"] for button in action_elements(message.blocks)]
    assert labels == ["All in 2026 (already overdue)", "All in 2027"]


def test_a_batch_across_new_year_names_both_years() -> None:
    jan_2 = datetime(2027, 1, 2, 10, 0, tzinfo=ZoneInfo("America/New_York"))
    with pytest.raises(PastDateQuestion) as caught:
        read_add_lines("add Close the books due Dec 31\nHire due Jan 1", now=jan_2, user_id="U1")
    message = past_date_question(caught.value)

    assert message.text == (
        "*Dec 31, 2026* (line 1) and *Jan 1* (line 2) have already passed. Which do you mean?"
    )
    labels = [button["text"]["text"] for button in action_elements(message.blocks)]
    assert labels == ["All in 2026 / 2027 (already overdue)", "All in 2027 / 2028"]


def test_a_command_too_long_for_a_button_says_what_to_type_instead() -> None:
    title = "Register the company with the state and the county " * 2
    text = "add " + "\n".join(f"{title.strip()} {n} due Nov 27" for n in range(1, 21))
    message = past_date_question(asked(text))

    assert_valid(message)
    assert action_elements(message.blocks) == []
    assert message.text.startswith("⚠️ Lines 1, 2, 3")
    assert "write the years, like `2027-11-27`" in message.text
    assert "too long to ask with buttons" in message.text


def test_a_button_value_stays_within_slacks_limit_or_is_not_offered() -> None:
    value = year_choice_value(YearChoice("q" * 32, "add x due 2026-11-27", frozenset({date(2026, 11, 27)})))
    assert len(value) < BUTTON_VALUE_CHARS
    with pytest.raises(ValueError, match="not a past-date choice"):
        read_year_choice_value('{"q": 1}')
    with pytest.raises(ValueError):
        read_year_choice_value("12")


def test_a_second_press_says_nothing_more_was_saved() -> None:
    message = question_answered_message()
    assert_valid(message)
    assert message.text == "That question was already answered; nothing more was saved."
