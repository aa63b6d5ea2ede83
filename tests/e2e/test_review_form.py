"""Review my milestones end to end: the owner's form, anyone's note or risk, from the channel or a DM."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, select

from bot.core.access import Actor
from bot.core.away import go_away
from bot.core.command_types import MilestoneFields
from bot.core.milestones import add_milestone
from storage.models import CheckIn, CheckInAnswer, CheckInNote, Milestone, Revision
from storage.workspace import Workspace
from tests.support.app import BOTH_MODES, SlackApp
from tests.support.blocks import assert_valid_blocks, assert_valid_view, view_text
from tests.support.databases import recorded_statements
from tests.support.factories import make_asker
from tests.support.reading import fallbacks
from tests.support.scheduler import ny, posts, tick
from tests.support.slack_requests import text_value
from tests.support.view_state import submitted

MONDAY = "2026-11-30 09:00"


def setup_review(app: SlackApp) -> None:
    """#1 alice's (Dec 15), #2 bob's (Jan 9), #3 bob's (Dec 20); the review posted on Monday at nine."""
    app.requests.command("add Launch beta due Dec 15 owner <@U1|alice>")
    app.requests.command("add Pricing page due Jan 9 owner <@U2|bob>")
    app.requests.command("add Hire designer due Dec 20 owner <@U2|bob>")
    tick(app, ny(MONDAY))
    app.clock.now = ny("2026-11-30 10:00")


def review(app: SlackApp) -> CheckIn:
    with Session(app.engine) as session:
        return session.exec(select(CheckIn).order_by(CheckIn.id)).first()


def review_message(app: SlackApp) -> dict:
    """The review as it stands in the channel now (its latest redraw)."""
    ts = review(app).message_ts
    return next(m for m in app.fake.messages("C1") if m["ts"] == ts)


def rows(message: dict) -> list[str]:
    """The review's rows, date tokens read as their fallbacks."""
    sections = [fallbacks(block["text"]["text"]) for block in message["blocks"] if block["type"] == "section"]
    return [line for text in sections for line in text.split("\n") if line.startswith("*#")]


def standing(message: dict) -> str:
    return next(b["text"]["text"] for b in message["blocks"] if b["type"] == "section")


def open_form(app: SlackApp, *, user: str, channel: str = "C1", checkin_id: int | None = None) -> dict:
    """Press Review my milestones as `user` (in the channel, or a DM), and return the form it opened."""
    message = review_message(app) if channel == "C1" else {"type": "message", "ts": "1700000999.000001"}
    value = str(checkin_id or review(app).id)
    app.requests.block_action(
        action_id="review_mine", value=value, user=user, channel=channel, message=message
    )
    view = app.fake.last("views.open").params["view"]
    assert_valid_view(view, kind="modal")
    return view


def submit(app: SlackApp, view: dict, *, user: str, **changes: Any) -> Any:
    return app.requests.view_submission(
        callback_id=view["callback_id"],
        values=submitted(view, **changes),
        private_metadata=view["private_metadata"],
        user=user,
    )


def milestone(app: SlackApp, number: int) -> Milestone:
    with Session(app.engine) as session:
        return session.exec(select(Milestone).where(Milestone.number == number)).one()


@BOTH_MODES
def test_an_owner_answers_their_milestones_and_the_rows_stay_put(slack_app: SlackApp) -> None:
    setup_review(slack_app)
    before = rows(review_message(slack_app))
    view = open_form(slack_app, user="U2")
    assert view["title"]["text"] == "Review my milestones"
    labels = [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"]
    assert labels == [
        "#3 Hire designer",
        "Confidence in #3",
        "New date for #3",
        "#2 Pricing page",
        "Confidence in #2",
        "New date for #2",
        "Why the new date?",
        "Note",
    ]

    # A new date with no reason, and a date already past: both said at once, nothing stored.
    reply = submit(
        slack_app,
        view,
        user="U2",
        status_3="on_track",
        due_3="2027-01-20",
        due_2="2026-11-02",
    )
    assert reply.json() == {
        "response_action": "errors",
        "errors": {
            "due_2": "That date has passed; pick today or later.",
            "reason": "Say why the date moves; it is kept in the history.",
        },
    }
    with Session(slack_app.engine) as session:
        assert session.exec(select(CheckInAnswer)).all() == []

    reply = submit(
        slack_app,
        view,
        user="U2",
        status_3="on_track",
        due_3="2027-01-20",
        status_2="at_risk",
        reason="Candidate withdrew",
        note="Copy is late for #2",
    )
    assert reply.status == 200 and reply.body == ""
    assert (str(milestone(slack_app, 3).due_date), milestone(slack_app, 3).status) == (
        "2027-01-20",
        "on_track",
    )
    assert milestone(slack_app, 2).status == "at_risk"
    with Session(slack_app.engine) as session:
        answers = session.exec(select(CheckInAnswer).order_by(CheckInAnswer.id)).all()
        slip = session.exec(select(Revision).where(Revision.field == "due")).one()
        [note] = session.exec(select(CheckInNote)).all()
    checkin_id = review(slack_app).id
    assert [(a.status, a.checkin_id) for a in answers] == [("new_date", checkin_id), ("at_risk", checkin_id)]
    assert (slip.reason, slip.source) == ("Candidate withdrew", "check-in")
    assert (note.milestone_id, note.text) == (milestone(slack_app, 2).id, "Copy is late for #2")

    thread = slack_app.fake.last("chat.postMessage").params
    assert thread["thread_ts"] == review(slack_app).message_ts
    assert thread["text"] == "📝 <@U2> on *#2* Pricing page: Copy is late for #2"
    redrawn = review_message(slack_app)
    assert_valid_blocks(redrawn["blocks"])
    assert standing(redrawn).split("\n") == [
        "🟢 1 on track · 🟡 1 at risk · ⏳ 1 not yet answered",
        "2 of 3 answered · waiting on <@U1> (#1)",
    ]
    after = rows(redrawn)
    assert [row.split(" · ")[0] for row in after] == [row.split(" · ")[0] for row in before]
    assert after[1:] == [
        "*#3* Hire designer · due Wed Jan 20, 2027 · <@U2> · 🟢 On track · 📅 new date — <@U2>, Mon Nov 30",
        "*#2* Pricing page · due Sat Jan 9, 2027 · <@U2> · 🟡 At risk — <@U2>, Mon Nov 30",
    ]


def test_done_from_the_form_is_announced_once_and_counts(slack_app: SlackApp) -> None:
    setup_review(slack_app)
    view = open_form(slack_app, user="U1")
    submit(slack_app, view, user="U1", status_1="done")

    done = milestone(slack_app, 1)
    assert (done.status, str(done.completed_on)) == ("done", "2026-11-30")
    announcements = [
        c.params["text"]
        for c in slack_app.fake.calls_to("chat.postMessage")
        if c.params.get("channel") == "C1" and "done" in c.params.get("text", "")
    ]
    assert len(announcements) == 1 and "#1" in announcements[0]
    redrawn = review_message(slack_app)
    assert rows(redrawn)[0] == "*#1* Launch beta · due Tue Dec 15 · <@U1> · ✅ Done — <@U1>, Mon Nov 30"
    assert standing(redrawn).split("\n")[1] == "1 of 3 answered · waiting on <@U2> (#3, #2)"


def test_a_review_message_slack_cannot_redraw_does_not_say_nothing_changed(slack_app: SlackApp) -> None:
    setup_review(slack_app)
    view = open_form(slack_app, user="U2")
    slack_app.fake.fail_next("chat.update", status=200, error="message_not_found")
    submit(slack_app, view, user="U2", status_2="at_risk")

    assert milestone(slack_app, 2).status == "at_risk"
    told = [c.params.get("text", "") for c in slack_app.fake.calls_to("chat.postMessage")]
    assert not [text for text in told if "nothing was changed" in text]


def test_an_answer_and_its_redraw_read_the_channels_settings_once(slack_app: SlackApp) -> None:
    setup_review(slack_app)
    view = open_form(slack_app, user="U2")
    with recorded_statements(slack_app.engine) as statements:
        submit(slack_app, view, user="U2", status_2="at_risk")
    assert any(row.startswith("*#2*") and "At risk" in row for row in rows(review_message(slack_app)))
    assert len([s for s in statements if "FROM channel_settings" in s]) == 1


def test_a_done_milestone_needs_no_new_date(slack_app: SlackApp) -> None:
    setup_review(slack_app)
    view = open_form(slack_app, user="U1")
    reply = submit(slack_app, view, user="U1", status_1="done", due_1="2026-12-20")

    assert reply.json()["errors"] == {"due_1": "A milestone marked done needs no new date; leave it empty."}
    assert milestone(slack_app, 1).status == "open"


def test_someone_who_owns_none_flags_a_risk_to_the_owner_in_the_thread(slack_app: SlackApp) -> None:
    setup_review(slack_app)
    view = open_form(slack_app, user="U3")
    assert view["callback_id"] == "review_note" and view["title"]["text"] == "Add a note"
    assert "You own none of this week's milestones" in view_text(view)
    values = {
        "milestone": {"milestone": {"type": "static_select", "selected_option": {"value": "1"}}},
        "kind": {"kind": {"type": "radio_buttons", "selected_option": {"value": "risk"}}},
        "text": {"text": text_value("Vendor has not confirmed the venue")},
    }
    empty = {**values, "text": {"text": {"type": "plain_text_input", "value": None}}}
    reply = slack_app.requests.view_submission(
        callback_id="review_note", values=empty, private_metadata=view["private_metadata"], user="U3"
    )
    assert reply.json()["errors"] == {"text": "Write the note."}

    slack_app.requests.view_submission(
        callback_id="review_note", values=values, private_metadata=view["private_metadata"], user="U3"
    )
    thread = slack_app.fake.last("chat.postMessage").params
    assert thread["thread_ts"] == review(slack_app).message_ts
    assert thread["text"] == (
        "⚠️ <@U3> flags a risk on *#1* Launch beta — <@U1>: Vendor has not confirmed the venue"
    )
    with Session(slack_app.engine) as session:
        [note] = session.exec(select(CheckInNote)).all()
        assert session.exec(select(CheckInAnswer)).all() == []
    assert (note.milestone_id, note.user_id) == (milestone(slack_app, 1).id, "U3")
    assert note.text == "⚠️ Risk: Vendor has not confirmed the venue"
    assert milestone(slack_app, 1).status == "open"
    slack_app.requests.command("show 1", user="U3")
    assert "Vendor has not confirmed the venue" in str(slack_app.fake.last("response_url").params["blocks"])


def test_answering_from_the_owners_dm_counts_on_the_same_review(slack_app: SlackApp) -> None:
    setup_review(slack_app)
    view = open_form(slack_app, user="U1", channel="DU1")
    submit(slack_app, view, user="U1", status_1="blocked")

    with Session(slack_app.engine) as session:
        [given] = session.exec(select(CheckInAnswer)).all()
    assert given.checkin_id == review(slack_app).id
    update = slack_app.fake.last("chat.update").params
    assert (update["channel"], update["ts"]) == ("C1", review(slack_app).message_ts)
    assert standing(review_message(slack_app)).split("\n")[1] == "1 of 3 answered · waiting on <@U2> (#3, #2)"


def test_an_answer_given_a_week_later_counts_on_the_review_it_was_given_on(slack_app: SlackApp) -> None:
    setup_review(slack_app)
    first = review(slack_app)
    view = open_form(slack_app, user="U1")
    tick(slack_app, ny("2026-12-07 09:00"))
    assert len(posts(slack_app, "C1", kind="checkin")) == 2
    slack_app.clock.now = ny("2026-12-07 10:00")
    submit(slack_app, view, user="U1", status_1="at_risk")

    with Session(slack_app.engine) as session:
        [given] = session.exec(select(CheckInAnswer)).all()
    assert given.checkin_id == first.id
    update = slack_app.fake.last("chat.update").params
    assert update["ts"] == first.message_ts


def test_the_count_leaves_out_away_owners_and_names_ownerless_milestones(slack_app: SlackApp) -> None:
    workspace = Workspace(team_id="T1")
    slack_app.requests.command("add Launch beta due Dec 15 owner <@U1|alice>")
    slack_app.requests.command("add Venue due Dec 18 owner <@U3|carol>")
    slack_app.requests.command("add Press kit due Dec 21")
    carol = make_asker(workspace=workspace, actor=Actor(user_id="U3"), now=ny("2026-11-27 12:00"))
    go_away(engine=slack_app.engine, asker=carol, until=date(2026, 12, 20), today=date(2026, 11, 27))
    tick(slack_app, ny(MONDAY))

    message = review_message(slack_app)
    assert standing(message).split("\n")[1] == (
        "0 of 1 answered · waiting on <@U1> (#1) · #3 has no owner · <@U3> is away until Sun Dec 20"
    )
    assert rows(message)[2] == "*#3* Press kit · due Mon Dec 21 · no owner · not yet answered"
    submit(slack_app, open_form(slack_app, user="U1"), user="U1", status_1="on_track")
    assert standing(review_message(slack_app)).split("\n")[1] == (
        "Answered — thanks! · #3 has no owner · <@U3> is away until Sun Dec 20"
    )


def test_an_owner_of_many_answers_thirty_at_a_time(slack_app: SlackApp) -> None:
    asker = make_asker(actor=Actor(user_id="U1"), now=ny("2026-11-25 10:00"), timezone="America/New_York")
    for n in range(1, 46):
        fields = MilestoneFields(title=f"Step {n}", due=date(2027, 1, 1 + n % 28), owner_id="U1")
        add_milestone(engine=slack_app.engine, asker=asker, channel_id="C1", fields=fields)
    tick(slack_app, ny(MONDAY))
    message = review_message(slack_app)
    assert len(message["blocks"]) <= 50

    view = open_form(slack_app, user="U1")
    statuses = [b for b in view["blocks"] if b.get("block_id", "").startswith("status_")]
    assert len(statuses) == 30 and len(view["blocks"]) <= 100
    assert "You own 15 more in this review: save these, then press *Review my milestones* again" in view_text(
        view
    )
    answered = {b["block_id"]: "on_track" for b in statuses}
    submit(slack_app, view, user="U1", **answered)
    assert (
        standing(review_message(slack_app))
        .split("\n")[1]
        .startswith("30 of 45 answered · waiting on <@U1> (#")
    )

    again = open_form(slack_app, user="U1")
    shown = [b["block_id"] for b in again["blocks"] if b.get("block_id", "").startswith("status_")]
    assert not set(shown[:15]) & set(answered), "the fifteen not yet answered come first"


def test_an_expired_trigger_says_to_press_again(slack_app: SlackApp) -> None:
    setup_review(slack_app)
    slack_app.fake.fail_next("views.open", status=200, error="expired_trigger_id")
    message = review_message(slack_app)
    slack_app.requests.block_action(action_id="review_mine", value=str(review(slack_app).id), message=message)

    assert (
        slack_app.fake.last("response_url").params["text"]
        == "⏳ That took too long — press the button again."
    )
