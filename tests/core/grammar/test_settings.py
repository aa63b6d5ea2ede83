"""Reading `/milestone settings …` and `/milestone review`: time zone, reminders, weekly review, working days,
public holidays, the review's DMs and chase, where reminders go, pause."""

from __future__ import annotations

import re
import zoneinfo
from datetime import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.command_types import NO_HOLIDAYS, CommandError, ReviewCommand, SettingsChange, SettingsCommand
from bot.core.grammar.settings import TimeError, parse_time
from bot.core.workdays import WEEKDAYS
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
    assert (
        "timezone, reminders, overdue, escalate, review, workdays, holidays, chase, pause and resume"
        in error.message
    )
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
    # Their own command, with the closest zone in place of what they wrote.
    assert error.example == f"/milestone settings timezone {suggested.strip('`')}"


def test_settings_timezone_put_right_keeps_the_other_settings() -> None:
    error = error_of("settings tz Europe/Berln review fri 16:00")
    assert error.example == "/milestone settings tz Europe/Berlin review fri 16:00"


@pytest.mark.parametrize("written", ["Mars/Olympus_Mons", "localtime", "posixrules", "Factory"])
def test_settings_timezone_refuses_what_is_no_place(written: str) -> None:
    error = error_of(f"settings tz {written}")
    assert f"`{written}`" in error.message
    # The example is the closest zone the answer suggests, if any, else the generic one.
    zone = error.example.removeprefix("/milestone settings ").split(" ", 1)[1]
    assert zone == "Europe/Berlin" or f"`{zone}`" in error.message


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


# working days


@pytest.mark.parametrize(
    ("written", "days"),
    [
        ("mon-fri", (0, 1, 2, 3, 4)),
        ("MON-FRI", (0, 1, 2, 3, 4)),
        ("sun-thu", (0, 1, 2, 3, 6)),
        ("fri-mon", (0, 4, 5, 6)),
        ("mon,tue,thu", (0, 1, 3)),
        ("mon, tue, thu", (0, 1, 3)),
        ("mon tue thu", (0, 1, 3)),
        ("Mon - Wed, Fri", (0, 1, 2, 4)),
        ("mon–fri", (0, 1, 2, 3, 4)),
        ("monday to friday", (0, 1, 2, 3, 4)),
        ("mon through thu", (0, 1, 2, 3)),
        ("mon-thu and sat", (0, 1, 2, 3, 5)),
        ("tuesdays", (1,)),
        ("sat,sat,sun", (5, 6)),
        ("all", (0, 1, 2, 3, 4, 5, 6)),
        ("every day", (0, 1, 2, 3, 4, 5, 6)),
    ],
)
def test_settings_workdays_reads_ranges_and_lists(written: str, days: tuple[int, ...]) -> None:
    assert change_of(f"settings workdays {written}") == SettingsChange(workdays=days)


@pytest.mark.parametrize(
    ("text", "says", "example"),
    [
        ("settings workdays", "`workdays` needs working days", "/milestone settings workdays mon-fri"),
        (
            "settings workdays mon-fir",
            "`fir` isn't a weekday; did you mean `fri`?",
            "/milestone settings workdays mon-fri",
        ),
        ("settings workdays sun-thurz", "did you mean `thu`?", "/milestone settings workdays sun-thu"),
        ("settings workdays mon,teu,thu", "did you mean `tue`?", "/milestone settings workdays mon,tue,thu"),
        (
            "settings workdays xyz",
            "`xyz` isn't a weekday; use mon, tue",
            "/milestone settings workdays mon-fri",
        ),
        (
            "settings workdays mon-tue-wed",
            "isn't a day or a range of days",
            "/milestone settings workdays mon-fri",
        ),
        ("settings workdays -fri", "isn't a day or a range of days", "/milestone settings workdays mon-fri"),
    ],
)
def test_settings_workdays_refuses_what_is_not_a_weekday_with_the_days_corrected(
    text: str, says: str, example: str
) -> None:
    error = error_of(text)
    assert says in error.message
    assert error.example == example


# public holidays


@pytest.mark.parametrize(
    ("written", "country"),
    [
        ("US", "US"),
        ("us", "US"),
        ("gb", "GB"),
        ("UK", "GB"),
        ("DEU", "DE"),
        ("Germany", "DE"),
        ("united states", "US"),
        ('"United Kingdom"', "GB"),
        ("none", NO_HOLIDAYS),
        ("None", NO_HOLIDAYS),
        ("off", NO_HOLIDAYS),
    ],
)
def test_settings_holidays_reads_a_country_code_or_name_or_none(written: str, country: str) -> None:
    assert change_of(f"settings holidays {written}") == SettingsChange(holidays=country)


@pytest.mark.parametrize(
    ("text", "says", "example"),
    [
        ("settings holidays", "`holidays` needs a country code", "/milestone settings holidays US"),
        (
            "settings holidays germny",
            "I don't know the public holidays of “germny”; did you mean Germany (DE)?",
            "/milestone settings holidays DE",
        ),
        ("settings holidays Frnace", "did you mean France (FR)?", "/milestone settings holidays FR"),
        (
            "settings holidays XQ",
            "use a two-letter code like US, GB or DE",
            "/milestone settings holidays US",
        ),
    ],
)
def test_settings_holidays_refuses_an_unknown_country_with_the_closest(
    text: str, says: str, example: str
) -> None:
    error = error_of(text)
    assert says in error.message
    assert error.example == example


# the review's DMs, the chase, and where reminders go


@pytest.mark.parametrize(
    ("text", "change"),
    [
        ("settings review dm off", SettingsChange(review_dm=False)),
        ("settings review DM on", SettingsChange(review_dm=True)),
        ("settings review dms no", SettingsChange(review_dm=False)),
        (
            "settings review fri 16:00 dm off",
            SettingsChange(review_weekday=4, review_time=time(16), review_dm=False),
        ),
        ("settings chase off", SettingsChange(chase=False)),
        ("settings chase yes", SettingsChange(chase=True)),
        ("settings reminders to owner", SettingsChange(reminders_to="owner")),
        ("settings reminders to the channel", SettingsChange(reminders_to="channel")),
        ("settings reminders to both", SettingsChange(reminders_to="both")),
        ("settings reminders to owners", SettingsChange(reminders_to="owner")),
        (
            "settings reminders 7,1 at 9am to both",
            SettingsChange(reminder_days=(7, 1), reminder_time=time(9), reminders_to="both"),
        ),
        # Where they go may come first, as people say it.
        (
            "settings reminders to owner 7,1 at 9am",
            SettingsChange(reminder_days=(7, 1), reminder_time=time(9), reminders_to="owner"),
        ),
        (
            "settings reminders to the owner at 9am",
            SettingsChange(reminder_time=time(9), reminders_to="owner"),
        ),
        (
            "settings review dm off fri 16:00",
            SettingsChange(review_weekday=4, review_time=time(16), review_dm=False),
        ),
    ],
)
def test_settings_reads_review_dm_chase_and_where_reminders_go(text: str, change: SettingsChange) -> None:
    assert change_of(text) == change


@pytest.mark.parametrize(
    ("text", "says", "example"),
    [
        ("settings review dm", "`review dm` needs `on` or `off`", "/milestone settings review dm off"),
        (
            "settings review dm maybe",
            "`review dm` is `on` or `off`, not `maybe`",
            "/milestone settings review dm off",
        ),
        ("settings chase", "`chase` needs `on` or `off`", "/milestone settings chase off"),
        ("settings chase later", "`chase` is `on` or `off`, not `later`", "/milestone settings chase off"),
        (
            "settings reminders to",
            "`reminders to` needs channel, owner or both",
            "/milestone settings reminders to owner",
        ),
        (
            "settings reminders to chanel",
            "Reminders can't go to `chanel`; did you mean `channel`?",
            "/milestone settings reminders to channel",
        ),
        (
            "settings reminders to <@U1|bob>",
            "Reminders can't go to `@bob`",
            "/milestone settings reminders to owner",
        ),
    ],
)
def test_settings_switches_and_reminders_to_refuse_other_words(text: str, says: str, example: str) -> None:
    error = error_of(text)
    assert says in error.message
    assert error.example == example


def test_every_new_setting_combines_with_the_others_in_one_command() -> None:
    text = "settings tz Asia/Jerusalem workdays sun-thu holidays IL review dm off chase off reminders to both"
    text += " pause"
    assert change_of(text) == SettingsChange(
        timezone="Asia/Jerusalem",
        workdays=(0, 1, 2, 3, 6),
        holidays="IL",
        review_dm=False,
        chase=False,
        reminders_to="both",
        paused=True,
    )


@pytest.mark.parametrize(
    "text", ["settings workdays mon-fri workday sun-thu", "settings holidays US holiday GB"]
)
def test_a_new_setting_given_twice_is_refused(text: str) -> None:
    assert "given twice" in error_of(text).message


# properties

SETTING_WORDS = [
    "timezone", "tz", "reminders", "review", "pause", "resume", "at", "Europe/Berlin", "utc", "europe/berln",
    "7,1,0", "14,", "7", "0", "61", "-1", "off", "none", "fri", "Monday", "sundays", "9:30", "9am", "9", "pm",
    "noon", "16:00", "25:00", "12:60", ",", "<@U1|bob>", "<#C1|gen>", "&amp;", '"', "\n", "workdays",
    "holidays", "chase", "dm", "to", "on", "owner", "both", "mon-fri", "sun-thu", "mon,tue", "fri-", "US",
    "gb", "germny", "none", "the",
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
    if change.workdays is not None:
        assert change.workdays and list(change.workdays) == sorted(set(change.workdays))
        assert all(0 <= day <= 6 for day in change.workdays)
    assert change.holidays in (None, NO_HOLIDAYS) or re.fullmatch("[A-Z]{2}", change.holidays)
    assert change.reminders_to in (None, "channel", "owner", "both")


@settings(max_examples=200, deadline=None)
@given(st.sets(st.integers(0, 6), min_size=1), st.sampled_from([",", ", ", " "]))
def test_any_working_week_written_as_a_list_reads_back(days: set[int], separator: str) -> None:
    written = separator.join(WEEKDAYS[day] for day in sorted(days, reverse=True))
    assert change_of(f"settings workdays {written}").workdays == tuple(sorted(days))


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 6), st.integers(0, 6))
def test_any_range_of_weekdays_runs_forward_over_the_weekend(first: int, last: int) -> None:
    days = change_of(f"settings workdays {WEEKDAYS[first]}-{WEEKDAYS[last]}").workdays
    assert days == tuple(sorted((first + shift) % 7 for shift in range((last - first) % 7 + 1)))


# the overdue nudge


@pytest.mark.parametrize(("text", "on"), [("settings overdue off", False), ("settings overdue ON", True)])
def test_the_overdue_nudge_is_switched_on_or_off(text: str, on: bool) -> None:
    assert change_of(text) == SettingsChange(overdue_nudge=on)


def test_the_overdue_nudge_goes_with_the_reminder_days() -> None:
    assert change_of("settings reminders 7,1,0 at 09:30 overdue off") == SettingsChange(
        reminder_days=(7, 1, 0), reminder_time=time(9, 30), overdue_nudge=False
    )


@pytest.mark.parametrize("text", ["settings overdue", "settings overdue sometimes"])
def test_the_overdue_nudge_needs_on_or_off(text: str) -> None:
    error = error_of(text)

    assert "`overdue`" in error.message and "on" in error.message
    assert error.example == "/milestone settings overdue off"
