"""Weekly review and revise: open a channel's check-in, record answers and notes, and describe the week."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.core import milestones
from bot.core.access import Asker, MilestoneNotFound
from bot.core.away import away_people
from bot.core.review_counts import ReviewCount, count_answers
from bot.core.revisions import Value
from bot.core.vocabulary import Field
from storage import checkins as queries
from storage import milestones as milestone_queries
from storage.db import session_scope
from storage.models import CLOSED_STATUSES, CheckIn, CheckInAnswer, CheckInNote, Milestone
from storage.workspace import Workspace

ANSWERS = ("on_track", "at_risk", "blocked", "done", "new_date")
MAX_MILESTONES = 200
_NUMBER_MENTION = re.compile(r"(?<![\w#])#(\d{1,9})\b")


@dataclass(frozen=True)
class CheckInItem:
    """One milestone asked about, with each person's latest answer, oldest first."""

    milestone: Milestone
    answers: list[CheckInAnswer]


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
    waiting_on: list[str]
    changes: WeekChanges | None = None
    today: date


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


def checkin_view(session: Session, *, checkin: CheckIn, today: date) -> CheckInView:
    """Everything the check-in message shows, from the database as it is now."""
    milestones = queries.milestones_of(session=session, checkin=checkin)
    latest: dict[tuple[int, str], CheckInAnswer] = {}
    for answer in queries.answers_to(session=session, checkin_id=checkin.id or 0):
        latest.pop((answer.milestone_id, answer.user_id), None)
        latest[(answer.milestone_id, answer.user_id)] = answer
    items = [
        CheckInItem(milestone=m, answers=[a for (mid, _), a in latest.items() if mid == m.id])
        for m in milestones
    ]
    answered_by = {user for (_, user) in latest}
    waiting_on = list(
        dict.fromkeys(
            m.owner_id
            for m in milestones
            if m.owner_id and m.status not in CLOSED_STATUSES and m.owner_id not in answered_by
        )
    )
    return CheckInView(
        checkin_id=checkin.id or 0,
        week=checkin.week,
        channel_id=checkin.channel_id,
        items=items,
        waiting_on=waiting_on,
        changes=_changes_since_last(session, checkin=checkin),
        today=today,
    )


def review_count(session: Session, *, checkin: CheckIn, today: date) -> ReviewCount:
    """Where the check-in stands on the channel's `today`: answered, waited on, away, ownerless."""
    milestones = queries.milestones_of(session=session, checkin=checkin)
    answered = {
        answer.milestone_id for answer in queries.answers_to(session=session, checkin_id=checkin.id or 0)
    }
    workspace = Workspace(team_id=checkin.team_id, enterprise_id=checkin.enterprise_id)
    owners = {m.owner_id for m in milestones if m.owner_id}
    away = away_people(session, workspace=workspace, user_ids=owners, day=today)
    return count_answers(milestones, answered_ids=answered, away=away)


def _changes_since_last(session: Session, *, checkin: CheckIn) -> WeekChanges | None:
    previous = queries.previous_checkin(session=session, checkin=checkin)
    if previous is None or previous.posted_at is None:
        return None
    workspace = Workspace(team_id=checkin.team_id, enterprise_id=checkin.enterprise_id)
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


def record_answer(
    *,
    engine: Engine,
    asker: Asker,
    checkin_id: int,
    number: int,
    answer: str,
    changes: dict[Field, Value],
    reason: str | None = None,
) -> None:
    """Apply a check-in answer to its milestone and keep the answer, in one transaction."""
    if answer not in ANSWERS:
        raise ValueError(f"unknown answer {answer!r}")
    workspace, actor, now = asker.workspace, asker.actor, asker.now
    with session_scope(engine) as session:
        checkin = queries.get_checkin(session=session, workspace=workspace, checkin_id=checkin_id)
        if checkin is None:
            raise MilestoneNotFound(number)
        try:
            edit = milestones.Edit(actor=actor, changes=changes, reason=reason, source="check-in")
            change = milestones.change_milestone(
                session, workspace=workspace, number=number, edit=edit, now=now
            )
            milestone_id = change.milestone.id
        except milestones.NothingChanged as unchanged:
            # Saying "on track" again is still an answer to this week's question.
            milestone_id = unchanged.milestone.id
        session.add(
            CheckInAnswer(
                checkin_id=checkin_id,
                milestone_id=milestone_id or 0,
                user_id=actor.user_id,
                status=answer,
                at=now,
            )
        )


def keep_note(
    *,
    engine: Engine,
    workspace: Workspace,
    channel_id: str,
    thread_ts: str,
    user_id: str,
    text: str,
    message_ts: str,
    now: datetime,
) -> list[CheckInNote]:
    """Keep a thread reply to a check-in: on the milestones it names, else its author's, else the check-in."""
    with session_scope(engine) as session:
        checkin = queries.checkin_for_message(
            session=session, workspace=workspace, channel_id=channel_id, ts=thread_ts
        )
        if checkin is None:
            return []
        milestones = queries.milestones_of(session=session, checkin=checkin)
        named = {int(n) for n in _NUMBER_MENTION.findall(text)}
        targets = [m for m in milestones if m.number in named] or [
            m for m in milestones if m.owner_id == user_id
        ]
        notes = [
            CheckInNote(
                checkin_id=checkin.id or 0,
                milestone_id=m.id if m else None,
                user_id=user_id,
                text=text[:4000],
                message_ts=message_ts,
                at=now,
            )
            for m in (targets or [None])
        ]
        session.add_all(notes)
        try:
            session.flush()
        except IntegrityError:
            # The same reply delivered again: it is already kept.
            session.rollback()
            return []
        return notes
