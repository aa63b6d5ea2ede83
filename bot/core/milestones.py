"""Milestone use cases: add (by command, form or import), update, complete and delete, each with its history.

New milestones are numbered `#N` per workspace, all or none; changes write one Revision per changed field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.core.access import Actor, Asker, require_allowed
from bot.core.channel_settings import settings_for
from bot.core.command_types import CommandError, MilestoneFields
from bot.core.dates import format_date
from bot.core.departments import Spellings, canonical_department
from bot.core.dependencies import Adding
from bot.core.dependency_links import AfterChange, check_in_order, link_after, now_behind
from bot.core.imports import ImportRow
from bot.core.limits import LimitError, check_plan_dates
from bot.core.money import Money
from bot.core.next_occurrence import follow_up
from bot.core.revisions import Value, apply_changes
from bot.core.schedule import first_review_at, schedule_of
from bot.core.source_links import source_revision
from bot.core.vocabulary import Field
from storage import milestones as queries
from storage.db import session_scope
from storage.models import ChannelSettings, Milestone, Revision
from storage.numbering import take_numbers
from storage.workspace import Workspace

# Only a channel's first adds can race (to create its settings); numbers come from a counter that cannot.
_SETTINGS_ATTEMPTS = 3


class NothingChanged(ValueError):
    """An update that would change nothing."""

    def __init__(self, milestone: Milestone) -> None:
        super().__init__(f"#{milestone.number} already looks like that")
        self.milestone = milestone


@dataclass(frozen=True, kw_only=True)
class Edit:
    """A change someone asks for: new values by field, the action a refusal names, why, and from where."""

    actor: Actor
    changes: dict[Field, Value]
    action: str = "update"
    reason: str | None = None
    source: str = "command"
    after: AfterChange | None = None  # the milestone it comes after, when the edit sets or clears it


@dataclass(frozen=True)
class Change:
    """A milestone after a change, the history rows it wrote, and the next one a recurring Done made (or an
    Undo took back)."""

    milestone: Milestone
    revisions: list[Revision] = field(default_factory=list)
    next: Milestone | None = None
    withdrawn: Milestone | None = None
    # Open milestones that come after this one and are now due before it: their owners are told.
    behind: list[Milestone] = field(default_factory=list)


@dataclass(frozen=True)
class Added:
    """Milestones just added, numbered in order; when the add was the channel's first, its first review."""

    milestones: list[Milestone]
    # In the channel's time zone; None unless these are the channel's first milestones.
    first_review: datetime | None = None


def add_milestone(*, engine: Engine, asker: Asker, channel_id: str, fields: MilestoneFields) -> Milestone:
    """Add a milestone with the next `#N`; the channel's first one also fixes the channel's time zone."""
    added = add_milestones(engine=engine, asker=asker, channel_id=channel_id, fields=[fields])
    return added.milestones[0]


def add_milestones(
    *,
    engine: Engine,
    asker: Asker,
    channel_id: str,
    fields: list[MilestoneFields],
    after: int | None = None,
    source_link: str | None = None,
) -> Added:
    """Add milestones numbered in order, all or none; when they start the channel, say its first review.

    `after` (one milestone only) is the number of the one it comes after, by the rules of an update;
    `source_link` (one milestone only) the message it was made from, kept as its first history line.
    """
    if not fields or not all(one.title for one in fields):
        raise ValueError("a milestone needs a title")
    if after is not None and len(fields) != 1:
        raise ValueError("only a single new milestone is added after another")
    if source_link is not None and len(fields) != 1:
        raise ValueError("only a single new milestone is made from a message")
    drafts = [_Draft(one, after=after, source_link=source_link) for one in fields]
    return _add_all(engine=engine, asker=asker, channel_id=channel_id, drafts=drafts)


def import_milestones(*, engine: Engine, asker: Asker, channel_id: str, rows: list[ImportRow]) -> Added:
    """Add every imported row in one transaction, numbered in order: all or none; it may start the channel."""
    drafts = [
        _Draft(
            row.fields,
            completed_on=row.completed_on,
            actual_cost=row.actual_cost,
            status=row.status,
            planned_due=row.planned_due,
            after_row=row.after_row,
        )
        for row in rows
    ]
    return _add_all(engine=engine, asker=asker, channel_id=channel_id, drafts=drafts)


def update_milestone(
    *,
    engine: Engine,
    asker: Asker,
    number: int,
    fields: MilestoneFields,
    cleared: frozenset[Field] = frozenset(),
    status: str | None = None,
    reason: str | None = None,
    source: str = "command",
    after: int | None = None,
) -> Change:
    """Change the given fields, keep the first planned due date as the baseline, and write the history.

    `after` is the number of the milestone it comes after; `cleared` holding Field.AFTER clears it.
    """
    changes: dict[Field, Value] = {name: None for name in cleared if name != Field.AFTER}
    given: dict[Field, Value] = {**fields.by_field(), Field.STATUS: status}
    changes.update({name: value for name, value in given.items() if value is not None})
    link = AfterChange(after) if after is not None or Field.AFTER in cleared else None
    edit = Edit(actor=asker.actor, changes=changes, reason=reason, source=source, after=link)
    with session_scope(engine) as session:
        return change_milestone(session, workspace=asker.workspace, number=number, edit=edit, now=asker.now)


def complete_milestone(
    *,
    engine: Engine,
    asker: Asker,
    number: int,
    completed_on: date,
    cost: Money | None,
    source: str = "command",
) -> Change:
    """Mark a milestone done on a date, with its actual cost when given."""
    changes = completion(completed_on=completed_on, cost=cost)
    edit = Edit(actor=asker.actor, changes=changes, action="mark done", source=source)
    with session_scope(engine) as session:
        return change_milestone(session, workspace=asker.workspace, number=number, edit=edit, now=asker.now)


def completion(*, completed_on: date, cost: Money | None) -> dict[Field, Value]:
    """The changes that mark a milestone done."""
    changes: dict[Field, Value] = {Field.STATUS: "done", Field.COMPLETED_ON: completed_on}
    if cost is not None:
        changes[Field.ACTUAL_COST] = cost
    return changes


def change_milestone(
    session: Session, *, workspace: Workspace, number: int, edit: Edit, now: datetime
) -> Change:
    """Apply an edit in the caller's transaction, if its actor may; one Revision per changed field."""
    actor = edit.actor
    milestone = require_allowed(session, workspace=workspace, number=number, actor=actor, action=edit.action)
    changes = _in_workspace_spelling(session, workspace=workspace, changes=edit.changes)
    revisions = apply_changes(
        milestone, changes, by=actor.user_id, at=now, reason=edit.reason, source=edit.source
    )
    if edit.after is not None:
        revisions += link_after(
            session,
            workspace=workspace,
            milestone=milestone,
            after=edit.after,
            by=actor.user_id,
            at=now,
            reason=edit.reason,
            source=edit.source,
        )
    if not revisions:
        session.expunge(milestone)
        raise NothingChanged(milestone)
    try:
        check_plan_dates(start=milestone.start_date, due=milestone.due_date, today=now.date())
    except LimitError as refused:
        example = f"/milestone update {number} start {milestone.due_date}"
        raise CommandError(str(refused), example=example) from None
    redated = any(revision.field == Field.DUE for revision in revisions)
    if redated or any(revision.field == Field.AFTER for revision in revisions):
        check_in_order(session, milestone=milestone, today=now.date())
    if redated:
        milestone.due_changed_at = now
    if milestone.baseline_due_date is None:
        milestone.baseline_due_date = milestone.due_date
    session.add(milestone)
    session.add_all(revisions)
    # The row is written (and, on PostgreSQL, held) before the next one is looked for: see next_occurrence.
    session.flush()
    done = any(revision.field == Field.STATUS and revision.new == "done" for revision in revisions)
    following = follow_up(session, workspace=workspace, done=milestone, now=now) if done else None
    behind = now_behind(session, milestone=milestone) if redated else []
    return Change(milestone, revisions, next=following, behind=behind)


def _in_workspace_spelling(
    session: Session, *, workspace: Workspace, changes: dict[Field, Value]
) -> dict[Field, Value]:
    """The changes with a department given as the workspace already spells it (`marketing` → `Marketing`)."""
    department = changes.get(Field.DEPARTMENT)
    if not isinstance(department, str):
        return changes
    spelt = canonical_department(session, workspace=workspace, typed=department)
    return {**changes, Field.DEPARTMENT: spelt}


def delete_milestone(*, engine: Engine, asker: Asker, number: int) -> Milestone:
    """Delete a milestone and its history, if the asker may."""
    with session_scope(engine) as session:
        milestone = require_allowed(
            session, workspace=asker.workspace, number=number, actor=asker.actor, action="delete"
        )
        queries.delete_milestone(session=session, milestone=milestone)
        return milestone


@dataclass(frozen=True)
class _Draft:
    fields: MilestoneFields
    completed_on: date | None = None
    actual_cost: Money | None = None
    status: str | None = None
    planned_due: date | None = None
    after: int | None = None
    after_row: int | None = None  # an import's: the index of the draft, in the same batch, it comes after
    source_link: str | None = None  # the message it was made from (a shortcut)


def _add_all(
    *,
    engine: Engine,
    asker: Asker,
    channel_id: str,
    drafts: list[_Draft],
) -> Added:
    """Add milestones numbered in order, in one transaction: all of them, or none."""
    workspace, now = asker.workspace, asker.now
    for attempt in range(_SETTINGS_ATTEMPTS):
        try:
            with session_scope(engine) as session:
                started = _ensure_channel_settings(
                    session, workspace=workspace, channel_id=channel_id, timezone=asker.timezone, now=now
                )
                spellings = Spellings.of(session, workspace=workspace)
                # Numbers last: the counter row stays locked until commit, so hold it for as little as we can.
                first = take_numbers(session=session, workspace=workspace, count=len(drafts))
                added = [
                    _new_milestone(
                        draft, number=first + n, asker=asker, channel_id=channel_id, spellings=spellings
                    )
                    for n, draft in enumerate(drafts)
                ]
                session.add_all(added)
                session.flush()
                for draft, milestone in zip(drafts, added, strict=True):
                    _link_new(session, draft=draft, milestone=milestone, asker=asker, batch=added)
                    _keep_source(session, draft=draft, milestone=milestone, asker=asker)
                return Added(added, first_review=_first_review(started))
        except IntegrityError:
            # Another add created the channel's settings a moment ago: read them and try again.
            if attempt == _SETTINGS_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _link_new(
    session: Session, *, draft: _Draft, milestone: Milestone, asker: Asker, batch: list[Milestone]
) -> None:
    """A new milestone's `after`, by the rules of an update; a new one's history starts empty.

    An imported row names a row of its own file: the milestone `batch` made of it, numbered just now.
    """
    after = batch[draft.after_row].number if draft.after_row is not None else draft.after
    if after is None:
        return
    link = AfterChange(after)
    today = asker.now.date()
    due = f" due {format_date(milestone.due_date, today=today)}" if milestone.due_date else ""
    adding = Adding(title=milestone.title, command=f"/milestone add {milestone.title}{due}")
    link_after(
        session,
        workspace=asker.workspace,
        milestone=milestone,
        after=link,
        by=asker.actor.user_id,
        at=asker.now,
        reason=None,
        source="command",
        adding=adding,
    )
    check_in_order(session, milestone=milestone, today=today, adding=adding)
    session.add(milestone)
    session.flush()


def _keep_source(session: Session, *, draft: _Draft, milestone: Milestone, asker: Asker) -> None:
    """The link to the message a new milestone was made from, in its history from the start."""
    if draft.source_link and (
        revision := source_revision(asker=asker, milestone=milestone, link=draft.source_link)
    ):
        session.add(revision)


def _new_milestone(
    draft: _Draft, *, number: int, asker: Asker, channel_id: str, spellings: Spellings
) -> Milestone:
    fields, workspace, now = draft.fields, asker.workspace, asker.now
    # One spelling per department in a workspace, also among the lines of one bulk add or import.
    department = spellings.canonical(fields.department) if fields.department else None
    return Milestone(
        team_id=workspace.team_id,
        enterprise_id=workspace.enterprise_id,
        number=number,
        channel_id=channel_id,
        title=fields.title or "",
        owner_id=fields.owner_id,
        department=department,
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
        created_by=asker.actor.user_id,
        created_at=now,
        updated_at=now,
        recurrence=fields.recurrence,
    )


def _ensure_channel_settings(
    session: Session, *, workspace: Workspace, channel_id: str, timezone: str, now: datetime
) -> ChannelSettings | None:
    """Make the channel's settings if it has none; its settings when this add is its first, else None."""
    settings = settings_for(session, workspace=workspace, channel_id=channel_id, timezone=timezone, now=now)
    if settings.started_on is not None:
        return None
    zone = ZoneInfo(settings.timezone)
    if settings.id is not None and _has_milestones(session, workspace=workspace, channel_id=channel_id):
        # A channel from before the rule (its start left empty): its reviews run already, none is put off.
        settings.started_on = settings.created_at.astimezone(zone).date()
        session.add(settings)
        return None
    # The channel's first milestone: its first weekly review comes after this day (its own date).
    settings.started_on = now.astimezone(zone).date()
    session.add(settings)
    return settings


def _has_milestones(session: Session, *, workspace: Workspace, channel_id: str) -> bool:
    """True when the channel has had milestones added (any still there)."""
    _, total = queries.channel_milestones(
        session=session, workspace=workspace, channel_id=channel_id, limit=1
    )
    return total > 0


def _first_review(started: ChannelSettings | None) -> datetime | None:
    """When a channel that starts now has its first weekly review, in its own time zone."""
    if started is None or started.started_on is None:
        return None
    schedule = schedule_of(started)
    return first_review_at(schedule=schedule, started_on=started.started_on).astimezone(schedule.zone)
