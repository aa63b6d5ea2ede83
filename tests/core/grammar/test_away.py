"""Reading `/milestone away …`: until a day (read in the sender's zone), off, or alone to ask."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.away import MAX_AWAY_DAYS
from bot.core.command_types import AwayCommand, CommandError, HelpCommand
from tests.support.commands import NOW, error_of, parse

TODAY = NOW.date()  # Wednesday, Nov 25, 2026, in New York
EXAMPLE = "/milestone away until next friday"


@pytest.mark.parametrize(
    ("text", "until"),
    [
        ("away until Dec 20", date(2026, 12, 20)),
        ("away until 2026-12-20", date(2026, 12, 20)),
        ("AWAY UNTIL dec 20th", date(2026, 12, 20)),
        ("away till friday", date(2026, 11, 27)),
        ("away through next friday", date(2026, 12, 4)),
        ("away until today", TODAY),
        ("away until tomorrow", date(2026, 11, 26)),
        ("away until in 2 weeks", date(2026, 12, 9)),
        ("away until Jan 5", date(2027, 1, 5)),
    ],
)
def test_away_until_reads_the_last_day_away(text: str, until: date) -> None:
    assert parse(text) == AwayCommand(until=until)


def test_away_until_reads_the_date_in_the_senders_zone() -> None:
    # 23:30 on Nov 25 in New York is Nov 26 in UTC: `today` is still the 25th for this sender.
    late = datetime(2026, 11, 26, 4, 30, tzinfo=UTC).astimezone(NOW.tzinfo)
    assert parse("away until today", now=late) == AwayCommand(until=date(2026, 11, 25))
    assert parse("away until today", now=late.astimezone(UTC)) == AwayCommand(until=date(2026, 11, 26))


@pytest.mark.parametrize("text", ["away off", "away OFF", "away back"])
def test_away_off_says_the_person_is_back(text: str) -> None:
    assert parse(text) == AwayCommand(until=None)


def test_away_alone_asks_whether_one_is_away() -> None:
    assert parse("away") == AwayCommand(show=True)
    assert parse("  away  ") == AwayCommand(show=True)


@pytest.mark.parametrize(
    ("text", "says", "example"),
    [
        ("away until yesterday", "Nov 24 has passed; give the last day you're away", EXAMPLE),
        ("away until 2026-11-01", "Nov 1 has passed", EXAMPLE),
        ("away until whenever", "I can't read `whenever` as a date", EXAMPLE),
        ("away until Feb 30", "`Feb 30` isn't a real date", EXAMPLE),
        ("away until 2028-01-01", "Jan 1, 2028 is more than a year away", EXAMPLE),
        ("away until", "`until` needs the last day you're away", EXAMPLE),
        (
            "away Dec 20",
            "Say the last day you're away, like `away until Dec 20`",
            "/milestone away until Dec 20",
        ),
        ("away next friday", "Say the last day you're away", "/milestone away until next friday"),
        ("away forever", "not `forever`", EXAMPLE),
        ("away off now", "`away off` takes nothing more; I don't know `now`", "/milestone away off"),
    ],
)
def test_away_refuses_a_day_that_is_past_garbled_or_unsaid(text: str, says: str, example: str) -> None:
    error = error_of(text)
    assert says in error.message
    assert error.example == example


def test_help_knows_the_away_topic() -> None:
    assert parse("help away") == HelpCommand("away")


@settings(max_examples=200, deadline=None)
@given(st.integers(-400, MAX_AWAY_DAYS + 40))
def test_any_day_from_today_within_a_year_is_taken_and_any_other_refused(shift: int) -> None:
    day = TODAY + timedelta(days=shift)
    try:
        command = parse(f"away until {day.isoformat()}")
    except CommandError as error:
        assert shift < 0 or shift > MAX_AWAY_DAYS
        assert isinstance(parse(error.example.removeprefix("/milestone ")), AwayCommand)
        return
    assert 0 <= shift <= MAX_AWAY_DAYS
    assert command == AwayCommand(until=day)


AWAY_WORDS = ["until", "till", "off", "back", "Dec", "20", "2026-12-20", "yesterday", "friday", "next",
              "<@U1|bob>", "today", "&amp;", ",", '"', "in", "2", "weeks"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(AWAY_WORDS), st.text(max_size=5)), max_size=6))
def test_any_away_text_is_a_command_or_a_short_error_with_a_working_example(words: list[str]) -> None:
    text = " ".join(["away", *words])
    try:
        command = parse(text)
    except CommandError as error:
        assert 0 < len(error.message) <= 300
        assert "\n" not in error.message
        assert isinstance(parse(error.example.removeprefix("/milestone ")), AwayCommand)
        return
    assert isinstance(command, AwayCommand)
    if command.until is not None:
        assert TODAY <= command.until <= TODAY + timedelta(days=MAX_AWAY_DAYS)
