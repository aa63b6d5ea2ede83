"""Pickers, not jargon: the time-zone menu, the reminder boxes and the department menu, signed end to end."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, select

from storage.models import ChannelSettings, Milestone
from tests.support.app import SlackApp
from tests.support.blocks import assert_valid_blocks, assert_valid_view
from tests.support.scheduler import delivery_key, ny, posts, tick
from tests.support.view_state import submitted


def channel_settings(app: SlackApp) -> ChannelSettings:
    with Session(app.engine) as session:
        return session.exec(select(ChannelSettings).where(ChannelSettings.channel_id == "C1")).one()


def departments(app: SlackApp) -> list[str | None]:
    with Session(app.engine) as session:
        return [m.department for m in session.exec(select(Milestone).order_by(Milestone.number)).all()]


def opened_form(app: SlackApp, command: str, *, user: str = "U1") -> dict:
    app.requests.command(command, user=user)
    view = app.fake.last("views.open").params["view"]
    assert_valid_view(view, kind="modal")
    return view


def block(view: dict, block_id: str) -> dict:
    return next(block for block in view["blocks"] if block.get("block_id") == block_id)


def options_for(app: SlackApp, view: dict | None, *, action_id: str, typed: str) -> list[dict[str, Any]]:
    """What the app answers, in the HTTP body itself, as a person types `typed` in the menu."""
    reply = app.requests.block_suggestion(action_id=action_id, value=typed, view=view)
    assert reply.status == 200
    options = reply.json()["options"]
    assert 0 < len(options) <= 100
    # Each option is one Slack accepts inside a menu.
    menu = {"type": "input", "label": {"type": "plain_text", "text": "x"}}
    element = {"type": "static_select", "action_id": "x", "options": options}
    assert_valid_blocks([{**menu, "element": element}])
    return options


def labels(options: list[dict[str, Any]]) -> list[str]:
    return [option["text"]["text"] for option in options]


def submit_settings(app: SlackApp, view: dict, **changes: Any) -> None:
    reply = app.requests.view_submission(
        callback_id="channel_settings",
        values=submitted(view, **changes),
        private_metadata=view["private_metadata"],
    )
    assert reply.status == 200 and not reply.body.strip()


# the time-zone menu


def test_the_time_zone_is_a_menu_showing_the_channels_zone_with_its_offset(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15")

    zone = block(opened_form(slack_app, "settings"), "timezone")

    assert zone["label"]["text"] == "Time zone"
    assert zone["element"]["type"] == "external_select"
    assert zone["element"]["min_query_length"] == 0
    initial = zone["element"]["initial_option"]
    assert (initial["text"]["text"], initial["value"]) == ("America/New_York (UTC−05:00)", "America/New_York")


def test_typing_york_finds_new_york_among_every_iana_zone(slack_app: SlackApp) -> None:
    view = opened_form(slack_app, "settings")

    assert labels(options_for(slack_app, view, action_id="timezone", typed="york")) == [
        "America/New_York (UTC−05:00)"
    ]
    assert labels(options_for(slack_app, view, action_id="timezone", typed="new york"))[0] == (
        "America/New_York (UTC−05:00)"
    )
    assert labels(options_for(slack_app, view, action_id="timezone", typed="kolkata")) == [
        "Asia/Kolkata (UTC+05:30)"
    ]


def test_an_offset_finds_the_zones_at_that_offset_now(slack_app: SlackApp) -> None:
    view = opened_form(slack_app, "settings")

    found = options_for(slack_app, view, action_id="timezone", typed="UTC+1")

    assert "Europe/Berlin" in [option["value"] for option in found]
    assert all(label.endswith("(UTC+01:00)") for label in labels(found))


def test_before_typing_the_menu_offers_the_channels_zone_yours_the_workspaces_and_utc(
    slack_app: SlackApp,
) -> None:
    slack_app.requests.command("add Launch beta due Dec 15", user="U3")  # C1 starts in Tokyo
    slack_app.requests.command("add Ads due Dec 15", user="U2", channel="C2")  # C2 in Berlin
    view = opened_form(slack_app, "settings", user="U1")  # asked from New York

    values = [option["value"] for option in options_for(slack_app, view, action_id="timezone", typed="")]

    assert values[:3] == ["Asia/Tokyo", "America/New_York", "Europe/Berlin"]
    assert "UTC" in values and len(values) == len(set(values))


def test_a_zone_nobody_knows_finds_nothing_but_still_answers(slack_app: SlackApp) -> None:
    view = opened_form(slack_app, "settings")

    reply = slack_app.requests.block_suggestion(action_id="timezone", value="Atlantis", view=view)

    assert reply.status == 200 and reply.json() == {"options": []}


def test_a_menu_request_with_a_garbled_form_still_gets_the_common_zones(slack_app: SlackApp) -> None:
    values = [
        option["value"]
        for option in options_for(slack_app, {"private_metadata": "{"}, action_id="timezone", typed="")
    ]

    assert values[:2] == ["America/New_York", "UTC"]


# the settings form: the zone picked and the reminder boxes


def test_the_reminders_are_boxes_in_words_with_the_day_after_ticked(slack_app: SlackApp) -> None:
    reminders = block(opened_form(slack_app, "settings"), "reminder_days")

    assert reminders["label"]["text"] == "Reminders"
    assert labels(reminders["element"]["options"]) == [
        "1 week before",
        "1 day before",
        "On the day",
        "The day after, if not done",
    ]
    assert labels(reminders["element"]["initial_options"]) == labels(reminders["element"]["options"])


def test_the_form_saves_the_zone_picked_and_the_boxes_ticked(slack_app: SlackApp) -> None:
    view = opened_form(slack_app, "settings")
    tokyo = options_for(slack_app, view, action_id="timezone", typed="tokyo")[0]

    submit_settings(slack_app, view, timezone=tokyo, reminder_days=[{"value": "1"}, {"value": "0"}])

    row = channel_settings(slack_app)
    assert (row.timezone, row.reminder_days, row.overdue_nudge) == ("Asia/Tokyo", "1,0", False)
    told = slack_app.fake.last("chat.postMessage").params["text"]
    assert "time zone Asia/Tokyo · reminders 1 day before and on the day at 09:00" in told


def test_an_untouched_form_keeps_everything_and_says_the_reminders_in_words(slack_app: SlackApp) -> None:
    view = opened_form(slack_app, "settings")

    submit_settings(slack_app, view)

    row = channel_settings(slack_app)
    assert (row.timezone, row.reminder_days, row.overdue_nudge) == ("America/New_York", "7,1,0", True)
    told = slack_app.fake.last("chat.postMessage").params["text"]
    assert "reminders 1 week and 1 day before, on the day, and the day after (if not done) at 09:00" in told


def test_a_day_set_by_command_shows_as_its_own_box_and_survives_the_form(slack_app: SlackApp) -> None:
    slack_app.requests.command("settings reminders 3,1 at 10:00")
    view = opened_form(slack_app, "settings")
    reminders = block(view, "reminder_days")["element"]

    assert labels(reminders["options"])[:3] == ["1 week before", "3 days before", "1 day before"]
    assert labels(reminders["initial_options"]) == [
        "3 days before",
        "1 day before",
        "The day after, if not done",
    ]
    submit_settings(slack_app, view)

    row = channel_settings(slack_app)
    assert (row.reminder_days, row.reminder_time, row.overdue_nudge) == ("3,1", "10:00", True)


def test_the_text_command_for_reminder_days_keeps_working(slack_app: SlackApp) -> None:
    slack_app.requests.command("settings reminders 14,7,1,0")

    told = slack_app.fake.last("response_url").params["text"]
    assert "reminders 2 weeks, 1 week and 1 day before, on the day, and the day after (if not done)" in told
    assert channel_settings(slack_app).reminder_days == "14,7,1,0"


def test_with_the_day_after_unticked_no_overdue_nudge_is_planned(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15")
    view = opened_form(slack_app, "settings")
    on_the_day = [option for option in block(view, "reminder_days")["element"]["options"][:3]]
    submit_settings(slack_app, view, reminder_days=on_the_day)

    tick(slack_app, ny("2026-12-15 09:00"))
    tick(slack_app, ny("2026-12-16 09:00"))
    tick(slack_app, ny("2026-12-17 09:00"))

    assert [delivery_key(post).rsplit(":", 1)[-1] for post in posts(slack_app)] == ["0d"]
    assert "the day after" not in slack_app.fake.last("chat.postMessage").params["text"]


def test_with_the_day_after_ticked_the_overdue_nudge_comes_as_before(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15")

    tick(slack_app, ny("2026-12-15 09:00"))
    tick(slack_app, ny("2026-12-16 09:00"))

    assert [delivery_key(post).rsplit(":", 1)[-1] for post in posts(slack_app)] == ["0d", "overdue"]


# departments: one spelling per workspace, and the menu


def test_a_department_in_another_case_is_stored_in_the_workspaces_spelling(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15 dept Marketing")
    slack_app.requests.command("add Ads due Dec 16 dept marketing", channel="C2")
    slack_app.requests.command("add Press kit due Dec 17 dept  MARKETING ")
    slack_app.requests.command("update 1 dept MARKETING")

    assert departments(slack_app) == ["Marketing", "Marketing", "Marketing"]
    reply = slack_app.requests.command("list dept marketing")
    # The list may ride in the acknowledgement or come through the response URL.
    said = reply.body + json.dumps([call.params for call in slack_app.fake.calls_to("response_url")])
    assert "Launch beta" in said and "Ads" in said and "Press kit" in said


def test_a_new_department_is_kept_as_first_given_also_within_one_bulk_add(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15 dept Sales\nAds due Dec 16 dept SALES")

    assert departments(slack_app) == ["Sales", "Sales"]


def test_the_department_is_a_menu_of_the_workspaces_departments(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15 dept Marketing")
    slack_app.requests.command("add Ads due Dec 16 dept Sales", channel="C2")
    view = opened_form(slack_app, "add")
    menu = block(view, "dept")

    assert menu["element"]["type"] == "external_select"
    assert labels(options_for(slack_app, view, action_id="dept", typed="")) == [
        "Marketing",
        "Sales",
        "No department",
    ]
    assert labels(options_for(slack_app, view, action_id="dept", typed="MARK")) == [
        "Marketing",
        "New department: MARK",
    ]
    assert labels(options_for(slack_app, view, action_id="dept", typed="marketing")) == ["Marketing"]
    assert labels(options_for(slack_app, view, action_id="dept", typed="Design")) == [
        "New department: Design"
    ]


def test_a_department_picked_or_new_in_the_form_is_stored(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15 dept Marketing")
    view = opened_form(slack_app, "add")
    [new] = options_for(slack_app, view, action_id="dept", typed="Design")
    [existing] = options_for(slack_app, view, action_id="dept", typed="marketing")
    values = submitted(view, title="Website copy", dept=new)

    slack_app.requests.view_submission(
        callback_id="milestone_add", values=values, private_metadata=view["private_metadata"]
    )
    values = submitted(view, title="Ads", dept=existing)
    slack_app.requests.view_submission(
        callback_id="milestone_add", values=values, private_metadata=view["private_metadata"]
    )

    assert departments(slack_app) == ["Marketing", "Design", "Marketing"]


def test_the_edit_form_opens_on_the_milestones_department_and_can_clear_it(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15 dept Marketing")
    view = opened_form(slack_app, "update 1")

    assert block(view, "dept")["element"]["initial_option"]["text"]["text"] == "Marketing"
    none = options_for(slack_app, view, action_id="dept", typed="")[-1]
    slack_app.requests.view_submission(
        callback_id="milestone_update",
        values=submitted(view, dept=none),
        private_metadata=view["private_metadata"],
    )

    assert departments(slack_app) == [None]


def test_a_forged_zone_is_refused_on_the_form_and_nothing_changes(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15")
    view = opened_form(slack_app, "settings")
    forged = {"value": "Mars/Olympus", "text": {"type": "plain_text", "text": "Mars/Olympus"}}

    reply = slack_app.requests.view_submission(
        callback_id="channel_settings",
        values=submitted(view, timezone=forged),
        private_metadata=view["private_metadata"],
    )

    assert reply.json() == {
        "response_action": "errors",
        "errors": {
            "timezone": "Pick a time zone from the list: type a city to find it, like Berlin or New York."
        },
    }
    assert channel_settings(slack_app).timezone == "America/New_York"


def test_a_forged_department_is_refused_on_the_form_and_nothing_is_added(slack_app: SlackApp) -> None:
    view = opened_form(slack_app, "add")
    forged = {"value": "Marketing", "text": {"type": "plain_text", "text": "Marketing"}}  # no `dept:`

    reply = slack_app.requests.view_submission(
        callback_id="milestone_add",
        values=submitted(view, title="Ads", dept=forged),
        private_metadata=view["private_metadata"],
    )

    assert reply.json()["errors"] == {"dept": "Pick a department from the list, or type a new one's name."}
    assert departments(slack_app) == []


def test_a_menu_request_from_outside_a_form_still_gets_options(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15 dept Marketing")

    zones = options_for(slack_app, None, action_id="timezone", typed="")
    departments_found = options_for(slack_app, None, action_id="dept", typed="mark")

    assert "UTC" in [option["value"] for option in zones]
    assert labels(departments_found) == ["Marketing", "New department: mark"]
