"""Buttons and modals end to end: edit form with a reason, mark done, Home tab, caching, OAuth pages."""

from __future__ import annotations

import json
import urllib.request
from datetime import date

from sqlmodel import Session, select

from bot.app import build_app
from bot.config import Settings
from bot.serving.web import make_wsgi_app
from storage.models import Milestone, Revision
from tests.support.app import BOTH_MODES, SlackApp, serving
from tests.support.blocks import action_elements
from tests.support.slack_requests import date_value, text_value
from tests.support.view_state import submitted


def only_milestone(app: SlackApp) -> Milestone:
    with Session(app.engine) as session:
        return session.exec(select(Milestone)).one()


@BOTH_MODES
def test_edit_modal_saves_a_new_date_with_the_reason(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15 owner <@U1|alice>")
    slack_app.requests.command("update 1")
    view = slack_app.fake.last("views.open").params["view"]
    assert view["callback_id"] == "milestone_update"
    values = submitted(view)
    values["due"]["due"] = date_value("2026-12-22")
    values["reason"]["reason"] = text_value("Vendor slipped")
    reply = slack_app.requests.view_submission(
        callback_id="milestone_update", values=values, private_metadata=view["private_metadata"]
    )
    assert reply.status == 200
    milestone = only_milestone(slack_app)
    assert (milestone.due_date, milestone.baseline_due_date) == (date(2026, 12, 22), date(2026, 12, 15))
    with Session(slack_app.engine) as session:
        [revision] = session.exec(select(Revision)).all()
    assert (revision.field, revision.reason, revision.source) == ("due", "Vendor slipped", "modal")
    assert slack_app.fake.last("chat.postMessage").params["channel"] == "C1"


def test_unchanged_edit_form_changes_nothing(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15")
    slack_app.requests.command("update 1")
    view = slack_app.fake.last("views.open").params["view"]
    slack_app.requests.view_submission(
        callback_id="milestone_update", values=submitted(view), private_metadata=view["private_metadata"]
    )
    with Session(slack_app.engine) as session:
        assert session.exec(select(Revision)).all() == []


def test_update_modal_is_refused_to_others(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta", user="U1")
    slack_app.requests.command("update 1", user="U3")
    assert slack_app.fake.calls_to("views.open") == []
    assert "<@U1>" in slack_app.fake.last("response_url").params["text"]


@BOTH_MODES
def test_show_buttons_mark_done_and_open_the_editor(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15")
    slack_app.requests.command("show 1")
    shown = slack_app.fake.last("response_url").params["blocks"]
    buttons = [element["action_id"] for element in action_elements(shown)]
    assert buttons == ["milestone_done", "milestone_edit"]
    slack_app.requests.block_action(action_id="milestone_edit", value="1")
    assert slack_app.fake.last("views.open").params["view"]["callback_id"] == "milestone_update"
    slack_app.requests.block_action(action_id="milestone_done", value="1")
    milestone = only_milestone(slack_app)
    assert (milestone.status, milestone.completed_on) == ("done", date(2026, 11, 25))


def test_users_info_is_asked_once_per_person(slack_app: SlackApp) -> None:
    for _ in range(3):
        slack_app.requests.command("list")
    assert len(slack_app.fake.calls_to("users.info")) == 1


def test_home_tab_lists_the_persons_milestones(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15 owner <@U2|bob>")
    slack_app.requests.event({"type": "app_home_opened", "user": "U2", "channel": "D1", "tab": "home"})
    published = slack_app.fake.last("views.publish").params
    assert published["user_id"] == "U2"
    assert "Launch beta" in json.dumps(published["view"])


def test_oauth_install_page_is_served_when_configured(slack_app: SlackApp) -> None:
    settings = Settings(
        client_id="111.222",
        client_secret="shh",
        signing_secret="secret",
        slack_api_url=slack_app.fake.api_url,
    )
    app = build_app(settings, engine=slack_app.engine)
    with serving(make_wsgi_app(app, engine=slack_app.engine)) as base_url:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(f"{base_url}/slack/install", timeout=5) as response:
            page = response.read().decode()
    assert "https://slack.com/oauth/v2/authorize" in page and "111.222" in page


def test_a_rate_limited_modal_opens_after_one_retry(slack_app: SlackApp) -> None:
    slack_app.fake.fail_next("views.open", status=429, headers={"Retry-After": "0"})
    slack_app.requests.command("add")
    opened = slack_app.fake.calls_to("views.open")
    assert len(opened) == 2 and opened[-1].params["view"]["callback_id"] == "milestone_add"
