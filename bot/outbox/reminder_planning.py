"""Reminders as outbox rows: the latest one due of each open milestone, to its channel, its owner, or both.

An owner who is away is named in the channel without a ping and gets no DM; nothing is planned on a day off.
A snoozed reminder is one more row, planned when its button is pressed, for the day it asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.access import require
from bot.core.away import away_people
from bot.core.schedule import (
    DEFAULT_REMINDER_DAYS,
    ChannelSchedule,
    DueReminder,
    latest_reminder,
    reminder_window,
    still_owed,
)
from bot.core.snooze import Snooze, snooze_moment
from bot.outbox.timing import channel_schedule, working_now
from bot.render.message import Message
from bot.render.reminders import (
    reminder_dm,
    reminder_message,
    snoozed_reminder_dm,
    snoozed_reminder_message,
)
from storage import deliveries
from storage.channel_settings import get_channel_settings
from storage.db import session_scope
from storage.milestones import open_milestones_due_between
from storage.models import CLOSED_STATUSES, ChannelSettings, DeliveryKind, Milestone
from storage.workspace import Workspace

DM_SUFFIX = ":dm"
# A reminder falling on a day off moves to the working day before: look this much further ahead for them
# (a weekend and a week of holidays, or a channel that works one day a week).
DAYS_OFF_AHEAD = 14


@dataclass(frozen=True)
class _OwedReminder:
    """A reminder whose time has come, for a milestone of a channel (settings None: the defaults)."""

    milestone: Milestone
    offset: int
    key: str
    settings: ChannelSettings | None
    today: date  # the channel's

    @property
    def workspace(self) -> Workspace:
        return Workspace(team_id=self.milestone.team_id, enterprise_id=self.milestone.enterprise_id)


def reminder_key(milestone: Milestone, part: str) -> str:
    """One reminder per milestone, due date and offset: a revised date gets fresh ones."""
    return f"reminder:{milestone.id}:{milestone.due_date}:{part}"


def dm_reminder_key(channel_key: str) -> str:
    """The same reminder sent to the owner's DM (`settings reminders to owner|both`)."""
    return f"{channel_key}{DM_SUFFIX}"


def plan_reminders(
    session: Session,
    *,
    settings: dict[tuple[str, str, str], ChannelSettings],
    schedules: dict[tuple[str, str, str], ChannelSchedule],
    now: datetime,
    default_timezone: str,
) -> list[str]:
    """Plan the latest reminder due now of each open milestone, where its channel sends them; keys added.

    `schedules` holds each channel's schedule (schedule_of its settings), keyed like `settings`.
    """
    owed = _owed_reminders(
        session, settings=settings, schedules=schedules, now=now, default_timezone=default_timezone
    )
    # A reminder is planned once, wherever it goes: any of its rows means it was.
    every_key = [key for o in owed for key in (o.key, dm_reminder_key(o.key))]
    planned_already = deliveries.existing_keys(session=session, keys=every_key)
    new = [o for o in owed if not {o.key, dm_reminder_key(o.key)} & planned_already]
    away = _away_owners(session, new)
    rows: list[dict] = []
    keep: dict[int, list[str]] = {}
    for o in sorted(new, key=lambda o: o.key):
        away_until = away.get((o.workspace, o.today, o.milestone.owner_id or ""))
        planned_rows = _reminder_rows(o, away_until=away_until, now=now)
        rows.extend(planned_rows)
        keep[o.milestone.id or 0] = [row["key"] for row in planned_rows]
    # All in a few statements: a pass may find thousands of reminders due at once. Older reminders still
    # waiting are skipped first, while the pending rows are only those older ones (the new rows' keys are
    # kept either way, so a planner racing us to insert them ends in the same state).
    deliveries.supersede_reminders_of(session=session, keep=keep, now=now)
    inserted = deliveries.plan_deliveries(session=session, rows=rows)
    return [row["key"] for row in rows if row["key"] in inserted]


def _owed_reminders(
    session: Session,
    *,
    settings: dict[tuple[str, str, str], ChannelSettings],
    schedules: dict[tuple[str, str, str], ChannelSchedule],
    now: datetime,
    default_timezone: str,
) -> list[_OwedReminder]:
    """The latest reminder due now of each open milestone, in a channel that is neither paused nor off."""
    unset = channel_schedule(None, default_timezone=default_timezone)
    horizon = max((max(s.reminder_days, default=0) for s in schedules.values()), default=0)
    ahead = max(horizon, *DEFAULT_REMINDER_DAYS) + DAYS_OFF_AHEAD
    first, last = reminder_window(today=now.date(), horizon_days=ahead)
    owed = []
    # Per distinct schedule (and due date), not per milestone: thousands of milestones may share a few.
    working: dict[ChannelSchedule, bool] = {}
    latest: dict[tuple[ChannelSchedule, date], DueReminder | None] = {}
    for milestone in open_milestones_due_between(session=session, first=first, last=last):
        key = (milestone.enterprise_id, milestone.team_id, milestone.channel_id)
        channel = settings.get(key)
        if channel is not None and channel.paused:
            continue
        schedule = schedules.get(key, unset)
        if schedule not in working:
            working[schedule] = working_now(schedule, now=now)
        if not working[schedule]:
            continue  # caught up on the next working day
        due = (schedule, milestone.due_date)
        if due not in latest:
            latest[due] = latest_reminder(due=milestone.due_date, schedule=schedule, now=now)
        reminder = still_owed(latest[due], due_set_at=milestone.due_changed_at or milestone.created_at)
        if reminder is not None:
            key = reminder_key(milestone, reminder.key_part)
            today = schedule.local_date(now)
            owed.append(_OwedReminder(milestone, reminder.offset, key, channel, today))
    return owed


def _away_owners(session: Session, owed: list[_OwedReminder]) -> dict[tuple[Workspace, date, str], date]:
    """Which owners of these reminders' milestones are away on their channel's day, until when."""
    owners: dict[tuple[Workspace, date], set[str]] = {}
    for o in owed:
        if o.milestone.owner_id:
            owners.setdefault((o.workspace, o.today), set()).add(o.milestone.owner_id)
    return {
        (workspace, day, user_id): until
        for (workspace, day), people in owners.items()
        for user_id, until in away_people(session, workspace=workspace, user_ids=people, day=day).items()
    }


def _reminder_rows(o: _OwedReminder, *, away_until: date | None, now: datetime) -> list[dict]:
    """The outbox rows of one reminder where the channel sends them: its channel, its owner's DM, or both."""
    m = o.milestone
    messages = []
    to_channel, to_owner = _destinations(o, away_until=away_until)
    zone = ZoneInfo(o.settings.timezone) if o.settings else None  # date tokens: noon in the channel's zone
    if to_channel:
        message = reminder_message(m, offset=o.offset, today=o.today, away_until=away_until, zone=zone)
        messages.append((o.key, m.channel_id, message))
    if to_owner and m.owner_id:
        dm = reminder_dm(m, offset=o.offset, today=o.today, zone=zone)
        messages.append((dm_reminder_key(o.key), m.owner_id, dm))
    return [
        reminder_row(m, key=key, target=target, message=message, not_before=now, now=now)
        for key, target, message in messages
    ]


def reminder_row(
    m: Milestone, *, key: str, target: str, message: Message, not_before: datetime, now: datetime
) -> dict:
    """The outbox row of a message about milestone `m` (a reminder, a snoozed one, an escalation) to `target`:
    its channel, or a person's DM; judged still wanted, when posted, by the milestone's state then."""
    return deliveries.delivery_row(
        key=key,
        kind=DeliveryKind.REMINDER,
        workspace=Workspace(team_id=m.team_id, enterprise_id=m.enterprise_id),
        channel_id=target,  # a person: the poster opens their DM with the bot
        payload={"text": message.text, "blocks": message.blocks},
        not_before=not_before,
        now=now,
        milestone_id=m.id,
        due_date=m.due_date,
    )


def _destinations(o: _OwedReminder, *, away_until: date | None) -> tuple[bool, bool]:
    """(to the channel, to the owner's DM): an owner who is away, or none, leaves it to the channel."""
    reminders_to = o.settings.reminders_to if o.settings is not None else "channel"
    reachable = o.milestone.owner_id is not None and away_until is None
    if reminders_to == "owner":
        return not reachable, reachable
    return True, reminders_to == "both" and reachable


@dataclass(frozen=True)
class SnoozedReminder:
    """One more reminder of a milestone, planned by this press of a snooze button or by an earlier one."""

    milestone: Milestone
    target: str  # the channel, or the owner's user id: their DM
    at: datetime  # when it is posted, in the channel's zone
    today: date  # the channel's date at the press
    planned_now: bool  # False: someone (or this press, retried) had planned it already


@dataclass(frozen=True)
class NothingToSnooze:
    """A milestone that has nothing left to remind about: `why` is its status, or that it has no due date."""

    milestone: Milestone
    why: str


def snooze_key(milestone: Milestone, day: date) -> str:
    """One snoozed reminder per milestone, due date and day: pressing again, or anyone else, plans no more."""
    return reminder_key(milestone, f"{deliveries.SNOOZE_PART}:{day.isoformat()}")


def plan_snoozed_reminder(
    engine: Engine,
    *,
    workspace: Workspace,
    number: int,
    snooze: Snooze,
    by: str,
    in_dm: bool,
    now: datetime,
    timezone: str,
) -> SnoozedReminder | NothingToSnooze:
    """Plan one more reminder of milestone `number` where the pressed one was (`in_dm`: the presser's DM).

    It comes at the channel's reminder time on its snooze day; `timezone` stands in for a channel without
    settings. MilestoneNotFound when the milestone is gone.
    """
    with session_scope(engine) as session:
        milestone = require(session, workspace=workspace, number=number)
        if milestone.status in CLOSED_STATUSES or milestone.due_date is None:
            why = milestone.status if milestone.status in CLOSED_STATUSES else "undated"
            return NothingToSnooze(milestone=milestone, why=why)
        settings = get_channel_settings(session=session, workspace=workspace, channel_id=milestone.channel_id)
        schedule = channel_schedule(settings, default_timezone=timezone)
        at = snooze_moment(snooze, schedule=schedule, now=now)
        key = snooze_key(milestone, schedule.local_date(at))
        planned = deliveries.delivery_by_key(session=session, key=key)
        if planned is not None:
            # An earlier press (another person's, or this one retried): the answer says what that one does.
            target, at, planned_now = planned.channel_id, planned.not_before, False
        else:
            row = _snoozed_row(
                session, milestone=milestone, key=key, schedule=schedule, at=at, by=by, in_dm=in_dm, now=now
            )
            target = row["channel_id"]
            # A press racing this one may have inserted the same key first: then it is theirs, and the same.
            planned_now = bool(deliveries.plan_deliveries(session=session, rows=[row]))
        return SnoozedReminder(
            milestone=milestone,
            target=target,
            at=at.astimezone(schedule.zone),
            today=schedule.local_date(now),
            planned_now=planned_now,
        )


def _snoozed_row(
    session: Session,
    *,
    milestone: Milestone,
    key: str,
    schedule: ChannelSchedule,
    at: datetime,
    by: str,
    in_dm: bool,
    now: datetime,
) -> dict:
    """The outbox row of a snoozed reminder: in the presser's DM when they own it and are not away then."""
    workspace = Workspace(team_id=milestone.team_id, enterprise_id=milestone.enterprise_id)
    day = schedule.local_date(at)
    owner = milestone.owner_id
    away = away_people(session, workspace=workspace, user_ids=[owner], day=day) if owner else {}
    away_until = away.get(owner or "")
    message: Message
    if in_dm and owner == by and away_until is None:
        target, message = by, snoozed_reminder_dm(milestone, by=by, today=day, zone=schedule.zone)
    else:
        # An away owner gets no DM, as with every reminder: the channel hears it, without pinging them.
        target = milestone.channel_id
        message = snoozed_reminder_message(
            milestone, by=by, today=day, away_until=away_until, zone=schedule.zone
        )
    return reminder_row(milestone, key=key, target=target, message=message, not_before=at, now=now)
