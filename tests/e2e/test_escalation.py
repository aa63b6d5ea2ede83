"""Escalation end to end: `settings escalate …` by signed requests, then `tick` posts one DM and one line."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select

from storage.models import ChannelSettings, Delivery
from tests.support.app import SlackApp
from tests.support.blocks import assert_valid_blocks
from tests.support.scheduler import delivery_key, ny, posts, tick

MAYA = "U4"
ESCALATE = f"settings escalate after 3 days to <@{MAYA}|maya>"
EXAMPLE = "Try: `/milestone settings escalate after 3 days to @maya`"


@pytest.fixture(autouse=True)
def maya(slack_app: SlackApp) -> None:
    slack_app.fake.add_user(MAYA, tz="America/Chicago", name="maya")


def answer(app: SlackApp) -> dict[str, Any]:
    params = app.fake.last("response_url").params
    assert_valid_blocks(params.get("blocks") or [])
    return params


def escalations(app: SlackApp, channel: str) -> list[dict]:
    return [p for p in posts(app, channel) if ":escalation:" in delivery_key(p)]


def stored(app: SlackApp) -> tuple[int | None, str | None]:
    with Session(app.engine) as session:
        row = session.exec(select(ChannelSettings).where(ChannelSettings.channel_id == "C1")).one()
        return row.escalate_days, row.escalate_to


# the setting


def test_escalation_is_set_told_to_the_channel_and_turned_off(slack_app: SlackApp) -> None:
    slack_app.requests.command(ESCALATE)

    told = answer(slack_app)
    assert told["response_type"] == "in_channel"
    assert "Escalation: after 3 working days to <@U4>" in told["text"]
    assert stored(slack_app) == (3, MAYA)

    slack_app.requests.command("settings escalate off")
    assert "Escalation: off" in answer(slack_app)["text"]
    assert stored(slack_app) == (None, None)


def test_saving_the_settings_form_keeps_the_escalation(slack_app: SlackApp) -> None:
    from tests.support.view_state import submitted

    slack_app.requests.command(ESCALATE)
    slack_app.requests.command("settings")
    view = slack_app.fake.last("views.open").params["view"]

    slack_app.requests.view_submission(
        callback_id="channel_settings", values=submitted(view), private_metadata=view["private_metadata"]
    )

    assert stored(slack_app) == (3, MAYA)
    posted = slack_app.fake.last("chat.postMessage").params
    assert "Escalation: after 3 working days to <@U4>" in posted["text"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("settings escalate after 0 days to <@U4|maya>", "Escalate after 1 to 30 working days, not `0`."),
        ("settings escalate after 99 days to <@U4|maya>", "Escalate after 1 to 30 working days, not `99`."),
        ("settings escalate after 3 days", "`escalate` needs a person to tell, like `to @maya`."),
        (
            "settings escalate after 3 days to <#C2|launch>",
            "Escalate to a person, not a channel (`#launch`).",
        ),
    ],
)
def test_a_bad_escalation_gets_a_short_private_answer_with_one_example(
    slack_app: SlackApp, text: str, says: str
) -> None:
    reply = slack_app.requests.command(text)

    assert reply.status == 200
    told = answer(slack_app)
    assert told["response_type"] == "ephemeral"
    assert says in told["text"] and EXAMPLE in told["text"]
    assert "Traceback" not in told["text"]
    with Session(slack_app.engine) as session:
        assert session.exec(select(ChannelSettings)).all() == []


# the scheduler


def test_three_working_days_overdue_gets_one_dm_and_one_channel_line(slack_app: SlackApp) -> None:
    slack_app.requests.command(ESCALATE)
    slack_app.requests.command("add Ship docs due Dec 15 owner <@U2|bob>")  # Tue Dec 15 2026

    tick(slack_app, ny("2026-12-17 09:00"))  # 2 working days overdue
    tick(slack_app, ny("2026-12-18 08:59"))
    assert escalations(slack_app, "DU4") == [] and escalations(slack_app, "C1") == []

    tick(slack_app, ny("2026-12-18 09:00"))
    tick(slack_app, ny("2026-12-18 09:00:30"))
    tick(slack_app, ny("2026-12-21 09:00"))
    [dm] = escalations(slack_app, "DU4")
    [line] = escalations(slack_app, "C1")
    assert dm["text"] == (
        "⚠️ #1 Ship docs in <#C1> is 3 working days overdue (due Tue Dec 15, owner <@U2>) — no new date yet."
        " `/milestone show 1`"
    )
    assert dm["blocks"][0]["text"]["text"].startswith("⚠️ *#1* Ship docs in <#C1> is 3 working days overdue")
    assert line["text"] == "⚠️ #1 Ship docs is 3 working days overdue — escalated to <@U4>."
    assert delivery_key(dm).endswith(":2026-12-15:escalation:U4")
    assert delivery_key(line).endswith(":2026-12-15:escalation:C1")


def test_a_day_the_scheduler_missed_is_caught_up_saying_how_overdue_it_is_now(slack_app: SlackApp) -> None:
    slack_app.requests.command(ESCALATE)
    slack_app.requests.command("add Ship docs due Dec 15 owner <@U2|bob>")  # 3 working days on Fri Dec 18

    tick(slack_app, ny("2026-12-17 09:00"))
    # No scheduler ran on Friday (a deploy that went wrong): Monday escalates it, once.
    tick(slack_app, ny("2026-12-21 09:00"))
    tick(slack_app, ny("2026-12-22 09:00"))

    [dm] = escalations(slack_app, "DU4")
    [line] = escalations(slack_app, "C1")
    assert dm["text"].startswith("⚠️ #1 Ship docs in <#C1> is 4 working days overdue (due Tue Dec 15")
    assert line["text"] == "⚠️ #1 Ship docs is 4 working days overdue — escalated to <@U4>."


def test_an_escalation_missed_for_longer_than_the_catch_up_is_not_sent_late(slack_app: SlackApp) -> None:
    slack_app.requests.command(ESCALATE)
    slack_app.requests.command("add Ship docs due Dec 15")  # escalation day Fri Dec 18

    tick(slack_app, ny("2026-12-24 09:00"))  # Thu: Fri, Mon, Tue, Wed missed — old news now

    assert escalations(slack_app, "C1") == [] and escalations(slack_app, "DU4") == []


def test_a_weekend_is_not_counted(slack_app: SlackApp) -> None:
    slack_app.requests.command(ESCALATE)
    slack_app.requests.command("add Ship docs due Dec 17")  # Thu: Fri 18, Mon 21, Tue 22

    for moment in ("2026-12-19 09:00", "2026-12-20 09:00", "2026-12-21 09:00"):
        tick(slack_app, ny(moment))
    assert escalations(slack_app, "C1") == []
    tick(slack_app, ny("2026-12-22 09:00"))
    [line] = escalations(slack_app, "C1")
    assert "no owner" in escalations(slack_app, "DU4")[0]["text"]
    assert line["text"].startswith("⚠️ #1 Ship docs is 3 working days overdue")


def test_a_public_holiday_is_not_counted(slack_app: SlackApp) -> None:
    slack_app.requests.command("settings holidays US escalate after 2 days to <@U4|maya>")
    slack_app.requests.command("add Year end due Dec 24")  # Fri Dec 25 is Christmas: Mon 28, Tue 29

    tick(slack_app, ny("2026-12-28 09:00"))
    assert escalations(slack_app, "C1") == []
    tick(slack_app, ny("2026-12-29 09:00"))
    assert len(escalations(slack_app, "C1")) == 1 and len(escalations(slack_app, "DU4")) == 1


def test_the_reminder_time_holds_across_the_clock_change(slack_app: SlackApp) -> None:
    slack_app.clock.now = ny("2026-10-20 10:00")
    slack_app.requests.command("settings reminders 1 at 09:30 escalate after 2 days to <@U4|maya>")
    slack_app.requests.command("add Fall launch due Oct 29")  # Fri Oct 30, then Mon Nov 2 after Nov 1 (EST)

    tick(slack_app, ny("2026-11-02 09:29"))
    assert escalations(slack_app, "C1") == []
    tick(slack_app, ny("2026-11-02 09:30"))
    [line] = escalations(slack_app, "C1")
    assert "2 working days overdue" in line["text"]


def test_a_new_date_means_a_new_escalation_later_and_none_for_the_old_one(slack_app: SlackApp) -> None:
    slack_app.requests.command(ESCALATE)
    slack_app.requests.command("add Ship docs due Dec 15")
    slack_app.clock.now = ny("2026-12-17 10:00")
    slack_app.requests.command("update 1 due Dec 21 because review ran late")

    tick(slack_app, ny("2026-12-18 09:00"))
    assert escalations(slack_app, "C1") == []
    tick(slack_app, ny("2026-12-24 09:00"))  # Dec 21 + 3 working days
    [line] = escalations(slack_app, "C1")
    assert ":2026-12-21:escalation:" in delivery_key(line)


def test_done_paused_and_off_get_no_escalation(slack_app: SlackApp) -> None:
    slack_app.requests.command(ESCALATE)
    slack_app.requests.command(ESCALATE, channel="C2")
    slack_app.requests.command("add Finished due Dec 15")
    slack_app.requests.command("add Quiet due Dec 15", channel="C2")
    slack_app.requests.command("add Other due Dec 15", channel="C3")  # escalation never set here
    slack_app.requests.command("done 1")
    slack_app.requests.command("settings pause", channel="C2")

    tick(slack_app, ny("2026-12-18 09:00"))
    assert [p for p in posts(slack_app) if ":escalation:" in delivery_key(p)] == []


def test_an_escalation_planned_then_turned_off_is_skipped(slack_app: SlackApp) -> None:
    from bot.outbox.planner import plan

    slack_app.requests.command(ESCALATE)
    slack_app.requests.command("add Ship docs due Dec 15")
    planned = plan(slack_app.engine, now=ny("2026-12-18 09:00"), default_timezone="UTC")
    assert len(planned.escalations) == 2
    slack_app.requests.command("settings escalate off")

    tick(slack_app, ny("2026-12-18 09:01"))
    assert [p for p in posts(slack_app) if ":escalation:" in delivery_key(p)] == []
    with Session(slack_app.engine) as session:
        rows = session.exec(select(Delivery).where(Delivery.key.contains(":escalation:"))).all()  # type: ignore[union-attr]
        assert {(row.state, row.last_error) for row in rows} == {("skipped", "escalation off")}


def test_help_settings_tells_how_to_escalate(slack_app: SlackApp) -> None:
    slack_app.requests.command("help settings")

    told = answer(slack_app)
    shown = f"{told['text']} {told.get('blocks')}"
    assert "`escalate after 3 days to @maya`" in shown and "`escalate off`" in shown


def test_channels_with_different_thresholds_escalate_in_one_pass(slack_app: SlackApp) -> None:
    slack_app.requests.command(ESCALATE)
    slack_app.requests.command("settings escalate after 1 day to <@U4|maya>", channel="C2")
    slack_app.requests.command("add Three days late due Dec 15")
    slack_app.requests.command("add One day late due Dec 17", channel="C2")
    # Its day was Fri Dec 11, more working days ago than a missed day is caught up.
    slack_app.requests.command("add Six days late due Dec 10", channel="C2")

    tick(slack_app, ny("2026-12-18 09:00"))

    assert [p["text"].split(" is ")[0] for p in escalations(slack_app, "C1")] == ["⚠️ #1 Three days late"]
    assert [p["text"].split(" is ")[0] for p in escalations(slack_app, "C2")] == ["⚠️ #2 One day late"]
    assert len(escalations(slack_app, "DU4")) == 2
