"""Which milestones a plan-vs-actual report covers, with their revision counts, and what to call it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Engine, func, or_
from sqlmodel import Session, col

from bot.core.command_types import ReportCommand
from bot.core.dates import format_date
from bot.core.plan_vs_actual import Report, build_report
from storage import milestones as queries
from storage.models import Milestone
from storage.workspace import Workspace

REPORT_LIMIT = 1000


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
) -> ScopedReport:
    """The report a request asks for: the channel by default, or the workspace, a department, a person."""
    conditions, heading = _scope(request, channel_id=channel_id, owner_name=owner_name)
    if request.since is not None:
        conditions.append(
            or_(col(Milestone.completed_on) >= request.since, col(Milestone.due_date) >= request.since)
        )
        heading += f" since {format_date(request.since, today=today)}"
    with Session(engine) as session:
        report, total = report_for(session, workspace=workspace, conditions=conditions, today=today)
    return ScopedReport(report=report, heading=heading, total=total)


def report_for(
    session: Session, *, workspace: Workspace, conditions: list[ColumnElement[bool]], today: date
) -> tuple[Report, int]:
    """The report over the milestones matching `conditions` (up to REPORT_LIMIT), and how many matched."""
    found, total = queries.find_milestones(
        session, workspace=workspace, conditions=conditions, limit=REPORT_LIMIT
    )
    counts = queries.revision_counts(session, milestone_ids=[m.id for m in found if m.id])
    return build_report([(m, counts.get(m.id or 0, 0)) for m in found], today=today), total


def _scope(
    request: ReportCommand, *, channel_id: str, owner_name: str
) -> tuple[list[ColumnElement[bool]], str]:
    match request.scope:
        case "all":
            return [], "Plan vs actual — the whole workspace"
        case "dept":
            name = (request.department or "").lower()
            return [func.lower(col(Milestone.department)) == name], f"Plan vs actual — {request.department}"
        case "owner":
            return [
                col(Milestone.owner_id) == request.owner_id
            ], f"Plan vs actual — {owner_name or 'one owner'}"
    # Plain text: the heading is a header block, where Slack shows <#C…> markup as typed.
    return [col(Milestone.channel_id) == channel_id], "Plan vs actual — this channel"


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
    *, engine: Engine, workspace: Workspace, channel_id: str, limit: int = 5000
) -> list[tuple[Milestone, int]]:
    """Every milestone of a channel, soonest due first, with its revision count (for exports)."""
    with Session(engine) as session:
        found, _ = queries.find_milestones(
            session, workspace=workspace, conditions=[col(Milestone.channel_id) == channel_id], limit=limit
        )
        counts = queries.revision_counts(session, milestone_ids=[m.id for m in found if m.id])
    return [(m, counts.get(m.id or 0, 0)) for m in found]
