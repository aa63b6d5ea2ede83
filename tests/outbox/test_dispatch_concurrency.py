"""Dispatch posts channels side by side, each channel in order and a second apart, one claimer per channel."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.outbox import dispatch as dispatch_module
from bot.outbox.dispatch import dispatch
from bot.outbox.outcomes import Outcome
from bot.outbox.pacing import Pacer
from storage import deliveries
from storage.channel_claims import claim_channels
from storage.models import Delivery
from storage.workspace import Workspace
from tests.support.fake_slack import FakeSlack

NOW = datetime(2026, 12, 10, 14, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)
TOKEN = "xoxb-test"


def _plan(engine: Engine, *, channel: str, count: int, team: str = "T1") -> list[str]:
    keys = [f"checkin:{team}:{channel}:{n}" for n in range(count)]
    with Session(engine) as session:
        for key in keys:
            deliveries.plan_delivery(
                session=session,
                key=key,
                kind="checkin",
                workspace=Workspace(team_id=team),
                channel_id=channel,
                payload={"text": f"Weekly review {key}"},
                not_before=NOW,
                now=NOW,
            )
        session.commit()
    return keys


def _posted(fake: FakeSlack, channel: str) -> list[str]:
    return [m["metadata"]["event_payload"]["key"] for m in fake.messages(channel)]


def test_channels_are_posted_side_by_side(engine: Engine, fake_slack: FakeSlack) -> None:
    channels = [f"C{n}" for n in range(8)]
    for channel in channels:
        _plan(engine, channel=channel, count=1)
    fake_slack.latency["chat.postMessage"] = 0.3
    client = WebClient(token=TOKEN, base_url=fake_slack.api_url)

    started = time.monotonic()
    done = dispatch(engine=engine, clients=lambda _w: client, now=NOW, worker="w", threads=8)

    # One at a time takes 8 × 0.3 s; side by side, the first post alone (it tries the token), then the rest.
    assert len(done[Outcome.SENT]) == 8 and time.monotonic() - started < 1.8
    assert all(len(_posted(fake_slack, channel)) == 1 for channel in channels)


def test_a_channel_gets_its_messages_in_order_a_second_apart(engine: Engine, fake_slack: FakeSlack) -> None:
    keys = _plan(engine, channel="C1", count=3)
    _plan(engine, channel="C2", count=1)
    client = WebClient(token=TOKEN, base_url=fake_slack.api_url)

    dispatch(engine=engine, clients=lambda _w: client, now=NOW, worker="w", pacer=Pacer(interval=0.5))

    assert _posted(fake_slack, "C1") == keys
    posts = [call for call in fake_slack.calls_to("chat.postMessage") if call.params["channel"] == "C1"]
    assert len(posts) == 3


def test_pace_holds_back_a_channels_next_post(engine: Engine, fake_slack: FakeSlack) -> None:
    _plan(engine, channel="C1", count=2)
    client = WebClient(token=TOKEN, base_url=fake_slack.api_url)
    pacer = Pacer(interval=0.6)
    started = time.monotonic()

    done = dispatch(engine=engine, clients=lambda _w: client, now=NOW, worker="w", pacer=pacer)

    assert len(done[Outcome.SENT]) == 2 and time.monotonic() - started >= 0.6


def test_a_rate_limited_channel_waits_and_the_others_are_posted(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    limited = _plan(engine, channel="C1", count=2)
    others = _plan(engine, channel="C2", count=1) + _plan(engine, channel="C3", count=1)
    fake_slack.fail_next("chat.postMessage", status=429, headers={"Retry-After": "30"}, channel="C1")
    client = WebClient(token=TOKEN, base_url=fake_slack.api_url)

    done = dispatch(engine=engine, clients=lambda _w: client, now=NOW, worker="w")

    assert sorted(done[Outcome.SENT]) == sorted(others)
    assert sorted(done[Outcome.RETRYING]) == sorted(limited)
    with Session(engine) as session:
        waiting = session.exec(select(Delivery).where(Delivery.channel_id == "C1")).all()
    assert {row.state for row in waiting} == {"pending"}
    assert all(row.not_before >= NOW + timedelta(seconds=30) for row in waiting)


def test_a_channel_claimed_by_one_worker_is_left_to_it(engine: Engine) -> None:
    first = _plan(engine, channel="C1", count=3)
    _plan(engine, channel="C2", count=2)

    mine = claim_channels(engine=engine, now=NOW, lease=LEASE, worker="a", channels=1, per_channel=2)
    theirs = claim_channels(engine=engine, now=NOW, lease=LEASE, worker="b", channels=10, per_channel=10)

    # Worker a holds C1's first two; b may not post C1's third before them: it gets C2 only.
    assert [row.key for row in mine] == first[:2]
    assert {row.channel_id for row in theirs} == {"C2"}
    after_lease = claim_channels(
        engine=engine,
        now=NOW + LEASE + timedelta(seconds=1),
        lease=LEASE,
        worker="b",
        channels=10,
        per_channel=10,
    )
    # Once a's lease lapsed, C1 is anyone's again, in order.
    assert [row.key for row in after_lease if row.channel_id == "C1"] == first


def test_a_channel_with_more_than_one_claims_worth_is_posted_in_one_pass(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    keys = _plan(engine, channel="C1", count=25)  # a claim takes 10 a channel
    client = WebClient(token=TOKEN, base_url=fake_slack.api_url)

    done = dispatch(engine=engine, clients=lambda _w: client, now=NOW, worker="w", pacer=Pacer(interval=0))

    assert len(done[Outcome.SENT]) == 25 and _posted(fake_slack, "C1") == keys


def test_channels_done_one_by_one_do_not_each_claim_again_while_posts_are_in_flight(
    engine: Engine, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(60):
        _plan(engine, channel=f"C{n:02d}", count=1)
    fake_slack.latency["chat.postMessage"] = 0.02
    client = WebClient(token=TOKEN, base_url=fake_slack.api_url)
    claims: list[int] = []

    def counted(**kwargs: object) -> list[Delivery]:
        batch = claim_channels(**kwargs)  # type: ignore[arg-type]
        claims.append(len(batch))
        return batch

    monkeypatch.setattr(dispatch_module, "claim_channels", counted)
    started = time.monotonic()
    done = dispatch(engine=engine, clients=lambda _w: client, now=NOW, worker="w", threads=4)
    seconds = time.monotonic() - started

    # 4 at a time: 15 rounds of channels done. Each could claim again; while posts are in flight, a claim
    # that found nothing is repeated no sooner than 0.25 s later (and once more as the pass ends).
    assert len(done[Outcome.SENT]) == 60
    assert claims[0] == 60 and sum(claims[1:]) == 0
    assert len(claims) - 1 <= seconds / 0.25 + 2 < 15


def test_a_refused_token_is_asked_once_for_the_whole_workspace(engine: Engine, fake_slack: FakeSlack) -> None:
    for channel in ("C1", "C2", "C3"):
        _plan(engine, channel=channel, count=1)
    fake_slack.revoke_token(TOKEN)
    client = WebClient(token=TOKEN, base_url=fake_slack.api_url)

    done = dispatch(engine=engine, clients=lambda _w: client, now=NOW, worker="w", threads=8)

    assert len(done[Outcome.HELD]) == 3 and len(fake_slack.calls_to("chat.postMessage")) == 1


@pytest.mark.parametrize(
    ("value", "interval"), [("", 1.0), ("0", 0.0), ("2.5", 2.5), ("-1", 1.0), ("soon", 1.0), ("11", 1.0)]
)
def test_the_pace_is_a_second_unless_set(
    monkeypatch: pytest.MonkeyPatch, value: str, interval: float
) -> None:
    monkeypatch.setenv("CHANNEL_PACE_SECONDS", value)
    assert Pacer().interval == interval
