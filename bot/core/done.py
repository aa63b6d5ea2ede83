"""Undoing a Done, and the reminders a Done redraws: Done means the same wherever it was pressed.

Marking a milestone done is `milestones.complete_milestone`; this is what comes after it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.access import Asker, require_allowed
from bot.core.milestones import Change, Edit, NothingChanged, change_milestone
from bot.core.revisions import Value, stored_money
from bot.core.vocabulary import Field
from storage import milestones as queries
from storage.db import session_scope
from storage.deliveries import sent_reminders_of
from storage.models import Milestone, Revision

# How long after Done its Undo button reopens the milestone; later, `update <n> status` does.
UNDO_WINDOW = timedelta(minutes=10)
# Enough history to find the last Done's rows (a Done writes at most three).
_UNDO_LOOKBACK = 10


class UndoTooLate(ValueError):
    """Undo pressed more than UNDO_WINDOW after the Done it would undo."""

    def __init__(self, milestone: Milestone) -> None:
        super().__init__(f"#{milestone.number} was marked done more than {UNDO_WINDOW} ago")
        self.milestone = milestone


@dataclass(frozen=True)
class PostedReminder:
    """A reminder or nudge the bot posted: where (a channel, or a person for a DM), its ts and its blocks."""

    target: str
    ts: str
    text: str
    blocks: list[dict]


def undo_done(*, engine: Engine, asker: Asker, number: int) -> Change:
    """Reopen a milestone marked done at most UNDO_WINDOW ago: status, date and cost back as they were.

    The next one its Done created goes too while nobody has touched it (`withdrawn`). Raises UndoTooLate
    after the window, and NothingChanged when it is no longer done.
    """
    with session_scope(engine) as session:
        milestone = require_allowed(
            session, workspace=asker.workspace, number=number, actor=asker.actor, action="reopen"
        )
        done = _last_done(session, milestone=milestone)
        if milestone.status != "done" or not done:
            session.expunge(milestone)
            raise NothingChanged(milestone)
        if asker.now - done[0].at > UNDO_WINDOW:
            session.expunge(milestone)
            raise UndoTooLate(milestone)
        changes = {Field(revision.field): _stored_value(revision) for revision in done}
        edit = Edit(actor=asker.actor, changes=changes, action="reopen", source="undo")
        change = change_milestone(session, workspace=asker.workspace, number=number, edit=edit, now=asker.now)
        return replace(change, withdrawn=_withdraw_next(session, milestone=milestone))


def _withdraw_next(session: Session, *, milestone: Milestone) -> Milestone | None:
    """Delete the next one a recurring Done created, unless it has been changed or reminded of since."""
    following = queries.next_of(session=session, milestone_id=milestone.id or 0)
    if following is None or following.id is None or following.status != "open":
        return None
    _, changed = queries.revisions_of(session=session, milestone_id=following.id, limit=0)
    if changed or sent_reminders_of(session=session, milestone_id=following.id):
        return None
    queries.delete_milestone(session=session, milestone=following)
    return following


def _last_done(session: Session, *, milestone: Milestone) -> list[Revision]:
    """The history rows of the change that last marked the milestone done (none if it was reopened since)."""
    latest, _ = queries.revisions_of(session=session, milestone_id=milestone.id or 0, limit=_UNDO_LOOKBACK)
    status = next((revision for revision in latest if revision.field == Field.STATUS), None)
    if status is None or status.new != "done":
        return []
    undoable = (Field.STATUS, Field.COMPLETED_ON, Field.ACTUAL_COST)
    same_change = [
        revision
        for revision in latest
        if revision.at == status.at and revision.by == status.by and revision.field in undoable
    ]
    # Newest first: an earlier change in the same instant (a status set just before Done) is not undone.
    return list({revision.field: revision for revision in reversed(same_change)}.values())


def _stored_value(revision: Revision) -> Value:
    """A Done row's old value back as the field's value."""
    if revision.old is None:
        return None
    if revision.field == Field.COMPLETED_ON:
        return date.fromisoformat(revision.old)
    if revision.field == Field.ACTUAL_COST:
        return stored_money(revision.old)
    return revision.old


def posted_reminders(*, engine: Engine, milestone_id: int) -> list[PostedReminder]:
    """The reminders and nudges posted about a milestone, to redraw once it is done."""
    with session_scope(engine) as session:
        sent = sent_reminders_of(session=session, milestone_id=milestone_id)
        payloads = [(delivery, json.loads(delivery.payload)) for delivery in sent]
        return [
            PostedReminder(
                target=delivery.channel_id,
                ts=delivery.message_ts or "",
                text=payload.get("text") or "",
                blocks=payload.get("blocks") or [],
            )
            for delivery, payload in payloads
        ]
