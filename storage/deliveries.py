"""The delivery outbox's rows: plan each once per key, hold or skip those waiting, list those that gave up.

Claiming a due delivery and recording what became of it is storage/claims.py.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine, Integer, String, all_, and_, not_, or_, select, update
from sqlalchemy.dialects import sqlite
from sqlmodel import Session, col

from storage.arrays import array_of, one_of
from storage.models import CheckIn, Delivery, DeliveryKind, DeliveryState, Milestone
from storage.workspace import Workspace

# The part of a reminder's key that says someone snoozed it: `reminder:{milestone}:{due}:snooze:{day}`.
SNOOZE_PART = "snooze"
# Rows (or keys) per statement when planning in bulk: within SQLite's bound-parameter limit, and a round trip
# for hundreds of rows instead of one each.
CHUNK = 500


def existing_keys(*, session: Session, keys: Iterable[str]) -> set[str]:
    """Which of these delivery keys are already planned.

    Index: uq_delivery_key.
    """
    wanted = list(keys)
    found: set[str] = set()
    if wanted and session.get_bind().dialect.name == "postgresql":
        # One array parameter, however many keys: no statement of thousands of placeholders to build.
        of_these = one_of(col(Delivery.key), wanted, dialect="postgresql", element_type=String())
        return set(session.execute(select(Delivery.key).where(of_these)).scalars())
    # In slices: a pass may ask about tens of thousands of keys, more than SQLite binds in one statement.
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        found.update(session.execute(select(Delivery.key).where(col(Delivery.key).in_(chunk))).scalars())
    return found


def delivery_by_key(*, session: Session, key: str) -> Delivery | None:
    """The delivery planned under this key, whatever became of it.

    Index: uq_delivery_key.
    """
    return session.execute(select(Delivery).where(col(Delivery.key) == key)).scalars().first()


def plan_delivery(
    *,
    session: Session,
    key: str,
    kind: DeliveryKind,
    workspace: Workspace,
    channel_id: str,
    payload: dict,
    not_before: datetime,
    now: datetime,
    milestone_id: int | None = None,
    due_date: date | None = None,
    checkin_id: int | None = None,
) -> bool:
    """Insert the delivery unless its key exists, whoever planned it; True when this call inserted it.

    Index: uq_delivery_key (the conflict target).
    """
    values = delivery_row(
        key=key,
        kind=kind,
        workspace=workspace,
        channel_id=channel_id,
        payload=payload,
        not_before=not_before,
        now=now,
        milestone_id=milestone_id,
        due_date=due_date,
        checkin_id=checkin_id,
    )
    return bool(plan_deliveries(session=session, rows=[values]))


def delivery_row(
    *,
    key: str,
    kind: DeliveryKind,
    workspace: Workspace,
    channel_id: str,
    payload: dict,
    not_before: datetime,
    now: datetime,
    milestone_id: int | None = None,
    due_date: date | None = None,
    checkin_id: int | None = None,
) -> dict[str, Any]:
    """The column values of a pending delivery, for plan_deliveries."""
    return {
        "key": key,
        "kind": kind,
        "enterprise_id": workspace.enterprise_id,
        "team_id": workspace.team_id,
        "channel_id": channel_id,
        "milestone_id": milestone_id,
        "due_date": due_date,
        "checkin_id": checkin_id,
        "payload": json.dumps(payload),
        "not_before": not_before,
        "state": DeliveryState.PENDING,
        "attempts": 0,
        "created_at": now,
        "updated_at": now,
    }


def plan_deliveries(*, session: Session, rows: list[dict[str, Any]]) -> set[str]:
    """Insert each delivery (a delivery_row) unless its key exists, whoever planned it; the keys inserted.

    Hundreds of rows a statement, each skipped on conflict: exactly one planner inserts each key.
    Index: uq_delivery_key (the conflict target).
    """
    if not rows:
        return set()
    if session.get_bind().dialect.name == "postgresql":
        return _plan_deliveries_postgresql(session, rows)
    table = Delivery.__table__
    statement = (
        sqlite.insert(table)
        .on_conflict_do_nothing(index_elements=["key"])
        # RETURNING, not rowcount: it names what this call inserted.
        .returning(table.c.key)
    )
    # Many rows and RETURNING: SQLAlchemy sends them as multi-row INSERTs ("insertmanyvalues"), a page a time.
    return set(session.connection().execute(statement, rows).scalars())


# PostgreSQL takes each column as one array and unnests them into rows: one parameter per column, where a
# multi-row VALUES has one per value and psycopg spends longer parsing its placeholders than the server
# spends inserting.
_PG_PAGE = 5_000  # rows a statement
_ARRAY_TYPES = {
    "key": "varchar",
    "kind": "varchar",
    "enterprise_id": "varchar",
    "team_id": "varchar",
    "channel_id": "varchar",
    "milestone_id": "integer",
    "due_date": "date",
    "checkin_id": "integer",
    "payload": "varchar",
    "not_before": "timestamptz",
    "state": "varchar",
    "attempts": "integer",
    "created_at": "timestamptz",
    "updated_at": "timestamptz",
}
_UNNEST_INSERT = (
    f"INSERT INTO delivery ({', '.join(_ARRAY_TYPES)}) "
    f"SELECT * FROM unnest({', '.join(f'%({c})b::{t}[]' for c, t in _ARRAY_TYPES.items())}) "
    "ON CONFLICT (key) DO NOTHING RETURNING key"
)


def _plan_deliveries_postgresql(session: Session, rows: list[dict[str, Any]]) -> set[str]:
    inserted: set[str] = set()
    for start in range(0, len(rows), _PG_PAGE):
        page = rows[start : start + _PG_PAGE]
        # StrEnum members as their text: the driver would otherwise dump an Enum by its name.
        columns = {c: [_plain(row[c]) for row in page] for c in _ARRAY_TYPES}
        result = session.connection().exec_driver_sql(_UNNEST_INSERT, columns)
        inserted.update(key for (key,) in result)
    return inserted


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, str) else value


def supersede_reminders(
    *, session: Session, milestone_id: int, keep_keys: Collection[str], now: datetime
) -> None:
    """Skip a milestone's older reminders still waiting: only the latest due one (channel, DM) is posted.

    Index: none of its own; a milestone has a handful of reminders, found through the foreign key.
    """
    session.execute(
        update(Delivery)
        .where(
            col(Delivery.milestone_id) == milestone_id,
            col(Delivery.kind) == DeliveryKind.REMINDER,
            col(Delivery.state) == DeliveryState.PENDING,
            col(Delivery.key).not_in(list(keep_keys)),
        )
        .values(state=DeliveryState.SKIPPED, last_error="superseded by a later reminder", updated_at=now)
    )


def supersede_reminders_of(*, session: Session, keep: dict[int, list[str]], now: datetime) -> None:
    """supersede_reminders for many milestones at once: each keeps only its own `keep[milestone_id]` keys.

    A reminder's key names its milestone, so no milestone's waiting rows match another's kept keys.
    Index: ix_delivery_state_not_before (on state: the pending rows), then milestone_id among them.
    """
    milestones = list(keep)
    postgres = session.get_bind().dialect.name == "postgresql"
    # Half a chunk of milestones (each brings up to two kept keys); PostgreSQL takes them all as two arrays.
    step = (len(milestones) or 1) if postgres else CHUNK // 2
    for start in range(0, len(milestones), step):
        ids = milestones[start : start + step]
        kept = [key for i in ids for key in keep[i]]
        if postgres:
            of_these = one_of(col(Delivery.milestone_id), ids, dialect="postgresql", element_type=Integer())
            not_kept = col(Delivery.key) != all_(array_of("kept", kept, element_type=String()))
        else:
            of_these, not_kept = col(Delivery.milestone_id).in_(ids), col(Delivery.key).not_in(kept)
        session.execute(
            update(Delivery)
            .where(
                of_these,
                col(Delivery.kind) == DeliveryKind.REMINDER,
                col(Delivery.state) == DeliveryState.PENDING,
                not_kept,
                _not_a_snooze_to_come(now),
            )
            .values(state=DeliveryState.SKIPPED, last_error="superseded by a later reminder", updated_at=now)
            # The session holds milestones, not deliveries: nothing in it to bring up to date.
            .execution_options(synchronize_session=False)
        )


def _not_a_snooze_to_come(now: datetime) -> ColumnElement[bool]:
    """Not a snoozed reminder whose day is still to come: someone asked for that one; it waits its turn."""
    snoozed = col(Delivery.key).contains(f":{SNOOZE_PART}:", autoescape=True)
    return not_(and_(snoozed, col(Delivery.not_before) > now))


def sent_reminders_of(*, session: Session, milestone_id: int) -> list[Delivery]:
    """A milestone's reminders and nudges that were posted (channel or DM), oldest first: to redraw them.

    Index: none of its own; a milestone has a handful of reminders, found through the foreign key.
    """
    statement = (
        select(Delivery)
        .where(
            col(Delivery.milestone_id) == milestone_id,
            col(Delivery.kind) == DeliveryKind.REMINDER,
            col(Delivery.state) == DeliveryState.SENT,
            col(Delivery.message_ts).is_not(None),
        )
        .order_by(col(Delivery.id))
    )
    return list(session.execute(statement).scalars())


def defer_pending(
    *, engine: Engine, workspace: Workspace, channel_id: str | None = None, until: datetime, now: datetime
) -> int:
    """Hold a workspace's (or one channel's) pending deliveries until `until`; how many were held.

    Slack asked us to slow down in a channel (429), or refuses the workspace's token.
    Index: ix_delivery_channel.
    """
    where = [
        *_of_workspace(workspace),
        col(Delivery.state) == DeliveryState.PENDING,
        col(Delivery.not_before) < until,
    ]
    if channel_id is not None:
        where.append(col(Delivery.channel_id) == channel_id)
    return len(update_deliveries(engine=engine, where=where, not_before=until, updated_at=now))


def failed_deliveries(
    *, session: Session, workspace: Workspace, channel_id: str, limit: int = 20
) -> list[Delivery]:
    """A channel's deliveries that gave up, newest first, with the DMs about it: shown to admins in settings.

    A DM (a reminder by DM, a review prompt, a chase) is the channel's through its milestone or check-in.
    Index: ix_delivery_state_not_before (on state: failed rows are few), then the primary keys of milestone
    and checkin.
    """
    about_channel = or_(
        col(Delivery.channel_id) == channel_id,
        col(Milestone.channel_id) == channel_id,
        col(CheckIn.channel_id) == channel_id,
    )
    statement = (
        select(Delivery)
        .outerjoin(Milestone, col(Milestone.id) == col(Delivery.milestone_id))
        .outerjoin(CheckIn, col(CheckIn.id) == col(Delivery.checkin_id))
        .where(*_of_workspace(workspace), col(Delivery.state) == DeliveryState.FAILED, about_channel)
        .order_by(col(Delivery.updated_at).desc())
        .limit(limit)
    )
    return list(session.execute(statement).scalars())


def skip_workspace(*, engine: Engine, workspace: Workspace, reason: str, now: datetime) -> int:
    """Skip every delivery of a workspace not yet sent (the app left it); how many were skipped.

    Index: ix_delivery_channel (its leading workspace columns).
    """
    unsent = [
        *_of_workspace(workspace),
        col(Delivery.state).in_((DeliveryState.PENDING, DeliveryState.CLAIMED)),
    ]
    return len(
        update_deliveries(
            engine=engine,
            where=unsent,
            state=DeliveryState.SKIPPED,
            last_error=reason,
            lease_until=None,
            updated_at=now,
        )
    )


def _of_workspace(workspace: Workspace) -> list[ColumnElement[bool]]:
    """The deliveries of one workspace."""
    return [
        col(Delivery.team_id) == workspace.team_id,
        col(Delivery.enterprise_id) == workspace.enterprise_id,
    ]


def update_deliveries(*, engine: Engine, where: list[ColumnElement[bool]], **values: object) -> list[int]:
    """One UPDATE of the deliveries matching `where`, committed; the ids of the rows it changed.

    Index: none of its own; each caller names the index its `where` is served by.
    """
    statement = update(Delivery).where(*where)
    if engine.dialect.name == "postgresql":
        # Rows locked in id order: two UPDATEs over the same rows (a worker's lease heartbeat and its batch of
        # sent marks) then wait for each other rather than deadlock.
        in_order = select(Delivery.id).where(*where).order_by(col(Delivery.id)).with_for_update()
        statement = statement.where(col(Delivery.id).in_(in_order.scalar_subquery()))
    # RETURNING, not rowcount: it counts the same on both databases. Core, not an ORM session: nothing
    # loaded needs synchronising, and the outbox's posting threads run this hundreds of times a second.
    with engine.begin() as connection:
        return list(connection.execute(statement.values(**values).returning(Delivery.id)).scalars())
