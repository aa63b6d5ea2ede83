"""Reminders end to end: `tick` at chosen times posts the right reminder once, in the channel's zone."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from sqlmodel import Session, select

from bot.outbox.outcomes import Outcome
from storage.models import Milestone
from tests.support.app import SlackApp
from tests.support.scheduler import buttons, delivery_key, ny, posts, tick


def add(app: SlackApp, text: str, *, user: str = "U1", channel: str = "C1") -> None:
    app.requests.command(text, user=user, channel=channel)


def test_seven_day_reminder_posts_once_at_nine_channel_time(slack_app: SlackApp) -> None:
    add(slack_app, "add Launch beta due Dec 15 owner <@U2|bob>")
    tick(slack_app, ny("2026-12-08 08:59"))
    assert posts(slack_app) == []
    first = tick(slack_app, ny("2026-12-08 09:00"))
    again = tick(slack_app, ny("2026-12-08 09:00:30"))
    [post] = posts(slack_app, "C1")
    assert delivery_key(post) in first.dispatched[Outcome.SENT] and again.dispatched[Outcome.SENT] == []
    assert delivery_key(post).endswith(":2026-12-15:7d")
    text = json.dumps(post["blocks"])
    assert "<@U2>" in text and "<!date^" in text and "7 days" in text


def test_only_the_latest_reminder_after_downtime(slack_app: SlackApp) -> None:
    add(slack_app, "add Launch beta due Dec 15")
    tick(slack_app, ny("2026-12-15 10:30"))  # down since before the 7-day and 1-day reminders
    [post] = posts(slack_app)
    assert delivery_key(post).endswith(":0d") and "today" in post["text"]


def test_revised_date_gets_fresh_reminders(slack_app: SlackApp) -> None:
    add(slack_app, "add Launch beta due Dec 15")
    tick(slack_app, ny("2026-12-14 09:00"))
    slack_app.clock.now = ny("2026-12-14 10:00")
    slack_app.requests.command("update 1 due Dec 22 because vendor slipped")
    tick(slack_app, ny("2026-12-15 09:00"))  # the old "due today" must not go out; the new "7 days" does
    tick(slack_app, ny("2026-12-21 09:00"))
    keys = [delivery_key(p).split(":", 2)[2] for p in posts(slack_app)]
    assert keys == ["2026-12-15:1d", "2026-12-22:7d", "2026-12-22:1d"]


def test_done_and_paused_get_no_reminders(slack_app: SlackApp) -> None:
    add(slack_app, "add Finished early due Dec 15")
    add(slack_app, "add Quiet channel due Dec 15", channel="C2")
    slack_app.requests.command("done 1")
    slack_app.requests.command("settings pause", channel="C2")
    tick(slack_app, ny("2026-12-15 09:00"))
    assert posts(slack_app, "C1") == []
    assert posts(slack_app, "C2") == [] and posts(slack_app, "C2", kind="checkin") == []


def test_overdue_nudge_has_done_and_new_date_buttons(slack_app: SlackApp) -> None:
    add(slack_app, "add Launch beta due Dec 15")
    tick(slack_app, ny("2026-12-16 09:00"))
    [nudge] = posts(slack_app)
    assert delivery_key(nudge).endswith(":overdue")
    assert buttons(nudge["blocks"]) == [
        ("reminder_done", "1"),
        ("open_new_date", "1"),
        ("snooze_tomorrow", "1"),
        ("snooze_next_week", "1"),
    ]
    [message] = [m for m in slack_app.fake.messages("C1") if delivery_key(m) == delivery_key(nudge)]
    slack_app.clock.now = ny("2026-12-16 09:05")
    slack_app.requests.block_action(action_id="reminder_done", value="1", message=message)
    redrawn = slack_app.fake.last("chat.update").params
    assert redrawn["ts"] == message["ts"] and buttons(redrawn["blocks"]) == []
    with Session(slack_app.engine) as session:
        milestone = session.exec(select(Milestone)).one()
    assert milestone.status == "done" and str(milestone.completed_on) == "2026-12-16"


def test_new_date_from_the_overdue_nudge(slack_app: SlackApp) -> None:
    from tests.support.slack_requests import date_value, text_value

    add(slack_app, "add Launch beta due Dec 15")
    tick(slack_app, ny("2026-12-16 09:00"))
    [nudge] = [m for m in slack_app.fake.messages("C1") if delivery_key(m).endswith(":overdue")]
    slack_app.clock.now = ny("2026-12-16 09:05")
    slack_app.requests.block_action(action_id="open_new_date", value="1", message=nudge)
    view = slack_app.fake.last("views.open").params["view"]
    assert view["callback_id"] == "new_date"
    values = {"due": {"due": date_value("2027-01-08")}, "reason": {"reason": text_value("Holidays")}}
    reply = slack_app.requests.view_submission(
        callback_id="new_date", values=values, private_metadata=view["private_metadata"]
    )
    assert reply.status == 200 and "errors" not in reply.body
    with Session(slack_app.engine) as session:
        milestone = session.exec(select(Milestone)).one()
    assert str(milestone.due_date) == "2027-01-08" and str(milestone.baseline_due_date) == "2026-12-15"


def test_reminder_time_follows_dst_in_the_channel_zone(slack_app: SlackApp) -> None:
    slack_app.clock.now = ny("2027-03-01 10:00")
    add(slack_app, "add Spring launch due Mar 16")  # New York moves to EDT on Sunday Mar 14, 2027
    counts = []
    for moment in ("2027-03-09 09:00", "2027-03-15 08:59", "2027-03-15 09:00"):  # EST, then EDT
        tick(slack_app, ny(moment))
        counts.append(len(posts(slack_app)))
    assert counts == [1, 1, 2]


def test_tick_command_line_prints_what_it_posted(slack_app: SlackApp, tmp_path) -> None:
    add(slack_app, "add Launch beta due Dec 15")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_API_URL=slack_app.fake.api_url,
        DATABASE_URL=slack_app.engine.url.render_as_string(hide_password=False),
    )
    result = subprocess.run(
        [sys.executable, "-m", "bot", "tick", "--now", "2026-12-08T14:00:00+00:00"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"^posted reminder:\d+:2026-12-15:7d$", result.stdout, re.M)
    assert "2 posted" in result.stdout
    assert len(posts(slack_app)) == 1
