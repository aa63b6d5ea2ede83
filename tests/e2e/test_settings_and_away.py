"""Working days, holidays, the review's DMs, the chase, where reminders go, and away: end to end, signed."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlmodel import Session, select

from storage.models import Away, ChannelSettings
from tests.support.app import BOTH_MODES, SlackApp
from tests.support.blocks import assert_valid_blocks, assert_valid_view
from tests.support.slack_requests import answer_text
from tests.support.view_state import submitted as submitted_settings


def channel_settings(app: SlackApp, channel: str = "C1") -> ChannelSettings:
    with Session(app.engine) as session:
        return session.exec(select(ChannelSettings).where(ChannelSettings.channel_id == channel)).one()


def away_rows(app: SlackApp) -> list[tuple[str, date]]:
    with Session(app.engine) as session:
        return [(row.user_id, row.until) for row in session.exec(select(Away).order_by(Away.user_id)).all()]


def answer(app: SlackApp) -> dict[str, Any]:
    """The app's last answer through the response URL, its blocks checked as Slack would."""
    params = app.fake.last("response_url").params
    assert_valid_blocks(params.get("blocks") or [])
    return params


# settings, said in words


@pytest.mark.parametrize(
    ("text", "stored", "says"),
    [
        ("settings workdays sun-thu", {"workdays": "mon,tue,wed,thu,sun"}, "Working days: Sun–Thu"),
        ("settings workdays mon,tue,thu", {"workdays": "mon,tue,thu"}, "Working days: Mon, Tue, Thu"),
        ("settings workdays mon-fri", {"workdays": "mon,tue,wed,thu,fri"}, "Working days: Mon–Fri"),
        ("settings holidays US", {"holidays": "US"}, "Public holidays: United States (US)"),
        ("settings holidays gb", {"holidays": "GB"}, "Public holidays: United Kingdom (GB)"),
        ("settings holidays none", {"holidays": None}, "Public holidays: none"),
        ("settings review dm off", {"review_dm": False}, "Review by DM: off"),
        ("settings review dm on", {"review_dm": True}, "Review by DM: on"),
        ("settings chase off", {"chase": False}, "Chase: off"),
        ("settings chase on", {"chase": True}, "Chase: on"),
        ("settings reminders to owner", {"reminders_to": "owner"}, "Reminders go to: the owner by DM"),
        (
            "settings reminders to both",
            {"reminders_to": "both"},
            "Reminders go to: the channel and the owner",
        ),
        ("settings reminders to channel", {"reminders_to": "channel"}, "Reminders go to: the channel"),
    ],
)
def test_each_new_setting_is_stored_and_told_to_the_channel(
    slack_app: SlackApp, text: str, stored: dict[str, Any], says: str
) -> None:
    reply = slack_app.requests.command(text)

    assert reply.status == 200
    told = answer(slack_app)
    assert told["response_type"] == "in_channel"
    assert says in told["text"]
    assert "Settings for <#C1>" in told["text"]
    row = channel_settings(slack_app)
    assert {column: getattr(row, column) for column in stored} == stored


@BOTH_MODES
def test_settings_combine_in_one_command_and_keep_what_was_not_said(slack_app: SlackApp) -> None:
    slack_app.requests.command("settings timezone Asia/Jerusalem review sun 09:00")
    slack_app.requests.command(
        "settings workdays sun-thu, holidays IL, review dm off, chase off, reminders to both"
    )

    row = channel_settings(slack_app)
    assert (row.timezone, row.review_weekday, row.review_time) == ("Asia/Jerusalem", 6, "09:00")
    assert (row.workdays, row.holidays, row.review_dm, row.chase, row.reminders_to) == (
        "mon,tue,wed,thu,sun",
        "IL",
        False,
        False,
        "both",
    )
    assert answer(slack_app)["text"].split("\n")[1] == (
        "Working days: Sun–Thu · Public holidays: Israel (IL) · Review by DM: off · Chase: off"
        " · Reminders go to: the channel and the owner by DM · Escalation: off"
    )
    slack_app.requests.command("settings holidays none")
    assert (channel_settings(slack_app).holidays, channel_settings(slack_app).workdays) == (
        None,
        "mon,tue,wed,thu,sun",
    )


@pytest.mark.parametrize(
    ("text", "says", "corrected"),
    [
        (
            "settings workdays mon-fir",
            "`fir` isn't a weekday; did you mean `fri`?",
            "/milestone settings workdays mon-fri",
        ),
        ("settings holidays germny", "did you mean Germany (DE)?", "/milestone settings holidays DE"),
        ("settings chase maybe", "`chase` is `on` or `off`, not `maybe`.", "/milestone settings chase off"),
        ("settings review dm", "`review dm` needs `on` or `off`.", "/milestone settings review dm off"),
        (
            "settings reminders to chanel",
            "did you mean `channel`?",
            "/milestone settings reminders to channel",
        ),
    ],
)
def test_a_bad_setting_gets_a_short_private_answer_with_the_command_corrected_and_stores_nothing(
    slack_app: SlackApp, text: str, says: str, corrected: str
) -> None:
    slack_app.requests.command(text)

    told = answer(slack_app)
    assert told["response_type"] == "ephemeral"
    assert says in told["text"]
    assert f"Try: `{corrected}`" in told["text"]
    with Session(slack_app.engine) as session:
        assert session.exec(select(ChannelSettings)).all() == []


# the settings form


def open_settings_form(app: SlackApp, *, user: str = "U1") -> dict:
    app.requests.command("settings", user=user)
    view = app.fake.last("views.open").params["view"]
    assert_valid_view(view, kind="modal")
    return view


def test_the_settings_form_shows_the_new_settings_and_saves_them(slack_app: SlackApp) -> None:
    slack_app.requests.command("settings holidays US")
    view = open_settings_form(slack_app)
    labels = [block["label"]["text"] for block in view["blocks"] if block["type"] == "input"]
    for label in ("Working days", "Public holidays", "Reminders go to", "Weekly review by DM"):
        assert label in labels
    holidays = next(block for block in view["blocks"] if block.get("block_id") == "holidays")
    assert holidays["element"]["initial_value"] == "US"
    values = submitted_settings(
        view,
        workdays=[{"value": day} for day in ("6", "0", "1", "2", "3")],
        holidays="Israel",
        review_dms=[{"value": "review_dm"}],
        reminders_to="owner",
    )

    reply = slack_app.requests.view_submission(
        callback_id="channel_settings", values=values, private_metadata=view["private_metadata"]
    )

    assert reply.status == 200
    row = channel_settings(slack_app)
    assert (row.workdays, row.holidays, row.review_dm, row.chase, row.reminders_to) == (
        "mon,tue,wed,thu,sun",
        "IL",
        True,
        False,
        "owner",
    )
    posted = slack_app.fake.last("chat.postMessage").params
    assert posted["channel"] == "C1"
    assert (
        "Working days: Sun–Thu · Public holidays: Israel (IL) · Review by DM: on · Chase: off"
        in posted["text"]
    )
    assert "Reminders go to: the owner by DM" in posted["text"]


def test_the_settings_form_names_a_bad_country_and_no_working_day_and_stores_nothing(
    slack_app: SlackApp,
) -> None:
    view = open_settings_form(slack_app)
    values = submitted_settings(view, workdays=[], holidays="Germny")

    reply = slack_app.requests.view_submission(
        callback_id="channel_settings", values=values, private_metadata=view["private_metadata"]
    )

    assert reply.json()["errors"] == {
        "workdays": "Tick at least one working day.",
        "holidays": "I don't know the public holidays of “Germny”; did you mean Germany (DE)?",
    }
    with Session(slack_app.engine) as session:
        assert session.exec(select(ChannelSettings)).all() == []


def test_admins_and_everyone_else_see_the_same_new_inputs(slack_app: SlackApp) -> None:
    as_admin = open_settings_form(slack_app, user="UADMIN")
    as_member = open_settings_form(slack_app, user="U3")

    def inputs(view: dict) -> list[str]:
        return [block["block_id"] for block in view["blocks"] if block["type"] == "input"]

    assert inputs(as_admin) == inputs(as_member)
    assert {"workdays", "holidays", "reminders_to", "review_dms"} <= set(inputs(as_member))


# away


def test_away_until_a_day_then_away_alone_then_off(slack_app: SlackApp) -> None:
    # Wednesday, Nov 25, 10:00 in New York, where U1 is.
    slack_app.requests.command("away until Dec 20")
    told = answer(slack_app)
    assert told["response_type"] == "ephemeral"
    assert told["text"] == (
        "🌴 You're away until Sun Dec 20: reminders won't ping you, reviews won't wait for you or DM you."
        " Back early? `/milestone away off`"
    )
    assert away_rows(slack_app) == [("U1", date(2026, 12, 20))]

    slack_app.requests.command("away")
    assert answer(slack_app)["text"].startswith("🌴 You're away until Sun Dec 20:")
    slack_app.requests.command("away", user="U2")
    assert answer(slack_app)["text"].startswith("You're not marked away. Going away? `/milestone away until")

    slack_app.requests.command("away off")
    assert answer(slack_app)["text"] == "👋 Welcome back — reminders and reviews include you again."
    assert away_rows(slack_app) == []
    slack_app.requests.command("away off")
    assert answer(slack_app)["text"].startswith("You weren't marked away.")
    assert answer(slack_app)["response_type"] == "ephemeral"


def test_away_again_moves_the_last_day(slack_app: SlackApp) -> None:
    slack_app.requests.command("away until Dec 20")
    slack_app.requests.command("away until next friday")

    assert away_rows(slack_app) == [("U1", date(2026, 12, 4))]
    assert "until Fri Dec 4:" in answer(slack_app)["text"]


def test_away_reads_the_date_in_the_askers_zone(slack_app: SlackApp) -> None:
    # 23:30 on Nov 25 in New York (U1) is already Nov 26 in Berlin (U2) and in Tokyo (U3).
    slack_app.clock.now = datetime(2026, 11, 26, 4, 30, tzinfo=UTC)
    slack_app.requests.command("away until tomorrow", user="U1")
    slack_app.requests.command("away until tomorrow", user="U2")
    slack_app.requests.command("away until today", user="U3")

    assert away_rows(slack_app) == [
        ("U1", date(2026, 11, 26)),
        ("U2", date(2026, 11, 27)),
        ("U3", date(2026, 11, 26)),
    ]


@pytest.mark.parametrize(
    ("text", "says", "example"),
    [
        (
            "away until yesterday",
            "Nov 24 has passed; give the last day you're away",
            "/milestone away until next friday",
        ),
        ("away until Nov 2", None, None),
        ("away until whenever", "I can't read `whenever` as a date", "/milestone away until next friday"),
        ("away Dec 20", "Say the last day you're away", "/milestone away until Dec 20"),
        ("away until 2028-06-01", "is more than a year away", "/milestone away until next friday"),
    ],
)
def test_away_refuses_a_past_or_garbled_day_privately_and_stores_nothing(
    slack_app: SlackApp, text: str, says: str | None, example: str | None
) -> None:
    if says is None:
        # Nov 2 without a year is next November: fine, and said with its year.
        slack_app.requests.command(text)
        assert "until Tue Nov 2, 2027:" in answer(slack_app)["text"]
        return
    slack_app.requests.command(text)

    told = answer(slack_app)
    assert told["response_type"] == "ephemeral"
    assert says in told["text"]
    assert f"Try: `{example}`" in told["text"]
    assert away_rows(slack_app) == []


def test_help_answers_for_away_and_the_new_settings(slack_app: SlackApp) -> None:
    slack_app.requests.command("help away")
    assert "`/milestone away off`" in answer_text(slack_app.fake)
    slack_app.requests.command("help settings")
    assert "`reminders to channel|owner|both`" in answer_text(slack_app.fake)
