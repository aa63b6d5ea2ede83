"""Event ids seen: Slack redelivers an event it thinks failed, and the second delivery must change nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from storage.models import ProcessedEvent


def first_sighting(*, engine: Engine, event_id: str, now: datetime) -> bool:
    """Record the event id; True only for the first caller, on any instance.

    Index: the primary key of processed_event (the conflict target).
    """
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(ProcessedEvent)
        .values(event_id=event_id[:64], received_at=now)
        .on_conflict_do_nothing(index_elements=["event_id"])
        # RETURNING, not rowcount: PostgreSQL's driver reports -1 rows for this statement.
        .returning(ProcessedEvent.event_id)
    )
    with Session(engine) as session:
        inserted = session.execute(statement).first() is not None
        session.commit()
    return inserted


def forget_sighting(*, engine: Engine, event_id: str) -> None:
    """Forget an event id, so that its next sighting is a first one again (its work did not get done).

    Index: the primary key of processed_event.
    """
    with Session(engine) as session:
        session.execute(delete(ProcessedEvent).where(ProcessedEvent.event_id == event_id[:64]))
        session.commit()
