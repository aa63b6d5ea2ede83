"""Working days, holidays, DST, away and where reminders go, end to end: `tick` at New York times, fake Slack.

Nothing is posted on a day off: a reminder moves to the working day before, an overdue nudge to the one
after, a review to the next working day (and its chase one working day later).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from bot.outbox.planner import plan
from storage.models import CheckIn, Delivery, Milestone
from tests.support.app import SlackApp
from tests.support.blocks import assert_valid_blocks
from tests.support.scheduler import buttons, delivery_key, ny, posts, tick


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def every_day_at_nine(app: SlackApp, first: date, last: date) -> dict[date, list[str]]:
    """Tick at 09:00 New York each day from `first` to `last`: the keys posted on each day that posted any."""
    posted: dict[date, list[str]] = {}
    day = first
    while day <= last:
        before = len(app.fake.calls_to("chat.postMessage"))
        tick(app, ny(f"{day} 09:00"))
        calls = app.fake.calls_to("chat.postMessage")[before:]
        for call in calls:
            assert_valid_blocks(call.params.get("blocks") or [])
        if calls:
            posted[day] = [delivery_key(call.params) for call in calls]
        day += timedelta(days=1)
    return posted


def tails(keys: list[str], kind: str = "reminder:") -> list[str]:
    """The date and offset of reminder keys (`2026-12-13:7d`, `…:7d:dm`)."""
    return [key.split(":", 2)[2] for key in keys if key.startswith(kind)]


def outbox(app: SlackApp) -> dict[str, Delivery]:
    with Session(app.engine) as session:
        return {d.key: d for d in session.exec(select(Delivery)).all()}


def texts(app: SlackApp, channel: str) -> list[str]:
    return [post["text"] for post in posts(app, channel)]


# Weekends and holidays


@pytest.mark.parametrize("reminders_to", ["channel", "owner"])
def test_a_weekend_moves_reminders_and_the_nudge_and_nothing_posts_on_it(
    slack_app: SlackApp, reminders_to: str
) -> None:
    slack_app.requests.command(f"settings reminders to {reminders_to}")
    slack_app.requests.command("add Launch beta due Dec 13 owner <@U2|bob>")  # a Sunday

    posted = every_day_at_nine(slack_app, date(2026, 12, 3), date(2026, 12, 15))

    assert not [day for day in posted if day.weekday() >= 5], "nothing is posted on a Saturday or Sunday"
    dm = ":dm" if reminders_to == "owner" else ""
    reminders = {day: tails(keys) for day, keys in posted.items() if tails(keys)}
    assert reminders == {
        date(2026, 12, 4): [f"2026-12-13:7d{dm}"],  # Sunday Dec 6 → Friday before
        date(2026, 12, 11): [f"2026-12-13:0d{dm}"],  # the day before and the day itself → Friday
        date(2026, 12, 14): [f"2026-12-13:overdue{dm}"],  # the nudge → the Monday after
    }
    where = "DU2" if reminders_to == "owner" else "C1"
    friday = texts(slack_app, where)[1]
    assert "is due in 2 days" in friday and "Dec 13" in friday


def test_christmas_moves_the_reminder_before_it_and_the_nudge_after_the_weekend(slack_app: SlackApp) -> None:
    slack_app.requests.command("settings holidays US")
    slack_app.requests.command("add Gift drive due Dec 25 owner <@U1|alice>")  # Christmas, a Friday

    posted = every_day_at_nine(slack_app, date(2026, 12, 17), date(2026, 12, 29))

    assert not set(posted) & {date(2026, 12, 25), date(2026, 12, 26), date(2026, 12, 27)}
    reminders = {day: tails(keys) for day, keys in posted.items() if tails(keys)}
    assert reminders == {
        date(2026, 12, 18): ["2026-12-25:7d"],
        date(2026, 12, 24): ["2026-12-25:0d"],  # the day before and Christmas itself → Thursday
        date(2026, 12, 28): ["2026-12-25:overdue"],
    }
    assert texts(slack_app, "C1")[1] == "⏰ #1 Gift drive is due tomorrow (Fri Dec 25) — <@U1>"
    # The reviews of Dec 21 and Dec 28 are on their Mondays, and their chases on the Tuesdays.
    checkins = [day for day, keys in posted.items() if any(k.startswith("checkin:") for k in keys)]
    chases = [day for day, keys in posted.items() if any(k.startswith("chase:") for k in keys)]
    assert checkins == [date(2026, 12, 21), date(2026, 12, 28)]
    assert chases == [date(2026, 12, 22), date(2026, 12, 29)]


def test_a_review_on_a_holiday_posts_the_next_working_day_and_is_chased_the_day_after(
    slack_app: SlackApp,
) -> None:
    slack_app.clock.now = ny("2026-01-05 10:00")
    slack_app.requests.command("settings holidays US")
    slack_app.requests.command("add Launch beta due Feb 20 owner <@U1|alice>")

    posted = every_day_at_nine(slack_app, date(2026, 1, 12), date(2026, 1, 23))

    kinds = {day: sorted({key.split(":")[0] for key in keys}) for day, keys in posted.items()}
    assert kinds == {
        date(2026, 1, 12): ["checkin", "review_dm"],
        date(2026, 1, 13): ["chase"],
        # Monday Jan 19 is Martin Luther King Jr. Day: that week's review is on Tuesday, its chase Wednesday.
        date(2026, 1, 20): ["checkin", "review_dm"],
        date(2026, 1, 21): ["chase"],
    }
    with Session(slack_app.engine) as session:
        weeks = [c.week for c in session.exec(select(CheckIn).order_by(CheckIn.id)).all()]
    assert weeks == ["2026-W03", "2026-W04"]
    assert texts(slack_app, "DU1") == []  # reminders stay in the channel; the DMs are review prompts
    assert [p["text"] for p in posts(slack_app, "DU1", kind="chase")] == [
        "Still waiting on your review of #1 in <#C1>"
    ] * 2


def test_a_review_on_friday_is_chased_on_monday_not_on_the_weekend(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15 owner <@U1|alice>")
    slack_app.requests.command("settings review fri 09:00")

    posted = every_day_at_nine(slack_app, date(2026, 12, 3), date(2026, 12, 8))

    kinds = {day: sorted({key.split(":")[0] for key in keys}) for day, keys in posted.items()}
    assert kinds == {
        date(2026, 12, 4): ["checkin", "review_dm"],
        date(2026, 12, 7): ["chase"],
        date(2026, 12, 8): ["reminder"],  # the 7-day reminder of Dec 15
    }


# Daylight saving time


@pytest.mark.parametrize(
    ("added", "before", "after"),
    [
        # New York springs forward on Sunday Mar 8, 2026: Monday 09:00 is 14:00 UTC, then 13:00 UTC.
        (
            "2026-02-23 10:00",
            ("2026-03-02 13:59", "2026-03-02 14:00"),
            ("2026-03-09 12:59", "2026-03-09 13:00"),
        ),
        # …and falls back on Sunday Nov 1, 2026: 13:00 UTC, then 14:00 UTC.
        (
            "2026-10-19 10:00",
            ("2026-10-26 12:59", "2026-10-26 13:00"),
            ("2026-11-02 13:59", "2026-11-02 14:00"),
        ),
    ],
    ids=["spring-forward", "fall-back"],
)
def test_dst_weeks_keep_the_review_and_its_chase_at_nine_new_york_time(
    slack_app: SlackApp, added: str, before: tuple[str, str], after: tuple[str, str]
) -> None:
    slack_app.clock.now = ny(added)
    slack_app.requests.command("add Launch beta due Dec 31 owner <@U1|alice>")

    counts = []
    for almost, nine in (before, after):
        tick(slack_app, utc(almost))
        counts.append(len(posts(slack_app, "C1", kind="checkin")))
        tick(slack_app, utc(nine))
        counts.append(len(posts(slack_app, "C1", kind="checkin")))
        # The chase, the next day at the same wall-clock time.
        day_after = utc(nine) + timedelta(days=1)
        tick(slack_app, day_after - timedelta(minutes=1))
        counts.append(len(posts(slack_app, "DU1", kind="chase")))
        tick(slack_app, day_after)
        counts.append(len(posts(slack_app, "DU1", kind="chase")))
    assert counts == [0, 1, 0, 1, 1, 2, 1, 2]
    for post in posts(slack_app, "DU1", kind="review_dm"):
        assert_valid_blocks(post["blocks"])


# Where reminders go


def test_reminders_to_the_owner_go_by_dm_and_ownerless_ones_to_the_channel(slack_app: SlackApp) -> None:
    slack_app.requests.command("settings reminders to owner")
    slack_app.requests.command("add Launch beta due Dec 15 owner <@U2|bob>")
    slack_app.requests.command("add Press kit due Dec 15")

    tick(slack_app, ny("2026-12-08 09:00"))

    assert texts(slack_app, "DU2") == ["⏰ #1 Launch beta in <#C1> is due in 7 days (Tue Dec 15)"]
    [to_bob] = posts(slack_app, "DU2")
    # A DM is read later too: the day is Slack's date token, noon in the channel's zone (New York).
    noon = int(ny("2026-12-15 12:00").timestamp())
    assert to_bob["blocks"][0]["text"]["text"] == (
        f"⏰ *#1* Launch beta in <#C1> is due in 7 days (<!date^{noon}^{{date_long}}|Tue Dec 15>)"
    )
    [in_channel] = texts(slack_app, "C1")
    assert in_channel.startswith("⏰ #2 Press kit is due in 7 days (Tue Dec 15) — no owner yet")
    assert "<@" not in in_channel
    keys = sorted(tails([delivery_key(p) for p in posts(slack_app)]))
    assert keys == ["2026-12-15:7d", "2026-12-15:7d:dm"]
    row = next(d for d in outbox(slack_app).values() if d.key.endswith(":dm"))
    assert (row.channel_id, row.state, row.message_ts) == (
        "U2",
        "sent",
        slack_app.fake.messages("DU2")[0]["ts"],
    )


def test_reminders_to_both_post_one_each_and_the_latest_pair_supersedes_the_older(
    slack_app: SlackApp,
) -> None:
    slack_app.requests.command("settings reminders to both")
    slack_app.requests.command("add Launch beta due Dec 15 owner <@U2|bob>")
    plan(slack_app.engine, now=ny("2026-12-08 09:00"), default_timezone="UTC")  # planned, never posted

    tick(slack_app, ny("2026-12-14 09:00"))

    assert texts(slack_app, "C1") == ["⏰ #1 Launch beta is due tomorrow (Tue Dec 15) — <@U2>"]
    assert texts(slack_app, "DU2") == ["⏰ #1 Launch beta in <#C1> is due tomorrow (Tue Dec 15)"]
    states = {key.split(":", 2)[2]: (row.state, row.last_error) for key, row in outbox(slack_app).items()}
    assert {tail: states[tail] for tail in states if tail.startswith("2026-12-15")} == {
        "2026-12-15:7d": ("skipped", "superseded by a later reminder"),
        "2026-12-15:7d:dm": ("skipped", "superseded by a later reminder"),
        "2026-12-15:1d": ("sent", None),
        "2026-12-15:1d:dm": ("sent", None),
    }


def test_an_overdue_nudge_by_dm_keeps_its_buttons_and_done_works_from_the_dm(slack_app: SlackApp) -> None:
    slack_app.requests.command("settings reminders to owner")
    slack_app.requests.command("add Launch beta due Dec 15 owner <@U2|bob>")
    tick(slack_app, ny("2026-12-16 09:00"))

    [nudge] = posts(slack_app, "DU2")
    assert nudge["text"] == "⚠️ #1 Launch beta in <#C1> was due yesterday (Tue Dec 15) and isn't marked done"
    assert buttons(nudge["blocks"]) == [
        ("reminder_done", "1"),
        ("open_new_date", "1"),
        ("snooze_tomorrow", "1"),
        ("snooze_next_week", "1"),
    ]
    [message] = [m for m in slack_app.fake.messages("DU2") if delivery_key(m) == delivery_key(nudge)]
    slack_app.clock.now = ny("2026-12-16 09:05")
    slack_app.requests.block_action(
        action_id="reminder_done", value="1", user="U2", channel="DU2", message=message
    )

    with Session(slack_app.engine) as session:
        assert session.exec(select(Milestone)).one().status == "done"
    redrawn = slack_app.fake.last("chat.update").params
    assert (redrawn["channel"], redrawn["ts"], buttons(redrawn["blocks"])) == ("DU2", message["ts"], [])


@pytest.mark.parametrize("reminders_to", ["channel", "owner", "both"])
def test_an_away_owner_is_named_in_the_channel_without_a_ping_and_gets_no_dm(
    slack_app: SlackApp, reminders_to: str
) -> None:
    slack_app.requests.command(f"settings reminders to {reminders_to}")
    slack_app.requests.command("add Launch beta due Dec 15 owner <@U2|bob>")
    slack_app.requests.command("away until Dec 20", user="U2")

    tick(slack_app, ny("2026-12-14 09:00"))

    [post] = posts(slack_app, "C1")
    assert post["text"] == "⏰ #1 Launch beta is due tomorrow (Tue Dec 15) — owner away until Sun Dec 20"
    assert "<@U2>" not in str(post["blocks"])
    assert posts(slack_app, "DU2") == [] and slack_app.fake.messages("DU2") == []
