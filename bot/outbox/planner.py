"""Planning: turn what is due now into rows of the delivery outbox, idempotently."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.core.checkins import checkin_view, open_checkin
from bot.core.report import month_in_review
from bot.core.schedule import ChannelSchedule, due_review, schedule_of
from bot.outbox.chases import DueChase, due_chase_week, plan_chases
from bot.outbox.reminder_planning import plan_reminders
from bot.outbox.review_dms import plan_review_dms
from bot.outbox.timing import working_now
from bot.render.checkins import checkin_message
from bot.render.message import Message
from bot.render.report import digest_section
from storage import deliveries
from storage.channel_settings import all_channel_settings
from storage.db import session_scope
from storage.models import ChannelSettings, DeliveryKind
from storage.workspace import Workspace


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


def checkin_key(workspace: Workspace, channel_id: str, week: str) -> str:
    """One check-in per channel and ISO week."""
    return f"checkin:{workspace.enterprise_id}:{workspace.team_id}:{channel_id}:{week}"


def plan(engine: Engine, *, now: datetime, default_timezone: str) -> Plan:
    """Add every reminder, check-in and chase due at `now` to the outbox; planning twice adds nothing more."""
    result = Plan()
    with session_scope(engine) as session:
        settings = {
            (s.enterprise_id, s.team_id, s.channel_id): s for s in all_channel_settings(session=session)
        }
        result.reminders = plan_reminders(
            session, settings=settings, now=now, default_timezone=default_timezone
        )
    # Each channel's schedule once: a pass looks at every channel, every 30 seconds.
    working = [
        (channel, schedule)
        for channel in settings.values()
        if not channel.paused and working_now(schedule := schedule_of(channel), now=now)
    ]
    # Only channels whose weekly time has come cost a query, and all of them one query together.
    due: dict[str, tuple[ChannelSettings, str]] = {}
    for channel, schedule in working:
        review = due_review(schedule=schedule, now=now)
        if review is not None:
            workspace = Workspace(team_id=channel.team_id, enterprise_id=channel.enterprise_id)
            due[checkin_key(workspace, channel.channel_id, review.week)] = (channel, review.week)
    with Session(engine) as session:
        planned_already = deliveries.existing_keys(session=session, keys=due)
    for key in [key for key in due if key not in planned_already]:
        channel, week = due[key]
        planned = plan_checkin(engine, settings=channel, week=week, now=now)
        if planned is not None:
            result.checkins.append(planned.key)
            result.review_dms.extend(planned.review_dms)
    result.chases = plan_chases(engine, due=_due_chases(working, now=now), now=now)
    return result


def _due_chases(channels: list[tuple[ChannelSettings, ChannelSchedule]], *, now: datetime) -> list[DueChase]:
    due = []
    for channel, schedule in channels:
        week = due_chase_week(schedule=schedule, now=now) if channel.chase else None
        if week is not None:
            due.append(DueChase(settings=channel, schedule=schedule, week=week))
    return due


def plan_checkin(
    engine: Engine, *, settings: ChannelSettings, week: str, now: datetime
) -> PlannedCheckin | None:
    """Plan the channel's check-in for an ISO week (and its owners' DMs), unless planned already or idle."""
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
            view = checkin_view(session, checkin=checkin, now=now)
            today = view.today
            message = checkin_message(view)
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
            dms = plan_review_dms(session, checkin=checkin, view=view, now=now) if settings.review_dm else []
    except IntegrityError:
        # Another instance opened this week's check-in at the same moment: theirs stands.
        return None
    return PlannedCheckin(key=key, review_dms=dms)
