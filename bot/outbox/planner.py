"""Planning: turn what is due now into rows of the delivery outbox, idempotently."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.core.away import away_people
from bot.core.checkins import checkin_view, open_checkin
from bot.core.limits import reminder_days_of, workdays_of
from bot.core.report import month_in_review
from bot.core.schedule import (
    DEFAULT_REMINDER_DAYS,
    ChannelSchedule,
    due_reminder,
    due_review,
    reminder_window,
)
from bot.outbox.chases import DueChase, due_chase_week, plan_chases
from bot.outbox.review_dms import plan_review_dms
from bot.render.checkins import checkin_message
from bot.render.message import Message
from bot.render.reminders import reminder_dm, reminder_message
from bot.render.report import digest_section
from storage import deliveries
from storage.channel_settings import all_channel_settings
from storage.db import session_scope
from storage.milestones import open_milestones_due_between
from storage.models import ChannelSettings, DeliveryKind, Milestone
from storage.workspace import Workspace

DM_SUFFIX = ":dm"


@dataclass
class Plan:
    """The keys this pass added to the outbox."""

    reminders: list[str] = field(default_factory=list)
    checkins: list[str] = field(default_factory=list)
    review_dms: list[str] = field(default_factory=list)
    chases: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PlannedCheckin:
    """A check-in planned for a channel, and the owners' DMs planned with it."""

    key: str
    review_dms: list[str] = field(default_factory=list)


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


def channel_schedule(settings: ChannelSettings | None, *, default_timezone: str) -> ChannelSchedule:
    """The schedule a channel's settings row describes (defaults where there is none)."""
    if settings is None:
        return ChannelSchedule(timezone=default_timezone)
    return ChannelSchedule(
        timezone=settings.timezone,
        reminder_days=reminder_days_of(settings.reminder_days),
        reminder_time=time.fromisoformat(settings.reminder_time),
        review_weekday=settings.review_weekday,
        review_time=time.fromisoformat(settings.review_time),
        workdays=workdays_of(settings.workdays),
        holidays=settings.holidays,
        started_on=settings.started_on,
    )


def _schedule(settings: ChannelSettings) -> ChannelSchedule:
    return channel_schedule(settings, default_timezone=settings.timezone)


def opens_the_month(week: str, *, review_weekday: int) -> bool:
    """True when this week's review day is the month's first: its check-in carries the monthly digest."""
    year, number = week.split("-W")
    return date.fromisocalendar(int(year), int(number), review_weekday + 1).day <= 7


def _with_monthly_digest(
    message: Message, *, session: Session, workspace: Workspace, settings: ChannelSettings, today: date
) -> Message:
    # Last month in review: what was due or finished then, and whatever is still overdue.
    end = today.replace(day=1)
    start = (end - timedelta(days=1)).replace(day=1)
    report = month_in_review(
        session, workspace=workspace, channel_id=settings.channel_id, start=start, end=end, today=today
    )
    digest = digest_section(report, month_label=start.strftime("%B"), today=today)
    return Message(text=message.text, blocks=[*digest, *message.blocks])


def reminder_key(milestone: Milestone, part: str) -> str:
    """One reminder per milestone, due date and offset: a revised date gets fresh ones."""
    return f"reminder:{milestone.id}:{milestone.due_date}:{part}"


def dm_reminder_key(channel_key: str) -> str:
    """The same reminder sent to the owner's DM (`settings reminders to owner|both`)."""
    return f"{channel_key}{DM_SUFFIX}"


def checkin_key(workspace: Workspace, channel_id: str, week: str) -> str:
    """One check-in per channel and ISO week."""
    return f"checkin:{workspace.enterprise_id}:{workspace.team_id}:{channel_id}:{week}"


def working_now(schedule: ChannelSchedule, *, now: datetime) -> bool:
    """True on the channel's working days: nothing is posted on a weekend or a public holiday."""
    return schedule.calendar.is_working(schedule.local_date(now))


def plan(engine: Engine, *, now: datetime, default_timezone: str) -> Plan:
    """Add every reminder, check-in and chase due at `now` to the outbox; planning twice adds nothing more."""
    result = Plan()
    with session_scope(engine) as session:
        settings = {
            (s.enterprise_id, s.team_id, s.channel_id): s for s in all_channel_settings(session=session)
        }
        result.reminders = _plan_reminders(
            session, settings=settings, now=now, default_timezone=default_timezone
        )
    working = [
        channel
        for channel in settings.values()
        if not channel.paused and working_now(_schedule(channel), now=now)
    ]
    # Only channels whose weekly time has come cost a query, and all of them one query together.
    due: dict[str, tuple[ChannelSettings, str]] = {}
    for channel in working:
        review = due_review(schedule=_schedule(channel), now=now)
        if review is not None:
            workspace = Workspace(team_id=channel.team_id, enterprise_id=channel.enterprise_id)
            due[checkin_key(workspace, channel.channel_id, review.week)] = (channel, review.week)
    with Session(engine) as session:
        planned_already = deliveries.existing_keys(session=session, keys=due)
    for key in due.keys() - planned_already:
        channel, week = due[key]
        planned = plan_checkin(engine, settings=channel, week=week, now=now)
        if planned is not None:
            result.checkins.append(planned.key)
            result.review_dms.extend(planned.review_dms)
    result.chases = plan_chases(engine, due=_due_chases(working, now=now), now=now)
    return result


def _due_chases(channels: list[ChannelSettings], *, now: datetime) -> list[DueChase]:
    due = []
    for channel in channels:
        schedule = _schedule(channel)
        week = due_chase_week(schedule=schedule, now=now) if channel.chase else None
        if week is not None:
            due.append(DueChase(settings=channel, schedule=schedule, week=week))
    return due


def _plan_reminders(
    session: Session,
    *,
    settings: dict[tuple[str, str, str], ChannelSettings],
    now: datetime,
    default_timezone: str,
) -> list[str]:
    owed = _owed_reminders(session, settings=settings, now=now, default_timezone=default_timezone)
    # A reminder is planned once, wherever it goes: any of its rows means it was.
    every_key = [key for o in owed for key in (o.key, dm_reminder_key(o.key))]
    planned_already = deliveries.existing_keys(session=session, keys=every_key)
    new = [o for o in owed if not {o.key, dm_reminder_key(o.key)} & planned_already]
    away = _away_owners(session, new)
    planned: list[str] = []
    for o in sorted(new, key=lambda o: o.key):
        away_until = away.get((o.workspace, o.today, o.milestone.owner_id or ""))
        planned.extend(_plan_reminder(session, o, away_until=away_until, now=now))
    return planned


def _owed_reminders(
    session: Session,
    *,
    settings: dict[tuple[str, str, str], ChannelSettings],
    now: datetime,
    default_timezone: str,
) -> list[_OwedReminder]:
    """The latest reminder due now of each open milestone, in a channel that is neither paused nor off."""
    schedules = [channel_schedule(s, default_timezone=default_timezone) for s in settings.values()]
    horizon = max((max(s.reminder_days, default=0) for s in schedules), default=0)
    first, last = reminder_window(today=now.date(), horizon_days=max(horizon, *DEFAULT_REMINDER_DAYS))
    owed = []
    for milestone in open_milestones_due_between(session=session, first=first, last=last):
        channel = settings.get((milestone.enterprise_id, milestone.team_id, milestone.channel_id))
        if channel is not None and channel.paused:
            continue
        schedule = channel_schedule(channel, default_timezone=default_timezone)
        if not working_now(schedule, now=now):
            continue  # caught up on the next working day
        reminder = due_reminder(
            due=milestone.due_date,
            schedule=schedule,
            due_set_at=milestone.due_changed_at or milestone.created_at,
            now=now,
        )
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


def _plan_reminder(
    session: Session, o: _OwedReminder, *, away_until: date | None, now: datetime
) -> list[str]:
    """Plan one reminder where the channel sends them: its channel, its owner's DM, or both."""
    m = o.milestone
    rows = []
    to_channel, to_owner = _destinations(o, away_until=away_until)
    if to_channel:
        message = reminder_message(m, offset=o.offset, today=o.today, away_until=away_until)
        rows.append((o.key, m.channel_id, message))
    if to_owner and m.owner_id:
        rows.append((dm_reminder_key(o.key), m.owner_id, reminder_dm(m, offset=o.offset, today=o.today)))
    inserted = [
        key
        for key, target, message in rows
        if deliveries.plan_delivery(
            session=session,
            key=key,
            kind=DeliveryKind.REMINDER,
            workspace=o.workspace,
            channel_id=target,
            payload={"text": message.text, "blocks": message.blocks},
            not_before=now,
            now=now,
            milestone_id=m.id,
            due_date=m.due_date,
        )
    ]
    if inserted:
        keep = [key for key, _, _ in rows]
        deliveries.supersede_reminders(session=session, milestone_id=m.id or 0, keep_keys=keep, now=now)
    return inserted


def _destinations(o: _OwedReminder, *, away_until: date | None) -> tuple[bool, bool]:
    """(to the channel, to the owner's DM): an owner who is away, or none, leaves it to the channel."""
    reminders_to = o.settings.reminders_to if o.settings is not None else "channel"
    reachable = o.milestone.owner_id is not None and away_until is None
    if reminders_to == "owner":
        return not reachable, reachable
    return True, reminders_to == "both" and reachable


def plan_checkin(
    engine: Engine, *, settings: ChannelSettings, week: str, now: datetime
) -> PlannedCheckin | None:
    """Plan the channel's check-in for an ISO week (and its owners' DMs), unless planned already or idle."""
    schedule = _schedule(settings)
    workspace = Workspace(team_id=settings.team_id, enterprise_id=settings.enterprise_id)
    key = checkin_key(workspace, settings.channel_id, week)
    try:
        with session_scope(engine) as session:
            if deliveries.existing_keys(session=session, keys=[key]):
                return None
            checkin = open_checkin(
                session, workspace=workspace, channel_id=settings.channel_id, week=week, now=now
            )
            if checkin is None:
                return None
            today = schedule.local_date(now)
            message = checkin_message(checkin_view(session, checkin=checkin, today=today))
            if opens_the_month(week, review_weekday=settings.review_weekday):
                message = _with_monthly_digest(
                    message, session=session, workspace=workspace, settings=settings, today=today
                )
            planned = deliveries.plan_delivery(
                session=session,
                key=key,
                kind=DeliveryKind.CHECKIN,
                workspace=workspace,
                channel_id=settings.channel_id,
                payload={"text": message.text, "blocks": message.blocks},
                not_before=now,
                now=now,
                checkin_id=checkin.id,
            )
            if not planned:
                # Another instance planned it between our look and our insert: it is theirs.
                return None
            dms = (
                plan_review_dms(session, checkin=checkin, today=today, now=now) if settings.review_dm else []
            )
    except IntegrityError:
        # Another instance opened this week's check-in at the same moment: theirs stands.
        return None
    return PlannedCheckin(key=key, review_dms=dms)
