"""The HTTP surface: Slack's request signatures are checked, health answers, nothing else is served."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest

from storage.models import Milestone
from tests.support.app import SlackApp

FORM = "application/x-www-form-urlencoded"


def _command_body(text: str) -> bytes:
    return urlencode(
        {"team_id": "T1", "user_id": "U1", "channel_id": "C1", "command": "/milestone", "text": text}
    ).encode()


@pytest.mark.parametrize(
    ("sign", "timestamp", "signature"),
    [
        (False, None, None),
        (True, None, "v0=" + "0" * 64),
        (True, int(time.time()) - 6 * 60, None),
    ],
    ids=["unsigned", "wrongly-signed", "replayed"],
)
def test_requests_not_signed_by_slack_are_refused(
    slack_app: SlackApp, sign: bool, timestamp: int | None, signature: str | None
) -> None:
    reply = slack_app.requests.post_raw(
        _command_body("add Sneaky"), content_type=FORM, sign=sign, timestamp=timestamp, signature=signature
    )
    assert reply.status == 401
    assert slack_app.fake.calls_to("response_url") == []
    from sqlmodel import Session, select

    with Session(slack_app.engine) as session:
        assert session.exec(select(Milestone)).all() == []


def test_healthz_answers_while_the_database_does(slack_app: SlackApp) -> None:
    with urllib.request.urlopen(f"{slack_app.base_url}/healthz") as response:
        assert response.status == 200


def test_unknown_paths_are_404(slack_app: SlackApp) -> None:
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(f"{slack_app.base_url}/admin")
    assert raised.value.code == 404
