"""Snooze, end to end: Remind me tomorrow / Next week on reminders and nudges plan one more reminder, once.

Buttons are pressed as Slack sends them (signed block_actions); the reminder comes from `tick` at New York
times, through the fake Slack, which checks every Block Kit payload it gets.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlmodel import Session, select

from bot.core.snooze import Snooze
from bot.outbox.reminder_planning import SnoozedReminder, plan_snoozed_reminder
from storage.models import Delivery
from storage.workspace import Workspace
from tests.support.app import SlackApp
from tests.support.scheduler import buttons, delivery_key, ny, posts, tick

SNOOZES = [("snooze_tomorrow", "1"), ("snooze_next_week", "1")]


def posted(app: SlackApp, channel: str, key_end: str) -> dict:
    """The message in `channel` (as Slack holds it, with its ts) whose delivery key ends so."""
    [message] = [m for m in app.fake.messages(channel) if delivery_key(m).endswith(key_end)]
    return message


def press(
    app: SlackApp,
    action: str,
    message: dict,
    *,
    at: str,
    user: str = "U1",
    channel: str = "C1",
    value: str = "1",
) -> str:
    """Press a snooze button on `message` at New York time `at`; the ephemeral answer the presser got."""
    app.clock.now = ny(at)
    before = len(app.fake.calls_to("response_url"))
    reply = app.requests.block_action(
        action_id=action, value=value, user=user, channel=channel, message=message
    )
    assert reply.status == 200
    [answer] = app.fake.calls_to("response_url")[before:]
    assert answer.params["response_type"] == "ephemeral"
    return answer.params["text"]


def snoozed_rows(app: SlackApp) -> list[Delivery]:
    with Session(app.engine) as session:
        return [d for d in session.exec(select(Delivery)).all() if ":snooze:" in d.key]


def test_reminders_and_nudges_carry_the_snooze_buttons(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15")
    tick(slack_app, ny("2026-12-08 09:00"))
    tick(slack_app, ny("2026-12-16 09:00"))

    reminder, nudge = posts(slack_app, "C1")
    assert buttons(reminder["blocks"]) == SNOOZES
    assert buttons(nudge["blocks"]) == [("reminder_done", "1"), ("open_new_date", "1"), *SNOOZES]
    labels = [e["text"]["text"] for b in nudge["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert labels == ["Done", "New date…", "Remind me tomorrow", "Next week"]


def test_remind_me_tomorrow_posts_one_more_reminder_at_nine_the_next_day(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15 owner <@U2|bob>")
    tick(slack_app, ny("2026-12-08 09:00"))
    reminder = posted(slack_app, "C1", ":7d")

    said = press(slack_app, "snooze_tomorrow", reminder, at="2026-12-08 09:05", user="U3")

    assert said == "⏰ OK — I'll remind <#C1> about *#1* on Wed Dec 9 at 9:00 AM."
    tick(slack_app, ny("2026-12-09 08:59"))
    assert len(posts(slack_app, "C1")) == 1
    tick(slack_app, ny("2026-12-09 09:00"))
    tick(slack_app, ny("2026-12-09 09:00:30"))
    first, snoozed = posts(slack_app, "C1")
    assert delivery_key(snoozed) == delivery_key(first).replace(":7d", ":snooze:2026-12-09")
    assert (
        snoozed["text"]
        == "⏰ Reminder (snoozed by <@U3>): #1 Launch beta is due in 6 days (Tue Dec 15) — <@U2>"
    )
    assert buttons(snoozed["blocks"]) == SNOOZES  # it can be put off again


def test_a_double_click_two_people_and_a_retry_plan_one_reminder(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15")
    tick(slack_app, ny("2026-12-16 09:00"))
    nudge = posted(slack_app, "C1", ":overdue")

    first = press(slack_app, "snooze_next_week", nudge, at="2026-12-16 09:05")
    again = press(slack_app, "snooze_next_week", nudge, at="2026-12-16 09:05")
    other = press(slack_app, "snooze_next_week", nudge, at="2026-12-16 11:00", user="U3")

    assert first == "⏰ OK — I'll remind <#C1> about *#1* on Wed Dec 23 at 9:00 AM."
    assert again == other == "⏰ Already snoozed: I'll remind <#C1> about *#1* on Wed Dec 23 at 9:00 AM."
    assert len(snoozed_rows(slack_app)) == 1
    tick(slack_app, ny("2026-12-23 09:00"))
    tick(slack_app, ny("2026-12-23 10:00"))
    [snoozed] = [p for p in posts(slack_app, "C1") if ":snooze:" in delivery_key(p)]
    assert snoozed["text"].startswith("⚠️ Reminder (snoozed by <@U1>): #1 Launch beta was due 8 days ago")
    assert buttons(snoozed["blocks"]) == [("reminder_done", "1"), ("open_new_date", "1"), *SNOOZES]


def test_tomorrow_on_a_friday_is_monday_and_next_week_skips_a_holiday(slack_app: SlackApp) -> None:
    slack_app.requests.command("settings holidays US")
    slack_app.requests.command("add Launch beta due Dec 17")
    tick(slack_app, ny("2026-12-18 09:00"))  # Friday: the overdue nudge
    nudge = posted(slack_app, "C1", ":overdue")

    monday = press(slack_app, "snooze_tomorrow", nudge, at="2026-12-18 09:05")
    after_christmas = press(slack_app, "snooze_next_week", nudge, at="2026-12-18 09:06")

    assert monday.endswith("on Mon Dec 21 at 9:00 AM.")
    assert after_christmas.endswith("on Mon Dec 28 at 9:00 AM.")  # Fri Dec 25 is a public holiday
    posted_on = {}
    for day in (
        "2026-12-19",
        "2026-12-20",
        "2026-12-21",
        "2026-12-25",
        "2026-12-26",
        "2026-12-27",
        "2026-12-28",
    ):
        before = len(posts(slack_app, "C1"))
        tick(slack_app, ny(f"{day} 09:00"))
        posted_on[day] = [delivery_key(p).rsplit(":", 2)[1:] for p in posts(slack_app, "C1")[before:]]
    assert {day: keys for day, keys in posted_on.items() if keys} == {
        "2026-12-21": [["snooze", "2026-12-21"]],
        "2026-12-28": [["snooze", "2026-12-28"]],
    }


def test_next_week_keeps_nine_new_york_time_across_the_fall_back(slack_app: SlackApp) -> None:
    slack_app.clock.now = ny("2026-10-20 10:00")
    slack_app.requests.command("add Fall launch due Oct 29")
    tick(slack_app, ny("2026-10-30 09:00"))  # Friday's overdue nudge, in EDT
    nudge = posted(slack_app, "C1", ":overdue")

    said = press(slack_app, "snooze_next_week", nudge, at="2026-10-30 09:05")

    assert said.endswith("on Fri Nov 6 at 9:00 AM.")  # New York is on EST from Sun Nov 1
    [row] = snoozed_rows(slack_app)
    assert row.not_before == datetime(2026, 11, 6, 14, 0, tzinfo=UTC)
    tick(slack_app, datetime(2026, 11, 6, 13, 0, tzinfo=UTC))  # 09:00 by the summer's offset: not yet
    assert len(posts(slack_app, "C1")) == 1
    tick(slack_app, datetime(2026, 11, 6, 14, 0, tzinfo=UTC))
    assert delivery_key(posts(slack_app, "C1")[-1]).endswith(":snooze:2026-11-06")


def test_a_snooze_waits_past_the_regular_reminders_before_its_day(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 10")
    tick(slack_app, ny("2026-12-09 09:00"))
    press(slack_app, "snooze_next_week", posted(slack_app, "C1", ":1d"), at="2026-12-09 09:05")

    for day in ("2026-12-10", "2026-12-11", "2026-12-14", "2026-12-15", "2026-12-16"):
        tick(slack_app, ny(f"{day} 09:00"))

    keys = [delivery_key(p).split(":", 2)[2] for p in posts(slack_app, "C1")]
    assert keys == ["2026-12-10:1d", "2026-12-10:0d", "2026-12-10:overdue", "2026-12-10:snooze:2026-12-16"]


def test_a_snooze_to_a_regular_reminders_day_gives_way_to_it(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15")
    tick(slack_app, ny("2026-12-08 09:00"))
    press(slack_app, "snooze_next_week", posted(slack_app, "C1", ":7d"), at="2026-12-08 09:05")

    for day in ("2026-12-14", "2026-12-15"):
        tick(slack_app, ny(f"{day} 09:00"))

    keys = [delivery_key(p).split(":", 2)[2] for p in posts(slack_app, "C1")]
    assert keys == ["2026-12-15:7d", "2026-12-15:1d", "2026-12-15:0d"]  # one reminder on Dec 15, not two
    [row] = snoozed_rows(slack_app)
    assert (row.state, row.last_error) == ("skipped", "superseded by a later reminder")


def test_a_nudge_snoozed_in_the_owners_dm_comes_back_to_that_dm(slack_app: SlackApp) -> None:
    slack_app.requests.command("settings reminders to owner")
    slack_app.requests.command("add Launch beta due Dec 15 owner <@U2|bob>")
    tick(slack_app, ny("2026-12-16 09:00"))
    nudge = posted(slack_app, "DU2", ":overdue:dm")

    said = press(slack_app, "snooze_tomorrow", nudge, at="2026-12-16 09:05", user="U2", channel="DU2")

    assert said == "⏰ OK — I'll remind you here about *#1* on Thu Dec 17 at 9:00 AM."
    tick(slack_app, ny("2026-12-17 09:00"))
    snoozed = posted(slack_app, "DU2", ":snooze:2026-12-17")
    assert snoozed["text"].startswith(
        "⚠️ Reminder (snoozed by <@U2>): #1 Launch beta in <#C1> was due 2 days ago"
    )
    assert [p for p in posts(slack_app, "C1") if ":snooze:" in delivery_key(p)] == []


def test_an_owner_away_on_the_day_is_named_in_the_channel_not_pinged(slack_app: SlackApp) -> None:
    slack_app.requests.command("settings reminders to owner")
    slack_app.requests.command("add Launch beta due Dec 15 owner <@U2|bob>")
    tick(slack_app, ny("2026-12-16 09:00"))
    nudge = posted(slack_app, "DU2", ":overdue:dm")
    slack_app.requests.command("away until Dec 18", user="U2")

    said = press(slack_app, "snooze_tomorrow", nudge, at="2026-12-16 09:05", user="U2", channel="DU2")

    assert said == "⏰ OK — I'll remind <#C1> about *#1* on Thu Dec 17 at 9:00 AM."
    tick(slack_app, ny("2026-12-17 09:00"))
    snoozed = posted(slack_app, "C1", ":snooze:2026-12-17")
    assert snoozed["text"].endswith("— owner away until Fri Dec 18")
    assert "<@U2>" not in str(snoozed["blocks"]).replace("snoozed by <@U2>", "")


def test_a_milestone_done_meanwhile_is_not_reminded(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15")
    tick(slack_app, ny("2026-12-16 09:00"))
    press(slack_app, "snooze_tomorrow", posted(slack_app, "C1", ":overdue"), at="2026-12-16 09:05")
    slack_app.clock.now = ny("2026-12-16 15:00")
    slack_app.requests.command("done 1")

    tick(slack_app, ny("2026-12-17 09:00"))

    assert [p for p in posts(slack_app, "C1") if ":snooze:" in delivery_key(p)] == []
    [row] = snoozed_rows(slack_app)
    assert (row.state, row.last_error) == ("skipped", "milestone done")


def test_snoozing_a_done_milestone_says_so_and_plans_nothing(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15")
    tick(slack_app, ny("2026-12-16 09:00"))
    nudge = posted(slack_app, "C1", ":overdue")
    slack_app.clock.now = ny("2026-12-16 09:01")
    slack_app.requests.command("done 1")

    said = press(slack_app, "snooze_tomorrow", nudge, at="2026-12-16 09:05")

    assert said == "*#1* Launch beta is already done, so there is nothing to remind about."
    assert snoozed_rows(slack_app) == []


def test_snoozing_a_deleted_milestone_says_it_is_gone(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15")
    tick(slack_app, ny("2026-12-16 09:00"))
    nudge = posted(slack_app, "C1", ":overdue")
    slack_app.requests.block_action(action_id="delete_confirm", value="1")

    said = press(slack_app, "snooze_next_week", nudge, at="2026-12-16 09:05")

    assert said.startswith("🔍 There's no milestone *#1* in this workspace.")
    assert snoozed_rows(slack_app) == []


def test_a_forged_snooze_value_gets_an_apology_and_plans_nothing(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15")

    tick(slack_app, ny("2026-12-16 09:00"))
    nudge = posted(slack_app, "C1", ":overdue")

    for value in ("one", "#1", "1; DROP TABLE delivery", ""):
        said = press(slack_app, "snooze_tomorrow", nudge, at="2026-12-16 09:05", value=value)
        assert "Something went wrong on our side" in said and "Traceback" not in said
    assert snoozed_rows(slack_app) == []


def test_presses_at_the_same_moment_on_several_instances_plan_one_reminder(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15")
    start = threading.Barrier(6)
    answers: list[SnoozedReminder] = []

    def press_now(user: str) -> None:
        start.wait()
        answers.append(
            plan_snoozed_reminder(
                slack_app.engine,
                workspace=Workspace(team_id=slack_app.requests.team_id),
                number=1,
                snooze=Snooze.TOMORROW,
                by=user,
                in_dm=False,
                now=ny("2026-12-16 09:05"),
                timezone="America/New_York",
            )
        )

    threads = [threading.Thread(target=press_now, args=(f"U{i}",)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(snoozed_rows(slack_app)) == 1
    assert sorted(answer.planned_now for answer in answers) == [False] * 5 + [True]
    assert {(answer.target, answer.at) for answer in answers} == {("C1", ny("2026-12-17 09:00"))}
