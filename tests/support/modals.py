"""Modals as the bot opens them, with the defaults the tests share."""

from __future__ import annotations

from typing import Any

from bot.render.new_date import new_date_modal
from tests.support.factories import TODAY, make_milestone


def new_date_view(**overrides: Any) -> dict:
    """The "New date…" modal for #12 as a check-in's button opens it on TODAY; override any argument."""
    values: dict[str, Any] = {
        "m": make_milestone(),
        "today": TODAY,
        "checkin_id": 7,
        "channel_id": "C1",
        "message_ts": "1700000000.000100",
    }
    return new_date_modal(**(values | overrides))
