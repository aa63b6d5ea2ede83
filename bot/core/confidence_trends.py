"""Confidence trends read from the weekly reviews' answers: for show, the report, the form, the call-out."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.confidence import ConfidenceAnswer, ConfidenceTrend, confidence_trend
from storage import checkins as queries
from storage.models import Milestone


def confidence_trends(
    session: Session, *, milestone_ids: list[int], before_week: str | None = None
) -> dict[int, ConfidenceTrend]:
    """The confidence trend of each milestone that has one (before `before_week`'s review, if given)."""
    given = queries.confidences_given(session=session, milestone_ids=milestone_ids, before_week=before_week)
    trends = {
        milestone_id: confidence_trend(
            ConfidenceAnswer(week=week, at=at, confidence=confidence) for week, at, confidence in answers
        )
        for milestone_id, answers in given.items()
    }
    return {milestone_id: trend for milestone_id, trend in trends.items() if trend is not None}


def confidence_of(*, engine: Engine, milestone: Milestone) -> ConfidenceTrend | None:
    """A milestone's confidence trend over every review that asked it; None when none gave one."""
    if milestone.id is None:
        return None
    with Session(engine) as session:
        return confidence_trends(session, milestone_ids=[milestone.id]).get(milestone.id)
