"""Reading back the channel settings modal: every setting at once, or every bad field named."""

from __future__ import annotations

from datetime import time

import pytest

from bot.core.command_types import NO_HOLIDAYS, SettingsChange
from bot.core.forms.settings import read_settings_context, read_settings_modal
from bot.core.forms.values import GarbledMetadata, ModalErrors
from bot.render.settings import settings_modal
from tests.support.factories import make_settings
from tests.support.view_state import submitted


def test_reading_the_untouched_form_gives_every_setting():
    view = settings_modal(s=make_settings(), failed=[], show_failed=False)

    assert read_settings_modal(submitted(view)) == SettingsChange(
        timezone="Europe/Berlin",
        reminder_days=(7, 1, 0),
        reminder_time=time(9, 30),
        review_weekday=4,
        review_time=time(16, 0),
        paused=False,
        workdays=(0, 1, 2, 3, 4),
        holidays=NO_HOLIDAYS,
        review_dm=True,
        chase=True,
        reminders_to="channel",
        overdue_nudge=True,
    )


def test_the_form_carries_its_channel():
    view = settings_modal(s=make_settings(channel_id="C7"), failed=[], show_failed=False)

    assert read_settings_context(view["private_metadata"]).channel_id == "C7"


@pytest.mark.parametrize("metadata", ["{}", '{"channel_id": 7}', '{"channel_id": null}', "[]"])
def test_a_form_without_its_channel_is_garbled(metadata: str):
    with pytest.raises(GarbledMetadata):
        read_settings_context(metadata)


def test_reading_a_changed_form():
    view = settings_modal(s=make_settings(), failed=[], show_failed=False)
    values = submitted(
        view,
        timezone="America/New_York",
        reminder_days=ticked("1", "14", "3", "overdue"),
        reminder_time="08:00",
        review_weekday={"value": "0", "text": {"type": "plain_text", "text": "Monday"}},
        paused=[{"value": "paused"}],
    )

    change = read_settings_modal(values)

    assert change.timezone == "America/New_York"
    assert (change.reminder_days, change.overdue_nudge) == ((14, 3, 1), True)
    assert change.reminder_time == time(8, 0)
    assert change.review_weekday == 0
    assert change.paused is True


def test_no_reminder_box_ticked_turns_reminders_and_the_nudge_off():
    view = settings_modal(s=make_settings(), failed=[], show_failed=False)

    change = read_settings_modal(submitted(view, reminder_days=[]))

    assert (change.reminder_days, change.overdue_nudge) == ((), False)


def test_the_day_after_alone_keeps_only_the_nudge():
    view = settings_modal(s=make_settings(), failed=[], show_failed=False)

    change = read_settings_modal(submitted(view, reminder_days=ticked("overdue")))

    assert (change.reminder_days, change.overdue_nudge) == ((), True)


def test_a_form_opened_before_the_boxes_leaves_the_reminders_as_they_are():
    view = settings_modal(s=make_settings(), failed=[], show_failed=False)
    values = submitted(view)
    values["reminder_days"] = {"reminder_days": {"type": "plain_text_input", "value": "7, 1"}}
    values["timezone"] = {"timezone": {"type": "plain_text_input", "value": "asia/tokyo"}}

    change = read_settings_modal(values)

    assert (change.reminder_days, change.overdue_nudge, change.timezone) == (None, None, "Asia/Tokyo")


@pytest.mark.parametrize(
    ("block_id", "value", "message"),
    [
        ("timezone", "Mars/Olympus", "Pick a time zone from the list: type a city to find it"),
        ("timezone", None, "Pick a time zone from the list"),
        ("reminder_days", [{"value": "61"}], "isn't a number of days from 0 to 60"),
        ("reminder_days", [{"value": d} for d in "7654321"], "That's 7 reminders; keep it to 6."),
        ("reminder_time", None, "Pick a time for reminders."),
        ("review_time", None, "Pick a time for the weekly review."),
        ("review_time", "25:99", "Pick a time from the list."),
        ("review_weekday", None, "Pick a day for the weekly review."),
    ],
)
def test_bad_settings_name_the_field(block_id, value, message):
    view = settings_modal(s=make_settings(), failed=[], show_failed=False)

    with pytest.raises(ModalErrors) as caught:
        read_settings_modal(submitted(view, **{block_id: value}))

    assert list(caught.value.errors) == [block_id]
    assert message in caught.value.errors[block_id]


def test_every_bad_field_is_reported_at_once():
    view = settings_modal(s=make_settings(), failed=[], show_failed=False)
    values = submitted(
        view, timezone="Nowhere", reminder_days=[{"value": "99"}], reminder_time=None, review_time=None
    )

    with pytest.raises(ModalErrors) as caught:
        read_settings_modal(values)

    assert set(caught.value.errors) == {"timezone", "reminder_days", "reminder_time", "review_time"}


@pytest.mark.parametrize(
    ("typed", "zone"),
    [("america/new york", "America/New_York"), ("utc", "UTC"), (" Europe/Berlin ", "Europe/Berlin")],
)
def test_time_zones_are_read_as_the_command_reads_them(typed, zone):
    view = settings_modal(s=make_settings(), failed=[], show_failed=False)

    assert read_settings_modal(submitted(view, timezone=typed)).timezone == zone


@pytest.mark.parametrize("typed", ["localtime", "posixrules", "Factory"])
def test_zone_database_files_that_name_no_place_are_refused(typed):
    # limits.check_timezone decides for the command and the form alike: `localtime` is the server's zone.
    view = settings_modal(s=make_settings(), failed=[], show_failed=False)

    with pytest.raises(ModalErrors) as caught:
        read_settings_modal(submitted(view, timezone=typed))

    assert caught.value.errors["timezone"].startswith("Pick a time zone from the list")


def test_forged_reminder_boxes_are_no_days():
    view = settings_modal(s=make_settings(), failed=[], show_failed=False)
    forged = ticked("9" * 5000, "-1", "²", "soon", "1")

    assert read_settings_modal(submitted(view, reminder_days=forged)).reminder_days == (1,)


def ticked(*values: str) -> list[dict]:
    return [{"value": value} for value in values]


def test_reading_the_working_days_holidays_review_dms_and_where_reminders_go():
    view = settings_modal(s=make_settings(), failed=[], show_failed=False)
    values = submitted(
        view,
        workdays=ticked("6", "0", "1", "2", "3"),
        holidays=" gb ",
        review_dms=ticked("chase"),
        reminders_to="both",
    )

    change = read_settings_modal(values)

    assert change.workdays == (0, 1, 2, 3, 6)
    assert change.holidays == "GB"
    assert (change.review_dm, change.chase) == (False, True)
    assert change.reminders_to == "both"


def test_a_channel_with_its_own_week_and_holidays_reads_back_unchanged():
    settings = make_settings(
        workdays="sun,mon,tue,wed,thu", holidays="IL", review_dm=False, chase=False, reminders_to="owner"
    )
    view = settings_modal(s=settings, failed=[], show_failed=False)

    change = read_settings_modal(submitted(view))

    assert (change.workdays, change.holidays, change.review_dm, change.chase, change.reminders_to) == (
        (0, 1, 2, 3, 6),
        "IL",
        False,
        False,
        "owner",
    )


@pytest.mark.parametrize(("typed", "country"), [("Germany", "DE"), ("usa", "US"), ("UK", "GB")])
def test_holidays_are_read_as_the_command_reads_them(typed, country):
    view = settings_modal(s=make_settings(), failed=[], show_failed=False)

    assert read_settings_modal(submitted(view, holidays=typed)).holidays == country


@pytest.mark.parametrize("typed", [None, "", "  ", "none", "None"])
def test_empty_holidays_or_none_is_no_public_holidays(typed):
    view = settings_modal(s=make_settings(holidays="US"), failed=[], show_failed=False)

    assert read_settings_modal(submitted(view, holidays=typed)).holidays == NO_HOLIDAYS


@pytest.mark.parametrize(
    ("block_id", "value", "message"),
    [
        ("holidays", "Germny", "I don't know the public holidays of “Germny”; did you mean Germany (DE)?"),
        (
            "holidays",
            "XQ",
            "I don't know the public holidays of “XQ”; use a two-letter code like US, GB or DE.",
        ),
        ("workdays", [], "Tick at least one working day."),
        ("workdays", [{"value": "9"}], "Tick at least one working day."),
    ],
)
def test_bad_working_days_or_holidays_name_the_field(block_id, value, message):
    view = settings_modal(s=make_settings(), failed=[], show_failed=False)

    with pytest.raises(ModalErrors) as caught:
        read_settings_modal(submitted(view, **{block_id: value}))

    assert caught.value.errors == {block_id: message}


def test_no_review_dm_boxes_ticked_turns_both_off():
    view = settings_modal(s=make_settings(), failed=[], show_failed=False)

    change = read_settings_modal(submitted(view, review_dms=[]))

    assert (change.review_dm, change.chase) == (False, False)


def test_a_form_opened_before_the_new_inputs_leaves_those_settings_as_they_are():
    view = settings_modal(s=make_settings(), failed=[], show_failed=False)
    older = ("workdays", "holidays", "reminders_to", "review_dms")
    values = {block: state for block, state in submitted(view).items() if block not in older}

    change = read_settings_modal(values)

    assert (change.workdays, change.holidays, change.review_dm, change.chase, change.reminders_to) == (
        (None,) * 5
    )
    assert change.timezone == "Europe/Berlin"


def test_a_forged_place_for_reminders_leaves_it_as_it_is():
    view = settings_modal(s=make_settings(), failed=[], show_failed=False)

    assert read_settings_modal(submitted(view, reminders_to="everyone")).reminders_to is None
