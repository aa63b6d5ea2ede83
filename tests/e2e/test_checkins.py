"""The weekly review and revise end to end: posted once a week, compact, thread replies kept as notes.

The Review my milestones forms are in test_review_form.py; here, the message and the older reviews' buttons.
"""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from storage.models import CheckIn, CheckInAnswer, CheckInNote, Milestone, Revision
from tests.support.app import BOTH_MODES, SlackApp
from tests.support.reading import fallbacks, tokens
from tests.support.scheduler import buttons, ny, posts, tick
from tests.support.slack_requests import date_value, message_event, text_value

MONDAY = "2026-11-30 09:00"


def setup_channel(app: SlackApp) -> None:
    app.requests.command("add Launch beta due Dec 15 owner <@U1|alice>")
    app.requests.command("add Pricing page due Jan 9 owner <@U2|bob>")
    app.requests.command("add Hire designer due Dec 20 owner <@U2|bob>")


def checkin_post(app: SlackApp) -> dict:
    [post] = posts(app, "C1", kind="checkin")
    return post


def post_checkin_id(app: SlackApp) -> int:
    with Session(app.engine) as session:
        return session.exec(select(CheckIn)).one().id or 0


def checkin_in_channel(app: SlackApp) -> dict:
    """The check-in message as it stands in the channel's history (what a button press carries)."""
    return next(m for m in app.fake.messages("C1") if "checkin:" in json.dumps(m.get("metadata") or {}))


def press_old(app: SlackApp, action_id: str, number: int, *, user: str = "U1") -> None:
    """Press a button of a review posted before Review my milestones (five per milestone), as `user`."""
    message = checkin_in_channel(app)
    with Session(app.engine) as session:
        checkin_id = session.exec(select(CheckIn)).one().id
    value = f"{checkin_id}:{number}"
    app.requests.block_action(action_id=action_id, value=value, user=user, message=message)


def sections(message: dict) -> list[str]:
    """The sections' texts, date tokens read as their fallbacks."""
    return [fallbacks(block["text"]["text"]) for block in message["blocks"] if block["type"] == "section"]


def test_weekly_checkin_posts_once_per_week_on_monday_at_nine(slack_app: SlackApp) -> None:
    setup_channel(slack_app)
    tick(slack_app, ny("2026-11-30 08:59"))
    assert posts(slack_app, kind="checkin") == []
    tick(slack_app, ny(MONDAY))
    tick(slack_app, ny("2026-11-30 15:00"))
    tick(slack_app, ny("2026-12-01 10:00"))
    post = checkin_post(slack_app)
    assert post["text"] == "Weekly review: 3 milestones in flight"
    standing, rows = sections(post)
    assert standing == "⏳ 3 not yet answered\n0 of 3 answered · waiting on <@U1> (#1), <@U2> (#3, #2)"
    assert rows.split("\n") == [
        "*#1* Launch beta · due Tue Dec 15 · <@U1> · not yet answered",
        "*#3* Hire designer · due Sun Dec 20 · <@U2> · not yet answered",
        "*#2* Pricing page · due Sat Jan 9, 2027 · <@U2> · not yet answered",
    ]
    # Read all week, in every reader's zone: each due date is Slack's token, noon on the day in the channel's
    # zone (New York), so readers from UTC−11 to UTC+13 see the same day.
    raw = post["blocks"][2]["text"]["text"]
    noon = int(ny("2026-12-15 12:00").timestamp())
    assert tokens(raw)[0] == (noon, "{date_long_pretty}", "Tue Dec 15")
    assert buttons(post["blocks"]) == [("review_mine", str(post_checkin_id(slack_app)))]
    tick(slack_app, ny("2026-12-07 09:00"))
    assert len(posts(slack_app, kind="checkin")) == 2


def test_no_checkin_for_a_channel_with_nothing_in_flight(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Done already due Dec 15")
    slack_app.requests.command("done 1")
    tick(slack_app, ny(MONDAY))
    assert posts(slack_app, kind="checkin") == []


def test_an_older_reviews_button_still_records_its_answer(slack_app: SlackApp) -> None:
    setup_channel(slack_app)
    tick(slack_app, ny(MONDAY))
    slack_app.clock.now = ny("2026-11-30 09:30")
    press_old(slack_app, "checkin_at_risk", 1, user="U1")
    with Session(slack_app.engine) as session:
        milestone = session.exec(select(Milestone).where(Milestone.number == 1)).one()
        revision = session.exec(select(Revision)).one()
        answer = session.exec(select(CheckInAnswer)).one()
    assert milestone.status == "at_risk"
    assert (revision.field, revision.new, revision.source) == ("status", "at_risk", "check-in")
    assert (answer.user_id, answer.status) == ("U1", "at_risk")
    update = slack_app.fake.last("chat.update").params
    assert update["ts"] == checkin_in_channel(slack_app)["ts"]
    standing, rows = sections(update)
    assert standing.split("\n")[1] == "1 of 3 answered · waiting on <@U2> (#3, #2)"
    assert rows.split("\n")[0] == "*#1* Launch beta · due Tue Dec 15 · <@U1> · 🟡 At risk — <@U1>, Mon Nov 30"
    # The redraw keeps the post's instants: noon in the channel's zone (New York), not another hour.
    raw = update["blocks"][2]["text"]["text"]
    assert tokens(raw)[0] == (int(ny("2026-12-15 12:00").timestamp()), "{date_long_pretty}", "Tue Dec 15")


@pytest.mark.parametrize("action_id", ["checkin_done", "checkin_new_date"])
def test_others_pressing_an_older_reviews_button_are_told_what_they_can_do(
    slack_app: SlackApp, action_id: str
) -> None:
    setup_channel(slack_app)
    tick(slack_app, ny(MONDAY))
    press_old(slack_app, action_id, 1, user="U3")
    assert slack_app.fake.calls_to("views.open") == []
    with Session(slack_app.engine) as session:
        assert session.exec(select(Milestone).where(Milestone.number == 1)).one().status == "open"
        assert session.exec(select(CheckInAnswer)).all() == []
    assert slack_app.fake.last("response_url").params["text"] == (
        "🔒 Only <@U1> or a workspace admin can update *#1*. You can still add a note or flag a risk: "
        "press *Review my milestones* on the review, or reply in its thread."
    )


@BOTH_MODES
def test_new_date_from_the_checkin_is_a_slip_with_a_reason(slack_app: SlackApp) -> None:
    setup_channel(slack_app)
    tick(slack_app, ny(MONDAY))
    press_old(slack_app, "checkin_new_date", 2, user="U2")
    view = slack_app.fake.last("views.open").params["view"]
    values = {"due": {"due": date_value("2027-01-23")}, "reason": {"reason": text_value("Copy not ready")}}
    slack_app.requests.view_submission(
        callback_id="new_date", values=values, private_metadata=view["private_metadata"], user="U2"
    )
    with Session(slack_app.engine) as session:
        milestone = session.exec(select(Milestone).where(Milestone.number == 2)).one()
        revision = session.exec(select(Revision)).one()
        answer = session.exec(select(CheckInAnswer)).one()
    assert (str(milestone.due_date), str(milestone.baseline_due_date)) == ("2027-01-23", "2027-01-09")
    assert (revision.reason, revision.source) == ("Copy not ready", "check-in")
    assert answer.status == "new_date"
    rows = sections(slack_app.fake.last("chat.update").params)[1].split("\n")
    assert rows[2] == "*#2* Pricing page · due Sat Jan 23, 2027 · <@U2> · 📅 New date — <@U2>, Wed Nov 25"


@BOTH_MODES
def test_thread_replies_become_notes_marked_kept_and_shown_by_show(slack_app: SlackApp) -> None:
    setup_channel(slack_app)
    tick(slack_app, ny(MONDAY))
    with Session(slack_app.engine) as session:
        checkin_ts = session.exec(select(CheckIn)).one().message_ts
    replies = [
        ("Vendor confirmed for #1 &amp; QA booked", "U2", "1700000100.000001"),
        ("Mine are fine", "U2", "1700000100.000002"),
        ("General remark, nothing specific", "U3", "1700000100.000003"),
    ]
    for number, (text, user, _) in enumerate(replies):
        reply = slack_app.fake.add_message("C1", text=text, user=user, thread_ts=checkin_ts)
        event = message_event(text, ts=reply["ts"], user=user, channel="C1", thread_ts=checkin_ts)
        slack_app.requests.event(event, event_id=f"EvNote{number}")
    # Slack delivers the first again: kept once, and its ✅ is already there.
    first = slack_app.fake.messages("C1")[-3]
    again = message_event(first["text"], ts=first["ts"], user="U2", channel="C1", thread_ts=checkin_ts)
    slack_app.requests.event(again, event_id="EvNoteAgain")
    with Session(slack_app.engine) as session:
        notes = session.exec(select(CheckInNote).order_by(CheckInNote.id)).all()
        numbers = {m.id: m.number for m in session.exec(select(Milestone)).all()}
    assert [(numbers.get(n.milestone_id), n.user_id) for n in notes] == [
        (1, "U2"),  # names #1
        (3, "U2"),  # names none: the author's own, soonest due first
        (2, "U2"),
        (None, "U3"),  # names none and owns none: kept on the check-in
    ]
    kept = [
        m for m in slack_app.fake.messages("C1") if m.get("thread_ts") == checkin_ts and m["ts"] != checkin_ts
    ]
    assert [m.get("reactions") for m in kept] == [["white_check_mark"]] * 3
    assert [c.params["name"] for c in slack_app.fake.calls_to("reactions.add")] == ["white_check_mark"] * 3
    slack_app.requests.command("show 1")
    shown = json.dumps(slack_app.fake.last("response_url").params["blocks"])
    assert "Vendor confirmed for #1 &amp; QA booked" in shown


def test_a_reply_that_cannot_take_its_reaction_is_still_kept(slack_app: SlackApp) -> None:
    setup_channel(slack_app)
    tick(slack_app, ny(MONDAY))
    with Session(slack_app.engine) as session:
        checkin_ts = session.exec(select(CheckIn)).one().message_ts
    slack_app.fake.fail_next("reactions.add", status=200, error="missing_scope")
    event = message_event("#1 is fine", ts="1700000100.000009", user="U1", channel="C1", thread_ts=checkin_ts)
    reply = slack_app.requests.event(event, event_id="EvNoScope")
    assert reply.status == 200
    with Session(slack_app.engine) as session:
        assert len(session.exec(select(CheckInNote)).all()) == 1
    assert slack_app.fake.calls_to("chat.postMessage")[-1].params.get("thread_ts") is None


def test_next_checkin_opens_with_what_changed(slack_app: SlackApp) -> None:
    setup_channel(slack_app)
    tick(slack_app, ny(MONDAY))
    slack_app.clock.now = ny("2026-12-02 10:00")
    slack_app.requests.command("done 1")
    slack_app.requests.command("update 3 due Dec 28 because candidate withdrew", user="U2")
    slack_app.requests.command("update 2 status at-risk", user="U2")
    tick(slack_app, ny("2026-12-07 09:00"))
    latest = posts(slack_app, "C1", kind="checkin")[-1]
    [opening] = [json.dumps(b) for b in latest["blocks"] if "Since last week" in json.dumps(b)]
    assert "1 done" in opening and "1 slipped" in opening and "newly at risk" in opening


def test_review_command_posts_now_and_only_once(slack_app: SlackApp) -> None:
    setup_channel(slack_app)
    slack_app.requests.command("review")
    assert len(posts(slack_app, "C1", kind="checkin")) == 1
    assert "Posted" in slack_app.fake.last("response_url").params["text"]
    slack_app.requests.command("review")
    assert len(posts(slack_app, "C1", kind="checkin")) == 1
    assert "already up" in slack_app.fake.last("response_url").params["text"]
    tick(slack_app, ny(MONDAY))  # Nov 30 starts a new ISO week: its check-in goes out as scheduled
    assert len(posts(slack_app, "C1", kind="checkin")) == 2


def test_settings_text_form_moves_the_review_to_friday_berlin(slack_app: SlackApp) -> None:
    setup_channel(slack_app)
    slack_app.requests.command("settings timezone Europe/Berlin reminders 7,1,0 at 09:30 review fri 16:00")
    assert "Europe/Berlin" in slack_app.fake.last("response_url").params["text"]
    tick(slack_app, ny(MONDAY))
    assert posts(slack_app, kind="checkin") == []
    tick(slack_app, ny("2026-12-04 09:59"))  # 15:59 in Berlin
    assert posts(slack_app, kind="checkin") == []
    tick(slack_app, ny("2026-12-04 10:00"))  # 16:00 in Berlin
    assert len(posts(slack_app, kind="checkin")) == 1


def test_settings_modal_saves_field_by_field(slack_app: SlackApp) -> None:
    setup_channel(slack_app)
    slack_app.requests.command("settings")
    view = slack_app.fake.last("views.open").params["view"]
    assert view["callback_id"] == "channel_settings"
    values = {
        "timezone": {"timezone": {"type": "external_select", "selected_option": {"value": "Mars/Olympus"}}},
        "reminder_days": {
            "reminder_days": {"type": "checkboxes", "selected_options": [{"value": "3"}, {"value": "1"}]}
        },
        "reminder_time": {"reminder_time": {"type": "timepicker", "selected_time": "08:00"}},
        "review_weekday": {"review_weekday": {"type": "static_select", "selected_option": {"value": "2"}}},
        "review_time": {"review_time": {"type": "timepicker", "selected_time": "10:00"}},
        "paused": {"paused": {"type": "checkboxes", "selected_options": []}},
    }
    reply = slack_app.requests.view_submission(
        callback_id="channel_settings", values=values, private_metadata=view["private_metadata"]
    )
    assert set(reply.json()["errors"]) == {"timezone"}
    values["timezone"]["timezone"]["selected_option"] = {"value": "Asia/Tokyo"}
    reply = slack_app.requests.view_submission(
        callback_id="channel_settings", values=values, private_metadata=view["private_metadata"]
    )
    assert reply.status == 200
    from storage.models import ChannelSettings

    with Session(slack_app.engine) as session:
        settings = session.exec(select(ChannelSettings)).one()
    assert (settings.timezone, settings.reminder_days, settings.reminder_time) == (
        "Asia/Tokyo",
        "3,1",
        "08:00",
    )
    assert (settings.review_weekday, settings.review_time, settings.paused) == (2, "10:00", False)
