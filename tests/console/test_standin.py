"""The Slack stand-in answers slack_sdk as Slack does and records what the app showed, in order."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.console.standin import Person, SlackStandIn

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "hello"}}


@pytest.fixture
def stand_in(tmp_path: Path) -> Iterator[SlackStandIn]:
    slack = SlackStandIn(
        people=[Person("U0YOU", "you", "America/New_York")],
        channels={"C0GENERAL": "general"},
        files_dir=tmp_path / "files",
        clock=lambda: NOW,
    ).start()
    try:
        yield slack
    finally:
        slack.stop()


@pytest.fixture
def client(stand_in: SlackStandIn) -> WebClient:
    return WebClient(token="xoxb-console", base_url=stand_in.api_url)


def post_json(url: str, body: dict) -> int:
    """Answer through a response URL with slack_sdk's WebhookClient, as Bolt's respond() does."""
    return WebhookClient(url, timeout=5).send_dict(body).status_code


def test_a_posted_message_is_kept_stamped_no_earlier_than_the_clock_and_shown(
    stand_in: SlackStandIn, client: WebClient
) -> None:
    posted = client.chat_postMessage(channel="C0GENERAL", text="hello", blocks=[SECTION])

    assert posted["ok"] and posted["channel"] == "C0GENERAL"
    assert float(posted["ts"]) >= NOW.timestamp()
    [shown] = stand_in.take_outputs()
    assert (shown.kind, shown.channel, shown.ts, shown.blocks) == (
        "message",
        "#general",
        posted["ts"],
        (SECTION,),
    )
    assert stand_in.take_outputs() == []


def test_update_and_delete_of_a_kept_message(stand_in: SlackStandIn, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C0GENERAL", text="hello")["ts"]
    client.chat_update(channel="C0GENERAL", ts=ts, text="edited")
    client.chat_delete(channel="C0GENERAL", ts=ts)

    assert [(o.kind, o.ts) for o in stand_in.take_outputs()] == [
        ("message", ts),
        ("update", ts),
        ("delete", ts),
    ]
    with pytest.raises(SlackApiError, match="message_not_found"):
        client.chat_update(channel="C0GENERAL", ts=ts, text="again")


def test_history_holds_the_metadata_the_outbox_looks_for(client: WebClient) -> None:
    metadata = {"event_type": "milestone_delivery", "event_payload": {"key": "k1"}}
    ts = client.chat_postMessage(channel="C0GENERAL", text="hello", metadata=metadata)["ts"]

    history = client.conversations_history(channel="C0GENERAL", oldest="0", include_all_metadata=True)

    assert [(m["ts"], m["metadata"]) for m in history["messages"]] == [(ts, metadata)]


def test_people_have_their_zone_and_a_dm(stand_in: SlackStandIn, client: WebClient) -> None:
    assert client.users_info(user="U0YOU")["user"]["tz"] == "America/New_York"
    assert client.conversations_open(users="U0YOU")["channel"]["id"] == "DU0YOU"
    client.chat_postMessage(channel="U0YOU", text="only for you")
    [direct] = stand_in.take_outputs()
    assert (direct.kind, direct.channel, direct.user) == ("message", "DM", "U0YOU")
    with pytest.raises(SlackApiError, match="user_not_found"):
        client.users_info(user="U0NOBODY")


def test_response_url_answers_only_the_asker_in_the_channel_or_replace_the_original(
    stand_in: SlackStandIn, client: WebClient
) -> None:
    ts = client.chat_postMessage(channel="C0GENERAL", text="review")["ts"]
    stand_in.take_outputs()
    asker = stand_in.response_url(channel_id="C0GENERAL", user_id="U0YOU")
    on_message = stand_in.response_url(channel_id="C0GENERAL", user_id="U0YOU", message_ts=ts)

    assert post_json(asker, {"text": "just you", "response_type": "ephemeral"}) == 200
    assert post_json(asker, {"text": "everyone", "response_type": "in_channel"}) == 200
    assert post_json(on_message, {"text": "answered", "replace_original": True}) == 200
    assert post_json(on_message, {"delete_original": True}) == 200

    shown = [(o.kind, o.text, o.user) for o in stand_in.take_outputs()]
    assert shown == [
        ("ephemeral", "just you", "U0YOU"),
        ("message", "everyone", None),
        ("update", "answered", None),
        ("delete", "", None),
    ]
    assert stand_in.locate(ts) is None


def test_an_ephemeral_answer_can_be_pressed_and_replaced(stand_in: SlackStandIn) -> None:
    asker = stand_in.response_url(channel_id="C0GENERAL", user_id="U0YOU")
    post_json(asker, {"text": "Delete #1?", "blocks": [SECTION]})
    [question] = stand_in.take_outputs()
    assert question.ts is not None

    channel, message, ephemeral = stand_in.locate(question.ts) or ("", {}, False)
    assert (channel, message["text"], ephemeral) == ("C0GENERAL", "Delete #1?", True)
    on_question = stand_in.response_url(channel_id="C0GENERAL", user_id="U0YOU", message_ts=question.ts)
    post_json(on_question, {"text": "Deleted #1.", "replace_original": True})

    [answer] = stand_in.take_outputs()
    assert (answer.kind, answer.ts, answer.user) == ("update", question.ts, "U0YOU")


def test_views_open_update_and_publish_keep_the_view(stand_in: SlackStandIn, client: WebClient) -> None:
    view = {
        "type": "modal",
        "callback_id": "add",
        "title": {"type": "plain_text", "text": "Add"},
        "blocks": [],
    }
    opened = client.views_open(trigger_id="1.T.x", view=view)["view"]
    client.views_update(view_id=opened["id"], view={**view, "callback_id": "add2"})
    home = client.views_publish(user_id="U0YOU", view={"type": "home", "blocks": []})["view"]

    modal, updated, published = stand_in.take_outputs()
    assert (modal.kind, modal.view_id, updated.view_id) == ("modal", opened["id"], opened["id"])
    assert (stand_in.view(opened["id"]) or {})["callback_id"] == "add2"
    assert (published.kind, published.user, published.view_id) == ("home", "U0YOU", home["id"])


def test_files_upload_v2_saves_the_file_under_files_dir(
    stand_in: SlackStandIn, client: WebClient, tmp_path: Path
) -> None:
    client.files_upload_v2(
        channel="C0GENERAL",
        file_uploads=[{"filename": "plan.csv", "content": b"number,title\n1,Launch\n", "title": "Plan"}],
        initial_comment="Here is the plan",
    )

    file, comment = stand_in.take_outputs()
    assert (file.kind, file.text, file.channel) == ("file", "Plan", "#general")
    assert Path(file.path or "") == tmp_path / "files" / "plan.csv"
    assert (tmp_path / "files" / "plan.csv").read_bytes() == b"number,title\n1,Launch\n"
    assert (comment.kind, comment.text) == ("message", "Here is the plan")


def test_a_reaction_shows_on_the_screen(stand_in: SlackStandIn, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C0GENERAL", text="note", thread_ts="1.000001")
    stand_in.take_outputs()
    assert client.reactions_add(channel="C0GENERAL", timestamp=posted["ts"], name="white_check_mark")["ok"]
    [shown] = stand_in.take_outputs()
    assert (shown.kind, shown.text, shown.channel) == ("reaction", "✅ on a message", "#general")
