"""What a list or a plan-vs-actual report is called: a heading by scope, naming its owner or department."""

from __future__ import annotations

from datetime import date

from bot.core.command_types import ListCommand, ReportCommand
from bot.core.dates import format_date

# Plain text: headings are header blocks, where Slack shows <#C…> or <@U…> markup as typed.
_LIST_HEADINGS = {
    "all": "All milestones in this channel",
    "done": "Done in this channel",
    "overdue": "Overdue in this channel",
    "upcoming": "Due in the next 4 weeks in this channel",
    "mine": "Your open milestones",
    "owner": "Open milestones of {owner}",
    "dept": "Open milestones in {department}",
}
_OPEN_HERE = "Open milestones in this channel"
_REPORT_HEADINGS = {
    "all": "Plan vs actual — the whole workspace",
    "dept": "Plan vs actual — {department}",
    "owner": "Plan vs actual — {owner}",
}
_REPORT_HERE = "Plan vs actual — this channel"
_REPORT_HERE_NAMED = "Plan vs actual — #"


def list_heading(request: ListCommand, *, owner_name: str) -> str:
    """The heading of `/milestone list …`: the channel's open milestones unless the scope says otherwise."""
    return _filled(_LIST_HEADINGS.get(request.scope, _OPEN_HERE), request.department, owner_name=owner_name)


def report_heading(request: ReportCommand, *, owner_name: str, today: date, channel_name: str = "") -> str:
    """The heading of a report: the channel's by its name unless the scope says otherwise, and since when."""
    template = _REPORT_HEADINGS.get(request.scope)
    if template is not None:
        heading = _filled(template, request.department, owner_name=owner_name)
    else:
        heading = f"{_REPORT_HERE_NAMED}{channel_name}" if channel_name else _REPORT_HERE
    if request.since is not None:
        heading += f" since {format_date(request.since, today=today)}"
    return heading


def _filled(template: str, department: str | None, *, owner_name: str) -> str:
    # A person whose name could not be looked up is still named, as "one owner".
    return template.format(owner=owner_name or "one owner", department=department)
