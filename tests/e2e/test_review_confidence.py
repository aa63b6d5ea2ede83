"""Confidence in the weekly review end to end: an owner's answer may say how sure they are (1 to 5);
`show` and the report give its trend, and the next review's DM calls out a fall of 2 or more."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from storage.models import CheckIn, CheckInAnswer
from tests.support.app import SlackApp
from tests.support.blocks import assert_valid_blocks, assert_valid_view, mrkdwn_texts
from tests.support.scheduler import ny, posts, tick
from tests.support.view_state import submitted

WEEKS = ("2026-11-30", "2026-12-07", "2026-12-14")


def open_review(app: SlackApp, *, week: int) -> None:
    """The review of the `week`-th Monday posted at nine; the clock at ten that day."""
    tick(app, ny(f"{WEEKS[week]} 09:00"))
    app.clock.now = ny(f"{WEEKS[week]} 10:00")


def latest_review(app: SlackApp) -> CheckIn:
    with Session(app.engine) as session:
        return session.exec(select(CheckIn).order_by(CheckIn.id.desc())).first()  # type: ignore[union-attr]


def answer(app: SlackApp, *, user: str, **values: Any) -> Any:
    """Press Review my milestones on the latest review's channel message as `user`, and submit `values`."""
    checkin = latest_review(app)
    message = next(m for m in app.fake.messages("C1") if m["ts"] == checkin.message_ts)
    app.requests.block_action(action_id="review_mine", value=str(checkin.id), user=user, message=message)
    view = app.fake.last("views.open").params["view"]
    assert_valid_view(view, kind="modal")
    return app.requests.view_submission(
        callback_id=view["callback_id"],
        values=submitted(view, **values),
        private_metadata=view["private_metadata"],
        user=user,
    )


def confidences(app: SlackApp) -> list[int | None]:
    with Session(app.engine) as session:
        return [a.confidence for a in session.exec(select(CheckInAnswer).order_by(CheckInAnswer.id)).all()]


def said(app: SlackApp, command: str) -> str:
    """Every mrkdwn text of the answer to a command."""
    app.fake.clear()
    app.requests.command(command)
    return "\n".join(mrkdwn_texts(app.fake.last("response_url").params["blocks"]))


def review_dm(app: SlackApp, user: str) -> str:
    """The text of the latest review DM to `user` (in their DM with the bot), its blocks validated."""
    blocks = posts(app, f"D{user}", kind="review_dm")[-1]["blocks"]
    assert_valid_blocks(blocks)
    return "\n".join(mrkdwn_texts(blocks))


def test_confidence_over_two_reviews_shows_in_show_and_the_report_and_a_drop_is_called_out_next(
    slack_app: SlackApp,
) -> None:
    slack_app.requests.command("add Launch beta due Jan 15 owner <@U1|alice>")
    slack_app.requests.command("add Pricing page due Jan 9 owner <@U2|bob>")
    open_review(slack_app, week=0)
    reply = answer(slack_app, user="U1", status_1="on_track", confidence_1="4")
    assert reply.status == 200 and reply.body == ""
    answer(slack_app, user="U2", status_2="on_track", confidence_2="3")
    assert confidences(slack_app) == [4, 3]
    assert "*Confidence:* 4 — likely, in 1 review" in said(slack_app, "show 1")

    open_review(slack_app, week=1)
    assert "confidence fell" not in review_dm(slack_app, "U1"), "one review is no trend yet"
    answer(slack_app, user="U1", status_1="at_risk", confidence_1="2")
    form = slack_app.fake.last("views.open").params["view"]
    [hint] = [b["hint"]["text"] for b in form["blocks"] if b.get("block_id") == "confidence_1"]
    assert hint.endswith("Last time: 4 — likely.")
    answer(slack_app, user="U2", status_2="on_track", confidence_2="5")

    assert "*Confidence:* 4 · 2 over the last 2 reviews (down 2)" in said(slack_app, "show 1")
    assert "*Confidence:* 3 · 5 over the last 2 reviews (up 2)" in said(slack_app, "show 2")
    report = said(slack_app, "report")
    assert (
        "*#1* Launch beta · <@U1> · due Fri Jan 15, 2027 · 🟡 At risk · confidence 2, down from 4" in report
    )
    assert "*#2* Pricing page · <@U2> · due Sat Jan 9, 2027 · confidence 5, up from 3" in report

    open_review(slack_app, week=2)
    assert "⚠️ *#1* Launch beta: confidence fell from 4 to 2 at the last review" in review_dm(slack_app, "U1")
    assert "confidence fell" not in review_dm(slack_app, "U2"), "a rise is not called out"
    # The channel's review post calls it out too, once, above the milestones' lines.
    post = latest_review(slack_app)
    [message] = [m for m in slack_app.fake.messages("C1") if m["ts"] == post.message_ts]
    assert_valid_blocks(message["blocks"])
    channel_text = "\n".join(mrkdwn_texts(message["blocks"]))
    assert channel_text.count("confidence fell") == 1
    assert "⚠️ *#1* Launch beta: confidence fell from 4 to 2 at the last review" in channel_text


def test_answering_without_a_confidence_works_as_before_and_show_says_nothing_of_it(
    slack_app: SlackApp,
) -> None:
    slack_app.requests.command("add Launch beta due Jan 15 owner <@U1|alice>")
    open_review(slack_app, week=0)
    reply = answer(slack_app, user="U1", status_1="on_track")

    assert reply.status == 200 and reply.body == ""
    assert confidences(slack_app) == [None]
    assert "Confidence" not in said(slack_app, "show 1")
    assert "confidence" not in said(slack_app, "report")


def test_a_confidence_alone_asks_for_how_it_is_going_and_keeps_nothing(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Jan 15 owner <@U1|alice>")
    open_review(slack_app, week=0)
    reply = answer(slack_app, user="U1", confidence_1="3")

    assert reply.json() == {
        "response_action": "errors",
        "errors": {
            "status_1": "Say how it is going too (like On track): the confidence goes with that answer."
        },
    }
    assert confidences(slack_app) == []


def test_a_confidence_the_form_did_not_offer_is_not_kept(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Jan 15 owner <@U1|alice>")
    open_review(slack_app, week=0)
    answer(slack_app, user="U1", status_1="on_track", confidence_1="9")

    assert confidences(slack_app) == [None]


def test_in_one_review_the_latest_confidence_counts(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Jan 15 owner <@U1|alice>")
    open_review(slack_app, week=0)
    answer(slack_app, user="U1", status_1="on_track", confidence_1="5")
    slack_app.clock.now = ny(f"{WEEKS[0]} 15:00")
    answer(slack_app, user="U1", status_1="on_track", confidence_1="3")
    open_review(slack_app, week=1)
    answer(slack_app, user="U1", status_1="on_track", confidence_1="1")

    assert confidences(slack_app) == [5, 3, 1]
    assert "*Confidence:* 3 · 1 over the last 2 reviews (down 2)" in said(slack_app, "show 1")
