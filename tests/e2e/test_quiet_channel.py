"""A channel that is not noisy: adds, updates and imports are one line each, with no tips; a bulk add is one
summary; the channel's first milestone says when its first weekly review is."""

from __future__ import annotations

from sqlmodel import Session, select

from storage.models import Milestone
from tests.support.app import SlackApp
from tests.support.blocks import assert_valid_blocks, mrkdwn_texts
from tests.support.reading import fallbacks
from tests.support.scheduler import ny
from tests.support.slack_requests import date_value, text_value, user_value
from tests.support.view_state import submitted


def milestones(app: SlackApp) -> list[Milestone]:
    with Session(app.engine) as session:
        return list(session.exec(select(Milestone).order_by(Milestone.number)).all())


def channel_answers(app: SlackApp) -> list[dict]:
    """What the channel got from the bot: in-channel answers and posts, oldest first."""
    return [
        call.params
        for call in app.fake.calls
        if (call.method == "response_url" and call.params.get("response_type") == "in_channel")
        or call.method == "chat.postMessage"
    ]


def read(message: dict) -> list[str]:
    """The lines a person reads in a message, after checking Slack would take its blocks.

    Date tokens read as their fallbacks (Slack writes them in each reader's words: tests/e2e/test_dates.py).
    """
    assert_valid_blocks(message["blocks"])
    return [fallbacks(text) for text in mrkdwn_texts(message["blocks"])]


def test_a_channels_first_milestone_says_when_its_first_review_is(slack_app: SlackApp) -> None:
    slack_app.clock.now = ny("2026-11-30 10:00")  # a Monday, an hour after that day's review time
    slack_app.requests.command("add Launch beta due Dec 11 owner <@U2|bob>")
    slack_app.requests.command("add Write docs due Dec 18")
    first, second = channel_answers(slack_app)
    assert read(first) == [
        "➕ Added *#1* Launch beta · due Fri Dec 11 · <@U2> — by <@U1>",
        "🗓️ First weekly review: Mon Dec 7, 09:00",
    ]
    assert read(second) == ["➕ Added *#2* Write docs · due Fri Dec 18 — by <@U1>"]


def test_the_first_review_is_given_in_the_channels_time_after_a_dst_change(slack_app: SlackApp) -> None:
    slack_app.clock.now = ny("2027-03-12 16:00")  # Friday; New York moves to EDT on Sunday Mar 14
    slack_app.requests.command("add Spring launch due Mar 31")
    [confirmation] = channel_answers(slack_app)
    assert read(confirmation)[-1] == "🗓️ First weekly review: Mon Mar 15, 09:00"


def test_confirmations_are_one_line_with_no_tips(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15 owner <@U2|bob> budget $5,000 dept Marketing")
    slack_app.requests.command("update 1 due Dec 22 because vendor slipped")
    slack_app.requests.command("add")
    view = slack_app.fake.last("views.open").params["view"]
    values = {
        "title": {"title": text_value("Hire a designer")},
        "due": {"due": date_value("2026-12-31")},
        "start": {"start": date_value(None)},
        "owner": {"owner": user_value("U3")},
        "budget": {"budget": text_value(None)},
        "dept": {"dept": text_value(None)},
    }
    slack_app.requests.view_submission(
        callback_id="milestone_add", values=values, private_metadata=view["private_metadata"]
    )
    slack_app.requests.command("update 2")
    edit = slack_app.fake.last("views.open").params["view"]
    changed = submitted(edit)
    changed["title"]["title"] = text_value("Hire two designers")
    slack_app.requests.view_submission(
        callback_id="milestone_update", values=changed, private_metadata=edit["private_metadata"]
    )

    lines = [read(message) for message in channel_answers(slack_app)]
    assert lines == [
        [
            "➕ Added *#1* Launch beta · due Tue Dec 15 · <@U2> · $5,000 · Marketing — by <@U1>",
            "🗓️ First weekly review: Mon Nov 30, 09:00",  # added Wed Nov 25: the Monday after
        ],
        [
            "✏️ Updated *#1* Launch beta: changed due date Tue Dec 15 → Tue Dec 22 _because vendor slipped_"
            " — by <@U1>"
        ],
        ["➕ Added *#2* Hire a designer · due Thu Dec 31 · <@U3> — by <@U1>"],
        ["✏️ Updated *#2* Hire two designers: changed title Hire a designer → Hire two designers — by <@U1>"],
    ]
    assert all("/milestone" not in line for message in lines for line in message)


def test_a_bulk_add_adds_every_line_and_posts_one_summary(slack_app: SlackApp) -> None:
    text = (
        "add Launch beta due Dec 11 owner <@U2|bob>\nWrite docs due Dec 18\n\nShip it due Dec 22 budget $900"
    )
    slack_app.requests.command(text)
    assert [(m.number, m.title) for m in milestones(slack_app)] == [
        (1, "Launch beta"),
        (2, "Write docs"),
        (3, "Ship it"),
    ]
    assert milestones(slack_app)[2].budget_minor == 90000
    [summary] = channel_answers(slack_app)
    assert read(summary)[0] == (
        "➕ 3 milestones added by <@U1>: *#1* Launch beta (Fri Dec 11), *#2* Write docs (Fri Dec 18),"
        " *#3* Ship it (Tue Dec 22)"
    )


def test_a_bulk_add_with_a_bad_line_adds_nothing_and_names_the_line(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 11\nWrite docs due Feb 30\nShip it")
    answer = slack_app.fake.last("response_url").params
    assert answer["response_type"] == "ephemeral"
    assert answer["text"].startswith("⚠️ Line 2: Due date: `Feb 30` isn't a real date.")
    assert "Nothing was added." in answer["text"]
    assert milestones(slack_app) == [] and channel_answers(slack_app) == []


def test_an_import_posts_one_short_summary(slack_app: SlackApp) -> None:
    slack_app.clock.now = ny("2026-11-30 10:00")
    csv = b"Milestone,End Date\nLaunch beta,2026-12-15\nWrite docs,2026-12-18\nShip it,2026-12-22\n"
    shared = slack_app.fake.add_file("plan.csv", csv, user="U1")
    slack_app.requests.command("import")
    view = slack_app.fake.last("views.open").params["view"]
    values = {"file": {"file": {"type": "file_input", "files": [shared]}}}
    preview = slack_app.requests.view_submission(
        callback_id="import_upload", values=values, private_metadata=view["private_metadata"]
    ).json()
    slack_app.requests.view_submission(
        callback_id="import_confirm", values={}, private_metadata=preview["view"]["private_metadata"]
    )
    [summary] = channel_answers(slack_app)
    # The channel's first milestones: the summary says when its first review is, as an add's line does.
    assert read(summary) == [
        "📥 <@U1> imported 3 milestones (#1–#3).",
        "🗓️ First weekly review: Mon Dec 7, 09:00",
    ]
