"""How long one planning pass takes as the number of milestones grows while what is due stays the same.

Run: python bench/run.py --only plan_cost (or python bench/plan_cost.py [--quick] [--postgres URL]). Each size
gets a fresh database with N milestones, of which 20 fall due around `now` and the rest are far in the future
or done; the pass is timed after a first pass has planned the due ones, which is what every 30-second tick
looks like. The target: a hundredfold more milestones (fivefold with --quick) leaves the pass within 2×.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import Engine

from bot.outbox.planner import plan
from storage.db import make_engine, upgrade
from storage.models import ChannelSettings, Milestone

NOW = datetime(2026, 12, 8, 14, 0, tzinfo=UTC)
DUE_NOW = 20
SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 5_000)
# The pass at the largest size against the smallest: flat means the cost follows what is due.
FLAT_LIMIT = 2.0
POSTGRES_ADMIN_URL = os.environ.get(
    "MILESTONE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def fill(engine: Engine, size: int) -> None:
    """N milestones in 100 channels: DUE_NOW due in a week, the rest due months ahead or done."""
    created = NOW - timedelta(days=30)
    channels = [
        dict(
            team_id="T1",
            enterprise_id="",
            channel_id=f"C{c}",
            timezone="America/New_York",
            reminder_days="7,1,0",
            reminder_time="09:00",
            review_weekday=0,
            review_time="09:00",
            paused=False,
            created_at=created,
            updated_at=created,
        )
        for c in range(100)
    ]
    rows = []
    for n in range(1, size + 1):
        due_soon = n <= DUE_NOW
        rows.append(
            dict(
                team_id="T1",
                enterprise_id="",
                number=n,
                channel_id=f"C{n % 100}",
                title=f"Milestone {n}",
                due_date=date(2026, 12, 15) if due_soon else date(2027, 3, 1) + timedelta(days=n % 300),
                status="open" if due_soon or n % 3 else "done",
                created_by="U1",
                created_at=created,
                updated_at=created,
                due_changed_at=created,
            )
        )
    with engine.begin() as connection:
        connection.execute(insert(ChannelSettings), channels)
        for start in range(0, len(rows), 5_000):
            connection.execute(insert(Milestone), rows[start : start + 5_000])


def time_pass(engine: Engine, runs: int = 7) -> float:
    """Median seconds of a steady-state planning pass (after the first one planned what is due)."""
    # Tuesday 09:00 New York: reminders due, this week's check-ins (Monday) already planned by the first pass.
    plan(engine, now=NOW, default_timezone="UTC")
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        plan(engine, now=NOW, default_timezone="UTC")
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def sqlite_engine(directory: str, size: int) -> Engine:
    engine = make_engine(f"sqlite:///{directory}/bench-{size}.db")
    upgrade(engine)
    return engine


def postgres_engine(admin_url: str) -> tuple[Engine, str]:
    name = f"milestone_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(admin_url.rsplit("/", 1)[0] + f"/{name}")
    upgrade(engine)
    return engine, name


def sqlite_pass_ms(sizes: tuple[int, ...]) -> dict[str, float]:
    """Median pass (ms) on SQLite for each size."""
    timings = {}
    with tempfile.TemporaryDirectory() as directory:
        for size in sizes:
            engine = sqlite_engine(directory, size)
            fill(engine, size)
            timings[str(size)] = round(time_pass(engine) * 1000, 1)
            engine.dispose()
    return timings


def postgres_pass_ms(sizes: tuple[int, ...], admin_url: str) -> dict[str, float]:
    """Median pass (ms) on PostgreSQL for each size, each in a fresh database dropped afterwards."""
    timings = {}
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    for size in sizes:
        engine, name = postgres_engine(admin_url)
        try:
            fill(engine, size)
            with engine.begin() as connection:
                connection.execute(text("ANALYZE"))
            timings[str(size)] = round(time_pass(engine) * 1000, 1)
        finally:
            engine.dispose()
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
    return timings


def run(*, quick: bool, admin_url: str = POSTGRES_ADMIN_URL) -> dict[str, Any]:
    """The steady-state pass (ms) per size on both backends, and how flat it stays as milestones grow."""
    sizes = QUICK_SIZES if quick else SIZES
    passes = {"sqlite": sqlite_pass_ms(sizes), "postgresql": postgres_pass_ms(sizes, admin_url)}
    targets = {}
    for backend, timings in passes.items():
        ratio = round(timings[str(sizes[-1])] / timings[str(sizes[0])], 2)
        targets[f"{backend} pass at {sizes[-1]:,} / at {sizes[0]:,} milestones"] = {
            "value": ratio,
            "limit": FLAT_LIMIT,
            "met": ratio <= FLAT_LIMIT,
        }
    return {
        "pass_ms": passes,
        "due_now": DUE_NOW,
        "targets": targets,
        "notes": [
            f"{DUE_NOW} milestones due, the rest months ahead or done; median of 7 steady-state passes"
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default=POSTGRES_ADMIN_URL)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    figures = run(quick=args.quick, admin_url=args.postgres)
    print(f"{'backend':<10} {'milestones':>10} {'pass (ms)':>10}")
    for backend, timings in figures["pass_ms"].items():
        for size, ms in timings.items():
            print(f"{backend:<10} {int(size):>10} {ms:>10.1f}")


if __name__ == "__main__":
    main()
