"""Answers to the weekly review: the presser's form, their answers on it, and notes from forms and threads."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.core import milestones
from bot.core.access import Asker, MilestoneNotFound
from bot.core.confidence import ConfidenceTrend
from bot.core.confidence_trends import confidence_trends
from bot.core.milestones import completion
from bot.core.revisions import Value
from bot.core.vocabulary import Field
from storage import checkins as queries
from storage.db import session_scope
from storage.models import CLOSED_STATUSES, CheckInAnswer, CheckInNote, Milestone
from storage.workspace import Workspace

ANSWERS = ("on_track", "at_risk", "blocked", "done", "new_date")
NOTE_PREFIX = {"note": "", "risk": "⚠️ Risk: "}
_NUMBER_MENTION = re.compile(r"(?<![\w#])#(\d{1,9})\b")


@dataclass(frozen=True, kw_only=True)
class ReviewForm:
    """What the presser of Review my milestones may answer: their open milestones there, or a note on any."""

    checkin_id: int
    channel_id: str
    mine: list[Milestone]  # open, owned by the presser; not yet answered first, else in the review's order
    open_items: list[Milestone]  # every open milestone of the review, in its order
    # By number: the confidence trends of `mine` from the reviews before this one, to say what was said last.
    confidences: dict[int, ConfidenceTrend] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class MilestoneAnswer:
    """An owner's answer on one milestone from the review form: a status, a new date or both; a confidence."""

    number: int
    status: str | None
    new_due: date | None = None
    confidence: int | None = None  # 1 to 5, when the owner said how sure they are


@dataclass(frozen=True)
class KeptNote:
    """A note from a review form, kept: the milestones it is on, and the review's thread to post it in."""

    on: list[Milestone]
    channel_id: str
    thread_ts: str | None


def record_answer(
    *,
    engine: Engine,
    asker: Asker,
    checkin_id: int,
    given: MilestoneAnswer,
    reason: str | None = None,
    completed_on: date,
) -> milestones.Change | None:
    """Apply one answer to its milestone and keep it on that check-in, in one transaction.

    The answer belongs to `checkin_id` whatever the clock says; returns the milestone's Change, or None when
    the answer changed nothing (saying "on track" again is still an answer to this week's question).
    """
    changes = answer_review(
        engine=engine,
        asker=asker,
        checkin_id=checkin_id,
        answers=[given],
        reason=reason,
        completed_on=completed_on,
    )
    return changes[0] if changes else None


def _record(
    session: Session,
    *,
    asker: Asker,
    checkin_id: int,
    number: int,
    answer: str,
    changes: dict[Field, Value],
    reason: str | None,
    confidence: int | None = None,
) -> milestones.Change | None:
    """`record_answer` in the caller's transaction, on a check-in found there."""
    if answer not in ANSWERS:
        raise ValueError(f"unknown answer {answer!r}")
    workspace, actor, now = asker.workspace, asker.actor, asker.now
    change: milestones.Change | None = None
    try:
        edit = milestones.Edit(actor=actor, changes=changes, reason=reason, source="check-in")
        change = milestones.change_milestone(session, workspace=workspace, number=number, edit=edit, now=now)
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
            confidence=confidence,
        )
    )
    return change


def _checkin_id(session: Session, *, asker: Asker, checkin_id: int, number: int) -> int:
    """The check-in's id when it is the asker's workspace's; MilestoneNotFound(number) when it is gone."""
    if queries.get_checkin(session=session, workspace=asker.workspace, checkin_id=checkin_id) is None:
        raise MilestoneNotFound(number)
    return checkin_id


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
        trends = confidence_trends(session, milestone_ids=[m.id or 0 for m in mine], before_week=checkin.week)
        for m in open_items:
            session.expunge(m)
        return ReviewForm(
            checkin_id=checkin_id,
            channel_id=checkin.channel_id,
            mine=mine,
            open_items=open_items,
            confidences={m.number: trends[m.id or 0] for m in mine if (m.id or 0) in trends},
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
    """Record an owner's review form, all of it or none: one answer per milestone; the changes, in order."""
    changes: list[milestones.Change] = []
    if not answers:
        return changes
    with session_scope(engine) as session:
        found = _checkin_id(session, asker=asker, checkin_id=checkin_id, number=answers[0].number)
        for given in answers:
            kind = "new_date" if given.new_due is not None else given.status
            if kind is None:
                continue
            change = _record(
                session,
                asker=asker,
                checkin_id=found,
                number=given.number,
                answer=kind,
                changes=_changes_of(given, completed_on=completed_on),
                reason=reason if given.new_due is not None else None,
                confidence=given.confidence,
            )
            if change is not None:
                changes.append(change)
    return changes


def _changes_of(given: MilestoneAnswer, *, completed_on: date) -> dict[Field, Value]:
    """The milestone fields an answer changes: done (with its date), a status, a new due date."""
    wanted: dict[Field, Value] = {}
    if given.status == "done":
        wanted = completion(completed_on=completed_on, cost=None)
    elif given.status is not None:
        wanted[Field.STATUS] = given.status
    if given.new_due is not None:
        wanted[Field.DUE] = given.new_due
    return wanted


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
        targets = _named_in(text, shown) or [m for m in shown if m.number in numbers]
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
        targets = _named_in(text, milestones) or [m for m in milestones if m.owner_id == user_id]
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


def _named_in(text: str, milestones: list[Milestone]) -> list[Milestone]:
    """The milestones a note names as `#12`, in the review's order."""
    named = {int(n) for n in _NUMBER_MENTION.findall(text)}
    return [m for m in milestones if m.number in named]
