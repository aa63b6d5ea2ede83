"""Weekly review and revise: open a channel's check-in, count it, and describe the week."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session

from bot.core.away import away_people
from bot.core.confidence import ConfidenceTrend
from bot.core.confidence_trends import confidence_trends
from bot.core.review_counts import ReviewCount, count_answers
from bot.core.vocabulary import Field
from storage import checkins as queries
from storage import milestones as milestone_queries
from storage.channel_settings import get_channel_settings
from storage.models import CLOSED_STATUSES, CheckIn, CheckInAnswer, Milestone
from storage.workspace import Workspace

SUMMARY_PARTS = ("on_track", "at_risk", "blocked", "overdue", "done", "not_answered")
MAX_MILESTONES = 200


UTC_ZONE = ZoneInfo("UTC")


@dataclass(frozen=True)
class CheckInItem:
    """One milestone asked about, with this review's latest answer on it and the channel's date of it."""

    milestone: Milestone
    answer: CheckInAnswer | None = None
    answered_on: date | None = None


@dataclass(frozen=True)
class WeekChanges:
    """What moved since last week's check-in: finished, slipped (old → new due date), newly at risk."""

    done: list[Milestone]
    slipped: list[tuple[Milestone, date, date]]
    newly_at_risk: list[Milestone]

    def is_empty(self) -> bool:
        """True when nothing changed."""
        return not (self.done or self.slipped or self.newly_at_risk)


@dataclass(frozen=True, kw_only=True)
class CheckInView:
    """Everything one check-in message shows; `today` is the channel's local date."""

    checkin_id: int
    week: str
    channel_id: str
    items: list[CheckInItem]
    count: ReviewCount
    changes: WeekChanges | None = None
    today: date
    # The channel's zone: the message's date tokens are noon there, the same in the post and every redraw.
    zone: ZoneInfo = UTC_ZONE
    # By number: open milestones whose owner's confidence fell by 2 or more between the last two reviews.
    confidence_drops: dict[int, ConfidenceTrend] = field(default_factory=dict)

    def summary(self) -> dict[str, int]:
        """How the review stands, in the summary line's order; zero parts are left out."""
        counts = dict.fromkeys(SUMMARY_PARTS, 0)
        for item in self.items:
            m = item.milestone
            if m.status in CLOSED_STATUSES:
                counts["done"] += m.status == "done"
                continue
            if item.answer is None:
                counts["not_answered"] += 1
            elif m.status in counts:
                counts[m.status] += 1
            if m.due_date is not None and m.due_date < self.today:
                counts["overdue"] += 1
        return {part: n for part, n in counts.items() if n}


def open_checkin(
    session: Session, *, workspace: Workspace, channel_id: str, week: str, now: datetime
) -> CheckIn | None:
    """This week's check-in for the channel, created if the channel has milestones in flight; else None."""
    existing = queries.checkin_for_week(
        session=session, workspace=workspace, channel_id=channel_id, week=week
    )
    if existing is not None:
        return existing
    in_flight, _ = milestone_queries.channel_milestones(
        session=session, workspace=workspace, channel_id=channel_id, limit=MAX_MILESTONES, open_only=True
    )
    if not in_flight:
        return None
    checkin = CheckIn(
        team_id=workspace.team_id,
        enterprise_id=workspace.enterprise_id,
        channel_id=channel_id,
        week=week,
        milestone_ids=json.dumps([m.id for m in in_flight]),
        created_at=now,
    )
    session.add(checkin)
    session.flush()
    return checkin


def checkin_view(session: Session, *, checkin: CheckIn, now: datetime) -> CheckInView:
    """Everything the check-in message shows at `now`, on the channel's date, rows in their frozen order."""
    milestones = queries.milestones_of(session=session, checkin=checkin)
    latest: dict[int, CheckInAnswer] = {}
    for answer in queries.answers_to(session=session, checkin_id=checkin.id or 0):
        latest[answer.milestone_id] = answer
    zone = _channel_zone(session, checkin=checkin)
    today = now.astimezone(zone).date()
    items = [
        CheckInItem(
            milestone=m,
            answer=latest.get(m.id or 0),
            answered_on=latest[m.id or 0].at.astimezone(zone).date() if (m.id or 0) in latest else None,
        )
        for m in milestones
    ]
    return CheckInView(
        checkin_id=checkin.id or 0,
        week=checkin.week,
        channel_id=checkin.channel_id,
        items=items,
        count=_count(session, checkin=checkin, milestones=milestones, answered=set(latest), today=today),
        changes=_changes_since_last(session, checkin=checkin),
        today=today,
        zone=zone,
        confidence_drops=_confidence_drops(session, checkin=checkin, milestones=milestones),
    )


def _confidence_drops(
    session: Session, *, checkin: CheckIn, milestones: list[Milestone]
) -> dict[int, ConfidenceTrend]:
    """The review's open milestones whose confidence dropped in the reviews before it, by number."""
    asked = [m for m in milestones if m.status not in CLOSED_STATUSES and m.id is not None]
    trends = confidence_trends(session, milestone_ids=[m.id or 0 for m in asked], before_week=checkin.week)
    return {m.number: trends[m.id or 0] for m in asked if (m.id or 0) in trends and trends[m.id or 0].dropped}


def _channel_zone(session: Session, *, checkin: CheckIn) -> ZoneInfo:
    workspace = checkin_workspace(checkin)
    settings = get_channel_settings(session=session, workspace=workspace, channel_id=checkin.channel_id)
    try:
        return ZoneInfo(settings.timezone if settings else "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def checkin_workspace(checkin: CheckIn) -> Workspace:
    """The workspace a check-in belongs to."""
    return Workspace(team_id=checkin.team_id, enterprise_id=checkin.enterprise_id)


def review_count(session: Session, *, checkin: CheckIn, today: date) -> ReviewCount:
    """Where the check-in stands on the channel's `today`: answered, waited on, away, ownerless."""
    return review_counts(session, checkins=[checkin], today={checkin.id or 0: today})[checkin.id or 0]


def review_counts(
    session: Session, *, checkins: Sequence[CheckIn], today: dict[int, date]
) -> dict[int, ReviewCount]:
    """Each check-in's count on its channel's `today`, for many check-ins in three queries."""
    milestones = queries.checkin_milestones(session=session, checkins=checkins)
    answered = queries.answered_milestones(session=session, checkin_ids=[c.id or 0 for c in checkins])
    owners: dict[tuple[Workspace, date], set[str]] = {}
    for c in checkins:
        people = {m.owner_id for m in milestones[c.id or 0] if m.owner_id}
        owners.setdefault((checkin_workspace(c), today[c.id or 0]), set()).update(people)
    away = {
        group: away_people(session, workspace=group[0], user_ids=people, day=group[1])
        for group, people in owners.items()
    }
    return {
        c.id or 0: count_answers(
            milestones[c.id or 0],
            answered_ids=answered[c.id or 0],
            away=away[(checkin_workspace(c), today[c.id or 0])],
        )
        for c in checkins
    }


def _count(
    session: Session, *, checkin: CheckIn, milestones: list[Milestone], answered: set[int], today: date
) -> ReviewCount:
    """Count the check-in's milestones and answers, read once by the caller; only who is away is read here."""
    workspace = checkin_workspace(checkin)
    owners = {m.owner_id for m in milestones if m.owner_id}
    away = away_people(session, workspace=workspace, user_ids=owners, day=today)
    return count_answers(milestones, answered_ids=answered, away=away)


def _changes_since_last(session: Session, *, checkin: CheckIn) -> WeekChanges | None:
    previous = queries.previous_checkin(session=session, checkin=checkin)
    if previous is None or previous.posted_at is None:
        return None
    workspace = checkin_workspace(checkin)
    done: dict[int, Milestone] = {}
    slipped: dict[int, tuple[Milestone, date, date]] = {}
    at_risk: dict[int, Milestone] = {}
    for revision, milestone in queries.channel_revisions_since(
        session=session, workspace=workspace, channel_id=checkin.channel_id, since=previous.posted_at
    ):
        key = milestone.id or 0
        if revision.field == Field.STATUS and revision.new == "done":
            done[key] = milestone
        elif revision.field == Field.STATUS and revision.new == "at_risk" and revision.old != "at_risk":
            at_risk[key] = milestone
        elif revision.field == Field.DUE and revision.old and revision.new and revision.new > revision.old:
            first_old = slipped[key][1] if key in slipped else date.fromisoformat(revision.old)
            slipped[key] = (milestone, first_old, date.fromisoformat(revision.new))
    at_risk = {k: m for k, m in at_risk.items() if m.status == "at_risk"}
    return WeekChanges(
        done=list(done.values()), slipped=list(slipped.values()), newly_at_risk=list(at_risk.values())
    )
