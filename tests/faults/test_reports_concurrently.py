"""Many `/milestone report all` at once on one real `serve`: every report answered, and the process lives."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.core import milestones
from bot.core.command_types import MilestoneFields, Status
from bot.core.imports import ImportRow
from bot.core.money import Money
from storage.db import make_engine
from tests.support.bot_process import SIGNING_SECRET, BotProcess, bot_env, serving_process, upgrade
from tests.support.factories import make_asker
from tests.support.fake_slack import Call, FakeSlack
from tests.support.slack_requests import SlackRequests

MILESTONES = 60
REPORTS = 20
ACK_LIMIT_S = 3.0
USERS = ("U1", "U2", "U3", "U4")
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
STATUSES: tuple[Status, ...] = ("open", "on_track", "at_risk", "blocked", "done", "cancelled")


def _plan() -> list[ImportRow]:
    """A plan in every state over four departments, some late, some early, some with emoji titles."""
    rows = []
    for n in range(1, MILESTONES + 1):
        planned = date(2026, 12, 1) + timedelta(days=n * 5 - 150)
        status = STATUSES[n % len(STATUSES)]
        fields = MilestoneFields(
            title=f"Milestone {n} 🚀" if n % 7 == 0 else f"Milestone {n} of the plan",
            start=planned - timedelta(days=n % 30 + 5) if n % 2 else None,
            due=planned + timedelta(days=n % 17 - 8),
            owner_id=USERS[n % len(USERS)],
            department=("Marketing", "Sales", "Engineering", None)[n % 4],
            budget=Money(minor=n * 100_000, currency="USD"),
        )
        done = status == "done"
        rows.append(
            ImportRow(
                line=n + 1,
                fields=fields,
                status=status,
                planned_due=planned,
                completed_on=planned + timedelta(days=n % 11 - 5) if done else None,
                actual_cost=Money(minor=n * 110_000, currency="USD") if done else None,
            )
        )
    return rows


def _seed(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        milestones.import_milestones(
            engine=engine,
            asker=make_asker(now=NOW, timezone="America/New_York"),
            channel_id="C1",
            rows=_plan(),
        )
    finally:
        engine.dispose()


def _wait_while_alive(fake: FakeSlack, server: BotProcess, method: str) -> list[Call]:
    """REPORTS calls to `method`; fails at once, with the server's output, if the server dies first."""
    deadline = time.monotonic() + 60
    while len(fake.calls_to(method)) < REPORTS:
        assert server.process.poll() is None, f"serve died ({server.process.returncode}): {server.output()}"
        assert time.monotonic() < deadline, f"{len(fake.calls_to(method))} of {REPORTS} {method} in 60 s"
        time.sleep(0.1)
    return fake.calls_to(method)


@pytest.mark.slow
def test_concurrent_reports_are_all_answered_and_the_server_survives(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'milestones.db'}"
    with FakeSlack() as fake:
        for user in USERS:
            fake.add_user(user, tz="America/New_York", name=user.lower())
        env = bot_env(database_url=database_url, fake=fake)
        upgrade(env=env, cwd=tmp_path)
        _seed(database_url)
        with serving_process(env=env, cwd=tmp_path) as server:
            client = SlackRequests(server.base_url, signing_secret=SIGNING_SECRET, fake=fake)
            start = threading.Barrier(REPORTS)

            def report(n: int) -> tuple[int, float]:
                start.wait()
                began = time.monotonic()
                reply = client.command("report all", user=USERS[n % len(USERS)], response_key=f"report-{n}")
                return reply.status, time.monotonic() - began

            with ThreadPoolExecutor(max_workers=REPORTS) as pool:
                acks = list(pool.map(report, range(REPORTS)))
            answers = _wait_while_alive(fake, server, "response_url")
            charts = _wait_while_alive(fake, server, "files.completeUploadExternal")
            alive = server.process.poll() is None
        output = server.output()
        pngs = list(fake.uploads.values())

    slowest = max(seconds for _, seconds in acks)
    print(
        f"\n{REPORTS} concurrent reports of {MILESTONES} milestones: {len(answers)} answered,"
        f" {len(charts)} charts uploaded, server alive: {alive}, max ack {slowest * 1000:.0f} ms"
    )
    assert alive, output
    assert [status for status, _ in acks] == [200] * REPORTS
    assert slowest < ACK_LIMIT_S
    assert len({answer.params["_key"] for answer in answers}) == REPORTS
    assert len(pngs) >= REPORTS and all(png.startswith(b"\x89PNG\r\n\x1a\n") for png in pngs)
    assert "invalid outline" not in output
    assert "Traceback" not in output
