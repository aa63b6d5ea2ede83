"""A slash command's answer rides in its HTTP acknowledgement when it is ready in time, else the response URL.

Through real HTTP: the body of the app's reply is what Slack shows; a slow Slack or a busy pool never makes
the acknowledgement later than its deadline.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine

from bot.listeners.ack_answer import MAX_HELD_ACKS
from tests.support.app import (
    BOTH_MODES,
    SIGNING_SECRET,
    FrozenClock,
    SlackApp,
    app_settings,
    served_app,
)
from tests.support.databases import database_down
from tests.support.fake_slack import Call, FakeSlack
from tests.support.slack_requests import Reply, SlackRequests

DEADLINE = 0.5  # the default ANSWER_IN_ACK_SECONDS
# Generous: these are not benchmarks, only "well before the slow call would have ended".
MARGIN = 0.8
SLOW = 2.5
APOLOGY = "Something went wrong on our side; nothing was changed. Please try again."


def in_ack(reply: Reply) -> dict[str, Any]:
    """The answer in the reply's body, checked to be one."""
    assert reply.status == 200 and reply.headers["Content-Type"].startswith("application/json")
    body = reply.json()
    assert isinstance(body, dict) and body["text"] and body["blocks"], body
    return body


def shown(body: dict[str, Any]) -> str:
    """What a person reads in an answer: its text and every text in its blocks."""
    return body["text"] + "\n" + str(body["blocks"])


def through_the_url(fake: FakeSlack) -> list[Call]:
    """The answers sent to the response URL itself (not those the fake recorded from an ack)."""
    return [call for call in fake.calls_to("response_url") if call.params.get("_via") != "ack"]


def timed(send: Any) -> tuple[Reply, float]:
    started = time.monotonic()
    reply = send()
    return reply, time.monotonic() - started


def unsettled(app: SlackApp) -> SlackRequests:
    """Requests that return with the HTTP answer, without waiting for the work after it."""
    return SlackRequests(app.base_url, signing_secret=SIGNING_SECRET, fake=app.fake)


@pytest.fixture
def one_thread(fake_slack: FakeSlack, engine: Engine, clock: FrozenClock) -> Iterator[SlackApp]:
    """The app with a pool of one listener thread: one slow command fills it."""
    settings = app_settings(fake=fake_slack, engine=engine, listener_threads=1)
    with served_app(settings, fake=fake_slack, engine=engine, clock=clock) as served:
        yield served


@pytest.fixture
def patient(fake_slack: FakeSlack, engine: Engine, clock: FrozenClock) -> Iterator[SlackApp]:
    """The app holding each command's ack up to 2 s for its answer."""
    settings = app_settings(fake=fake_slack, engine=engine, answer_in_ack_seconds=2.0)
    with served_app(settings, fake=fake_slack, engine=engine, clock=clock) as served:
        yield served


@BOTH_MODES
def test_help_comes_back_in_the_ack_and_nothing_goes_to_the_response_url(slack_app: SlackApp) -> None:
    body = in_ack(slack_app.requests.command("help"))
    assert body["response_type"] == "ephemeral"
    assert "what /milestone can do" in body["text"]
    assert through_the_url(slack_app.fake) == []


@BOTH_MODES
def test_add_comes_back_in_the_channel_through_the_ack(slack_app: SlackApp) -> None:
    body = in_ack(slack_app.requests.command("add Launch beta due Dec 15"))
    assert body["response_type"] == "in_channel"
    assert "Added *#1* Launch beta" in body["text"]
    assert through_the_url(slack_app.fake) == []


@BOTH_MODES
def test_list_and_show_come_back_in_the_ack(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15 owner <@U2>")
    listed = in_ack(slack_app.requests.command("list"))
    assert listed["response_type"] == "ephemeral" and "Launch beta" in shown(listed)
    showed = in_ack(slack_app.requests.command("show 1"))
    assert showed["response_type"] == "ephemeral" and "Launch beta" in shown(showed)
    assert through_the_url(slack_app.fake) == []


@BOTH_MODES
@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("ad Website copy due friday", "Try: `/milestone add Website copy due friday`"),
        ("show 99", "There's no milestone *#99* in this workspace."),
        ("update 1 due", "⚠️"),
    ],
)
def test_errors_and_refusals_come_back_in_the_ack(slack_app: SlackApp, text: str, said: str) -> None:
    body = in_ack(slack_app.requests.command(text))
    assert body["response_type"] == "ephemeral" and said in body["text"]
    assert "Traceback" not in shown(body)
    assert through_the_url(slack_app.fake) == []


@BOTH_MODES
def test_an_unexpected_error_is_apologised_for_in_the_ack(slack_app: SlackApp) -> None:
    slack_app.requests.command("list")  # the asker is known: only the database fails below
    slack_app.fake.clear()
    with database_down(slack_app.engine):
        body = in_ack(slack_app.requests.command("list"))
    assert body == {**body, "response_type": "ephemeral", "text": f"⚠️ {APOLOGY}"}
    assert "OperationalError" not in shown(body) and "Traceback" not in shown(body)
    assert through_the_url(slack_app.fake) == []


def test_an_answer_held_up_by_a_slow_slack_takes_the_response_url(slack_app: SlackApp) -> None:
    # Who <@U9> is takes users.info, slower than the ack's deadline.
    slack_app.fake.set_latency("users.info", SLOW)
    reply, took = timed(lambda: unsettled(slack_app).command("list <@U9>"))
    assert reply.status == 200 and reply.body == ""
    assert took < DEADLINE + MARGIN
    [answer] = slack_app.fake.wait_for("response_url", timeout=3 * SLOW)
    assert answer.params.get("_via") is None and answer.params["response_type"] == "ephemeral"
    assert "Traceback" not in answer.params["text"]


def test_a_form_opened_slowly_is_acked_empty_by_the_deadline(slack_app: SlackApp) -> None:
    slack_app.fake.set_latency("views.open", SLOW)
    reply, took = timed(lambda: unsettled(slack_app).command("add"))
    assert reply.status == 200 and reply.body == ""
    assert took < DEADLINE + MARGIN
    slack_app.requests.settle()
    assert slack_app.fake.last("views.open").params["view"]["type"] == "modal"
    assert slack_app.fake.calls_to("response_url") == []


def test_a_command_that_answers_nothing_is_acked_as_soon_as_it_is_done(patient: SlackApp) -> None:
    patient.requests.command("add Launch due Dec 15")
    patient.fake.clear()
    # `done` says it in the channel, not to the asker: its ack does not wait out the 2 s.
    reply, took = timed(lambda: patient.requests.command("done 1"))
    assert reply.status == 200 and reply.body == ""
    assert took < 1.5
    assert "Launch" in patient.fake.last("chat.postMessage").params["text"]
    assert patient.fake.calls_to("response_url") == []


def test_a_full_pool_never_makes_the_next_ack_late(one_thread: SlackApp) -> None:
    one_thread.requests.command("help")  # the asker is known before Slack slows down
    one_thread.fake.clear()
    one_thread.fake.set_latency("views.open", SLOW)
    requests = unsettled(one_thread)
    first = threading.Thread(target=requests.command, args=("add",), kwargs={"response_key": "slow"})
    first.start()
    time.sleep(0.3)  # the slow form holds the pool's one thread
    reply, took = timed(lambda: requests.command("help", response_key="next"))
    first.join(timeout=10)
    assert reply.status == 200 and reply.body == ""
    assert took < DEADLINE + MARGIN
    [answer] = one_thread.fake.wait_for("response_url", timeout=3 * SLOW)
    assert answer.params["_key"] == "next" and answer.params.get("_via") is None
    assert "what /milestone can do" in answer.params["text"]
    one_thread.requests.settle()


def test_commands_at_once_each_get_their_own_answer_in_their_ack(slack_app: SlackApp) -> None:
    slack_app.requests.command("help")
    slack_app.fake.clear()
    requests = unsettled(slack_app)
    replies: dict[str, Reply] = {}

    def ask(first: int) -> None:
        for number in range(first, first + 5):
            replies[str(number)] = requests.command(f"show {number}", response_key=str(number))

    threads = [
        threading.Thread(target=ask, args=(first,)) for first in range(100, 100 + 5 * MAX_HELD_ACKS, 5)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    slack_app.requests.settle()
    assert len(replies) == 5 * MAX_HELD_ACKS
    for number, reply in replies.items():
        assert f"*#{number}*" in in_ack(reply)["text"]
    assert through_the_url(slack_app.fake) == []


def test_past_the_acks_a_process_may_hold_a_command_is_acked_at_once(patient: SlackApp) -> None:
    patient.requests.command("help")
    patient.fake.clear()
    patient.fake.set_latency("views.open", SLOW)
    requests = unsettled(patient)
    forms = [
        threading.Thread(target=requests.command, args=("add",), kwargs={"response_key": f"form{n}"})
        for n in range(MAX_HELD_ACKS)
    ]
    for form in forms:
        form.start()
    time.sleep(0.5)  # every form's ack is held, up to 2 s, while views.open takes 2.5 s
    reply, took = timed(lambda: requests.command("help", response_key="next"))
    for form in forms:
        form.join(timeout=10)
    patient.requests.settle()
    assert reply.status == 200 and reply.body == "" and took < 1.5
    [answer] = through_the_url(patient.fake)
    assert answer.params["_key"] == "next" and "what /milestone can do" in answer.params["text"]


def test_the_request_log_says_how_a_command_answered_in_its_ack_went(
    slack_app: SlackApp, caplog: pytest.LogCaptureFixture
) -> None:
    slack_app.requests.command("list")
    with caplog.at_level(logging.INFO, logger="bot.requests"):
        slack_app.requests.command("help")
        with database_down(slack_app.engine):
            slack_app.requests.command("list")
    lines = [(r.action, r.outcome) for r in caplog.records if r.name == "bot.requests"]
    assert lines == [("help", "ok"), ("list", "error")]


def test_the_ack_is_timed_from_arrival_so_a_slow_authorization_never_makes_it_late(
    fake_slack: FakeSlack, engine: Engine, clock: FrozenClock
) -> None:
    # The app's first request checks its token (auth.test) before any listener: Slack is slow today.
    fake_slack.set_latency("auth.test", DEADLINE + 0.3)
    settings = app_settings(fake=fake_slack, engine=engine)
    with served_app(settings, fake=fake_slack, engine=engine, clock=clock) as served:
        reply, took = timed(lambda: unsettled(served).command("help"))
        served.requests.settle()
        assert reply.status == 200 and reply.body == ""
        assert took < DEADLINE + 0.3 + MARGIN
        [answer] = through_the_url(served.fake)
        assert "what /milestone can do" in answer.params["text"]
