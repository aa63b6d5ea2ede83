"""What "today" is: the channel's date for the channel's things, the asker's for their own views."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from tests.support.app import SlackApp
from tests.support.slack_requests import answer_text

# 22:30 on Nov 25 in New York (the channel's zone: alice added its first milestone); Nov 26 in Tokyo (carol).
LATE_IN_NEW_YORK = datetime(2026, 11, 26, 3, 30, tzinfo=UTC)
# An hour and a half later it is Nov 26 in New York too.
AFTER_MIDNIGHT_IN_NEW_YORK = datetime(2026, 11, 26, 5, 0, tzinfo=UTC)


def add_ship_due_today_in_new_york(slack_app: SlackApp) -> None:
    slack_app.clock.now = LATE_IN_NEW_YORK
    slack_app.requests.command("add Ship due 2026-11-25 owner <@U3|carol>", user="U1")


def test_a_channel_list_is_read_on_the_channels_date(slack_app: SlackApp) -> None:
    add_ship_due_today_in_new_york(slack_app)

    # Carol's date is already Nov 26, but in the channel Ship is due today, not overdue.
    slack_app.requests.command("list overdue", user="U3")
    assert "Ship" not in answer_text(slack_app.fake)

    slack_app.clock.now = AFTER_MIDNIGHT_IN_NEW_YORK
    slack_app.requests.command("list overdue", user="U3")
    assert "Ship" in answer_text(slack_app.fake)


def test_the_home_tab_is_read_on_the_askers_date(slack_app: SlackApp) -> None:
    add_ship_due_today_in_new_york(slack_app)

    # Carol's own view: on her date (Nov 26) her milestone is overdue, whatever the channel's date.
    slack_app.requests.event({"type": "app_home_opened", "user": "U3", "channel": "D3", "tab": "home"})
    view = json.dumps(slack_app.fake.last("views.publish").params["view"])
    assert "Overdue" in view and "Ship" in view


def test_the_import_preview_is_read_on_the_askers_date_not_utcs(slack_app: SlackApp) -> None:
    # 23:30 on New Year's Eve in New York is already 2027 in UTC: a date of this year is written without one.
    slack_app.clock.now = datetime(2027, 1, 1, 4, 30, tzinfo=UTC)
    shared = slack_app.fake.add_file("plan.csv", b"Milestone,End Date\nShip,2026-12-31\n", user="U1")
    slack_app.requests.command("import", user="U1")
    form = slack_app.fake.last("views.open").params["view"]
    preview = slack_app.requests.view_submission(
        callback_id="import_upload",
        values={"file": {"file": {"type": "file_input", "files": [shared]}}},
        private_metadata=form["private_metadata"],
        user="U1",
    ).json()
    shown = json.dumps(preview["view"]["blocks"])
    assert "Dec 31" in shown and "Dec 31, 2026" not in shown
