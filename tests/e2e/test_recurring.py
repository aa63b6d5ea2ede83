"""Recurring milestones end to end: `add … every month`, and each Done creating the next one, once."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from storage.models import CheckIn, Milestone, Revision
from tests.support.app import SlackApp
from tests.support.blocks import assert_valid_blocks, mrkdwn_texts
from tests.support.reading import fallbacks
from tests.support.scheduler import ny, tick
from tests.support.slack_requests import answer_text
from tests.support.view_state import submitted

MONTHLY_CLOSE = (
    "add Monthly close due 2026-12-31 start Dec 28 owner <@U2|bob> budget $5,000 dept Finance every month"
)


def milestones(app: SlackApp) -> list[Milestone]:
    with Session(app.engine) as session:
        return list(session.exec(select(Milestone).order_by(Milestone.number)).all())


def done_lines(app: SlackApp) -> list[dict]:
    """The channel's Done lines, as posted."""
    posted = [call.params for call in app.fake.calls_to("chat.postMessage")]
    return [params for params in posted if params.get("text", "").startswith("✅")]


def the_last_line(app: SlackApp) -> str:
    """The last Done line's section, its blocks valid, date tokens read as their fallbacks."""
    line = done_lines(app)[-1]
    assert_valid_blocks(line["blocks"])
    return fallbacks(next(mrkdwn_texts(line["blocks"])))


def test_done_creates_the_next_one_with_the_same_fields_and_says_so(slack_app: SlackApp) -> None:
    slack_app.requests.command(MONTHLY_CLOSE, user="U2")
    assert "every month" in answer_text(slack_app.fake)
    slack_app.clock.now = ny("2026-12-31 16:00")
    slack_app.requests.command("done 1 cost $4,800", user="U2")

    assert the_last_line(slack_app) == (
        "✅ *#1* Monthly close done by <@U2> (on time) · cost $4,800 — $200 under budget"
        " · 🔁 next: *#2* due Sun Jan 31, 2027"
    )
    assert done_lines(slack_app)[-1]["text"].endswith("· next: #2 due Sun Jan 31, 2027")
    done, following = milestones(slack_app)
    assert done.status == "done"
    assert (following.title, following.owner_id, following.department, following.channel_id) == (
        "Monthly close",
        "U2",
        "Finance",
        "C1",
    )
    assert (following.budget_minor, following.budget_currency, following.recurrence) == (
        500000,
        "USD",
        "month",
    )
    assert (following.due_date, following.start_date) == (date(2027, 1, 31), date(2027, 1, 28))
    assert (following.baseline_due_date, following.status, following.follows_id) == (
        date(2027, 1, 31),
        "open",
        done.id,
    )
    assert (following.actual_cost_minor, following.completed_on) == (None, None)
    with Session(slack_app.engine) as session:
        history = session.exec(select(Revision).where(Revision.milestone_id == following.id)).all()
    assert history == [], "a new milestone: its own number, baseline and history"


def test_a_month_after_jan_31_is_the_end_of_february_and_the_31st_comes_back(slack_app: SlackApp) -> None:
    slack_app.clock.now = ny("2027-01-04 10:00")
    slack_app.requests.command("add Monthly close due Jan 31 every month")
    for number, day in ((1, "2027-01-31"), (2, "2027-02-28"), (3, "2027-03-31")):
        slack_app.clock.now = ny(f"{day} 12:00")
        slack_app.requests.command(f"done {number}")
    assert [m.due_date for m in milestones(slack_app)] == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]


@pytest.mark.parametrize(("every", "due"), [("week", date(2027, 1, 7)), ("quarter", date(2027, 3, 31))])
def test_weekly_and_quarterly_ones_come_a_period_later(slack_app: SlackApp, every: str, due: date) -> None:
    slack_app.requests.command(f"add Status report due 2026-12-31 every {every}")
    slack_app.requests.command("done 1")
    assert milestones(slack_app)[-1].due_date == due


def test_the_next_one_is_created_once_however_often_done_is_pressed(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Monthly close due 2026-12-31 every month")
    slack_app.requests.command("done 1")
    slack_app.requests.block_action(action_id="milestone_done", value="1")
    slack_app.requests.command("done 1 on Dec 30")
    assert [(m.number, m.status) for m in milestones(slack_app)] == [(1, "done"), (2, "open")]


def test_undo_takes_back_the_untouched_next_one_with_the_done(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Monthly close due 2026-12-31 every month")
    slack_app.requests.command("done 1")
    posted = next(m for m in slack_app.fake.messages("C1") if m["text"].startswith("✅"))
    slack_app.clock.now += timedelta(minutes=1)
    slack_app.requests.block_action(action_id="undo_done", value="1", message=posted)

    reopened = slack_app.fake.last("response_url").params
    assert reopened["text"] == "↩️ #1 Monthly close reopened by <@U1> · next one #2 removed"
    assert [(m.number, m.status) for m in milestones(slack_app)] == [(1, "open")]
    slack_app.requests.command("done 1")
    assert the_last_line(slack_app).endswith("· 🔁 next: *#3* due Sun Jan 31, 2027")
    assert [m.number for m in milestones(slack_app)] == [1, 3]


def test_undo_keeps_a_next_one_someone_has_changed_and_done_again_names_it(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Monthly close due 2026-12-31 every month")
    slack_app.requests.command("done 1")
    posted = next(m for m in slack_app.fake.messages("C1") if m["text"].startswith("✅"))
    slack_app.requests.command("update 2 owner <@U2|bob>")
    slack_app.clock.now += timedelta(minutes=1)
    slack_app.requests.block_action(action_id="undo_done", value="1", message=posted)

    assert slack_app.fake.last("response_url").params["text"] == "↩️ #1 Monthly close reopened by <@U1>"
    slack_app.requests.command("done 1")
    assert the_last_line(slack_app).endswith("· 🔁 next: *#2* due Sun Jan 31, 2027")
    assert [(m.number, m.owner_id) for m in milestones(slack_app)] == [(1, None), (2, "U2")]


def test_the_done_button_and_the_home_tab_create_the_next_one_too(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Monthly close due 2026-12-31 every month")
    slack_app.requests.command("add Weekly report due 2026-12-04 every week")
    slack_app.requests.block_action(action_id="milestone_done", value="1", channel="C2")
    assert the_last_line(slack_app).endswith("· 🔁 next: *#3* due Sun Jan 31, 2027")

    slack_app.requests.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"})
    home = slack_app.fake.last("views.publish").params["view"]
    slack_app.requests.block_action(
        action_id="home_milestone", value="", selected="done:2", view={**home, "id": "VHOME"}
    )
    assert the_last_line(slack_app).endswith("· 🔁 next: *#4* due Fri Dec 11")
    assert [(m.number, m.title, m.status) for m in milestones(slack_app)] == [
        (1, "Monthly close", "done"),
        (2, "Weekly report", "done"),
        (3, "Monthly close", "open"),
        (4, "Weekly report", "open"),
    ]


def test_done_in_the_weekly_review_creates_the_next_one_too(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Weekly report due Dec 4 owner <@U1|alice> every week")
    tick(slack_app, ny("2026-11-30 09:00"))
    slack_app.clock.now = ny("2026-11-30 10:00")
    with Session(slack_app.engine) as session:
        review = session.exec(select(CheckIn)).one()
    posted = next(m for m in slack_app.fake.messages("C1") if m["ts"] == review.message_ts)
    slack_app.requests.block_action(action_id="review_mine", value=str(review.id), message=posted)
    view = slack_app.fake.last("views.open").params["view"]
    slack_app.requests.view_submission(
        callback_id=view["callback_id"],
        values=submitted(view, status_1="done"),
        private_metadata=view["private_metadata"],
    )
    assert the_last_line(slack_app).endswith("· 🔁 next: *#2* due Fri Dec 11")
    assert [(m.number, m.status, m.due_date) for m in milestones(slack_app)] == [
        (1, "done", date(2026, 12, 4)),
        (2, "open", date(2026, 12, 11)),
    ]


def test_the_edit_form_keeps_the_recurrence_when_only_the_title_changes(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Monthly close due 2026-12-31 every month")
    slack_app.requests.command("update 1")
    view = slack_app.fake.last("views.open").params["view"]
    slack_app.requests.view_submission(
        callback_id="milestone_update",
        values=submitted(view, title="Month-end close"),
        private_metadata=view["private_metadata"],
    )
    [renamed] = milestones(slack_app)
    assert (renamed.title, renamed.recurrence) == ("Month-end close", "month")


def test_show_and_list_say_how_often_it_repeats(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Monthly close due 2026-12-31 every month")
    slack_app.requests.command("add Launch beta due Dec 15")
    slack_app.requests.command("list")
    lines = answer_text(slack_app.fake)
    assert "*#1* Monthly close · due Thu Dec 31 · in 36 days · every month · no owner" in lines
    assert "Launch beta · due Tue Dec 15 · in 20 days · no owner" in lines
    slack_app.requests.command("show 1")
    shown = json.dumps(slack_app.fake.last("response_url").params["blocks"], ensure_ascii=False)
    assert "*Repeats*\\nevery month" in shown


def test_update_changes_or_stops_the_recurrence_and_the_history_says_so(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Monthly close due 2026-12-31 every month")
    slack_app.requests.command("update 1 every quarter")
    assert "changed repeats every month → every quarter" in answer_text(slack_app.fake)
    slack_app.requests.command("update 1 every none")
    assert "cleared repeats (was every quarter)" in answer_text(slack_app.fake)
    slack_app.requests.command("done 1")
    assert [m.recurrence for m in milestones(slack_app)] == [None]
    assert "next:" not in the_last_line(slack_app)


@pytest.mark.parametrize(
    ("text", "example"),
    [
        (
            "add Monthly close due 2026-12-31 every fortnight",
            "/milestone add Monthly close due 2026-12-31 every month",
        ),
        (
            "add Monthly close due 2026-12-31 every 0 months",
            "/milestone add Monthly close due 2026-12-31 every month",
        ),
        ("update 1 every 3 months", "/milestone update 1 every quarter"),
    ],
)
def test_a_wrong_period_gets_a_short_answer_and_changes_nothing(
    slack_app: SlackApp, text: str, example: str
) -> None:
    slack_app.requests.command("add Launch beta due Dec 15")
    slack_app.requests.command(text)
    answer = slack_app.fake.last("response_url").params
    assert answer["response_type"] == "ephemeral"
    assert example in answer_text(slack_app.fake)
    assert [(m.title, m.recurrence) for m in milestones(slack_app)] == [("Launch beta", None)]


def test_help_says_how_to_make_one_repeat(slack_app: SlackApp) -> None:
    slack_app.requests.command("help add")
    assert "every week|month|quarter" in answer_text(slack_app.fake)


def shown(app: SlackApp, number: int) -> str:
    app.fake.clear()
    app.requests.command(f"show {number}")
    blocks = app.fake.last("response_url").params["blocks"]
    assert_valid_blocks(blocks)
    return "\n".join(mrkdwn_texts(blocks))


def test_show_links_the_previous_and_the_next_of_a_series(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Monthly close due 2026-12-31 every month")
    slack_app.requests.command("done 1")  # makes #2, due Jan 31
    slack_app.requests.command("done 2")  # makes #3

    assert "*Series*\nnext #2" in shown(slack_app, 1)
    assert "*Series*\nprevious #1 · next #3" in shown(slack_app, 2)
    assert "*Series*\nprevious #2" in shown(slack_app, 3)
    slack_app.requests.command("add Launch due 2026-12-15")
    assert "Series" not in shown(slack_app, 4)


def test_show_of_a_milestone_with_every_field_keeps_to_slacks_ten_fields_a_section(
    slack_app: SlackApp,
) -> None:
    # Eleven fields: one section of them was refused by slack_sdk, and `show` answered "Something went wrong".
    slack_app.requests.command("add Base due 2026-12-10")
    slack_app.requests.command(
        "add Monthly close due 2026-12-20 every month after 1 budget $100 owner <@U2|bob> dept Finance"
        " start 2026-12-01"
    )
    slack_app.requests.command("done 2 cost $50")

    text = shown(slack_app, 2)

    for field in (
        "Status",
        "Due",
        "Start",
        "Owner",
        "Department",
        "Budget",
        "Repeats",
        "Series",
        "Comes after",
    ):
        assert f"*{field}*\n" in text
    assert "*Actual cost*\n" in text and "*Completed on*\n" in text and "*Channel*\n<#C1>" in text
