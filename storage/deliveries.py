"""The delivery outbox's rows: plan each once per key, hold or skip those waiting, list those that gave up.

Claiming a due delivery and recording what became of it is storage/claims.py.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from datetime import date, datetime

from sqlalchemy import ColumnElement, Engine, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from storage.models import CheckIn, Delivery, DeliveryKind, DeliveryState, Milestone
from storage.workspace import Workspace


def existing_keys(*, session: Session, keys: Iterable[str]) -> set[str]:
    """Which of these delivery keys are already planned.

    Index: uq_delivery_key.
    """
    wanted = list(keys)
    if not wanted:
        return set()
    return set(session.execute(select(Delivery.key).where(col(Delivery.key).in_(wanted))).scalars())


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
    values = {
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
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(Delivery)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["key"])
        # RETURNING, not rowcount: PostgreSQL's driver reports -1 rows for this statement.
        .returning(Delivery.id)
    )
    return session.execute(statement).first() is not None


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
    return update_deliveries(engine=engine, where=where, not_before=until, updated_at=now)


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
    return update_deliveries(
        engine=engine,
        where=unsent,
        state=DeliveryState.SKIPPED,
        last_error=reason,
        lease_until=None,
        updated_at=now,
    )


def _of_workspace(workspace: Workspace) -> list[ColumnElement[bool]]:
    """The deliveries of one workspace."""
    return [
        col(Delivery.team_id) == workspace.team_id,
        col(Delivery.enterprise_id) == workspace.enterprise_id,
    ]


def update_deliveries(*, engine: Engine, where: list[ColumnElement[bool]], **values: object) -> int:
    """One UPDATE of the deliveries matching `where`, committed; how many rows it changed.

    Index: none of its own; each caller names the index its `where` is served by.
    """
    with Session(engine) as session:
        # RETURNING, not rowcount: it counts the same on both databases.
        changed = len(
            session.execute(update(Delivery).where(*where).values(**values).returning(Delivery.id)).all()
        )
        session.commit()
        return changed
