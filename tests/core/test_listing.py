"""Which date a list is read on."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.command_types import ListScope
from bot.core.listing import listing_today

ASKER = date(2026, 11, 21)  # already Saturday where the asker is
CHANNEL = date(2026, 11, 20)  # still Friday in the channel's zone


@pytest.mark.parametrize("scope", ["mine", "owner", "dept"])
def test_a_persons_or_a_departments_list_is_read_on_the_askers_date(scope: ListScope):
    assert listing_today(scope, asker_today=ASKER, channel_today=CHANNEL) == ASKER


@pytest.mark.parametrize("scope", ["channel", "all", "done", "overdue", "upcoming"])
def test_a_channels_list_is_read_on_the_channels_date(scope: ListScope):
    assert listing_today(scope, asker_today=ASKER, channel_today=CHANNEL) == CHANNEL
