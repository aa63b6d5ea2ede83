"""The Home tab's milestones: what a person owns, what they added for others, and their channels' counts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from storage import milestones as queries
from storage.models import CLOSED_STATUSES, Milestone
from storage.workspace import Workspace

# Home shows every open milestone a person owns or added; past this many, it counts and points to a list.
HOME_LIMIT = 500


@dataclass(frozen=True)
class UrgencyGroups:
    """Open milestones by how soon they are due: overdue, due this week (to Sunday), later, no due date."""

    overdue: list[Milestone]
    this_week: list[Milestone]
    later: list[Milestone]
    undated: list[Milestone]


@dataclass(frozen=True)
class HomeMilestones:
    """A person's open milestones by whose they are: owned by them, or added by them for others."""

    owned: list[Milestone]
    added_for_others: list[Milestone]


def home_milestones(
    *, engine: Engine, workspace: Workspace, user_id: str, today: date
) -> tuple[list[Milestone], list[tuple[str, int, int]]]:
    """The person's open milestones, owned or added (up to HOME_LIMIT), and per-channel counts."""
    with Session(engine) as session:
        mine = queries.open_milestones_owned_or_created(
            session=session, workspace=workspace, user_id=user_id, limit=HOME_LIMIT
        )
        counts = queries.open_counts_by_channel(
            session=session, workspace=workspace, user_id=user_id, today=today
        )
    return mine, counts


def split_by_owner(milestones: Sequence[Milestone], *, user_id: str) -> HomeMilestones:
    """Open ones the person owns, and open ones they added that someone else (or nobody yet) owns."""
    ordered = soonest_first(m for m in milestones if m.status not in CLOSED_STATUSES)
    return HomeMilestones(
        owned=[m for m in ordered if m.owner_id == user_id],
        added_for_others=[m for m in ordered if m.owner_id != user_id and m.created_by == user_id],
    )


def by_urgency(milestones: Sequence[Milestone], *, today: date) -> UrgencyGroups:
    """Overdue, due this week (to Sunday), later and undated; each soonest due first, then by number."""
    week_end = today + timedelta(days=6 - today.weekday())
    groups = UrgencyGroups(overdue=[], this_week=[], later=[], undated=[])
    for m in soonest_first(milestones):
        if m.due_date is None:
            groups.undated.append(m)
        elif m.due_date < today:
            groups.overdue.append(m)
        elif m.due_date <= week_end:
            groups.this_week.append(m)
        else:
            groups.later.append(m)
    return groups


def soonest_first(milestones: Iterable[Milestone]) -> list[Milestone]:
    """Soonest due first, undated last, then by number."""
    return sorted(milestones, key=lambda m: (m.due_date or date.max, m.number))
