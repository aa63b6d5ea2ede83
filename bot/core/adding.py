"""Adding milestones, one by command or form or many by import: numbered `#N` per workspace, all or none."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.core.channel_settings import settings_for
from bot.core.command_types import MilestoneFields
from bot.core.imports import ImportRow
from bot.core.milestones import Actor
from bot.core.money import Money
from storage.db import session_scope
from storage.models import Milestone
from storage.numbering import take_numbers
from storage.workspace import Workspace

# Only a channel's first adds can race (to create its settings); numbers come from a counter that cannot.
_SETTINGS_ATTEMPTS = 3


def add_milestone(
    *,
    engine: Engine,
    workspace: Workspace,
    channel_id: str,
    actor: Actor,
    fields: MilestoneFields,
    timezone: str,
    now: datetime,
) -> Milestone:
    """Add a milestone with the next `#N`; the channel's first one also fixes the channel's time zone."""
    if not fields.title:
        raise ValueError("a milestone needs a title")
    [milestone] = _add_all(
        engine=engine,
        workspace=workspace,
        channel_id=channel_id,
        actor=actor,
        drafts=[_Draft(fields)],
        timezone=timezone,
        now=now,
    )
    return milestone


@dataclass(frozen=True)
class _Draft:
    fields: MilestoneFields
    completed_on: date | None = None
    actual_cost: Money | None = None
    status: str | None = None
    planned_due: date | None = None


def _add_all(
    *,
    engine: Engine,
    workspace: Workspace,
    channel_id: str,
    actor: Actor,
    drafts: list[_Draft],
    timezone: str,
    now: datetime,
) -> list[Milestone]:
    """Add milestones numbered in order, in one transaction: all of them, or none."""
    for attempt in range(_SETTINGS_ATTEMPTS):
        try:
            with session_scope(engine) as session:
                _ensure_channel_settings(
                    session, workspace=workspace, channel_id=channel_id, timezone=timezone, now=now
                )
                # Numbers last: the counter row stays locked until commit, so hold it for as little as we can.
                first = take_numbers(session, workspace=workspace, count=len(drafts))
                added = [
                    _new_milestone(
                        draft,
                        number=first + n,
                        workspace=workspace,
                        channel_id=channel_id,
                        actor=actor,
                        now=now,
                    )
                    for n, draft in enumerate(drafts)
                ]
                session.add_all(added)
                session.flush()
                return added
        except IntegrityError:
            # Another add created the channel's settings a moment ago: read them and try again.
            if attempt == _SETTINGS_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _new_milestone(
    draft: _Draft, *, number: int, workspace: Workspace, channel_id: str, actor: Actor, now: datetime
) -> Milestone:
    fields = draft.fields
    return Milestone(
        team_id=workspace.team_id,
        enterprise_id=workspace.enterprise_id,
        number=number,
        channel_id=channel_id,
        title=fields.title or "",
        owner_id=fields.owner_id,
        department=fields.department,
        start_date=fields.start,
        due_date=fields.due,
        baseline_due_date=draft.planned_due or fields.due,
        due_changed_at=now if fields.due else None,
        budget_minor=fields.budget.minor if fields.budget else None,
        budget_currency=fields.budget.currency if fields.budget else None,
        actual_cost_minor=draft.actual_cost.minor if draft.actual_cost else None,
        actual_cost_currency=draft.actual_cost.currency if draft.actual_cost else None,
        status=draft.status or ("done" if draft.completed_on else "open"),
        completed_on=draft.completed_on,
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
    )


def import_milestones(
    *,
    engine: Engine,
    workspace: Workspace,
    channel_id: str,
    actor: Actor,
    rows: list[ImportRow],
    timezone: str,
    now: datetime,
) -> list[Milestone]:
    """Add every imported row in one transaction, numbered in order: all of them, or none."""
    drafts = [
        _Draft(
            row.fields,
            completed_on=row.completed_on,
            actual_cost=row.actual_cost,
            status=row.status,
            planned_due=row.planned_due,
        )
        for row in rows
    ]
    return _add_all(
        engine=engine,
        workspace=workspace,
        channel_id=channel_id,
        actor=actor,
        drafts=drafts,
        timezone=timezone,
        now=now,
    )


def _ensure_channel_settings(
    session: Session, *, workspace: Workspace, channel_id: str, timezone: str, now: datetime
) -> None:
    settings = settings_for(session, workspace=workspace, channel_id=channel_id, timezone=timezone, now=now)
    if settings.id is None:
        session.add(settings)
