"""The answers to `/milestone away …`, as the person reads them."""

from __future__ import annotations

from datetime import date

from bot.render.away import away_set_message, away_status_message, back_message
from tests.support.blocks import assert_valid

TODAY = date(2026, 11, 25)


def test_away_until_names_the_day_what_it_means_and_how_to_come_back():
    message = away_set_message(date(2026, 12, 20), today=TODAY)

    assert_valid(message)
    assert message.text == (
        "🌴 You're away until Sun Dec 20: reminders won't ping you, reviews won't wait for you or DM you."
        " Back early? `/milestone away off`"
    )
    assert [block["text"]["text"] for block in message.blocks] == [message.text]


def test_a_day_in_another_year_shows_its_year():
    assert "until Mon Jan 4, 2027:" in away_set_message(date(2027, 1, 4), today=TODAY).text


def test_back_says_welcome_or_that_there_was_nothing_to_undo():
    assert back_message(was_away=True).text == "👋 Welcome back — reminders and reviews include you again."
    nothing = back_message(was_away=False)
    assert_valid(nothing)
    assert nothing.text.startswith("You weren't marked away.")


def test_away_alone_says_whether_one_is_away_and_how_to_set_it():
    away = away_status_message(date(2026, 12, 20), today=TODAY)
    here = away_status_message(None, today=TODAY)

    assert away.text.startswith("🌴 You're away until Sun Dec 20:")
    assert_valid(here)
    assert here.text.startswith("You're not marked away. Going away? `/milestone away until Dec 20`")
