"""`/milestone review` holds its delivery for DELIVERY_LEASE_SECONDS, as the scheduler's own posts do."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from bot.app import build_app, in_flight
from bot.config import Settings
from bot.outbox import review_now
from bot.serving.web import make_wsgi_app
from tests.conftest import BOT_TOKEN, SETTLE_SECONDS, SIGNING_SECRET, FrozenClock, serving
from tests.support.fake_slack import FakeSlack
from tests.support.slack_requests import SlackRequests


def test_review_now_claims_its_post_for_the_configured_lease(
    fake_slack: FakeSlack, engine: Engine, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    leases: list[timedelta] = []
    dispatch = review_now.dispatch

    def recording(**kwargs: Any) -> Any:
        leases.append(kwargs["lease"])
        return dispatch(**kwargs)

    monkeypatch.setattr(review_now, "dispatch", recording)
    settings = Settings(
        bot_token=BOT_TOKEN,
        signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.api_url,
        database_url=str(engine.url),
        delivery_lease=timedelta(seconds=45),
    )
    app = build_app(settings, engine=engine, clock=clock)
    pool = in_flight(app)
    with serving(make_wsgi_app(app, engine=engine)) as base_url:
        requests = SlackRequests(
            base_url,
            signing_secret=SIGNING_SECRET,
            fake=fake_slack,
            settle=lambda: pool.idle(SETTLE_SECONDS),
        )
        requests.command("add Launch beta due Dec 15")
        requests.command("review")
    pool.idle(SETTLE_SECONDS)

    assert leases == [timedelta(seconds=45)]
    assert "Posted" in fake_slack.last("response_url").params["text"]
