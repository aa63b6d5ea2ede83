"""What the bot's buttons carry, read back as the listeners read it."""

from __future__ import annotations

import pytest

from bot.core.forms.buttons import (
    HOME_DONE,
    HOME_NEW_DATE,
    checkin_value,
    home_value,
    read_checkin_value,
    read_home_value,
    read_new_date_value,
)


def test_a_checkin_button_carries_the_checkin_and_the_milestone():
    assert read_checkin_value(checkin_value(checkin_id=4, number=12)) == (4, 12)


def test_new_date_on_a_checkin_or_on_a_reminder():
    assert read_new_date_value(checkin_value(checkin_id=4, number=12)) == (4, 12)
    assert read_new_date_value("12") == (None, 12)


@pytest.mark.parametrize("value", ["", "12", "4:12:1", "a:12", "4:"])
def test_a_garbled_checkin_value_is_refused(value: str):
    with pytest.raises(ValueError):
        read_checkin_value(value)


@pytest.mark.parametrize("choice", [HOME_DONE, HOME_NEW_DATE])
def test_a_home_menu_option_carries_its_choice_and_the_milestone(choice: str):
    assert read_home_value(home_value(choice=choice, number=7)) == (choice, 7)
