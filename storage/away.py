"""Named queries on people who are away: set, clear, and who of some people is away on a day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session, col

from storage.models import Away
from storage.workspace import Workspace


def set_away(*, session: Session, workspace: Workspace, user_id: str, until: date, now: datetime) -> Away:
    """Mark a person away up to and including `until` (replacing an earlier absence).

    Index: the primary key.
    """
    key = {"enterprise_id": workspace.enterprise_id, "team_id": workspace.team_id, "user_id": user_id}
    away = session.get(Away, key) or Away(**key, until=until, set_at=now)
    away.until, away.set_at = until, now
    session.add(away)
    session.flush()
    return away


def clear_away(*, session: Session, workspace: Workspace, user_id: str) -> bool:
    """Forget a person's absence; True when there was one.

    Index: the primary key.
    """
    key = {"enterprise_id": workspace.enterprise_id, "team_id": workspace.team_id, "user_id": user_id}
    away = session.get(Away, key)
    if away is None:
        return False
    session.delete(away)
    session.flush()
    return True


def away_on(*, session: Session, workspace: Workspace, user_ids: Iterable[str], day: date) -> dict[str, date]:
    """Of these people, those away on `day`, with the last day of their absence.

    Index: the primary key (workspace, then user).
    """
    wanted = sorted(set(user_ids))
    if not wanted:
        return {}
    statement = select(Away.user_id, Away.until).where(
        col(Away.enterprise_id) == workspace.enterprise_id,
        col(Away.team_id) == workspace.team_id,
        col(Away.user_id).in_(wanted),
        col(Away.until) >= day,
    )
    return {user_id: until for user_id, until in session.execute(statement).all()}
