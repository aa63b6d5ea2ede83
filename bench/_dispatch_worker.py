"""The dispatch benchmark's database and its dispatching loop (run in its own process, once or thrice)."""

from __future__ import annotations

import functools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from _bench_db import scratch_database
from sqlalchemy import Engine, func, insert, select, text
from sqlmodel import Session, col

from bot.outbox.dispatch import dispatch
from bot.outbox.pacing import Pacer
from bot.outbox.tick import worker_name
from bot.slack.kept_alive import KeptAliveWebClient
from storage.db import make_engine, upgrade
from storage.models import Delivery, DeliveryKind, DeliveryState
from storage.workspace import Workspace

OPEN = (DeliveryState.PENDING, DeliveryState.CLAIMED)


@contextmanager
def fresh_database() -> Iterator[str]:
    """A new migrated PostgreSQL database of our own, dropped afterwards; yields its URL."""
    with scratch_database() as url:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url


def channel_ids(*, channels: int, workspaces: int) -> list[tuple[str, str]]:
    """(team, channel) of each channel, spread evenly over the workspaces."""
    return [(f"T{i % workspaces:03d}", f"C{i:06d}") for i in range(channels)]


def fill(engine: Engine, *, deliveries: int, channels: int, workspaces: int, now: datetime) -> None:
    """Replace the outbox with `deliveries` due now, round-robin over the channels."""
    places = channel_ids(channels=channels, workspaces=workspaces)
    rows = []
    for i in range(deliveries):
        team, channel = places[i % channels]
        key = f"bench:{channel}:{i // channels:05d}"
        rows.append(
            {
                "key": key,
                "kind": DeliveryKind.CHECKIN,
                "enterprise_id": "",
                "team_id": team,
                "channel_id": channel,
                "payload": json.dumps({"text": f"Benchmark message {key}"}),
                "not_before": now - timedelta(minutes=1),
                "state": DeliveryState.PENDING,
                "attempts": 0,
                "created_at": now,
                "updated_at": now,
            }
        )
    with Session(engine) as session:
        session.execute(text("TRUNCATE delivery RESTART IDENTITY CASCADE"))
        for start in range(0, len(rows), 2000):
            session.execute(insert(Delivery), rows[start : start + 2000])
        session.commit()
        session.execute(text("ANALYZE delivery"))


def states(engine: Engine) -> dict[str, int]:
    """How many deliveries stand in each state."""
    with Session(engine) as session:
        counted = session.execute(select(Delivery.state, func.count()).group_by(col(Delivery.state)))
        return {str(state): int(n) for state, n in counted}


def open_count(engine: Engine) -> int:
    """Deliveries still pending or claimed."""
    with Session(engine) as session:
        query = select(func.count()).where(col(Delivery.state).in_(OPEN))
        return int(session.execute(query).scalar_one())


def work(url: str, api_url: str, seconds: float, ready: Any, go: Any, cpu: Any, paced: bool = True) -> None:
    """Dispatch until the outbox is empty or `seconds` have passed (a pass under way then gives back); put
    the CPU seconds the dispatching took on `cpu`.

    Not `paced`: the bot's own one-a-second pace per channel is off, to time the claim → post → mark cycle.
    """
    engine = make_engine(url)
    open_count(engine)  # connected: the time measured is dispatching's alone
    ready.wait()
    go.wait()
    started = time.process_time()

    @functools.cache
    def client_for(workspace: Workspace) -> KeptAliveWebClient:
        # As the scheduler's clients (bot/slack/clients.py): calls reuse kept-alive connections.
        return KeptAliveWebClient(token=f"xoxb-bench-{workspace.team_id}", base_url=api_url)

    stopping = threading.Event()
    timer = threading.Timer(seconds, stopping.set)
    timer.daemon = True
    timer.start()
    while not stopping.is_set() and open_count(engine) > 0:
        report = dispatch(
            engine=engine,
            clients=client_for,
            now=datetime.now(UTC),
            worker=worker_name(),
            stopping=stopping,
            **({} if paced else {"pacer": Pacer(interval=0.0)}),
        )
        if not any(report.counts().values()):
            time.sleep(0.02)  # all held by a rate limit or claimed by another process: look again soon
    timer.cancel()
    cpu.put(time.process_time() - started)
    engine.dispose()
