"""People's names for exports: each looked up once through the people cache, never failing the caller."""

from __future__ import annotations

import socket

from slack_sdk import WebClient

from bot.slack.people import People
from storage.workspace import Workspace
from tests.support.fake_slack import FakeSlack

WORKSPACE = Workspace(team_id="T1")


def test_names_are_looked_up_once_each_and_kept(fake_slack: FakeSlack) -> None:
    fake_slack.add_user("U7", name="Alice Smith")
    people, client = People(default_timezone="UTC"), WebClient(token="xoxb-1", base_url=fake_slack.api_url)

    first = people.names_of(client, workspace=WORKSPACE, user_ids=["U1", "U7", "U1", "U9"])
    second = people.names_of(client, workspace=WORKSPACE, user_ids=["U7", "U1"])

    assert first == {"U1": "alice", "U7": "Alice Smith"}  # U9: Slack knows nobody by that id
    assert second == {"U1": "alice", "U7": "Alice Smith"}
    looked_up = [call.params["user"] for call in fake_slack.calls_to("users.info")]
    assert looked_up == ["U1", "U7", "U9"]


def test_a_real_name_stands_in_for_a_missing_display_name(fake_slack: FakeSlack) -> None:
    dana = fake_slack.add_user("U4", name="dana")
    dana["profile"] |= {"display_name": "", "real_name": "Dana Reyes"}
    client = WebClient(token="xoxb-1", base_url=fake_slack.api_url)

    names = People(default_timezone="UTC").names_of(client, workspace=WORKSPACE, user_ids=["U4"])

    assert names == {"U4": "Dana Reyes"}


def test_slack_out_of_reach_leaves_every_name_out_without_failing() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    client = WebClient(token="xoxb-1", base_url=f"http://127.0.0.1:{port}/api/", timeout=2)

    names = People(default_timezone="UTC").names_of(client, workspace=WORKSPACE, user_ids=["U1", "U2"])

    assert names == {}
