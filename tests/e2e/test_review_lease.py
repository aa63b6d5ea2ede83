"""`/milestone review` holds its delivery for DELIVERY_LEASE_SECONDS, as the scheduler's own posts do."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from bot.outbox import review_now
from tests.support.app import FrozenClock, app_settings, served_app
from tests.support.fake_slack import FakeSlack


def test_review_now_claims_its_post_for_the_configured_lease(
    fake_slack: FakeSlack, engine: Engine, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    leases: list[timedelta] = []
    dispatch = review_now.dispatch

    def recording(**kwargs: Any) -> Any:
        leases.append(kwargs["lease"])
        return dispatch(**kwargs)

    monkeypatch.setattr(review_now, "dispatch", recording)
    settings = app_settings(fake=fake_slack, engine=engine, delivery_lease=timedelta(seconds=45))
    with served_app(settings, fake=fake_slack, engine=engine, clock=clock) as app:
        app.requests.command("add Launch beta due Dec 15")
        app.requests.command("review")

    assert leases == [timedelta(seconds=45)]
    assert "Posted" in fake_slack.last("response_url").params["text"]
