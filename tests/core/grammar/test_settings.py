"""Reading `/milestone settings …` and `/milestone review`: time zone, reminders, weekly review, pause."""

from __future__ import annotations

import re
import zoneinfo
from datetime import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.command_types import CommandError, ReviewCommand, SettingsChange, SettingsCommand
from bot.core.grammar.settings import TimeError, parse_time
from tests.support.commands import error_of, parse

DESIGN_EXAMPLE = "settings timezone Europe/Berlin reminders 7,1,0 at 09:30 review fri 16:00"


def change_of(text: str) -> SettingsChange:
    command = parse(text)
    assert isinstance(command, SettingsCommand)
    return command.change


# settings as a whole


def test_settings_reads_the_design_example() -> None:
    assert change_of(DESIGN_EXAMPLE) == SettingsChange(
        timezone="Europe/Berlin",
        reminder_days=(7, 1, 0),
        reminder_time=time(9, 30),
        review_weekday=4,
        review_time=time(16, 0),
    )


def test_settings_alone_opens_the_modal() -> None:
    command = parse("settings")
    assert command == SettingsCommand(SettingsChange())
    assert isinstance(command, SettingsCommand)
    assert command.change.is_empty()


def test_settings_reads_clauses_in_any_order_with_any_case_and_commas() -> None:
    assert change_of("SETTINGS Pause, Review MON, TZ: utc, Reminders off") == SettingsChange(
        timezone="UTC", reminder_days=(), review_weekday=0, paused=True
    )


@pytest.mark.parametrize(
    "text",
    [
        "settings tz UTC timezone Europe/Berlin",
        "settings review mon pause review fri",
        "settings pause tz UTC pause",
        "settings pause pause",
        "settings tz timezone UTC",
    ],
)
def test_settings_refuses_a_setting_given_twice(text: str) -> None:
    assert "given twice" in error_of(text).message


@pytest.mark.parametrize(
    "text", ["settings foo", "settings please pause", "settings pause now", "settings reminders 7 at 9 sharp"]
)
def test_settings_names_unknown_words_and_lists_the_settings(text: str) -> None:
    error = error_of(text)
    assert f"`{text.split()[-1]}`" in error.message
    assert "timezone, reminders, review, pause and resume" in error.message
    assert error.example == f"/milestone {DESIGN_EXAMPLE}"


def test_settings_suggests_the_setting_meant_by_a_typo() -> None:
    assert "did you mean `timezone`?" in error_of("settings timzone UTC").message
    assert "did you mean `reminders`?" in error_of("settings remindrs 7").message


def test_settings_errors_show_mentions_as_plain_text() -> None:
    for text in ("settings tz <@U1|bob>", "settings reminders <#C1|general>", "settings review <!here>"):
        message = error_of(text).message
        assert "<" not in message
        assert ">" not in message


# timezone


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("timezone Europe/Berlin", "Europe/Berlin"),
        ("timezone europe/berlin", "Europe/Berlin"),
        ("tz EUROPE/BERLIN", "Europe/Berlin"),
        ("tz utc", "UTC"),
        ("tz UTC", "UTC"),
        ("timezone: America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("timezone America/New York", "America/New_York"),
    ],
)
def test_settings_timezone_reads_a_zone_in_its_canonical_spelling(text: str, zone: str) -> None:
    assert change_of(f"settings {text}") == SettingsChange(timezone=zone)


@pytest.mark.parametrize(
    ("written", "suggested"),
    [
        ("Europe/Berln", "`Europe/Berlin`"),
        ("berlin", "`Europe/Berlin`"),
        ("New York", "`America/New_York`"),
        ("PST", "`America/Los_Angeles`"),
    ],
)
def test_settings_timezone_suggests_the_closest_zones(written: str, suggested: str) -> None:
    error = error_of(f"settings timezone {written}")
    assert error.message.startswith(f"I don't know the time zone `{written}`; did you mean ")
    assert suggested in error.message
    assert error.example == "/milestone settings timezone Europe/Berlin"


@pytest.mark.parametrize("written", ["Mars/Olympus_Mons", "localtime", "posixrules", "Factory"])
def test_settings_timezone_refuses_what_is_no_place(written: str) -> None:
    error = error_of(f"settings tz {written}")
    assert f"`{written}`" in error.message
    assert error.example == "/milestone settings timezone Europe/Berlin"


def test_settings_timezone_needs_a_zone() -> None:
    assert "`timezone` needs a time zone" in error_of("settings timezone pause").message


# reminders


@pytest.mark.parametrize(
    ("written", "days"),
    [
        ("7,1,0", (7, 1, 0)),
        ("14, 7, 1", (14, 7, 1)),
        ("1 7 14", (14, 7, 1)),
        ("0,7,7,1,", (7, 1, 0)),
        ("60", (60,)),
        ("0", (0,)),
        ("1,2,3,4,5,6", (6, 5, 4, 3, 2, 1)),
        ("off", ()),
        ("None", ()),
    ],
)
def test_settings_reminders_reads_days_before_the_due_date_furthest_first(
    written: str, days: tuple[int, ...]
) -> None:
    assert change_of(f"settings reminders {written}") == SettingsChange(reminder_days=days)


def test_settings_reminders_reads_a_time_after_the_days() -> None:
    assert change_of("settings reminders 7,1,0 at 09:30") == SettingsChange(
        reminder_days=(7, 1, 0), reminder_time=time(9, 30)
    )
    assert change_of("settings reminders 14, 7 at 9:30 pm") == SettingsChange(
        reminder_days=(14, 7), reminder_time=time(21, 30)
    )


def test_settings_reminders_at_a_time_alone_changes_only_the_time() -> None:
    assert change_of("settings reminders at 8am") == SettingsChange(reminder_time=time(8))


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("settings reminders", "`reminders` needs days before the due date"),
        ("settings reminders 61", "61 isn't a number of days from 0 to 60."),
        ("settings reminders -1", "`-1` isn't a number of days"),
        ("settings reminders 7.5", "`7.5` isn't a number of days"),
        ("settings reminders 7, soon", "`soon` isn't a number of days"),
        ("settings reminders off 7", "`off` isn't a number of days"),
        ("settings reminders 1,2,3,4,5,6,7", "That's 7 reminders; keep it to 6."),
        ("settings reminders 7,1,0 9:30", "Put `at` before the time"),
        ("settings reminders 7 9am", "Put `at` before the time"),
        ("settings reminders 7 at", "`at` needs a time"),
    ],
)
def test_settings_reminders_refuses_what_are_not_days(text: str, says: str) -> None:
    error = error_of(text)
    assert says in error.message
    assert error.example == "/milestone settings reminders 7,1,0 at 09:30"


# review


@pytest.mark.parametrize(
    ("written", "weekday", "at"),
    [
        ("fri 16:00", 4, time(16)),
        ("Friday at 4pm", 4, time(16)),
        ("MON", 0, None),
        ("tue", 1, None),
        ("tues at noon", 1, time(12)),
        ("wednesday 9", 2, time(9)),
        ("thurs 12am", 3, time(0)),
        ("saturdays", 5, None),
        ("sun 9:30 am", 6, time(9, 30)),
    ],
)
def test_settings_review_reads_a_weekday_and_an_optional_time(
    written: str, weekday: int, at: time | None
) -> None:
    assert change_of(f"settings review {written}") == SettingsChange(review_weekday=weekday, review_time=at)


@pytest.mark.parametrize("written", ["at 16:00", "16:00", "4pm"])
def test_settings_review_with_only_a_time_changes_only_the_time(written: str) -> None:
    assert change_of(f"settings review {written}") == SettingsChange(review_time=time(16))


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("settings review", "`review` needs a weekday"),
        ("settings review funday", "`funday` isn't a weekday; use mon, tue, wed, thu, fri, sat or sun"),
        ("settings review fri at", "`at` needs a time"),
        ("settings review fri 25:00", "I can't read `25:00` as a time"),
        ("settings review fri later", "I can't read `later` as a time"),
    ],
)
def test_settings_review_refuses_what_is_not_a_weekday_and_time(text: str, says: str) -> None:
    error = error_of(text)
    assert says in error.message
    assert error.example == "/milestone settings review mon at 09:30"


# times


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("09:30", time(9, 30)),
        ("9:30", time(9, 30)),
        ("9", time(9)),
        ("0:00", time(0)),
        ("23:59", time(23, 59)),
        ("16:00", time(16)),
        ("9am", time(9)),
        ("9 AM", time(9)),
        ("9:30 pm", time(21, 30)),
        ("9:30pm", time(21, 30)),
        ("4pm", time(16)),
        ("4 p.m.", time(16)),
        ("12am", time(0)),
        ("12:15 a.m.", time(0, 15)),
        ("12pm", time(12)),
        ("noon", time(12)),
        ("Midnight", time(0)),
    ],
)
def test_a_time_of_day_reads_however_it_is_written(written: str, expected: time) -> None:
    assert parse_time(written) == expected


@pytest.mark.parametrize(
    "written", ["24:00", "9:60", "9:5", "930", "13pm", "0am", "16:00 pm", "-1", "nine", "9.30", "9:30:00", ""]
)
def test_a_time_of_day_refuses_what_no_clock_shows(written: str) -> None:
    with pytest.raises(TimeError):
        parse_time(written)


def test_a_bad_time_is_named_with_an_example_at_0930() -> None:
    error = error_of("settings reminders 7 at 9:75")
    assert "`9:75`" in error.message
    assert error.example.endswith(" at 09:30")


@settings(max_examples=200, deadline=None)
@given(st.times().map(lambda moment: moment.replace(second=0, microsecond=0)))
def test_a_time_of_day_reads_back_in_24_hour_and_12_hour_form(moment: time) -> None:
    assert parse_time(f"{moment:%H:%M}") == moment
    assert parse_time(f"{moment:%I:%M %p}") == moment
    assert parse_time(f"{moment:%I:%M%p}".lstrip("0")) == moment


# pause and resume


def test_settings_pause_and_resume_set_paused() -> None:
    assert change_of("settings pause") == SettingsChange(paused=True)
    assert change_of("settings resume") == SettingsChange(paused=False)


def test_settings_refuses_pause_and_resume_together() -> None:
    error = error_of("settings pause review mon resume")
    assert "`pause` or `resume`, not both" in error.message


# review now


def test_review_posts_the_check_in_now() -> None:
    assert parse("review") == ReviewCommand()
    assert parse("  REVIEW ") == ReviewCommand()


def test_review_refuses_words_after_it_and_points_to_settings() -> None:
    error = error_of("review fri 16:00")
    assert "`fri 16:00`" in error.message
    assert "/milestone settings review" in error.message
    assert error.example == "/milestone review"


# properties

SETTING_WORDS = [
    "timezone", "tz", "reminders", "review", "pause", "resume", "at", "Europe/Berlin", "utc", "europe/berln",
    "7,1,0", "14,", "7", "0", "61", "-1", "off", "none", "fri", "Monday", "sundays", "9:30", "9am", "9", "pm",
    "noon", "16:00", "25:00", "12:60", ",", "<@U1|bob>", "<#C1|gen>", "&amp;", '"', "\n",
]  # fmt: skip
settings_texts = st.lists(
    st.one_of(st.sampled_from(SETTING_WORDS), st.text(st.characters(blacklist_characters="<>&"), max_size=5)),
    max_size=12,
).map(lambda words: " ".join(["settings", *words]))


@settings(max_examples=300, deadline=None)
@given(settings_texts)
def test_any_settings_text_gives_a_valid_change_or_a_short_error(text: str) -> None:
    try:
        command = parse(text)
    except CommandError as error:
        assert 0 < len(error.message) <= 300
        assert "\n" not in error.message
        assert "<" not in error.message
        assert ">" not in error.message
        assert isinstance(parse(error.example.removeprefix("/milestone ")), SettingsCommand)
        assert all(len(quoted) <= 60 for quoted in re.findall(r"`([^`]*)`", error.message))
        return
    assert isinstance(command, SettingsCommand)
    change = command.change
    if change.timezone is not None:
        assert change.timezone == "UTC" or change.timezone in zoneinfo.available_timezones()
    if change.reminder_days is not None:
        assert list(change.reminder_days) == sorted(set(change.reminder_days), reverse=True)
        assert len(change.reminder_days) <= 6
        assert all(0 <= day <= 60 for day in change.reminder_days)
    assert change.review_weekday is None or 0 <= change.review_weekday <= 6
