"""One milestone of the plan-vs-actual report in words: its dates, where it stands, plan changes, money."""

from __future__ import annotations

from datetime import date

from bot.core.dates import format_weekday_date
from bot.core.forecasts import Forecast
from bot.core.money import Money, format_money
from bot.core.plan_vs_actual import ReportLine
from bot.core.text import counted, escape_mrkdwn, excerpt
from bot.render.history import user_mention
from bot.render.labels import days, status_label
from bot.render.review_confidence import report_words

TITLE_CHARS = 80
DEPARTMENT_CHARS = 40


def line_text(line: ReportLine, *, today: date) -> str:
    """`*#4* Launch beta · <@U1> · Marketing · planned Tue Dec 15 → now Fri Dec 18 · 3 days behind plan`."""
    parts = [milestone_title(line)]
    if line.owner_id:
        parts.append(user_mention(line.owner_id))
    if line.department:
        parts.append(escape_mrkdwn(excerpt(line.department, limit=DEPARTMENT_CHARS)))
    parts.append(_dates(line, today=today))
    verdict = _verdict(line)
    if verdict:
        parts.append(verdict)
    if line.status in ("at_risk", "blocked"):
        parts.append(status_label(line.status))
    if line.plan_changes:
        parts.append(f"plan changed {_times(line.plan_changes)}")
    if line.forecast is not None:
        parts.append(forecast_words(line.forecast, due=line.current, today=today))
    if line.confidence is not None:
        parts.append(report_words(line.confidence))
    money = _line_money(line)
    if money:
        parts.append(money)
    return " · ".join(parts)


def _dates(line: ReportLine, *, today: date) -> str:
    """`planned Tue Dec 15 → now Fri Dec 18`, `→ finished …`, or `due Tue Dec 15` when the plan holds."""

    def day(value: date) -> str:
        return format_weekday_date(value, today=today)

    planned = f"planned {day(line.planned)}" if line.planned else "no planned date"
    if line.status == "done":
        finished = (
            f"finished {day(line.completed_on)}" if line.completed_on else "finished, date not recorded"
        )
        return f"{planned} → {finished}" if line.planned else finished
    if line.current is None:
        return "no due date"
    if line.planned is None or line.current == line.planned:
        return f"due {day(line.current)}"
    return f"{planned} → now {day(line.current)}"


def _verdict(line: ReportLine) -> str | None:
    """How it stands, in days and words: `5 days past due`, `3 days behind plan`, `finished 2 days late`."""
    if line.status == "done":
        return _finished_words(line)
    if line.overdue:
        return f"{days(line.days_past_due)} past due"
    if line.slip_days:
        return slip_words(line)
    return None


def forecast_words(forecast: Forecast, *, due: date | None, today: date) -> str:
    """`likely Sat Jan 9 (2 days late), between Mon Jan 4 and Wed Jan 20, from 14 past milestones`."""

    def day(value: date) -> str:
        return format_weekday_date(value, today=today)

    likely = f"likely {day(forecast.likely)}"
    late = forecast.days_late(due) if due else 0
    if late:
        likely += f" ({days(late)} late)"
    if forecast.earliest != forecast.latest:
        likely += f", between {day(forecast.earliest)} and {day(forecast.latest)}"
    return f"{likely}, from {counted(forecast.samples, 'past milestone')}"


def _finished_words(line: ReportLine) -> str | None:
    if line.slip_days is None:
        return None
    if line.slip_days == 0:
        return "on time"
    return f"{days(abs(line.slip_days))} {'late' if line.slip_days > 0 else 'early'}"


def slip_words(line: ReportLine) -> str:
    """`3 days behind plan` (open) or `finished 3 days late` (done), for a slip against the plan."""
    slip = line.slip_days or 0
    if line.status == "done":
        return f"finished {_finished_words(line)}"
    return f"{days(abs(slip))} {'behind' if slip > 0 else 'ahead of'} plan"


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def _line_money(line: ReportLine) -> str | None:
    """`$5,000 budget, $5,400 spent ($400 over)`; two currencies are shown, never compared."""
    budget, cost = line.budget, line.actual_cost
    parts = []
    if budget:
        parts.append(f"{format_money(budget)} budget")
    if cost:
        parts.append(f"{format_money(cost)} spent")
    text = ", ".join(parts)
    if line.variance is not None and line.variance.minor:
        text += f" ({over_under(line.variance, share=None).removesuffix(' budget')})"
    return text or None


def milestone_title(line: ReportLine) -> str:
    """`*#4* Launch beta`: the number in bold, the title cut and escaped."""
    return f"*#{line.number}* {escape_mrkdwn(excerpt(line.title, limit=TITLE_CHARS))}"


def over_under(gap: Money, *, share: float | None) -> str:
    """`$1,500 over budget (12%)`, `$500 under budget (4%)`, `on budget`."""
    if gap.minor == 0:
        return "on budget"
    word = "over" if gap.minor > 0 else "under"
    text = f"{format_money(Money(abs(gap.minor), gap.currency))} {word} budget"
    return text + (f" ({abs(share):.0%})" if share is not None and round(abs(share), 2) else "")
