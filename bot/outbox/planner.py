"""Planning: turn what is due now into rows of the delivery outbox, idempotently."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

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
from bot.render.checkins import checkin_message
from bot.render.message import Message
from bot.render.reminders import reminder_message
from bot.render.report import digest_section
from storage import deliveries
from storage.channel_settings import all_channel_settings
from storage.db import session_scope
from storage.milestones import open_milestones_due_between
from storage.models import ChannelSettings, DeliveryKind, Milestone
from storage.workspace import Workspace


@dataclass
class Plan:
    """The keys this pass added to the outbox."""

    reminders: list[str] = field(default_factory=list)
    checkins: list[str] = field(default_factory=list)


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


def checkin_key(workspace: Workspace, channel_id: str, week: str) -> str:
    """One check-in per channel and ISO week."""
    return f"checkin:{workspace.enterprise_id}:{workspace.team_id}:{channel_id}:{week}"


def plan(engine: Engine, *, now: datetime, default_timezone: str) -> Plan:
    """Add every reminder and check-in due at `now` to the outbox; planning twice adds nothing more."""
    result = Plan()
    with session_scope(engine) as session:
        settings = {
            (s.enterprise_id, s.team_id, s.channel_id): s for s in all_channel_settings(session=session)
        }
        result.reminders = _plan_reminders(
            session, settings=settings, now=now, default_timezone=default_timezone
        )
    # Only channels whose weekly time has come cost a query, and all of them one query together.
    due: dict[str, tuple[ChannelSettings, str]] = {}
    for channel in settings.values():
        review = None if channel.paused else due_review(schedule=_schedule(channel), now=now)
        if review is not None:
            workspace = Workspace(team_id=channel.team_id, enterprise_id=channel.enterprise_id)
            due[checkin_key(workspace, channel.channel_id, review.week)] = (channel, review.week)
    with Session(engine) as session:
        planned_already = deliveries.existing_keys(session=session, keys=due)
    for key, (channel, week) in due.items():
        if key not in planned_already and plan_checkin(engine, settings=channel, week=week, now=now):
            result.checkins.append(key)
    return result


def _plan_reminders(
    session: Session,
    *,
    settings: dict[tuple[str, str, str], ChannelSettings],
    now: datetime,
    default_timezone: str,
) -> list[str]:
    schedules = [channel_schedule(s, default_timezone=default_timezone) for s in settings.values()]
    horizon = max((max(s.reminder_days, default=0) for s in schedules), default=0)
    first, last = reminder_window(today=now.date(), horizon_days=max(horizon, *DEFAULT_REMINDER_DAYS))
    candidates = open_milestones_due_between(session=session, first=first, last=last)
    wanted: dict[str, tuple[Milestone, int, ChannelSettings | None]] = {}
    for milestone in candidates:
        channel = settings.get((milestone.enterprise_id, milestone.team_id, milestone.channel_id))
        if channel is not None and channel.paused:
            continue
        schedule = channel_schedule(channel, default_timezone=default_timezone)
        reminder = due_reminder(
            due=milestone.due_date,
            schedule=schedule,
            due_set_at=milestone.due_changed_at or milestone.created_at,
            now=now,
        )
        if reminder is not None:
            wanted[reminder_key(milestone, reminder.key_part)] = (milestone, reminder.offset, channel)
    planned = []
    new_keys = set(wanted) - deliveries.existing_keys(session=session, keys=wanted)
    for key in sorted(new_keys):
        milestone, offset, channel = wanted[key]
        schedule = channel_schedule(channel, default_timezone=default_timezone)
        message = reminder_message(milestone, offset=offset, today=now.astimezone(schedule.zone).date())
        inserted = deliveries.plan_delivery(
            session=session,
            key=key,
            kind=DeliveryKind.REMINDER,
            workspace=Workspace(team_id=milestone.team_id, enterprise_id=milestone.enterprise_id),
            channel_id=milestone.channel_id,
            payload={"text": message.text, "blocks": message.blocks},
            not_before=now,
            now=now,
            milestone_id=milestone.id,
            due_date=milestone.due_date,
        )
        if inserted:
            deliveries.supersede_reminders(
                session=session, milestone_id=milestone.id or 0, keep_key=key, now=now
            )
            planned.append(key)
    return planned


def plan_checkin(engine: Engine, *, settings: ChannelSettings, week: str, now: datetime) -> str | None:
    """Plan the channel's check-in for an ISO week, unless planned already or nothing is in flight."""
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
            today = now.astimezone(schedule.zone).date()
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
    except IntegrityError:
        # Another instance opened this week's check-in at the same moment: theirs stands.
        return None
    return key
