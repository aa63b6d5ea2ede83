"""Short phrases shared by the milestone messages: statuses, day counts, plan vs actual."""

from __future__ import annotations

from datetime import date

from bot.core.dates import format_weekday_date
from bot.core.money import Money, format_money
from bot.core.revisions import budget_of, cost_of
from bot.core.text import escape_mrkdwn
from bot.render.dates import days, done_words, due_words, when_due
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


def status_text(m: Milestone, *, today: date) -> str:
    """The status label; a finished one says when, as its due date does: `✅ done Tue Dec 1`."""
    if m.status == "done" and m.completed_on is not None:
        return f"✅ {done_words(m.completed_on, today=today)}"
    return status_label(m.status)


def due_on(m: Milestone, *, today: date) -> str:
    """For answers read at once: `due Fri Dec 11 · in 11 days`, `… · ⚠️ 3 days overdue`; `no due date`."""
    return due_words(m.due_date, today=today, closed=m.status in CLOSED_STATUSES)


def due_text(m: Milestone, *, today: date) -> str:
    """The due date, how far off, the plan it left: `Sun Dec 20 · in 20 days (planned Tue Dec 15, …)`."""
    if m.due_date is None:
        return "no due date"
    text = when_due(m.due_date, today=today, closed=m.status in CLOSED_STATUSES)
    baseline = m.baseline_due_date
    if baseline is not None and baseline != m.due_date:
        shift = (m.due_date - baseline).days
        moved = f"slipped {days(shift)}" if shift > 0 else f"{days(-shift)} earlier"
        text += f" (planned {format_weekday_date(baseline, today=today)}, {moved})"
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
