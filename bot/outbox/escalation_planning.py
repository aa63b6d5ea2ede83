"""Escalations as outbox rows: a milestone overdue so many working days gets one DM and one channel line.

Planned on the channel's escalation day at its reminder time (or, when no scheduler ran then, on one of the
next CATCH_UP_WORKING_DAYS working days), once per due date: a new date means a new escalation later, and
the waiting ones are no longer wanted (see wanted.py). Paused channels plan nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session

from bot.core.escalation import (
    due_dates_escalating_by,
    escalation_key,
    escalation_moment,
    working_days_overdue,
)
from bot.core.schedule import ChannelSchedule
from bot.outbox.reminder_planning import reminder_row
from bot.outbox.timing import working_now
from bot.render.escalation import escalation_dm, escalation_line
from storage import deliveries
from storage.milestones import open_milestones_due_between
from storage.models import ChannelSettings, Milestone


@dataclass(frozen=True)
class _Escalating:
    """A channel with escalation on, working today: the due dates that reach its threshold today."""

    settings: ChannelSettings
    schedule: ChannelSchedule
    today: date
    first: date
    last: date


def plan_escalations(
    session: Session,
    *,
    settings: dict[tuple[str, str, str], ChannelSettings],
    schedules: dict[tuple[str, str, str], ChannelSchedule],
    now: datetime,
) -> list[str]:
    """Plan the DM and the channel line of each milestone whose escalation is due now; keys added."""
    channels = _escalating_channels(settings=settings, schedules=schedules, now=now)
    due = [
        (milestone, channel)
        for first, last in _merged({(c.first, c.last) for c in channels.values()})
        for milestone in open_milestones_due_between(session=session, first=first, last=last)
        if (channel := channels.get((milestone.enterprise_id, milestone.team_id, milestone.channel_id)))
        and _due_now(milestone, channel=channel, now=now)
    ]
    # Every pass after the moment finds them again: only those not yet planned are worded.
    targets = {id(m): _targets(m, channel=c) for m, c in due}
    planned_already = deliveries.existing_keys(
        session=session, keys=[key for keys in targets.values() for key in keys]
    )
    rows = [
        row
        for milestone, channel in due
        if not set(targets[id(milestone)]) <= planned_already
        for row in _escalation_rows(milestone, channel=channel, targets=targets[id(milestone)], now=now)
        if row["key"] not in planned_already
    ]
    inserted = deliveries.plan_deliveries(session=session, rows=rows)
    return [row["key"] for row in rows if row["key"] in inserted]


def _merged(windows: set[tuple[date, date]]) -> list[tuple[date, date]]:
    """Overlapping or touching date ranges as one: each is read once, and nothing between them."""
    merged: list[tuple[date, date]] = []
    for first, last in sorted(windows):
        if merged and first <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(last, merged[-1][1]))
        else:
            merged.append((first, last))
    return merged


def _targets(milestone: Milestone, *, channel: _Escalating) -> dict[str, str]:
    """The escalation's keys and where each goes: the person's DM, then the milestone's channel."""
    due = milestone.due_date or channel.today
    people = (channel.settings.escalate_to or "", milestone.channel_id)
    return {escalation_key(milestone_id=milestone.id or 0, due=due, target=t): t for t in people}


def _escalating_channels(
    *,
    settings: dict[tuple[str, str, str], ChannelSettings],
    schedules: dict[tuple[str, str, str], ChannelSchedule],
    now: datetime,
) -> dict[tuple[str, str, str], _Escalating]:
    """Channels with escalation on, not paused, on a working day, and the due dates escalating today.

    Today's, and those of the last few working days: a pass that found one already planned plans nothing.
    """
    found = {}
    for key, channel in settings.items():
        if channel.paused or not channel.escalate_days or not channel.escalate_to:
            continue
        schedule = schedules[key]
        if not working_now(schedule, now=now):
            continue
        today = schedule.local_date(now)
        window = due_dates_escalating_by(day=today, days=channel.escalate_days, calendar=schedule.calendar)
        if window is not None:
            found[key] = _Escalating(channel, schedule, today, first=window[0], last=window[1])
    return found


def _due_now(milestone: Milestone, *, channel: _Escalating, now: datetime) -> bool:
    """Its due date reaches the threshold today, the reminder time has come, and the date was set before."""
    due = milestone.due_date
    if due is None or not channel.first <= due <= channel.last:
        return False
    days = channel.settings.escalate_days or 0
    moment = escalation_moment(due=due, days=days, schedule=channel.schedule)
    due_set_at = milestone.due_changed_at or milestone.created_at
    return due_set_at <= moment <= now


def _escalation_rows(
    milestone: Milestone, *, channel: _Escalating, targets: dict[str, str], now: datetime
) -> list[dict]:
    """The DM to the person escalated to, and the line in the milestone's channel (`targets`, by key)."""
    person, due = channel.settings.escalate_to or "", milestone.due_date or channel.today
    # As overdue as it is today: more than the setting's days when a missed day is caught up.
    days = working_days_overdue(due=due, day=channel.today, calendar=channel.schedule.calendar)
    messages = [
        escalation_dm(milestone, days=days, today=channel.today),
        escalation_line(milestone, days=days, to=person),
    ]
    return [
        reminder_row(milestone, key=key, target=target, message=message, not_before=now, now=now)
        for (key, target), message in zip(targets.items(), messages, strict=True)
    ]
