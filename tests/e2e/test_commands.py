"""`/milestone` end to end: signed slash commands over HTTP, answers through the fake Slack."""

from __future__ import annotations

import json
from datetime import date

from sqlmodel import Session, select

from storage.models import Milestone, Revision
from tests.support.app import BOTH_MODES, SIGNING_SECRET, SlackApp
from tests.support.slack_requests import SlackRequests, answer_text


def milestones(app: SlackApp) -> list[Milestone]:
    with Session(app.engine) as session:
        return list(session.exec(select(Milestone).order_by(Milestone.number)).all())


@BOTH_MODES
def test_add_then_list_shows_the_milestone(slack_app: SlackApp) -> None:
    reply = slack_app.requests.command(
        "add Launch beta due Dec 15 owner <@U2|bob> budget $5,000 dept Marketing"
    )
    assert reply.status == 200
    answer = slack_app.fake.last("response_url").params
    assert answer["response_type"] == "in_channel"
    assert "#1" in answer_text(slack_app.fake) and "Launch beta" in answer_text(slack_app.fake)
    [milestone] = milestones(slack_app)
    assert (milestone.title, milestone.due_date, milestone.owner_id) == (
        "Launch beta",
        date(2026, 12, 15),
        "U2",
    )
    assert (milestone.budget_minor, milestone.budget_currency, milestone.department) == (
        500000,
        "USD",
        "Marketing",
    )
    assert milestone.baseline_due_date == date(2026, 12, 15)

    slack_app.requests.command("list")
    listing = slack_app.fake.last("response_url").params
    assert listing["response_type"] == "ephemeral"
    assert "Launch beta" in answer_text(slack_app.fake) and "<@U2>" in answer_text(slack_app.fake)


def test_dates_are_read_in_the_users_time_zone(slack_app: SlackApp) -> None:
    # 23:30 on Nov 25 in New York is already Nov 26 in UTC and Berlin.
    from datetime import UTC, datetime

    slack_app.clock.now = datetime(2026, 11, 26, 4, 30, tzinfo=UTC)
    slack_app.requests.command("add NY task due tomorrow", user="U1")
    slack_app.requests.command("add Berlin task due tomorrow", user="U2")
    ny, berlin = milestones(slack_app)
    assert ny.due_date == date(2026, 11, 26)
    assert berlin.due_date == date(2026, 11, 27)


def test_bad_input_gets_an_example_and_stores_nothing(slack_app: SlackApp) -> None:
    bad = [
        "frobnicate 12",
        "add",  # opens a modal, checked elsewhere; here: the rest
        "add due Dec 15",
        "add Launch due Feb 30",
        "add Launch budget lots",
        "show 999",
        "update abc due tomorrow",
        "add " + "x" * 5000,
        "add Launch\x00 beta",
    ]
    for text in bad:
        if text == "add":
            continue
        slack_app.requests.command(text)
        answer = slack_app.fake.last("response_url").params
        assert answer["response_type"] == "ephemeral", text
        assert "/milestone" in answer_text(slack_app.fake), text
        assert "Traceback" not in answer_text(slack_app.fake)
    assert milestones(slack_app) == []


def test_update_due_keeps_baseline_and_show_lists_history(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15")
    slack_app.requests.command("update #1 due Dec 22 because vendor slipped")
    [milestone] = milestones(slack_app)
    assert (milestone.due_date, milestone.baseline_due_date) == (date(2026, 12, 22), date(2026, 12, 15))
    slack_app.requests.command("show 1")
    shown = answer_text(slack_app.fake)
    assert "vendor slipped" in shown and "Dec 15" in shown and "Dec 22" in shown


def test_others_are_refused_naming_who_can(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta owner <@U2|bob>", user="U1")
    slack_app.requests.command("update 1 title Hijacked", user="U3")
    refusal = answer_text(slack_app.fake)
    assert "<@U2>" in refusal and "<@U1>" in refusal
    assert milestones(slack_app)[0].title == "Launch beta"
    slack_app.requests.command("update 1 title Renamed by admin", user="UADMIN")
    assert milestones(slack_app)[0].title == "Renamed by admin"


def test_done_records_actual_date_and_cost(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15 budget $5,000")
    slack_app.requests.command("done 1 cost $5,400")
    [milestone] = milestones(slack_app)
    assert (milestone.status, milestone.completed_on, milestone.actual_cost_minor) == (
        "done",
        date(2026, 11, 25),
        540000,
    )


def test_delete_asks_first_and_cancel_keeps_it(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta")
    slack_app.requests.command("delete 1")
    question = slack_app.fake.last("response_url").params
    action_ids = [
        element["action_id"]
        for block in question["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert action_ids == ["delete_confirm", "delete_cancel"]
    assert len(milestones(slack_app)) == 1

    slack_app.requests.block_action(action_id="delete_cancel", value="1")
    assert slack_app.fake.last("response_url").params["replace_original"] is True
    assert len(milestones(slack_app)) == 1

    slack_app.requests.block_action(action_id="delete_confirm", value="1", user="U3")
    assert len(milestones(slack_app)) == 1, "someone else may not delete"
    slack_app.requests.block_action(action_id="delete_confirm", value="1", user="U1")
    assert milestones(slack_app) == []
    with Session(slack_app.engine) as session:
        assert session.exec(select(Revision)).all() == []


@BOTH_MODES
def test_add_without_fields_opens_the_modal_and_submission_adds(slack_app: SlackApp) -> None:
    from tests.support.slack_requests import date_value, text_value, user_value

    slack_app.requests.command("add", channel="C9")
    view = slack_app.fake.last("views.open").params["view"]
    assert view["callback_id"] == "milestone_add"
    values = {
        "title": {"title": text_value("Hire a designer")},
        "due": {"due": date_value("2026-12-31")},
        "start": {"start": date_value(None)},
        "owner": {"owner": user_value("U2")},
        "budget": {"budget": text_value("€3k")},
        "dept": {"dept": text_value("Design")},
    }
    reply = slack_app.requests.view_submission(
        callback_id="milestone_add", values=values, private_metadata=view["private_metadata"]
    )
    assert reply.status == 200 and reply.body in ("", "{}")
    [milestone] = milestones(slack_app)
    assert (milestone.channel_id, milestone.owner_id, milestone.budget_minor, milestone.budget_currency) == (
        "C9",
        "U2",
        300000,
        "EUR",
    )
    assert slack_app.fake.last("chat.postMessage").params["channel"] == "C9"


@BOTH_MODES
def test_modal_errors_are_shown_field_by_field(slack_app: SlackApp) -> None:
    from tests.support.slack_requests import date_value, text_value, user_value

    slack_app.requests.command("add")
    view = slack_app.fake.last("views.open").params["view"]
    values = {
        "title": {"title": text_value("   ")},
        "due": {"due": date_value("2020-01-01")},
        "start": {"start": date_value(None)},
        "owner": {"owner": user_value(None)},
        "budget": {"budget": text_value("lots")},
        "dept": {"dept": text_value(None)},
    }
    reply = slack_app.requests.view_submission(
        callback_id="milestone_add", values=values, private_metadata=view["private_metadata"]
    )
    body = reply.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"title", "due", "budget"}
    assert milestones(slack_app) == []


def test_user_text_cannot_ping_or_inject_markup(slack_app: SlackApp) -> None:
    slack_app.requests.command('add "Ship &lt;!channel&gt; <!here> @everyone &amp; co" dept <!channel> team')
    slack_app.requests.command("list")
    for call in slack_app.fake.calls_to("response_url"):
        rendered = str(call.params.get("blocks", "")) + call.params.get("text", "")
        assert "<!channel>" not in rendered and "<!here>" not in rendered
        assert "@everyone" not in rendered


def test_help_is_ephemeral_and_lists_verbs(slack_app: SlackApp) -> None:
    slack_app.requests.command("")
    text = answer_text(slack_app.fake)
    for verb in ("add", "list", "show", "update", "done", "delete"):
        assert f"/milestone {verb}" in text


def test_text_with_the_word_payload_still_works(slack_app: SlackApp) -> None:
    # Bolt takes any form body containing "payload" for an interaction; bot/web.py works around it.
    slack_app.requests.command('add "Document the payload format"')
    assert [m.title for m in milestones(slack_app)] == ["Document the payload format"]


def test_an_unexpected_failure_gets_an_apology_not_a_traceback(slack_app: SlackApp, monkeypatch) -> None:
    from bot.core import listing

    def broken(**_: object) -> None:
        raise RuntimeError("database exploded")

    monkeypatch.setattr("bot.listeners.commands.list_milestones", broken)
    assert listing.list_milestones is not broken
    reply = slack_app.requests.command("list")
    assert reply.status == 200 and "Traceback" not in reply.body and "exploded" not in reply.body
    apology = slack_app.fake.last("response_url").params
    assert apology["response_type"] == "ephemeral" and "nothing was changed" in apology["text"]
    assert "exploded" not in json.dumps(apology)


def test_enterprise_workspaces_are_kept_apart(slack_app: SlackApp) -> None:
    grid = SlackRequests(
        slack_app.base_url,
        signing_secret=SIGNING_SECRET,
        fake=slack_app.fake,
        enterprise_id="E1",
        settle=slack_app.requests.settle,
    )
    grid.command("add Grid secret")
    slack_app.requests.command("show 1")
    assert "#1" in slack_app.fake.last("response_url").params["text"]
    assert "Grid secret" not in answer_text(slack_app.fake)
    grid.command("show 1")
    assert "Grid secret" in answer_text(slack_app.fake)
