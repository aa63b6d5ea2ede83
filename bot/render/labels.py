"""Short phrases shared by the milestone messages: statuses, day counts, plan vs actual."""

from __future__ import annotations

from datetime import date

from bot.core.dates import format_date, format_weekday_date
from bot.core.money import Money, format_money
from bot.core.revisions import budget_of, cost_of
from bot.core.text import escape_mrkdwn
from storage.models import CLOSED_STATUSES, Milestone

_STATUS_LABELS = {
    "open": "⚪ Open",
    "on_track": "🟢 On track",
    "at_risk": "🟡 At risk",
    "blocked": "🔴 Blocked",
    "done": "✅ Done",
    "cancelled": "⚫ Cancelled",
}


def status_label(status: str) -> str:
    """Emoji and words for a status: `🟢 On track`."""
    return _STATUS_LABELS.get(status) or escape_mrkdwn(status.replace("_", " ").capitalize())


def days(count: int) -> str:
    """`1 day`, `5 days`."""
    return f"{count} day" if count == 1 else f"{count} days"


def days_overdue(m: Milestone, *, today: date) -> int:
    """How many days past due an unfinished milestone is; 0 when not overdue."""
    if m.due_date is None or m.status in CLOSED_STATUSES:
        return 0
    return max((today - m.due_date).days, 0)


def due_on(m: Milestone, *, today: date) -> str:
    """`due Fri Dec 11`, the weekday people plan by; `no due date` without one."""
    return f"due {format_weekday_date(m.due_date, today=today)}" if m.due_date else "no due date"


def due_text(m: Milestone, *, today: date) -> str:
    """Due date with the plan it moved from: `Dec 20 (planned Dec 15, slipped 5 days)`."""
    if m.due_date is None:
        return "no due date"
    text = format_date(m.due_date, today=today)
    baseline = m.baseline_due_date
    if baseline is not None and baseline != m.due_date:
        shift = (m.due_date - baseline).days
        moved = f"slipped {days(shift)}" if shift > 0 else f"{days(-shift)} earlier"
        text += f" (planned {format_date(baseline, today=today)}, {moved})"
    return text


def timeliness(m: Milestone) -> str | None:
    """Completion against the original plan: `on time`, `2 days early`, `3 days late`."""
    planned = m.baseline_due_date or m.due_date
    if m.completed_on is None or planned is None:
        return None
    late = (m.completed_on - planned).days
    if late == 0:
        return "on time"
    return f"{days(late)} late" if late > 0 else f"{days(-late)} early"


def cost_vs_budget(m: Milestone) -> str | None:
    """Actual cost against budget: `$5,500 — $500 over budget`; None when no cost is recorded."""
    cost = cost_of(m)
    if cost is None:
        return None
    budget = budget_of(m)
    text = format_money(cost)
    if budget is None:
        return text
    if budget.currency != cost.currency:
        # Converting currencies would need a rate we do not have; show both instead of a wrong variance.
        return f"{text} (budget {format_money(budget)})"
    gap = cost.minor - budget.minor
    if gap == 0:
        return f"{text} — on budget"
    side = "over" if gap > 0 else "under"
    return f"{text} — {format_money(Money(abs(gap), cost.currency))} {side} budget"
