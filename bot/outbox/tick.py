"""One scheduler pass: plan what is due, then dispatch it; run by `tick` (cron) or every 30 s in `serve`."""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine

from bot.config import DEFAULT_DELIVERY_LEASE
from bot.core.clock import Clock, wall_clock
from bot.outbox.dispatch import dispatch
from bot.outbox.outcomes import Dispatched, Outcome
from bot.outbox.planner import Plan, plan
from bot.slack.clients import ClientFor

logger = logging.getLogger(__name__)

TICK_SECONDS = 30
# Each scheduler's "stopping" event: once set, its pass under way posts no more and gives back its claims.
_STOPPING: weakref.WeakKeyDictionary[BackgroundScheduler, threading.Event] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Tick:
    """What one pass planned and posted."""

    planned: Plan
    dispatched: Dispatched

    def summary(self) -> str:
        """Lines for people: one per message posted, then the counts."""
        d = self.dispatched
        lines = [f"posted {key}" for key in d[Outcome.SENT] + d[Outcome.RECOVERED]]
        n = d.counts()
        lines.append(
            f"{n[Outcome.SENT]} posted, {n[Outcome.RECOVERED]} recovered, {n[Outcome.RETRYING]} retrying, "
            f"{n[Outcome.HELD]} held, {n[Outcome.FAILED]} failed, {n[Outcome.SKIPPED]} skipped, "
            f"{n[Outcome.DEDUPLICATED] + n[Outcome.HANDED_OVER]} left to another claim"
        )
        return "\n".join(lines)


def worker_name() -> str:
    """Who holds a claim: host, process and pass, so two passes never mistake each other's claims."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def run_tick(
    *,
    engine: Engine,
    clients: ClientFor,
    now: datetime,
    default_timezone: str,
    lease: timedelta = DEFAULT_DELIVERY_LEASE,
    stopping: threading.Event | None = None,
) -> Tick:
    """Plan everything due at `now`, then post it (until `stopping` is set, if given)."""
    planned = plan(engine, now=now, default_timezone=default_timezone)
    dispatched = dispatch(
        engine=engine, clients=clients, now=now, worker=worker_name(), lease=lease, stopping=stopping
    )
    return Tick(planned=planned, dispatched=dispatched)


def start_scheduler(
    *,
    engine: Engine,
    clients: ClientFor,
    default_timezone: str,
    lease: timedelta = DEFAULT_DELIVERY_LEASE,
    clock: Clock = wall_clock,
) -> BackgroundScheduler:
    """Run `run_tick` every 30 s in the background: one job, never two at once, missed runs coalesced."""
    stopping = threading.Event()

    def job() -> None:
        try:
            run_tick(
                engine=engine,
                clients=clients,
                now=clock(),
                default_timezone=default_timezone,
                lease=lease,
                stopping=stopping,
            )
        except Exception:  # one bad pass must not stop the next; the outbox keeps what is owed
            logger.exception("scheduler pass failed")

    scheduler = BackgroundScheduler(timezone="UTC")
    _STOPPING[scheduler] = stopping
    scheduler.add_job(
        job,
        IntervalTrigger(seconds=TICK_SECONDS),
        id="tick",
        name="milestone-bot tick: plan and post what is due",
        coalesce=True,
        max_instances=1,
        next_run_time=clock(),
    )
    scheduler.start()
    return scheduler


def stop_scheduler(scheduler: BackgroundScheduler, *, timeout: float) -> bool:
    """Start no new pass, wait up to `timeout` s for the running one; True when none is left running."""
    _STOPPING.get(scheduler, threading.Event()).set()
    # shutdown(wait=True) has no timeout of its own: it waits in a thread we stop waiting for.
    stopper = threading.Thread(target=scheduler.shutdown, name="scheduler-stop", daemon=True)
    stopper.start()
    stopper.join(max(timeout, 0.0))
    return not stopper.is_alive()
