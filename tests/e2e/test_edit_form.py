"""The edit form is one form, whether `/milestone update <n>` or the Edit button opened it."""

from __future__ import annotations

import json

from tests.support.app import SlackApp


def _opened_for(app: SlackApp) -> dict:
    return json.loads(app.fake.last("views.open").params["view"]["private_metadata"])


def test_the_edit_form_names_the_milestones_own_channel_wherever_it_was_opened(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15", channel="C1")

    slack_app.requests.command("update 1", channel="C2")
    from_command = slack_app.fake.last("views.open").params["view"]
    slack_app.requests.block_action(action_id="milestone_edit", value="1", channel="C2")
    from_button = slack_app.fake.last("views.open").params["view"]

    assert _opened_for(slack_app) == {"channel_id": "C1", "number": 1}
    assert from_command == from_button
