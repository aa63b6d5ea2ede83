"""Away until a date: reminders do not ping the person, reviews do not wait for them, chases skip them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.access import Asker
from bot.core.dates import format_date
from bot.core.limits import LimitError
from storage import away as queries
from storage.db import session_scope
from storage.workspace import Workspace

# Further than this is a leave, not an absence; an admin can still set it again later.
MAX_AWAY_DAYS = 366


def check_away_until(until: date, *, today: date) -> None:
    """The last day away is today or later, within a year; raise LimitError saying which it is not."""
    shown = format_date(until, today=today)
    if until < today:
        raise LimitError(f"{shown} has passed; give the last day you're away, from today on.")
    if (until - today).days > MAX_AWAY_DAYS:
        raise LimitError(f"{shown} is more than a year away; pick a day within the next 12 months.")


def go_away(*, engine: Engine, asker: Asker, until: date, today: date) -> date:
    """Mark the asker away up to and including `until` (their date `today` or later)."""
    check_away_until(until, today=today)
    with session_scope(engine) as session:
        queries.set_away(
            session=session,
            workspace=asker.workspace,
            user_id=asker.actor.user_id,
            until=until,
            now=asker.now,
        )
    return until


def away_until(*, engine: Engine, asker: Asker, today: date) -> date | None:
    """The last day the asker is away, if they are away `today` (their date)."""
    with Session(engine) as session:
        found = away_people(session, workspace=asker.workspace, user_ids=[asker.actor.user_id], day=today)
    return found.get(asker.actor.user_id)


def come_back(*, engine: Engine, asker: Asker) -> bool:
    """The asker is back; True when they had been marked away."""
    with session_scope(engine) as session:
        return queries.clear_away(session=session, workspace=asker.workspace, user_id=asker.actor.user_id)


def away_people(
    session: Session, *, workspace: Workspace, user_ids: Iterable[str], day: date
) -> dict[str, date]:
    """Of these people, who is away on `day`, and until when."""
    return queries.away_on(session=session, workspace=workspace, user_ids=user_ids, day=day)
