"""Planning: turn what is due now into rows of the delivery outbox, idempotently."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.core.checkins import checkin_view, open_checkin
from bot.core.report import month_in_review
from bot.core.schedule import ChannelSchedule, DueReview, due_review, schedule_of
from bot.outbox.chases import DueChase, due_chase_week, plan_chases
from bot.outbox.escalation_planning import plan_escalations
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

# Schedules by the settings fields schedule_of reads: most channels share a few, and parsing is not free.
_SCHEDULES: dict[tuple[object, ...], ChannelSchedule] = {}
_SCHEDULES_KEPT = 10_000


@dataclass
class Plan:
    """The keys this pass added to the outbox."""

    reminders: list[str] = field(default_factory=list)
    checkins: list[str] = field(default_factory=list)
    review_dms: list[str] = field(default_factory=list)
    chases: list[str] = field(default_factory=list)
    escalations: list[str] = field(default_factory=list)


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
    """Add every reminder, escalation, check-in and chase due at `now` to the outbox; twice adds no more."""
    result = Plan()
    with session_scope(engine) as session:
        settings = {
            (s.enterprise_id, s.team_id, s.channel_id): s for s in all_channel_settings(session=session)
        }
        # Each channel's schedule once: a pass looks at every channel, every 30 seconds.
        schedules = {key: schedule_of_settings(channel) for key, channel in settings.items()}
        result.reminders = plan_reminders(
            session, settings=settings, schedules=schedules, now=now, default_timezone=default_timezone
        )
        # After the reminders: their superseding skips a milestone's older reminders still waiting.
        result.escalations = plan_escalations(session, settings=settings, schedules=schedules, now=now)
    # Channels mostly share a handful of schedules: what is due is worked out once for each of those.
    on = _PerSchedule(now)
    working = [
        (channel, schedules[key])
        for key, channel in settings.items()
        if not channel.paused and on.working(schedules[key])
    ]
    # Only channels whose weekly time has come cost a query, and all of them one query together.
    due: dict[str, tuple[ChannelSettings, str]] = {}
    for channel, schedule in working:
        review = on.review(schedule)
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
    result.chases = plan_chases(engine, due=_due_chases(working, on=on), now=now)
    return result


def schedule_of_settings(settings: ChannelSettings) -> ChannelSchedule:
    """The channel's schedule, parsed once for each distinct set of settings rather than on every pass."""
    fields = (
        settings.timezone,
        settings.reminder_days,
        settings.reminder_time,
        settings.review_weekday,
        settings.review_time,
        settings.workdays,
        settings.holidays,
        settings.started_on,
        settings.overdue_nudge,
    )
    schedule = _SCHEDULES.get(fields)
    if schedule is None:
        if len(_SCHEDULES) >= _SCHEDULES_KEPT:
            _SCHEDULES.clear()
        schedule = _SCHEDULES[fields] = schedule_of(settings)
    return schedule


class _PerSchedule:
    """What is due at `now` for a schedule, worked out once per distinct schedule in a pass."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self._working: dict[ChannelSchedule, bool] = {}
        self._review: dict[ChannelSchedule, DueReview | None] = {}
        self._chase: dict[ChannelSchedule, str | None] = {}

    def working(self, schedule: ChannelSchedule) -> bool:
        if schedule not in self._working:
            self._working[schedule] = working_now(schedule, now=self.now)
        return self._working[schedule]

    def review(self, schedule: ChannelSchedule) -> DueReview | None:
        if schedule not in self._review:
            self._review[schedule] = due_review(schedule=schedule, now=self.now)
        return self._review[schedule]

    def chase_week(self, schedule: ChannelSchedule) -> str | None:
        if schedule not in self._chase:
            self._chase[schedule] = due_chase_week(schedule=schedule, now=self.now)
        return self._chase[schedule]


def _due_chases(
    channels: list[tuple[ChannelSettings, ChannelSchedule]], *, on: _PerSchedule
) -> list[DueChase]:
    due = []
    for channel, schedule in channels:
        week = on.chase_week(schedule) if channel.chase else None
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
