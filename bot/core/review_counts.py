"""Honest counting for the weekly review: per owned milestone, the away not waited on, the ownerless apart."""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass, field
from datetime import date

from storage.models import CLOSED_STATUSES, Milestone


@dataclass(frozen=True)
class ReviewCount:
    """Where a review stands: "4 of 6 answered · waiting on @Alice (#4), @Carol (#6) · #7 has no owner"."""

    answered: int
    expected: int  # milestones with an owner who is not away (answered or not)
    waiting: dict[str, list[int]] = field(default_factory=dict)  # owner → numbers not answered
    away: dict[str, date] = field(default_factory=dict)  # owners away, with their last day away
    ownerless: list[int] = field(default_factory=list)  # open milestones nobody owns
    owners: dict[str, list[int]] = field(default_factory=dict)  # every owner not away → their open numbers

    @property
    def complete(self) -> bool:
        """True when every milestone with an owner who is here has its answer."""
        return not self.waiting


def count_answers(
    milestones: Iterable[Milestone], *, answered_ids: Set[int], away: dict[str, date]
) -> ReviewCount:
    """Count a review: a milestone is answered when this review has an answer on it, or it was closed."""
    answered = expected = 0
    waiting: dict[str, list[int]] = {}
    owners: dict[str, list[int]] = {}
    ownerless: list[int] = []
    away_owners: dict[str, date] = {}
    for m in milestones:
        closed = m.status in CLOSED_STATUSES
        if m.owner_id is None:
            if not closed:
                ownerless.append(m.number)
            continue
        if m.owner_id in away:
            away_owners[m.owner_id] = away[m.owner_id]
            continue
        expected += 1
        if not closed:
            owners.setdefault(m.owner_id, []).append(m.number)
        if closed or m.id in answered_ids:
            answered += 1
        else:
            waiting.setdefault(m.owner_id, []).append(m.number)
    return ReviewCount(
        answered=answered,
        expected=expected,
        waiting=waiting,
        away=away_owners,
        ownerless=ownerless,
        owners=owners,
    )
