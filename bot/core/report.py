"""Which milestones a plan-vs-actual report covers, with how often their plan changed, and what to call it."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.command_types import ReportCommand
from bot.core.confidence_trends import confidence_trends
from bot.core.departments import canonical_department
from bot.core.headings import report_heading
from bot.core.plan_vs_actual import PLAN_FIELDS, Report, build_report, with_forecasts
from bot.core.track_record import track_record
from bot.core.work_calendars import work_calendars
from storage import milestones as queries
from storage.models import CLOSED_STATUSES, Milestone
from storage.workspace import Workspace

REPORT_LIMIT = 1000
EXPORT_LIMIT = 5000


@dataclass(frozen=True)
class ScopedReport:
    """A report, its heading, and whether more milestones matched than it covers."""

    report: Report
    heading: str
    total: int


def load_report(
    *,
    engine: Engine,
    workspace: Workspace,
    channel_id: str,
    request: ReportCommand,
    today: date,
    owner_name: str = "",
    channel_name: str = "",
) -> ScopedReport:
    """The report a request asks for: the channel by default, or the workspace, a department, a person."""
    with Session(engine) as session:
        if request.department:
            # Named as the workspace spells it, as its lines are: `report dept MARKETING` is about Marketing.
            spelt = canonical_department(session, workspace=workspace, typed=request.department)
            request = replace(request, department=spelt)
        found, total = _find(session, request, workspace=workspace, channel_id=channel_id)
        report = build_report(_with_plan_changes(session, found), today=today)
        calendars = work_calendars(session, workspace=workspace, channel_ids={m.channel_id for m in found})
        slips = track_record(session, workspace=workspace)
        by_id = {m.id: calendars[m.channel_id] for m in found if m.id is not None}
        report = with_forecasts(report, slips=slips, today=today, calendars=by_id)
        report = _with_confidence(session, report, found)
    heading = report_heading(request, owner_name=owner_name, channel_name=channel_name, today=today)
    return ScopedReport(report=report, heading=heading, total=total)


def _with_confidence(session: Session, report: Report, found: list[Milestone]) -> Report:
    """The report with each open line's confidence trend from the weekly reviews, where owners gave one."""
    open_ids = {m.number: m.id for m in found if m.id is not None and m.status not in CLOSED_STATUSES}
    trends = confidence_trends(session, milestone_ids=list(open_ids.values()))
    lines = [replace(line, confidence=trends.get(open_ids.get(line.number) or 0)) for line in report.lines]
    return replace(report, lines=lines)


def month_in_review(
    session: Session, *, workspace: Workspace, channel_id: str, start: date, end: date, today: date
) -> Report:
    """The channel's milestones due or finished from `start` to before `end`, and those still overdue."""
    found = queries.month_in_review(
        session=session,
        workspace=workspace,
        channel_id=channel_id,
        start=start,
        end=end,
        today=today,
        limit=REPORT_LIMIT,
    )
    return build_report(_with_plan_changes(session, found), today=today)


def _find(
    session: Session, request: ReportCommand, *, workspace: Workspace, channel_id: str
) -> tuple[list[Milestone], int]:
    where: dict[str, Any] = {
        "session": session,
        "workspace": workspace,
        "limit": REPORT_LIMIT,
        "since": request.since,
    }
    match request.scope:
        case "all":
            return queries.workspace_milestones(**where)
        case "dept":
            return queries.department_milestones(**where, department=request.department)
        case "owner":
            return queries.owner_milestones(**where, owner_id=request.owner_id)
    return queries.channel_milestones(**where, channel_id=channel_id)


def _with_plan_changes(session: Session, found: list[Milestone]) -> list[tuple[Milestone, int]]:
    # A date or budget given for the first time makes the plan; only replacing one changes it.
    return _with_revision_counts(session, found, fields=PLAN_FIELDS, replacing_only=True)


def _with_revision_counts(
    session: Session,
    found: list[Milestone],
    *,
    fields: frozenset[str] | None = None,
    replacing_only: bool = False,
) -> list[tuple[Milestone, int]]:
    ids = [m.id for m in found if m.id]
    counts = queries.revision_counts(
        session=session, milestone_ids=ids, fields=fields, replacing_only=replacing_only
    )
    return [(m, counts.get(m.id or 0, 0)) for m in found]


def share_value(request: ReportCommand) -> str:
    """The report request as a button value, so "Share to channel" posts the same report."""
    return json.dumps(
        {
            "scope": request.scope,
            "dept": request.department,
            "owner": request.owner_id,
            "since": request.since.isoformat() if request.since else None,
        },
        separators=(",", ":"),
    )[:2000]


def request_from_share(value: str) -> ReportCommand:
    """The request a "Share to channel" button carries."""
    data = json.loads(value)
    return ReportCommand(
        scope=data["scope"],
        department=data.get("dept"),
        owner_id=data.get("owner"),
        since=date.fromisoformat(data["since"]) if data.get("since") else None,
    )


def channel_milestones(
    *, engine: Engine, workspace: Workspace, channel_id: str
) -> list[tuple[Milestone, int]]:
    """Every milestone of a channel, soonest due first, with its count of every revision (for exports)."""
    with Session(engine) as session:
        found, _ = queries.channel_milestones(
            session=session, workspace=workspace, channel_id=channel_id, limit=EXPORT_LIMIT
        )
        return _with_revision_counts(session, found)
