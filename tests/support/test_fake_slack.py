"""Tests of the harness: the fake Web API answers like Slack; signed requests reach Bolt as Slack's do."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import (
    InputBlock,
    PlainTextInputElement,
    SectionBlock,
)
from slack_sdk.models.views import View
from slack_sdk.webhook import WebhookClient

from tests.support.fake_slack import FakeSlack
from tests.support.slack_requests import (
    FORM,
    SlackRequests,
    date_value,
    message_event,
    text_value,
    user_value,
)

SIGNING_SECRET = "test-signing-secret"
SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "*#12* Launch beta"}}


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as running:
        yield running


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(base_url=fake.api_url, token="xoxb-test")


# ---- the fake Web API ----


def test_post_message_is_answered_like_slack_and_recorded(fake: FakeSlack, client: WebClient) -> None:
    response = client.chat_postMessage(channel="C1", text="Launch beta is due", blocks=[SECTION])

    assert response["ok"] and response["channel"] == "C1" and response["ts"] == "1700000000.000100"
    assert response["message"]["text"] == "Launch beta is due"
    call = fake.last("chat.postMessage")
    assert call.params["blocks"] == [SECTION]
    assert call.token == "xoxb-test"
    assert fake.invalid_payloads == [] and fake.warnings == []


def test_timestamps_are_unique_and_increasing(client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel="C1", text=str(n))["ts"] for n in range(3)]

    assert stamps == ["1700000000.000100", "1700000000.000200", "1700000000.000300"]


def test_json_string_fields_in_form_bodies_are_decoded(fake: FakeSlack, client: WebClient) -> None:
    client.api_call(
        "chat.postMessage", params={"channel": "C1", "text": "x", "blocks": json.dumps([SECTION])}
    )

    assert fake.last("chat.postMessage").params["blocks"] == [SECTION]


def test_call_without_token_is_not_authed(fake: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as raised:
        WebClient(base_url=fake.api_url).chat_postMessage(channel="C1", text="x")

    assert raised.value.response["error"] == "not_authed"


def test_unknown_method_is_refused_so_tests_notice(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.pins_add(channel="C1", timestamp="1.2")

    assert raised.value.response["error"] == "unknown_method"
    assert fake.warnings == ["unknown_method: pins.add"]


def test_last_without_such_call_names_what_was_called(fake: FakeSlack, client: WebClient) -> None:
    client.auth_test()

    with pytest.raises(AssertionError, match=r"no call to chat.update; methods called: \['auth.test'\]"):
        fake.last("chat.update")


def test_wait_for_returns_once_a_late_call_arrives(fake: FakeSlack, client: WebClient) -> None:
    later = threading.Timer(0.1, lambda: client.chat_postMessage(channel="C1", text="later"))
    later.start()

    calls = fake.wait_for("chat.postMessage", timeout=5)

    assert calls[0].params["text"] == "later"
    with pytest.raises(AssertionError, match="expected 2 call"):
        fake.wait_for("chat.postMessage", count=2, timeout=0.1)


# ---- validation like Slack ----


def test_invalid_blocks_are_rejected_and_recorded(fake: FakeSlack, client: WebClient) -> None:
    button = {"type": "button", "text": {"type": "plain_text", "text": "x" * 76}, "action_id": "done"}
    too_long = {"type": "actions", "elements": [button]}

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C1", text="x", blocks=[SECTION, too_long])

    assert raised.value.response["error"] == "invalid_blocks"
    assert fake.invalid_payloads == [
        "chat.postMessage: blocks[1]: text attribute cannot exceed 75 characters"
    ]
    assert fake.messages("C1") == []


@pytest.mark.parametrize(
    ("block", "error"),
    [
        ({"type": "section", "text": "plain string"}, "blocks[0].text: must be a text object, not a string"),
        (
            {
                "type": "actions",
                "elements": [
                    {"type": "button", "text": {"type": "plain_text", "text": "Done"}, "action_Id": "d"}
                ],
            },
            "blocks[0].elements[0].action_Id: not a field Slack accepts here",
        ),
        (
            {"type": "sectoin", "text": {"type": "mrkdwn", "text": "x"}},
            "blocks[0]: unknown block type 'sectoin'",
        ),
    ],
)
def test_blocks_slack_sdk_would_silently_fix_are_rejected(
    fake: FakeSlack, client: WebClient, block: dict[str, Any], error: str
) -> None:
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C1", text="x", blocks=[block])

    assert fake.invalid_payloads == [f"chat.postMessage: {error}"]


def test_messages_hold_at_most_50_blocks(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C1", text="x", blocks=[{"type": "divider"}] * 51)

    assert fake.invalid_payloads == ["chat.postMessage: blocks: no more than 50 items allowed"]


def test_invalid_view_is_rejected(fake: FakeSlack, client: WebClient) -> None:
    view = {"type": "modal", "title": {"type": "plain_text", "text": "A title far longer than Slack allows"}}

    with pytest.raises(SlackApiError):
        client.views_open(trigger_id="t1", view={**view, "blocks": [SECTION]})

    assert fake.invalid_payloads == ["views.open: view: title must be between 1 and 24 characters"]


def test_blocks_without_text_are_posted_with_a_warning(fake: FakeSlack, client: WebClient) -> None:
    with pytest.warns(UserWarning):  # slack_sdk warns too
        client.chat_postMessage(channel="C1", blocks=[SECTION])

    assert fake.warnings == ["missing_text_in_blocks"]


# ---- failure scripting ----


def test_rate_limit_raises_429_with_retry_after_once(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage")

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C1", text="x")

    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "1"
    assert raised.value.response["error"] == "ratelimited"
    assert client.chat_postMessage(channel="C1", text="x")["ok"]
    assert len(fake.calls_to("chat.postMessage")) == 2


def test_failure_can_be_limited_to_one_channel(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", status=200, error="channel_not_found", channel="C2", times=2)

    assert client.chat_postMessage(channel="C1", text="x")["ok"]
    for _ in range(2):
        with pytest.raises(SlackApiError, match="channel_not_found"):
            client.chat_postMessage(channel="C2", text="x")
    assert client.chat_postMessage(channel="C2", text="x")["ok"]


def test_server_error_has_a_non_json_body(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", status=503)

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C1", text="x")

    assert raised.value.response.status_code == 503
    assert "non-JSON" in raised.value.response["error"]


# ---- workspace state ----


def test_history_is_newest_first_and_honours_limit_and_oldest(fake: FakeSlack, client: WebClient) -> None:
    first, second, third = (client.chat_postMessage(channel="C1", text=t)["ts"] for t in ("a", "b", "c"))
    client.chat_postMessage(channel="C1", text="reply", thread_ts=first)
    client.chat_postMessage(channel="C2", text="elsewhere")

    newest_two = client.conversations_history(channel="C1", limit=2)
    after_first = client.conversations_history(channel="C1", oldest=first)

    assert [m["ts"] for m in newest_two["messages"]] == [third, second]
    assert newest_two["has_more"] is True
    assert [m["text"] for m in after_first["messages"]] == ["c", "b"]


def test_history_includes_metadata_only_when_asked(client: WebClient) -> None:
    metadata = {"event_type": "milestone_reminder", "event_payload": {"key": "reminder:12:2026-12-15:7"}}
    client.chat_postMessage(channel="C1", text="⏰ #12 is due in 7 days", metadata=metadata)

    plain = client.conversations_history(channel="C1")["messages"][0]
    full = client.conversations_history(channel="C1", include_all_metadata=True)["messages"][0]

    assert "metadata" not in plain
    assert full["metadata"] == metadata


def test_update_and_delete_change_history(fake: FakeSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C1", text="draft")["ts"]

    client.chat_update(channel="C1", ts=ts, text="final", blocks=[SectionBlock(text="final")])
    assert fake.messages("C1")[0]["text"] == "final"
    client.chat_delete(channel="C1", ts=ts)
    assert fake.messages("C1") == []
    with pytest.raises(SlackApiError, match="message_not_found"):
        client.chat_update(channel="C1", ts=ts, text="gone")


def test_users_info_reports_time_zone_and_role(fake: FakeSlack, client: WebClient) -> None:
    fake.add_user("U2", tz="America/New_York", is_admin=True, name="alice")

    user = client.users_info(user="U2")["user"]

    assert (user["tz"], user["is_admin"], user["name"]) == ("America/New_York", True, "alice")
    assert user["tz_offset"] in (-5 * 3600, -4 * 3600)
    with pytest.raises(SlackApiError, match="user_not_found"):
        client.users_info(user="U404")


def test_views_get_ids_and_the_home_tab_keeps_its_id(fake: FakeSlack, client: WebClient) -> None:
    modal = View(
        type="modal",
        title="Add milestone",
        callback_id="milestone_add",
        submit="Save",
        blocks=[InputBlock(block_id="title", label="Title", element=PlainTextInputElement(action_id="v"))],
    )
    opened = client.views_open(trigger_id="t1", view=modal)["view"]
    home = {"type": "home", "blocks": [SECTION]}
    homes = [client.views_publish(user_id="U1", view=home)["view"]["id"] for _ in range(2)]

    assert opened["id"].startswith("V") and opened["hash"] and opened["callback_id"] == "milestone_add"
    assert homes[0] == homes[1]
    assert fake.invalid_payloads == []


def test_files_upload_v2_stores_the_bytes(fake: FakeSlack, client: WebClient) -> None:
    response = client.files_upload_v2(
        channel="C1", content="number,title\n12,Launch beta\n", filename="plan.csv"
    )

    assert response["file"]["title"] == "plan.csv"
    assert fake.uploads[response["file"]["id"]] == b"number,title\n12,Launch beta\n"


def test_response_url_posts_are_recorded_and_validated(fake: FakeSlack) -> None:
    answer = WebhookClient(fake.response_url("r9")).send(text="Added #12", response_type="ephemeral")
    refused = WebhookClient(fake.response_url("r9")).send(text="x", blocks=[{"type": "section"}])

    assert answer.status_code == 200
    assert fake.last("response_url").params["_key"] == "r9"
    assert fake.calls_to("response_url")[0].params == {
        "text": "Added #12",
        "response_type": "ephemeral",
        "_key": "r9",
    }
    assert refused.status_code == 400
    assert fake.invalid_payloads == ["response_url: blocks[0]: text or fields attribute must be specified"]


# ---- signed requests reach Bolt as Slack's do ----


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the access log out of test output."""


@pytest.fixture
def bolt(fake: FakeSlack) -> Iterator[tuple[App, SlackRequests]]:
    app = App(signing_secret=SIGNING_SECRET, client=WebClient(base_url=fake.api_url, token="xoxb-test"))
    server: WSGIServer = make_server("127.0.0.1", 0, SlackRequestHandler(app), handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield (
        app,
        SlackRequests(f"http://127.0.0.1:{server.server_port}", signing_secret=SIGNING_SECRET, fake=fake),
    )
    server.shutdown()
    server.server_close()


def test_slash_command_reaches_its_listener(fake: FakeSlack, bolt: tuple[App, SlackRequests]) -> None:
    app, slack = bolt

    @app.command("/milestone")
    def milestone(ack: Any, command: dict[str, Any], respond: Any, context: Any) -> None:
        ack()
        respond(text=f"{context.user_id} in {context.channel_id} of {context.team_id}: {command['text']}")

    reply = slack.command("list overdue", user="U7", channel="C3", response_key="cmd")

    assert reply.status == 200
    call = fake.wait_for("response_url")[0]
    assert (call.params["text"], call.params["_key"]) == ("U7 in C3 of T1: list overdue", "cmd")


def test_button_press_carries_message_and_response_url(
    fake: FakeSlack, bolt: tuple[App, SlackRequests]
) -> None:
    app, slack = bolt
    pressed: list[dict[str, Any]] = []

    @app.action("checkin_on_track")
    def on_track(ack: Any, body: dict[str, Any], respond: Any) -> None:
        ack()
        pressed.append(body)
        respond(replace_original=True, text="On track")

    message = fake.add_message("C1", text="Weekly review", user="UBOT")
    reply = slack.block_action(action_id="checkin_on_track", value="12", message=message)

    assert reply.status == 200
    assert fake.wait_for("response_url")[0].params["replace_original"] is True
    assert pressed[0]["container"]["message_ts"] == message["ts"] == pressed[0]["message"]["ts"]
    assert pressed[0]["actions"][0]["value"] == "12"


def test_view_submission_carries_state_values(bolt: tuple[App, SlackRequests]) -> None:
    app, slack = bolt

    @app.view("milestone_add")
    def submitted(ack: Any, view: dict[str, Any]) -> None:
        values = view["state"]["values"]
        ack(response_action="errors", errors={"due": f"{values['due']['v']['selected_date']} is past"})

    values = {"title": {"v": text_value("Launch")}, "due": {"v": date_value("2020-01-01")}}
    reply = slack.view_submission(
        callback_id="milestone_add", values={**values, "owner": {"v": user_value("U2")}}
    )

    assert reply.json() == {"response_action": "errors", "errors": {"due": "2020-01-01 is past"}}


def test_event_reaches_its_listener(bolt: tuple[App, SlackRequests]) -> None:
    app, slack = bolt
    received = threading.Event()
    events: list[dict[str, Any]] = []

    @app.event("message")
    def on_message(event: dict[str, Any]) -> None:
        events.append(event)
        received.set()

    reply = slack.event(
        message_event("#12 slipped a week", ts="1700000001.000100", thread_ts="1700000000.000100")
    )

    assert reply.status == 200
    assert received.wait(5)
    assert events[0]["thread_ts"] == "1700000000.000100"


def test_url_verification_echoes_the_challenge(bolt: tuple[App, SlackRequests]) -> None:
    _, slack = bolt

    assert slack.url_verification("c-123").json() == {"challenge": "c-123"}


@pytest.mark.parametrize(
    "signing",
    [
        {"sign": False},
        {"signature": "v0=" + "0" * 64},
        {"timestamp": int(time.time()) - 6 * 60},
    ],
    ids=["unsigned", "wrongly-signed", "replayed"],
)
def test_requests_not_signed_now_by_slack_are_refused(
    bolt: tuple[App, SlackRequests], signing: dict[str, Any]
) -> None:
    _, slack = bolt

    reply = slack.post_raw(b"command=%2Fmilestone&text=list", content_type=FORM, **signing)

    assert reply.status == 401


def test_latency_slows_only_the_method_it_names(fake: FakeSlack, client: WebClient) -> None:
    fake.set_latency("chat.postMessage", 0.3)
    started = time.monotonic()
    client.auth_test()
    quick = time.monotonic() - started
    client.chat_postMessage(channel="C1", text="slow")
    slow = time.monotonic() - started - quick
    assert quick < 0.2 <= 0.3 <= slow + 0.01


def test_random_failures_hit_the_given_share(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_randomly("chat.postMessage", rate=0.5, status=503)
    statuses = []
    for _ in range(100):
        try:
            client.chat_postMessage(channel="C1", text="maybe")
            statuses.append(200)
        except SlackApiError as error:
            statuses.append(error.response.status_code)
    assert set(statuses) == {200, 503}
    assert 30 <= statuses.count(503) <= 70


def test_a_revoked_token_gets_invalid_auth_until_restored(fake: FakeSlack, client: WebClient) -> None:
    fake.revoke_token(client.token or "")
    with pytest.raises(SlackApiError) as refused:
        client.chat_postMessage(channel="C1", text="hello")
    assert refused.value.response["error"] == "invalid_auth"
    fake.revoke_token(client.token or "", revoked=False)
    assert client.chat_postMessage(channel="C1", text="hello")["ok"]


def test_an_answer_in_a_commands_ack_is_recorded_and_checked_as_a_response_url_answer() -> None:
    with FakeSlack() as fake:
        good = [{"type": "section", "text": {"type": "mrkdwn", "text": "Hi"}}]
        fake.record_ack_answer("r7", {"text": "Hi", "blocks": good, "response_type": "ephemeral"})
        fake.record_ack_answer("r8", {"text": "Bad", "blocks": [{"type": "section"}]})
        first, second = fake.calls_to("response_url")
    assert first.params == {
        "text": "Hi",
        "blocks": good,
        "response_type": "ephemeral",
        "_key": "r7",
        "_via": "ack",
    }
    assert second.params["_key"] == "r8"
    assert fake.invalid_payloads and all("response_url (ack)" in p for p in fake.invalid_payloads)
