"""`serve` runs the scheduler as one APScheduler job: every 30 s, never two at once, missed runs coalesced."""

from __future__ import annotations

from sqlalchemy import Engine

from bot.outbox.tick import TICK_SECONDS, start_scheduler
from bot.slack.clients import single_workspace_clients
from tests.support.app import BOT_TOKEN, FrozenClock
from tests.support.fake_slack import FakeSlack


def test_scheduler_runs_one_coalescing_job(engine: Engine, fake_slack: FakeSlack, clock: FrozenClock) -> None:
    clients = single_workspace_clients(token=BOT_TOKEN, base_url=fake_slack.api_url)
    scheduler = start_scheduler(engine=engine, clients=clients, default_timezone="UTC", clock=clock)
    try:
        [job] = scheduler.get_jobs()
        assert (job.id, job.coalesce, job.max_instances) == ("tick", True, 1)
        assert job.trigger.interval.total_seconds() == TICK_SECONDS
    finally:
        scheduler.shutdown(wait=True)
