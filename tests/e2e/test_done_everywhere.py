"""Done means the same everywhere: the command, a milestone's button, the overdue nudge and the Home tab
each post one line in the channel, with an Undo for 10 minutes, and take the buttons off old reminders."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from storage.models import Milestone, Revision
from tests.support.app import SlackApp
from tests.support.blocks import action_elements, assert_valid_blocks, mrkdwn_texts
from tests.support.reading import fallbacks
from tests.support.scheduler import buttons, delivery_key, ny, posts, tick


def milestone(app: SlackApp) -> Milestone:
    with Session(app.engine) as session:
        return session.exec(select(Milestone)).one()


def done_lines(app: SlackApp, channel: str = "C1") -> list[dict]:
    """Every Done line the channel got, however it was sent (a post, or an in-channel answer)."""
    posted = [call.params for call in app.fake.calls_to("chat.postMessage")]
    answered = [
        call.params
        for call in app.fake.calls_to("response_url")
        if call.params.get("response_type") == "in_channel"
    ]
    return [
        params
        for params in [*posted, *answered]
        if params.get("channel", channel) == channel and params.get("text", "").startswith("✅")
    ]


def the_line(app: SlackApp) -> dict:
    """The one Done line in the channel, as posted (its blocks valid), and as it is in the channel now."""
    [line] = done_lines(app)
    assert_valid_blocks(line["blocks"])
    return line


def message_of(app: SlackApp, text_start: str, channel: str = "C1") -> dict:
    return next(m for m in app.fake.messages(channel) if m["text"].startswith(text_start))


def add_overdue(app: SlackApp) -> None:
    """#1 Launch beta, due Tue Dec 15, owned by U1; it is now Fri Dec 18, 10:00 in New York."""
    app.requests.command("add Launch beta due Dec 15")
    app.clock.now = ny("2026-12-18 10:00")


def test_the_done_command_posts_one_line_with_undo(slack_app: SlackApp) -> None:
    add_overdue(slack_app)
    slack_app.requests.command("done 1")
    line = the_line(slack_app)
    assert list(mrkdwn_texts(line["blocks"])) == ["✅ *#1* Launch beta done by <@U1> (3 days late)"]
    assert buttons(line["blocks"]) == [("undo_done", "1")]
    assert line["channel"] == "C1"


@pytest.mark.parametrize(("completed", "said"), [("on Dec 15", "(on time)"), ("on Dec 13", "(2 days early)")])
def test_the_line_says_on_time_or_early(slack_app: SlackApp, completed: str, said: str) -> None:
    add_overdue(slack_app)
    slack_app.requests.command(f"done 1 {completed}")
    assert the_line(slack_app)["text"] == f"✅ #1 Launch beta done by <@U1> {said}"


def test_undo_within_ten_minutes_reopens_it_as_it_was(slack_app: SlackApp) -> None:
    add_overdue(slack_app)
    slack_app.requests.command("update 1 status at-risk")
    slack_app.requests.command("done 1 cost $4,000")
    posted = message_of(slack_app, "✅")
    slack_app.clock.now += timedelta(minutes=9, seconds=59)
    slack_app.requests.block_action(action_id="undo_done", value="1", message=posted)
    redrawn = slack_app.fake.last("response_url").params
    assert redrawn["replace_original"] is True and redrawn["response_type"] == "in_channel"
    assert list(mrkdwn_texts(redrawn["blocks"])) == ["↩️ *#1* Launch beta reopened by <@U1>"]
    assert action_elements(redrawn["blocks"]) == []
    reopened = milestone(slack_app)
    assert (reopened.status, reopened.completed_on, reopened.actual_cost_minor) == ("at_risk", None, None)
    with Session(slack_app.engine) as session:
        undone = session.exec(select(Revision).where(Revision.source == "undo")).all()
    assert sorted((r.field, r.old, r.new) for r in undone) == [
        ("actual_cost", "400000 USD", None),
        ("completed_on", "2026-12-18", None),
        ("status", "done", "at_risk"),
    ]
    slack_app.requests.command("show 1")
    history = json.dumps(slack_app.fake.last("response_url").params["blocks"], ensure_ascii=False)
    assert "<@U1> changed status ✅ Done → 🟡 At risk (undo)" in history


def test_undo_gives_the_nudge_its_buttons_back(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15")
    tick(slack_app, ny("2026-12-16 09:00"))
    [nudge] = [m for m in slack_app.fake.messages("C1") if delivery_key(m).startswith("reminder:")]
    slack_app.clock.now = ny("2026-12-16 09:05")
    slack_app.requests.block_action(action_id="reminder_done", value="1", message=nudge)
    assert action_elements(slack_app.fake.last("chat.update").params["blocks"]) == []

    slack_app.requests.block_action(action_id="undo_done", value="1", message=message_of(slack_app, "✅"))
    restored = slack_app.fake.last("chat.update").params
    assert (restored["channel"], restored["ts"]) == ("C1", nudge["ts"])
    assert restored["blocks"] == nudge["blocks"], "posted again as it was: Done and New date… back"
    assert buttons(restored["blocks"])


def test_undo_after_ten_minutes_says_how_to_reopen_it(slack_app: SlackApp) -> None:
    add_overdue(slack_app)
    slack_app.requests.command("done 1")
    slack_app.clock.now += timedelta(minutes=10, seconds=1)
    slack_app.requests.block_action(action_id="undo_done", value="1", message=message_of(slack_app, "✅"))
    answer = slack_app.fake.last("response_url").params
    assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False
    assert "`/milestone update 1 status on-track`" in answer["text"]
    assert milestone(slack_app).status == "done"


def test_undo_is_for_those_who_may_mark_it_done(slack_app: SlackApp) -> None:
    add_overdue(slack_app)
    slack_app.requests.command("done 1")
    slack_app.requests.block_action(action_id="undo_done", value="1", user="U3")
    refusal = slack_app.fake.last("response_url").params
    assert refusal["response_type"] == "ephemeral" and "<@U1>" in refusal["text"]
    assert milestone(slack_app).status == "done"


def test_the_milestones_own_done_button_posts_the_same_line(slack_app: SlackApp) -> None:
    add_overdue(slack_app)
    slack_app.requests.command("show 1")
    slack_app.requests.block_action(action_id="milestone_done", value="1", channel="C2")
    line = the_line(slack_app)
    assert line["text"] == "✅ #1 Launch beta done by <@U1> (3 days late)"
    assert buttons(line["blocks"]) == [("undo_done", "1")]


def test_the_nudges_done_posts_one_line_and_redraws_the_nudge_without_buttons(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15")
    tick(slack_app, ny("2026-12-15 09:00"))
    tick(slack_app, ny("2026-12-16 09:00"))
    _, nudge = posts(slack_app, "C1")
    assert buttons(nudge["blocks"]), "the nudge has buttons before Done"
    slack_app.clock.now = ny("2026-12-16 09:05")
    pressed = slack_app.fake.messages("C1")[-1]
    answers_before = len(slack_app.fake.calls_to("response_url"))
    slack_app.requests.block_action(action_id="reminder_done", value="1", message=pressed)

    assert the_line(slack_app)["text"] == "✅ #1 Launch beta done by <@U1> (1 day late)"
    answers = slack_app.fake.calls_to("response_url")[answers_before:]
    assert answers == [], "no second message: the channel's line says it"
    redrawn = {call.params["ts"]: call.params for call in slack_app.fake.calls_to("chat.update")}
    reminders = [m for m in slack_app.fake.messages("C1") if delivery_key(m).startswith("reminder:")]
    assert len(reminders) == 2 and set(redrawn) == {m["ts"] for m in reminders}
    for update in redrawn.values():
        assert update["channel"] == "C1" and action_elements(update["blocks"]) == []
        assert fallbacks(list(mrkdwn_texts(update["blocks"]))[-1]) == "✅ Done — <@U1>, Wed Dec 16"
        assert_valid_blocks(update["blocks"])
    assert redrawn[pressed["ts"]]["blocks"][0] == nudge["blocks"][0]


def test_a_nudge_sent_by_dm_is_redrawn_in_that_dm(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15 owner <@U2|bob>")
    slack_app.requests.command("settings reminders to owner")
    tick(slack_app, ny("2026-12-16 09:00"))
    [nudge] = [m for m in slack_app.fake.messages("DU2") if delivery_key(m).startswith("reminder:")]
    assert buttons(nudge["blocks"])
    slack_app.clock.now = ny("2026-12-16 09:05")
    slack_app.requests.block_action(
        action_id="reminder_done", value="1", user="U2", channel="DU2", message=nudge
    )

    [update] = slack_app.fake.calls_to("chat.update")
    assert (update.params["channel"], update.params["ts"]) == ("DU2", nudge["ts"])
    assert action_elements(update.params["blocks"]) == []
    assert fallbacks(list(mrkdwn_texts(update.params["blocks"]))[-1]) == "✅ Done — <@U2>, Wed Dec 16"
    line = the_line(slack_app)
    assert (line["channel"], line["text"]) == ("C1", "✅ #1 Launch beta done by <@U2> (1 day late)")


def test_reminders_in_one_dm_are_redrawn_with_one_look_up_of_that_dm(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15 owner <@U2|bob>")
    slack_app.requests.command("settings reminders to owner")
    for day in ("2026-12-14", "2026-12-15", "2026-12-16"):
        tick(slack_app, ny(f"{day} 09:00"))
    sent = [m for m in slack_app.fake.messages("DU2") if delivery_key(m).startswith("reminder:")]
    assert len(sent) == 3
    opened_before = len(slack_app.fake.calls_to("conversations.open"))
    slack_app.clock.now = ny("2026-12-16 09:05")
    slack_app.requests.command("done 1", user="U2")

    assert len(slack_app.fake.calls_to("chat.update")) == 3
    assert len(slack_app.fake.calls_to("conversations.open")) - opened_before == 1


def test_a_slack_error_on_the_redraw_does_not_undo_the_done(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15")
    tick(slack_app, ny("2026-12-16 09:00"))
    slack_app.fake.fail_next("chat.update", status=200, error="cant_update_message")
    slack_app.clock.now = ny("2026-12-16 09:05")
    slack_app.requests.command("done 1")
    assert the_line(slack_app)["text"].startswith("✅ #1 Launch beta done by <@U1>")
    assert milestone(slack_app).status == "done"
    assert "apolog" not in json.dumps([c.params for c in slack_app.fake.calls_to("response_url")]).lower()


def test_done_from_the_home_tab_tells_the_channel_and_redraws_home(slack_app: SlackApp) -> None:
    add_overdue(slack_app)
    slack_app.requests.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"})
    home = slack_app.fake.last("views.publish").params["view"]
    slack_app.requests.block_action(
        action_id="home_milestone", value="", selected="done:1", view={**home, "id": "VHOME"}
    )
    line = the_line(slack_app)
    assert (line["channel"], line["text"]) == ("C1", "✅ #1 Launch beta done by <@U1> (3 days late)")
    assert milestone(slack_app).completed_on == date(2026, 12, 18)
    assert "#1" not in json.dumps(slack_app.fake.last("views.publish").params["view"])


def test_done_in_a_channel_the_bot_is_not_in_goes_to_the_person(slack_app: SlackApp) -> None:
    add_overdue(slack_app)
    slack_app.fake.fail_next("chat.postMessage", status=200, error="not_in_channel", channel="C1")
    slack_app.requests.command("done 1")
    [line] = done_lines(slack_app, channel="U1")
    assert line["text"] == "✅ #1 Launch beta done by <@U1> (3 days late)"
