"""A workspace's track record — how late its finished milestones were — and the forecasts it gives."""

from __future__ import annotations

from datetime import date
from functools import partial

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.dependencies import forecast_after
from bot.core.dependency_links import open_before
from bot.core.forecasts import Forecast, Slip, forecast, slip
from bot.core.work_calendars import work_calendars
from bot.core.workdays import WorkCalendar
from storage.models import CLOSED_STATUSES, Milestone
from storage.track_record import finished_milestones
from storage.workspace import Workspace


def track_record(session: Session, *, workspace: Workspace) -> list[Slip]:
    """How late the workspace's recently finished milestones were: what forecasts go by."""
    finished = finished_milestones(session=session, workspace=workspace)
    slips = (
        slip(owner_id=f.owner_id, department=f.department, planned=f.planned, completed=f.completed)
        for f in finished
    )
    return [s for s in slips if s is not None]


def forecast_of(
    *, engine: Engine, workspace: Workspace, milestone: Milestone, today: date
) -> Forecast | None:
    """When an open milestone will likely be done, by the workspace's record; None when closed or unknown."""
    if milestone.status in CLOSED_STATUSES or milestone.due_date is None:
        return None
    with Session(engine) as session:
        slips = track_record(session, workspace=workspace)
        waits_on = open_before(session, milestone=milestone)
        channels = {m.channel_id for m in (milestone, *waits_on)}
        calendars = work_calendars(session, workspace=workspace, channel_ids=channels)
    own = partial(_own_forecast, slips=slips, today=today, calendars=calendars)
    likely = own(milestone)
    # Never earlier than any open milestone it comes after, however far up the chain.
    for before in waits_on:
        likely = forecast_after(likely, before=own(before))
    return likely


def _own_forecast(
    milestone: Milestone, *, slips: list[Slip], today: date, calendars: dict[str, WorkCalendar]
) -> Forecast | None:
    if milestone.due_date is None:
        return None
    return forecast(
        due=milestone.due_date,
        owner_id=milestone.owner_id,
        department=milestone.department,
        slips=slips,
        today=today,
        calendar=calendars.get(milestone.channel_id),
    )
