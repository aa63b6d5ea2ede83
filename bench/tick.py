"""The scheduler's tick at scale: an idle pass over 1,000,000 milestones, and 10,000 reminders due at once.

Run: python bench/run.py --only tick (or python bench/tick.py [--quick]). For SQLite (a file) and for
PostgreSQL (a fresh database, dropped afterwards) it bulk-fills N milestones over 1,000 channels in 10
workspaces — a third done and due in the past, the rest open and due months ahead — with one sent reminder in
the outbox for every 10 milestones. Then:

- idle: a whole tick with nothing due (run_tick: a planning pass, then dispatch's empty claim), median of 7,
  with the EXPLAIN of every statement it runs: none may scan the milestone or delivery table;
- due: 10,000 more milestones fall due tomorrow in the 1,000 channels (a tenth of them send reminders to the
  owner as well): the pass that plans them all, median of 3 (its rows are deleted between runs).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlmodel import SQLModel

from bot.outbox.planner import plan
from bot.outbox.tick import run_tick
from storage.db import make_engine, upgrade

POSTGRES_ADMIN_URL = os.environ.get(
    "MILESTONE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
# A Thursday afternoon: Monday's reviews are past their catch-up, Tuesday's chases too; nothing is due.
NOW = datetime(2026, 12, 10, 14, 0, tzinfo=UTC)
CREATED = NOW - timedelta(days=30)
CHANNELS = 1_000
WORKSPACES = 10
LIMITS = {"idle_pass_ms": 50.0, "due_pass_s": 2.0}
# Tables read whole by design: one small settings row per channel in use.
WHOLE_READS_ALLOWED = {"channel_settings"}
WORKER = "bench:tick"

MILESTONE_COLUMNS = [
    "enterprise_id",
    "team_id",
    "number",
    "channel_id",
    "title",
    "owner_id",
    "status",
    "due_date",
    "created_by",
    "created_at",
    "updated_at",
    "due_changed_at",
]
DELIVERY_COLUMNS = [
    "key",
    "kind",
    "enterprise_id",
    "team_id",
    "channel_id",
    "milestone_id",
    "due_date",
    "payload",
    "not_before",
    "state",
    "attempts",
    "message_ts",
    "created_at",
    "updated_at",
]


def channel_of(n: int) -> tuple[str, str]:
    """(team, channel) of the n-th milestone: channel n mod 1,000, in workspace channel mod 10."""
    c = n % CHANNELS
    return f"T{c % WORKSPACES}", f"C{c:04d}"


def idle_milestones(size: int) -> Iterator[tuple[Any, ...]]:
    """A third done (due in the past), the rest open and due two months ahead or later: none in reach."""
    for n in range(1, size + 1):
        team, channel = channel_of(n)
        done = n % 3 == 0
        due = date(2026, 1, 5) + timedelta(days=n % 300) if done else date(2027, 2, 1) + timedelta(n % 365)
        yield (
            "", team, n, channel, f"Milestone {n}", f"U{n % 50}", "done" if done else "open", due, "U1",
            CREATED, CREATED, CREATED,
        )  # fmt: skip


def due_milestones(first: int, count: int) -> Iterator[tuple[Any, ...]]:
    """`count` open milestones due tomorrow, spread over every channel."""
    for n in range(first, first + count):
        team, channel = channel_of(n)
        yield (
            "", team, n, channel, f"Launch step {n}", f"U{n % 50}", "open", NOW.date() + timedelta(days=1),
            "U1", CREATED, CREATED, CREATED,
        )  # fmt: skip


def sent_history(size: int) -> Iterator[tuple[Any, ...]]:
    """One sent reminder for every tenth milestone: the outbox a running bot has behind it."""
    for n in range(10, size + 1, 10):
        team, channel = channel_of(n)
        sent = CREATED - timedelta(days=n % 200)
        yield (
            f"reminder:{n}:old:7", "reminder", "", team, channel, n, sent.date(), "{}", sent, "sent", 1,
            f"{n}.000100", sent, sent,
        )  # fmt: skip


def channel_rows() -> list[dict[str, Any]]:
    """Every channel: UTC, reminders 7, 1 and 0 days ahead at 09:00, a tenth of them to the owner too."""
    return [
        {
            "enterprise_id": "",
            "team_id": f"T{c % WORKSPACES}",
            "channel_id": f"C{c:04d}",
            "timezone": "UTC",
            "reminder_days": "7,1,0",
            "reminder_time": "09:00",
            "review_weekday": 0,
            "review_time": "09:00",
            "paused": False,
            "workdays": "mon,tue,wed,thu,fri",
            "review_dm": True,
            "chase": True,
            "reminders_to": "both" if c % 10 == 0 else "channel",
            "overdue_nudge": True,
            "started_on": date(2026, 1, 5),
            "created_at": CREATED,
            "updated_at": CREATED,
        }
        for c in range(CHANNELS)
    ]


def _sqlite_value(value: Any) -> Any:
    # The text SQLAlchemy's SQLite DateTime and Date types write and read back.
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _sqlite_rows(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """Rows with their dates and datetimes as SQLite's text, each distinct one converted once."""
    texts: dict[Any, Any] = {}
    for row in rows:
        converted = []
        for value in row:
            if isinstance(value, date):
                if value not in texts:
                    texts[value] = _sqlite_value(value)
                value = texts[value]
            converted.append(value)
        yield tuple(converted)


def secondary_indexes(cursor: Any, dialect: str, table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of a table's plain indexes: those not backing a key or unique constraint."""
    if dialect == "postgresql":
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", (table,))
    else:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", (table,))
    return [(name, sql) for name, sql in cursor.fetchall() if sql and not sql.startswith("CREATE UNIQUE")]


def bulk_insert(engine: Engine, table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """Rows in one transaction: COPY on PostgreSQL, executemany on SQLite; plain indexes built afterwards."""
    names = ", ".join(columns)
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        # Building an index over loaded rows is far quicker than keeping it up to date row by row.
        indexes = secondary_indexes(cursor, engine.dialect.name, table)
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        if engine.dialect.name == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            # A page cache big enough for the indexes being built: otherwise each insert rereads their pages.
            cursor.execute("PRAGMA cache_size = -262144")
            marks = ", ".join("?" for _ in columns)
            values = _sqlite_rows(rows)
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)
        for _, create in indexes:
            cursor.execute(create)
        connection.commit()
    finally:
        connection.close()


def fill(engine: Engine, size: int) -> float:
    """The channels, `size` idle milestones and their sent history; seconds taken."""
    from sqlalchemy import insert

    from storage.models import ChannelSettings

    started = time.perf_counter()
    with engine.begin() as connection:
        connection.execute(insert(ChannelSettings), channel_rows())
    bulk_insert(engine, "milestone", MILESTONE_COLUMNS, idle_milestones(size))
    bulk_insert(engine, "delivery", DELIVERY_COLUMNS, sent_history(size))
    analyze(engine)
    return time.perf_counter() - started


def analyze(engine: Engine) -> None:
    """Fresh planner statistics, as autovacuum (PostgreSQL) or a periodic ANALYZE (SQLite) keeps them."""
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))


def tick_work(engine: Engine) -> None:
    """One whole tick (run_tick): the planning pass, then dispatch, whose claim finds nothing to post."""
    run_tick(engine=engine, clients=_no_slack, now=NOW, default_timezone="UTC")


def _no_slack(workspace: object) -> Any:
    raise AssertionError(f"an idle tick asked for a Slack client ({workspace}): something was due")


def median_ms(
    work: Callable[[], object], *, runs: int, between: Callable[[], object] | None = None
) -> tuple[float, float]:
    """Median milliseconds of `work`, wall clock and this process's CPU, `between` run (untimed) before each.

    The CPU time says what the work costs when the machine is shared (its wall time then includes waiting
    for a core); PostgreSQL's own work is in its server processes and only in the wall time.
    """
    walls, cpus = [], []
    for _ in range(runs):
        if between is not None:
            between()
        started, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return round(statistics.median(walls), 1), round(statistics.median(cpus), 1)


@contextmanager
def recorded(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """Every statement (with its parameters) the engine runs inside the block."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: object, _cursor: object, statement: str, parameters: Any, *_: object) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def explain(engine: Engine, statement: str, parameters: Any) -> list[str]:
    """The query plan of one statement, as lines: EXPLAIN QUERY PLAN (SQLite) or EXPLAIN (PostgreSQL)."""
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        if engine.dialect.name == "postgresql":
            cursor.execute("EXPLAIN " + statement, parameters or None)
            lines = [row[0] for row in cursor.fetchall()]
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters or ())
            lines = [row[3] for row in cursor.fetchall()]
        connection.rollback()
        return lines
    finally:
        connection.close()


def whole_reads(lines: list[str]) -> list[str]:
    """The tables a plan reads whole (SQLite `SCAN t`, PostgreSQL `Seq Scan on t`)."""
    tables = []
    for line in lines:
        words = line.strip().lstrip("->").split()
        # A SCAN of a subquery's rows (anon_1, (subquery-1)) or of the constant row reads no table.
        if words[0] == "SCAN" and words[1] in SQLModel.metadata.tables:
            tables.append(words[1])
        elif "Seq Scan on" in line:
            tables.append(line.split("Seq Scan on", 1)[1].split()[0])
    return tables


def query_plans(engine: Engine) -> list[dict[str, Any]]:
    """Each statement of one idle tick, shortened, with its plan and the tables it reads whole."""
    with recorded(engine) as seen:
        tick_work(engine)
    plans = []
    for statement, parameters in seen:
        if not statement.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE")):
            continue
        lines = explain(engine, statement, parameters)
        short = " ".join(statement.split())
        plans.append(
            {
                "sql": short if len(short) <= 300 else short[:297] + "...",
                "plan": lines,
                "whole_reads": whole_reads(lines),
            }
        )
    return plans


def forget_planned(engine: Engine) -> None:
    """Delete what the last pass planned, so the next pass plans the same reminders again."""
    with engine.begin() as connection:
        connection.execute(
            text("DELETE FROM delivery WHERE created_at >= :since"),
            {"since": NOW if engine.dialect.name == "postgresql" else _sqlite_value(NOW)},
        )


def measure(engine: Engine, *, size: int, due: int, due_runs: int) -> dict[str, Any]:
    """Fill, time the idle tick and the due pass, and explain the idle tick's statements."""
    fill_s = fill(engine, size)
    tick_work(engine)  # warm: caches, connections, and anything the fill left to plan
    idle_ms, idle_cpu_ms = median_ms(lambda: tick_work(engine), runs=7)
    plan_ms, _ = median_ms(lambda: plan(engine, now=NOW, default_timezone="UTC"), runs=7)
    plans = query_plans(engine)
    bulk_insert(engine, "milestone", MILESTONE_COLUMNS, due_milestones(size + 1, due))
    analyze(engine)
    due_ms, due_cpu_ms = median_ms(
        lambda: plan(engine, now=NOW, default_timezone="UTC"),
        runs=due_runs,
        between=lambda: forget_planned(engine),
    )
    with engine.connect() as connection:
        planned = connection.execute(
            text("SELECT count(*) FROM delivery WHERE state = 'pending'")
        ).scalar_one()
    scans = sorted({t for p in plans for t in p["whole_reads"] if t not in WHOLE_READS_ALLOWED})
    return {
        "fill_s": round(fill_s, 1),
        "idle_tick_ms": idle_ms,
        "idle_tick_cpu_ms": idle_cpu_ms,
        "idle_plan_ms": plan_ms,
        "due_pass_s": round(due_ms / 1000, 2),
        "due_pass_cpu_s": round(due_cpu_ms / 1000, 2),
        "due_reminders_planned": planned,
        "whole_reads_disallowed": scans,
        "statements": len(plans),
        "query_plans": plans,
    }


@contextmanager
def sqlite_engine() -> Iterator[Engine]:
    """A migrated SQLite file in a temporary folder."""
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/tick.db")
        upgrade(engine)
        try:
            yield engine
        finally:
            engine.dispose()


@contextmanager
def postgres_engine() -> Iterator[Engine]:
    """A migrated, fresh PostgreSQL database, dropped afterwards."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"milestone_bench_tick_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run(*, quick: bool) -> dict[str, Any]:
    """Both backends: figures, the query plans of an idle tick, and the targets."""
    size, due, due_runs = (10_000, 1_000, 1) if quick else (1_000_000, 10_000, 3)
    figures: dict[str, Any] = {"milestones": size, "channels": CHANNELS, "due_reminders": due}
    targets = {}
    for backend, engine_of in (("sqlite", sqlite_engine), ("postgresql", postgres_engine)):
        with engine_of() as engine:
            result = measure(engine, size=size, due=due, due_runs=due_runs)
        figures[backend] = result
        targets[f"{backend} idle tick (ms)"] = _target(result["idle_tick_ms"], LIMITS["idle_pass_ms"])
        targets[f"{backend} {due:,} reminders planned (s)"] = _target(
            result["due_pass_s"], LIMITS["due_pass_s"]
        )
        targets[f"{backend} whole reads of milestone or delivery"] = _target(
            len(result["whole_reads_disallowed"]), 0
        )
    figures["targets"] = targets
    figures["notes"] = [
        f"{size:,} milestones over {CHANNELS:,} channels; idle = run_tick with nothing due, median of 7",
        f"due = the pass planning {due:,} reminders due tomorrow (a tenth also by DM), median of {due_runs}",
        "whole reads allowed: channel_settings (one row per channel in use)",
    ]
    return figures


def _target(value: float, limit: float) -> dict[str, Any]:
    return {"value": value, "limit": limit, "met": value <= limit}


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick="--quick" in sys.argv[1:]), indent=2, default=str))
