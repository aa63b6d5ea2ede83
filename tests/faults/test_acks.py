"""No lost ack: a listener that fails still answers 200 and apologises; acks never wait for the work."""

from __future__ import annotations

import json
import logging
import statistics
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from storage.models import Milestone, Revision
from tests.support.app import BOTH_MODES, SIGNING_SECRET, FrozenClock, SlackApp, app_settings, served_app
from tests.support.databases import database_down
from tests.support.fake_slack import Call, FakeSlack
from tests.support.slack_requests import SlackRequests

APOLOGY = "Something went wrong on our side"


def counts(engine: Engine) -> tuple[int, int]:
    """How many milestones and revisions the database holds."""
    with Session(engine) as session:
        return (
            session.exec(select(func.count()).select_from(Milestone)).one(),
            session.exec(select(func.count()).select_from(Revision)).one(),
        )


def sent_text(calls: list[Call]) -> str:
    """Everything the app sent to Slack in these calls, as one string."""
    return "\n".join(json.dumps(call.params, ensure_ascii=False) for call in calls)


def add_launch(app: SlackApp) -> None:
    """#1 "Launch", owned and created by U1 in C1."""
    app.requests.command("add Launch due Dec 15 owner <@U1>")
    app.fake.clear()


@BOTH_MODES
@pytest.mark.parametrize(
    ("action_id", "value"),
    [
        ("milestone_done", "one"),
        ("delete_confirm", "1; DROP TABLE milestone"),
        ("delete_cancel", ""),
        ("milestone_edit", "1.5"),
        ("checkin_on_track", "x:y"),
        ("checkin_done", "1"),
        ("checkin_new_date", "1:2:3"),
        ("open_new_date", "#1"),
        ("reminder_done", "NaN"),
    ],
)
def test_a_forged_button_value_gets_an_apology_and_changes_nothing(
    slack_app: SlackApp, action_id: str, value: str
) -> None:
    add_launch(slack_app)
    before = counts(slack_app.engine)
    reply = slack_app.requests.block_action(action_id=action_id, value=value)
    assert reply.status == 200
    [apology] = slack_app.fake.calls_to("response_url")
    assert APOLOGY in apology.params["text"] and apology.params["response_type"] == "ephemeral"
    assert "Traceback" not in sent_text(slack_app.fake.calls)
    assert counts(slack_app.engine) == before


@BOTH_MODES
def test_a_forged_home_menu_choice_is_apologised_for_in_the_dm(slack_app: SlackApp) -> None:
    add_launch(slack_app)
    home = {"id": "VHOME", "type": "home", "callback_id": "", "private_metadata": "", "state": {"values": {}}}
    reply = slack_app.requests.block_action(
        action_id="home_milestone", value="", selected="done:not-a-number", view=home
    )
    assert reply.status == 200
    [dm] = slack_app.fake.calls_to("chat.postMessage")
    assert dm.params["channel"] == "U1" and APOLOGY in dm.params["text"]
    assert counts(slack_app.engine)[0] == 1


@BOTH_MODES
@pytest.mark.parametrize(
    ("callback_id", "metadata"),
    [
        ("milestone_add", "{not json"),
        ("milestone_update", '["a list"]'),
        ("new_date", "null"),
        ("new_date", '{"number": "seven"}'),
        ("import_confirm", "garbled\udcff".encode("utf-8", "surrogatepass").decode("utf-8", "replace")),
    ],
)
def test_garbled_private_metadata_closes_the_form_and_apologises(
    slack_app: SlackApp, callback_id: str, metadata: str
) -> None:
    add_launch(slack_app)
    before = counts(slack_app.engine)
    reply = slack_app.requests.view_submission(callback_id=callback_id, values={}, private_metadata=metadata)
    assert reply.status == 200
    assert "Traceback" not in reply.body and "errors" not in reply.body
    [dm] = slack_app.fake.calls_to("chat.postMessage")
    assert dm.params["channel"] == "U1" and APOLOGY in dm.params["text"]
    assert counts(slack_app.engine) == before


@BOTH_MODES
def test_add_when_the_trigger_expired_says_to_try_again(slack_app: SlackApp) -> None:
    slack_app.fake.fail_next("views.open", status=200, error="expired_trigger_id")
    reply = slack_app.requests.command("add")
    assert reply.status == 200
    answer = slack_app.fake.last("response_url").params
    assert "That took too long — try /milestone add again" in answer["text"]
    assert APOLOGY not in answer["text"]


def test_a_button_whose_trigger_expired_says_to_press_it_again(slack_app: SlackApp) -> None:
    add_launch(slack_app)
    slack_app.fake.fail_next("views.open", status=200, error="expired_trigger_id")
    reply = slack_app.requests.block_action(action_id="milestone_edit", value="1")
    assert reply.status == 200
    assert "That took too long — press the button again" in slack_app.fake.last("response_url").params["text"]


@BOTH_MODES
def test_export_when_the_upload_fails_tells_the_person(slack_app: SlackApp) -> None:
    add_launch(slack_app)
    slack_app.fake.fail_next("files.completeUploadExternal", status=200, error="internal_error")
    reply = slack_app.requests.command("export csv")
    assert reply.status == 200
    answer = slack_app.fake.last("response_url").params
    assert "couldn't send you `milestones.csv`" in answer["text"]
    assert answer["response_type"] == "ephemeral"


@BOTH_MODES
@pytest.mark.parametrize("text", ["list", "add Launch due Dec 15", "done 1", "show 1"])
def test_a_database_outage_after_the_ack_is_apologised_for(slack_app: SlackApp, text: str) -> None:
    add_launch(slack_app)
    slack_app.requests.command("list")  # the asker's zone is cached: only the database fails below
    slack_app.fake.clear()
    with database_down(slack_app.engine):
        reply = slack_app.requests.command(text)
    assert reply.status == 200
    answer = slack_app.fake.last("response_url").params
    assert APOLOGY in answer["text"]
    assert "OperationalError" not in sent_text(slack_app.fake.calls)
    assert counts(slack_app.engine)[0] == 1


def test_a_failure_is_logged_with_its_request_id(
    slack_app: SlackApp, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="bot.listeners.guard"):
        slack_app.requests.block_action(action_id="milestone_done", value="one")
    [record] = [r for r in caplog.records if r.name == "bot.listeners.guard"]
    assert "mark_done" in record.getMessage() and "(request " in record.getMessage()
    assert record.exc_info is not None


@pytest.fixture
def url_answers(fake_slack: FakeSlack, engine: Engine, clock: FrozenClock) -> Iterator[SlackApp]:
    """The app with no answer in the ack (ANSWER_IN_ACK_SECONDS=0): every answer takes the response URL."""
    settings = app_settings(fake=fake_slack, engine=engine, answer_in_ack_seconds=0)
    with served_app(settings, fake=fake_slack, engine=engine, clock=clock) as served:
        yield served


def test_an_answer_the_response_url_refused_is_sent_again(url_answers: SlackApp) -> None:
    url_answers.fake.fail_next("response_url", status=500, error="internal_error", times=2)
    url_answers.requests.command("help")
    tries = url_answers.fake.calls_to("response_url")
    assert len(tries) == 3 and tries[0].params["text"] == tries[-1].params["text"]
    assert not any(call.params.get("_via") for call in tries)


def test_an_answer_that_never_gets_through_is_logged(
    url_answers: SlackApp, caplog: pytest.LogCaptureFixture
) -> None:
    url_answers.fake.fail_next("response_url", status=503, error="unavailable", times=10)
    with caplog.at_level(logging.ERROR, logger="bot.listeners.replies"):
        url_answers.requests.command("help")
    assert len(url_answers.fake.calls_to("response_url")) == 4
    assert any("answer through the response URL lost" in r.getMessage() for r in caplog.records)


def test_an_answer_refused_for_good_is_not_retried(url_answers: SlackApp) -> None:
    url_answers.fake.fail_next("response_url", status=404, error="expired_url")
    url_answers.requests.command("help")
    assert len(url_answers.fake.calls_to("response_url")) == 1


@pytest.mark.slow
def test_sixteen_lists_with_a_slow_slack_are_all_acked_at_once_and_answered(slack_app: SlackApp) -> None:
    people = [f"UP{n:02d}" for n in range(16)]
    for user in people:
        slack_app.fake.add_user(user, tz="America/New_York", name=user.lower())
    slack_app.fake.set_latency("users.info", 2.5)
    slack_app.fake.set_latency("response_url", 2.5)
    # Without the fixture's wait after each request: the acks are what is timed here.
    unsettled = SlackRequests(slack_app.base_url, signing_secret=SIGNING_SECRET, fake=slack_app.fake)
    acks: dict[str, tuple[int, float]] = {}

    def ask(user: str) -> None:
        started = time.monotonic()
        reply = unsettled.command("list", user=user, response_key=user)
        acks[user] = (reply.status, time.monotonic() - started)

    threads = [threading.Thread(target=ask, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    slack_app.requests.settle()
    seconds = sorted(took for _, took in acks.values())
    p99 = seconds[min(len(seconds) - 1, round(0.99 * len(seconds)))]
    print(
        f"\n16 concurrent /milestone list, Slack 2.5 s a call: ack p50 {statistics.median(seconds):.2f} s, "
        f"p99 {p99:.2f} s, max {seconds[-1]:.2f} s"
    )
    assert {status for status, _ in acks.values()} == {200} and len(acks) == 16
    assert seconds[-1] < 3.0
    answered = {call.params["_key"] for call in slack_app.fake.calls_to("response_url")}
    assert answered == set(people)


def test_an_event_that_fails_is_acked_and_only_logged(
    slack_app: SlackApp, caplog: pytest.LogCaptureFixture
) -> None:
    slack_app.requests.command("list")  # the person is known: only the database fails below
    slack_app.fake.clear()
    with database_down(slack_app.engine), caplog.at_level(logging.ERROR):
        reply = slack_app.requests.event({"type": "app_home_opened", "user": "U1", "tab": "home"})
    assert reply.status == 200
    # Logged where it failed: the event de-duplication middleware, or the listener's guard.
    assert [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]
    # Nobody asked for anything: no apology lands in a DM out of the blue.
    assert slack_app.fake.calls_to("chat.postMessage") == []


def test_the_request_log_line_says_a_guarded_failure_failed(
    slack_app: SlackApp, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="bot.requests"):
        slack_app.requests.block_action(action_id="milestone_done", value="one")
    [line] = [r for r in caplog.records if r.name == "bot.requests"]
    assert line.outcome == "error"
