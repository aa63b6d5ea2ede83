"""A throwaway PostgreSQL database filled with milestones, for the HTTP benchmarks (dropped afterwards)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import create_engine, insert, text

from storage.db import make_engine, upgrade
from storage.models import Milestone, WorkspaceCounter

# The server's admin URL, as the other benchmarks take it; scratch databases are made beside `postgres`.
ADMIN_URL = os.environ.get(
    "MILESTONE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
SERVER = ADMIN_URL.rsplit("/", 1)[0]
CREATED = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
# The channel the clients list: exactly LISTED milestones, all open, in the first workspace.
LISTED_TEAM, LISTED_CHANNEL, LISTED = "T0", "CLIST", 200


@contextmanager
def scratch_database() -> Iterator[str]:
    """The URL of a new empty database, dropped on the way out."""
    name = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{SERVER}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def fill(url: str, *, milestones: int, channels: int, teams: int = 10) -> None:
    """Migrate, then `milestones` rows over `channels` channels in `teams` workspaces (T0…), one transaction.

    LISTED_CHANNEL of LISTED_TEAM holds exactly LISTED open milestones; the rest spread evenly.
    """
    engine = make_engine(url)
    upgrade(engine)
    numbers = dict.fromkeys((f"T{t}" for t in range(teams)), 0)
    rows = [_row(LISTED_TEAM, LISTED_CHANNEL, n, numbers, status="open") for n in range(LISTED)]
    others = channels - 1
    for n in range(milestones - LISTED):
        channel = n % others
        team = f"T{channel % teams}"
        rows.append(_row(team, f"C{channel}", n, numbers, status="done" if n % 3 == 0 else "open"))
    with engine.begin() as connection:
        connection.execute(insert(Milestone), rows)
        counters = [dict(team_id=team, enterprise_id="", last_number=last) for team, last in numbers.items()]
        connection.execute(insert(WorkspaceCounter), counters)
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
    engine.dispose()


def _row(team: str, channel: str, n: int, numbers: dict[str, int], *, status: str) -> dict:
    numbers[team] += 1
    return dict(
        team_id=team,
        enterprise_id="",
        number=numbers[team],
        channel_id=channel,
        title=f"Milestone {n} of the plan: ship part {n % 97}",
        owner_id=f"U{n % 32 + 1}",
        department=("Marketing", "Engineering", "Sales")[n % 3],
        due_date=date(2026, 12, 1) + timedelta(days=n % 240),
        status=status,
        completed_on=date(2026, 11, 20) if status == "done" else None,
        created_by="U1",
        created_at=CREATED,
        updated_at=CREATED,
        due_changed_at=CREATED,
    )
