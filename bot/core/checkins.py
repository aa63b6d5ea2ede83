"""Weekly review and revise: open a channel's check-in, record answers and notes, and describe the week."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.core import milestones
from bot.core.access import Asker, MilestoneNotFound
from bot.core.away import away_people
from bot.core.milestones import completion
from bot.core.review_counts import ReviewCount, count_answers
from bot.core.revisions import Value
from bot.core.vocabulary import Field
from storage import checkins as queries
from storage import milestones as milestone_queries
from storage.channel_settings import get_channel_settings
from storage.db import session_scope
from storage.models import CLOSED_STATUSES, CheckIn, CheckInAnswer, CheckInNote, Milestone
from storage.workspace import Workspace

ANSWERS = ("on_track", "at_risk", "blocked", "done", "new_date")
REVIEW_STATUSES = ("on_track", "at_risk", "blocked", "done")
SUMMARY_PARTS = ("on_track", "at_risk", "blocked", "overdue", "done", "not_answered")
NOTE_PREFIX = {"note": "", "risk": "⚠️ Risk: "}
MAX_MILESTONES = 200
_NUMBER_MENTION = re.compile(r"(?<![\w#])#(\d{1,9})\b")


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


@dataclass(frozen=True, kw_only=True)
class ReviewForm:
    """What the presser of Review my milestones may answer: their open milestones there, or a note on any."""

    checkin_id: int
    channel_id: str
    mine: list[Milestone]  # open, owned by the presser; not yet answered first, else in the review's order
    open_items: list[Milestone]  # every open milestone of the review, in its order


@dataclass(frozen=True, kw_only=True)
class MilestoneAnswer:
    """An owner's answer on one milestone from the review form: a status, a new date, or both."""

    number: int
    status: str | None
    new_due: date | None = None


@dataclass(frozen=True)
class KeptNote:
    """A note from a review form, kept: the milestones it is on, and the review's thread to post it in."""

    on: list[Milestone]
    channel_id: str
    thread_ts: str | None


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
    """Everything the check-in message shows, from the database as it is now, rows in their frozen order."""
    milestones = queries.milestones_of(session=session, checkin=checkin)
    latest: dict[int, CheckInAnswer] = {}
    for answer in queries.answers_to(session=session, checkin_id=checkin.id or 0):
        latest[answer.milestone_id] = answer
    zone = _channel_zone(session, checkin=checkin)
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
        count=review_count(session, checkin=checkin, today=today),
        changes=_changes_since_last(session, checkin=checkin),
        today=today,
    )


def _channel_zone(session: Session, *, checkin: CheckIn) -> ZoneInfo:
    workspace = Workspace(team_id=checkin.team_id, enterprise_id=checkin.enterprise_id)
    settings = get_channel_settings(session=session, workspace=workspace, channel_id=checkin.channel_id)
    try:
        return ZoneInfo(settings.timezone if settings else "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


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
) -> milestones.Change | None:
    """Apply a check-in answer to its milestone and keep it on that check-in, in one transaction.

    The answer belongs to `checkin_id` whatever the clock says; returns the milestone's Change, or None when
    the answer changed nothing (saying "on track" again is still an answer to this week's question).
    """
    if answer not in ANSWERS:
        raise ValueError(f"unknown answer {answer!r}")
    workspace, actor, now = asker.workspace, asker.actor, asker.now
    with session_scope(engine) as session:
        checkin = queries.get_checkin(session=session, workspace=workspace, checkin_id=checkin_id)
        if checkin is None:
            raise MilestoneNotFound(number)
        change: milestones.Change | None = None
        try:
            edit = milestones.Edit(actor=actor, changes=changes, reason=reason, source="check-in")
            change = milestones.change_milestone(
                session, workspace=workspace, number=number, edit=edit, now=now
            )
            milestone_id = change.milestone.id
        except milestones.NothingChanged as unchanged:
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
        return change


def review_form(*, engine: Engine, workspace: Workspace, checkin_id: int, user_id: str) -> ReviewForm | None:
    """What `user_id` may answer on the check-in (found by id, never by channel); None when it's gone."""
    with Session(engine) as session:
        checkin = queries.get_checkin(session=session, workspace=workspace, checkin_id=checkin_id)
        if checkin is None:
            return None
        open_items = [
            m
            for m in queries.milestones_of(session=session, checkin=checkin)
            if m.status not in CLOSED_STATUSES
        ]
        answered = {a.milestone_id for a in queries.answers_to(session=session, checkin_id=checkin_id)}
        mine = [m for m in open_items if m.owner_id == user_id]
        # Not yet answered first, so a long list is answered a form at a time.
        mine.sort(key=lambda m: m.id in answered)
        for m in open_items:
            session.expunge(m)
        return ReviewForm(
            checkin_id=checkin_id, channel_id=checkin.channel_id, mine=mine, open_items=open_items
        )


def shown_milestones(
    *, engine: Engine, workspace: Workspace, checkin_id: int, numbers: list[int]
) -> list[Milestone]:
    """The check-in's milestones a form showed, by number, in the form's order (deleted ones drop out)."""
    with Session(engine) as session:
        checkin = queries.get_checkin(session=session, workspace=workspace, checkin_id=checkin_id)
        if checkin is None:
            return []
        by_number = {m.number: m for m in queries.milestones_of(session=session, checkin=checkin)}
        return [by_number[n] for n in numbers if n in by_number]


def answer_review(
    *,
    engine: Engine,
    asker: Asker,
    checkin_id: int,
    answers: list[MilestoneAnswer],
    reason: str | None,
    completed_on: date,
) -> list[milestones.Change]:
    """Record an owner's review form: one answer per milestone answered; the changes made, in order."""
    changes = []
    for given in answers:
        wanted: dict[Field, Value] = {}
        if given.status == "done":
            wanted = completion(completed_on=completed_on, cost=None)
        elif given.status is not None:
            wanted[Field.STATUS] = given.status
        if given.new_due is not None:
            wanted[Field.DUE] = given.new_due
        kind = "new_date" if given.new_due is not None else given.status
        if kind is None:
            continue
        change = record_answer(
            engine=engine,
            asker=asker,
            checkin_id=checkin_id,
            number=given.number,
            answer=kind,
            changes=wanted,
            reason=reason if given.new_due is not None else None,
        )
        if change is not None:
            changes.append(change)
    return changes


def keep_form_note(
    *,
    engine: Engine,
    asker: Asker,
    checkin_id: int,
    numbers: list[int],
    text: str,
    kind: str,
    form_id: str,
) -> KeptNote | None:
    """Keep a note (or a risk) given in the review form on the milestones it names, else on `numbers`.

    None when there is nothing to keep it on, or it was kept before (the same form submitted twice).
    """
    with session_scope(engine) as session:
        checkin = queries.get_checkin(session=session, workspace=asker.workspace, checkin_id=checkin_id)
        if checkin is None:
            return None
        shown = queries.milestones_of(session=session, checkin=checkin)
        named = {int(n) for n in _NUMBER_MENTION.findall(text)}
        targets = [m for m in shown if m.number in named] or [m for m in shown if m.number in numbers]
        notes = [
            CheckInNote(
                checkin_id=checkin_id,
                milestone_id=m.id,
                user_id=asker.actor.user_id,
                text=(NOTE_PREFIX[kind] + text)[:4000],
                message_ts=f"form:{form_id}"[:32],
                at=asker.now,
            )
            for m in targets
        ]
        if not notes or not _kept(session, notes):
            return None
        for m in targets:
            session.expunge(m)
        return KeptNote(on=targets, channel_id=checkin.channel_id, thread_ts=checkin.message_ts)


def _kept(session: Session, notes: list[CheckInNote]) -> bool:
    """Add the notes; False when they were kept before (the same reply or form delivered again)."""
    session.add_all(notes)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        return False
    return True


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
        return notes if _kept(session, notes) else []
