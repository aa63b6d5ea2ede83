"""Capture from any message: "Make a milestone" (a message shortcut) and "New milestone" (a global one)."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from storage.models import Milestone, Revision
from tests.support.app import BOTH_MODES, SlackApp
from tests.support.blocks import assert_valid_view
from tests.support.shortcuts import global_shortcut, message_shortcut, user_message
from tests.support.slack_requests import answer_text
from tests.support.view_state import submitted

PERMALINK = "https://test-workspace.slack.com/archives/C5/p1764000000000100"


def milestones(app: SlackApp) -> list[Milestone]:
    with Session(app.engine) as session:
        return list(session.exec(select(Milestone).order_by(Milestone.number)).all())


def revisions(app: SlackApp) -> list[Revision]:
    with Session(app.engine) as session:
        return list(session.exec(select(Revision)).all())


def opened_view(app: SlackApp) -> dict:
    view = app.fake.last("views.open").params["view"]
    assert_valid_view(view, kind="modal")
    return view


def block(view: dict, block_id: str) -> dict:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def capture(app: SlackApp, *, text: str, channel: str = "C5", ts: str = "1764000000.000100") -> dict:
    """Use "Make a milestone" on a message with `text`; the form that opened."""
    reply = message_shortcut(app.requests, message=user_message(text=text, ts=ts), channel=channel)
    assert (reply.status, reply.body) == (200, "")
    return opened_view(app)


@BOTH_MODES
def test_make_a_milestone_opens_the_add_form_on_the_message(slack_app: SlackApp) -> None:
    slack_app.fake.add_user("U2", name="alice")
    text = "Ship the *beta* to <@U2> &amp; <https://acme.example/plan|the plan>\nDetails follow in the thread"

    view = capture(slack_app, text=text)

    assert view["callback_id"] == "milestone_add"
    assert block(view, "title")["element"]["initial_value"] == "Ship the *beta* to @alice & the plan"
    # The message's own channel: no channel menu, and the link back is shown and carried.
    assert [b.get("block_id") for b in view["blocks"] if b["type"] == "input"][:2] == ["title", "due"]
    assert PERMALINK in json.dumps(view["blocks"][0])
    assert json.loads(view["private_metadata"]) == {
        "channel_id": "C5",
        "number": None,
        "source_link": PERMALINK,
    }
    permalink_call = slack_app.fake.last("chat.getPermalink").params
    assert (permalink_call["channel"], permalink_call["message_ts"]) == ("C5", "1764000000.000100")
    assert slack_app.fake.last("views.open").params["trigger_id"].split(".")[1] == "T1"
    assert milestones(slack_app) == []


@BOTH_MODES
def test_submitting_it_adds_the_milestone_in_the_messages_channel_with_the_link_in_its_history(
    slack_app: SlackApp,
) -> None:
    view = capture(slack_app, text="Launch beta")

    reply = slack_app.requests.view_submission(
        callback_id="milestone_add",
        values=submitted(view, due="2026-12-15"),
        private_metadata=view["private_metadata"],
    )

    assert reply.status == 200 and reply.body in ("", "{}")
    [milestone] = milestones(slack_app)
    assert (milestone.channel_id, milestone.title, str(milestone.due_date)) == (
        "C5",
        "Launch beta",
        "2026-12-15",
    )
    [revision] = revisions(slack_app)
    assert (revision.field, revision.new, revision.source) == ("title", "Launch beta", "shortcut")
    assert revision.reason == f"it came up in {PERMALINK}"
    assert slack_app.fake.last("chat.postMessage").params["channel"] == "C5"
    slack_app.requests.command("show 1", channel="C5")
    assert PERMALINK in answer_text(slack_app.fake)


def test_a_thread_replys_link_opens_its_thread(slack_app: SlackApp) -> None:
    parent = slack_app.fake.add_message("C5", text="Plan for Q1", user="U2")
    reply = slack_app.fake.add_message("C5", text="Hire a designer", user="U2", thread_ts=parent["ts"])

    view = capture(slack_app, text=reply["text"], ts=reply["ts"])

    link = json.loads(view["private_metadata"])["source_link"]
    assert link.endswith(f"?thread_ts={parent['ts']}&cid=C5")
    assert block(view, "title")["element"]["initial_value"] == "Hire a designer"


def test_a_long_first_line_is_cut_to_the_title_limit(slack_app: SlackApp) -> None:
    view = capture(slack_app, text="word " * 80)

    title = block(view, "title")["element"]
    assert len(title["initial_value"]) == title["max_length"] == 150
    assert title["initial_value"].endswith("…")


def test_a_message_with_only_files_opens_the_form_for_a_title(slack_app: SlackApp) -> None:
    upload = user_message(text="", ts="1764000000.000200", files=[{"id": "F1", "name": "plan.pdf"}])
    message_shortcut(slack_app.requests, message=upload, channel="C5")
    view = opened_view(slack_app)
    assert "initial_value" not in block(view, "title")["element"]

    untitled = slack_app.requests.view_submission(
        callback_id="milestone_add", values=submitted(view), private_metadata=view["private_metadata"]
    )
    assert untitled.json() == {
        "response_action": "errors",
        "errors": {"title": "Give the milestone a title."},
    }
    slack_app.requests.view_submission(
        callback_id="milestone_add",
        values=submitted(view, title="Sign the plan"),
        private_metadata=view["private_metadata"],
    )
    assert [m.title for m in milestones(slack_app)] == ["Sign the plan"]
    [revision] = revisions(slack_app)
    assert revision.reason and revision.reason.endswith("/archives/C5/p1764000000000200")


def test_a_conversation_the_bot_cannot_see_gets_a_short_answer_and_no_form(slack_app: SlackApp) -> None:
    slack_app.fake.fail_next("chat.getPermalink", status=200, error="channel_not_found", channel="G7")

    reply = message_shortcut(
        slack_app.requests, message=user_message(text="Launch", ts="1764000000.000100"), channel="G7"
    )

    assert (reply.status, reply.body) == (200, "")
    assert slack_app.fake.calls_to("views.open") == []
    answer = slack_app.fake.last("response_url").params
    assert answer["response_type"] == "ephemeral"
    assert "can't see that conversation" in answer["text"] and "/invite @Milestone Bot" in answer["text"]
    assert "Traceback" not in answer["text"]


def test_an_expired_trigger_says_to_use_the_shortcut_again(slack_app: SlackApp) -> None:
    slack_app.fake.fail_next("views.open", status=200, error="expired_trigger_id")

    reply = message_shortcut(slack_app.requests, message=user_message(text="Launch", ts="1764000000.000100"))

    assert (reply.status, reply.body) == (200, "")
    answer = slack_app.fake.last("response_url").params
    assert answer["response_type"] == "ephemeral"
    assert answer["text"] == "⏳ That took too long — try the “Make a milestone” shortcut again."


def test_slack_failing_is_apologised_for_not_raised(slack_app: SlackApp) -> None:
    slack_app.fake.fail_next("chat.getPermalink", status=200, error="internal_error")

    reply = message_shortcut(slack_app.requests, message=user_message(text="Launch", ts="1764000000.000100"))

    assert (reply.status, reply.body) == (200, "")
    assert "Something went wrong on our side" in slack_app.fake.last("response_url").params["text"]
    assert slack_app.fake.calls_to("views.open") == []


def test_when_the_bot_is_not_in_the_channel_the_added_milestone_is_told_to_the_person(
    slack_app: SlackApp,
) -> None:
    view = capture(slack_app, text="Launch beta")
    slack_app.fake.fail_next("chat.postMessage", status=200, error="not_in_channel", channel="C5")

    slack_app.requests.view_submission(
        callback_id="milestone_add", values=submitted(view), private_metadata=view["private_metadata"]
    )

    assert [m.channel_id for m in milestones(slack_app)] == ["C5"]
    assert slack_app.fake.last("chat.postMessage").params["channel"] == "U1"


def test_a_forged_link_in_the_form_is_refused_and_nothing_is_added(slack_app: SlackApp) -> None:
    view = capture(slack_app, text="Launch beta")
    forged = json.dumps({"channel_id": "C5", "number": None, "source_link": "javascript:alert(1)"})

    reply = slack_app.requests.view_submission(
        callback_id="milestone_add", values=submitted(view), private_metadata=forged
    )

    assert reply.status == 200
    assert milestones(slack_app) == [] and revisions(slack_app) == []


@BOTH_MODES
def test_new_milestone_opens_the_add_form_with_a_channel_menu_on_the_current_conversation(
    slack_app: SlackApp,
) -> None:
    reply = global_shortcut(slack_app.requests)

    assert (reply.status, reply.body) == (200, "")
    view = opened_view(slack_app)
    assert view["callback_id"] == "milestone_add"
    channel = block(view, "channel")["element"]
    assert (channel["type"], channel["default_to_current_conversation"]) == ("conversations_select", True)
    assert json.loads(view["private_metadata"]) == {"channel_id": None, "number": None}
    assert slack_app.fake.calls_to("chat.getPermalink") == []

    slack_app.requests.view_submission(
        callback_id="milestone_add",
        values=submitted(view, title="Open the Berlin office", channel="C8"),
        private_metadata=view["private_metadata"],
    )

    [milestone] = milestones(slack_app)
    assert (milestone.channel_id, milestone.title) == ("C8", "Open the Berlin office")
    assert revisions(slack_app) == []
    assert slack_app.fake.last("chat.postMessage").params["channel"] == "C8"


def test_new_milestone_with_no_channel_picked_asks_for_one(slack_app: SlackApp) -> None:
    global_shortcut(slack_app.requests)
    view = opened_view(slack_app)

    reply = slack_app.requests.view_submission(
        callback_id="milestone_add",
        values=submitted(view, title="Open the Berlin office"),
        private_metadata=view["private_metadata"],
    )

    assert reply.status == 200
    assert milestones(slack_app) == []


def test_new_milestone_with_an_expired_trigger_says_so_in_the_apps_dm(slack_app: SlackApp) -> None:
    slack_app.fake.fail_next("views.open", status=200, error="expired_trigger_id")

    reply = global_shortcut(slack_app.requests, user="U3")

    assert (reply.status, reply.body) == (200, "")
    told = slack_app.fake.last("chat.postMessage").params
    assert told["channel"] == "U3"
    assert told["text"] == "⏳ That took too long — try the “New milestone” shortcut again."


def test_the_add_form_from_home_has_no_current_conversation_to_default_to(slack_app: SlackApp) -> None:
    slack_app.requests.command("add", channel="C9")
    assert "channel" not in [b.get("block_id") for b in opened_view(slack_app)["blocks"]]


def test_only_a_few_people_are_looked_up_before_the_form_opens(slack_app: SlackApp) -> None:
    people = [f"U{n}0" for n in range(2, 10)]
    for user_id in people:
        slack_app.fake.add_user(user_id, name=f"p{user_id.lower()}")
    slack_app.requests.command("help")  # the asker is looked up (and cached) on their first request
    asked_before = len(slack_app.fake.calls_to("users.info"))

    view = capture(slack_app, text=" ".join(f"<@{user_id}>" for user_id in people))

    looked_up = [call.params["user"] for call in slack_app.fake.calls_to("users.info")[asked_before:]]
    assert looked_up == people[:5]
    assert block(view, "title")["element"]["initial_value"] == "@pu20 @pu30 @pu40 @pu50 @pu60 @U70 @U80 @U90"
