"""200 concurrent `/milestone add` on real `serve` processes: every one acked, stored, and numbered once."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.db import make_engine
from tests.support.bot_process import SIGNING_SECRET, BotProcess, bot_env, serving_process, upgrade
from tests.support.fake_slack import FakeSlack
from tests.support.slack_requests import SlackRequests

ADDS = 200
ACK_LIMIT_S = 3.0
USERS = ("U1", "U2", "U3", "U4")


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    """A fake Slack with a few people in several time zones."""
    with FakeSlack() as fake:
        for user, zone in zip(USERS, ("America/New_York", "Europe/Berlin", "Asia/Tokyo", "UTC"), strict=True):
            fake.add_user(user, tz=zone, name=user.lower())
        yield fake


def _add_all_at_once(servers: list[BotProcess], fake: FakeSlack) -> list[tuple[int, float]]:
    """Send ADDS add commands at once, round-robin over the servers; (HTTP status, ack seconds) of each."""
    clients = [SlackRequests(s.base_url, signing_secret=SIGNING_SECRET, fake=fake) for s in servers]
    start = threading.Barrier(ADDS)

    def add(n: int) -> tuple[int, float]:
        start.wait()
        began = time.monotonic()
        reply = clients[n % len(clients)].command(
            f"add Milestone {n} due 2027-0{n % 9 + 1}-15",
            user=USERS[n % len(USERS)],
            channel=f"C{n % 3 + 1}",
            response_key=f"add-{n}",
        )
        return reply.status, time.monotonic() - began

    with ThreadPoolExecutor(max_workers=ADDS) as pool:
        return list(pool.map(add, range(ADDS)))


@pytest.mark.slow
@pytest.mark.parametrize("empty_database_url", ["sqlite", "postgresql"], indirect=True)
def test_concurrent_adds_on_every_server_are_all_kept_and_numbered_once(
    empty_database_url: str, fake: FakeSlack, tmp_path: Path
) -> None:
    # Two instances share PostgreSQL; SQLite is a single-instance database, so it gets one.
    instances = 1 if empty_database_url.startswith("sqlite") else 2
    # Two workers each, whatever the machine: four processes race for numbers, and their connection pools
    # (15 each at most) stay well inside PostgreSQL's default 100 connections even on a many-core runner.
    env = bot_env(database_url=empty_database_url, fake=fake, WEB_CONCURRENCY="2")
    upgrade(env=env, cwd=tmp_path)
    with ExitStack() as stack:
        servers = [
            stack.enter_context(serving_process(env=env, cwd=tmp_path, name=f"serve-{n}"))
            for n in range(instances)
        ]
        acks = _add_all_at_once(servers, fake)
        answers = fake.wait_for("response_url", count=ADDS, timeout=60)
        for server in servers:
            assert server.process.poll() is None, server.output()
        errors = [line for server in servers for line in server.output().splitlines() if "Error:" in line]

    engine = make_engine(empty_database_url)
    try:
        with engine.connect() as connection:
            numbers = [row[0] for row in connection.execute(text("SELECT number FROM milestone"))]
    finally:
        engine.dispose()
    slowest = max(seconds for _, seconds in acks)
    duplicates = len(numbers) - len(set(numbers))
    print(
        f"\n{instances} serve(s) on {engine.dialect.name}: {ADDS} adds, {ADDS - len(set(numbers))} lost,"
        f" {duplicates} duplicates, max ack {slowest * 1000:.0f} ms"
    )
    assert [status for status, _ in acks] == [200] * ADDS
    assert slowest < ACK_LIMIT_S
    # The servers' errors say why an add was lost (e.g. PostgreSQL refusing connections past max_connections).
    assert sorted(numbers) == list(range(1, ADDS + 1)), "\n".join(errors[:10])
    assert len({answer.params["_key"] for answer in answers}) == ADDS
    assert all("Added *#" in answer.params.get("text", "") for answer in answers)
