"""The plan-vs-actual report: a summary, one line per milestone, and totals by department and owner."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, PlainTextObject

from bot.core.dates import format_date
from bot.core.forms.buttons import Action
from bot.core.money import Money, format_money
from bot.core.plan_vs_actual import (
    NO_DEPARTMENT,
    NO_OWNER,
    CostVariance,
    Group,
    Report,
    ReportLine,
    cost_variance,
)
from bot.core.text import escape_mrkdwn, excerpt
from bot.render.history import user_mention
from bot.render.labels import days, status_label
from bot.render.message import Message, build_message, context, header, packed_sections, section

# Caps that keep a 200-milestone plan, hostile text and all, well under 50 blocks and 3,000 characters a text.
LINE_LIMIT = 60
GROUP_LIMIT = 20
CURRENCY_LIMIT = 6
SLIP_LIMIT = 3
OVERDUE_LIMIT = 10
TITLE_CHARS = 80
_EMPTY = (
    "No milestones to report yet. Add the first one and the plan starts here: "
    "`/milestone add Launch beta due Dec 15 budget $5,000`"
)
_NARROW_HINT = "narrow with `/milestone report dept &lt;name&gt;`"
_WATCH_STATUSES = ("at_risk", "blocked")


def report_message(
    report: Report,
    *,
    heading: str,
    today: date,
    shared_by: str | None = None,
    share_value: str = "",
) -> Message:
    """The report: summary, milestone lines, by department and owner; a Share button until it is shared."""
    if not report.lines:
        return build_message(
            text=f"{escape_mrkdwn(heading)}: no milestones to report yet",
            blocks=[header(heading), section(_EMPTY)],
        )
    summary = report_summary(report)
    shown = report.lines[:LINE_LIMIT]
    blocks: list[Block] = [
        header(heading),
        section(summary),
        *packed_sections(_line_text(line, today=today) for line in shown),
    ]
    more = len(report.lines) - len(shown)
    if more:
        blocks.append(context(f"…and {more} more; {_NARROW_HINT}"))
    blocks += _group_blocks("By department", report.by_department, missing=NO_DEPARTMENT, label=_department)
    blocks += _group_blocks("By owner", report.by_owner, missing=NO_OWNER, label=_owner)
    legend = f"As of {format_date(today, today=today)} · planned = the first due date set · +d late, −d early"
    blocks.append(context(legend))
    if shared_by:
        blocks.append(context(f"Shared by {user_mention(shared_by)}"))
    else:
        share = ButtonElement(
            text=PlainTextObject(text="Share to channel"),
            action_id=Action.REPORT_SHARE,
            value=share_value or None,
        )
        blocks.append(ActionsBlock(elements=[share]))
    return build_message(text=f"{escape_mrkdwn(heading)}: {summary}", blocks=blocks)


def digest_section(report: Report, *, month_label: str, today: date) -> list[dict]:
    """A month's plan vs actual in three blocks, for the top of the month's first check-in; [] when empty."""
    if not report.lines:
        return []
    blocks: list[Block] = [section(f"*📊 {escape_mrkdwn(month_label)} in review*\n{report_summary(report)}")]
    slipped = [line for line in report.lines if line.status != "cancelled" and (line.slip_days or 0) > 0]
    slipped.sort(key=lambda line: (-(line.slip_days or 0), line.number))
    if slipped:
        worst = [_slip_mention(line) for line in slipped[:SLIP_LIMIT]]
        blocks.append(section("*Biggest slips:* " + " · ".join(worst)))
    overdue = [f"#{line.number}" for line in report.lines if line.overdue]
    if len(overdue) > OVERDUE_LIMIT:
        overdue[OVERDUE_LIMIT:] = [f"{len(overdue) - OVERDUE_LIMIT} more"]
    status = f"⚠️ {report.total.overdue} overdue: {', '.join(overdue)}" if overdue else "✅ Nothing overdue"
    blocks.append(context(f"{status} · Full report: `/milestone report`"))
    return [block.to_dict() for block in blocks]


def report_summary(report: Report) -> str:
    """`12 milestones · 5 done, 4 on time (80%) · 3 overdue · average slip +4.2 days · budget … vs …`."""
    total = report.total
    count = f"{total.count} milestone{'' if total.count == 1 else 's'}"
    if total.cancelled:
        count += f" ({total.cancelled} cancelled)"
    parts = [count, _done(total)]
    if total.overdue:
        parts.append(f"{total.overdue} overdue")
    if total.average_slip_days is not None:
        parts.append(f"average slip {_average(total.average_slip_days)}")
    parts += _money_parts(total, cost_variance(report.lines))
    return " · ".join(parts)


def _done(g: Group) -> str:
    """`5 done, 4 on time (80%)`; the rate only counts milestones that had a planned date."""
    if not g.done:
        return "none done yet"
    rate = g.on_time_rate
    return f"{g.done} done" if rate is None else f"{g.done} done, {g.on_time} on time ({rate:.0%})"


def _on_time(g: Group) -> str:
    """`80% on time (4 of 5)`; `none done yet`; `on time n/a` when nothing done had a planned date."""
    rate = g.on_time_rate
    if rate is not None:
        return f"{rate:.0%} on time ({g.on_time} of {g.on_time + g.late})"
    return "on time n/a" if g.done else "none done yet"


def _average(slip: float) -> str:
    """`+4.2 days`, `−1.5 days`, `0 days`: one decimal, a true minus sign, no `-0.0`."""
    rounded = round(slip, 1)
    if rounded == 0:
        return "0 days"
    return f"{'+' if rounded > 0 else '−'}{abs(rounded):.1f} days"


def _money_parts(g: Group, variances: dict[str, CostVariance]) -> list[str]:
    """Budget against actual, one phrase per currency: amounts in different currencies are never added."""
    currencies = sorted(set(g.budget) | set(g.actual))
    parts = []
    for currency in currencies[:CURRENCY_LIMIT]:
        budget, actual = g.budget.get(currency), g.actual.get(currency)
        if budget is not None and actual is not None:
            text = f"budget {_amount(budget, currency)} vs actual {_amount(actual, currency)}"
            parts.append(
                text + _variance_note(variances.get(currency), gap=actual - budget, currency=currency)
            )
        elif budget is not None:
            parts.append(f"budget {_amount(budget, currency)}, no costs yet")
        elif actual is not None:
            parts.append(f"actual {_amount(actual, currency)}, no budget")
    if len(currencies) > CURRENCY_LIMIT:
        parts.append(f"{len(currencies) - CURRENCY_LIMIT} more currencies")
    return parts


def _variance_note(variance: CostVariance | None, *, gap: int, currency: str) -> str:
    """` (−$3,500)` when totals compare like for like; else the variance of the costed ones, saying so."""
    if variance is None or not variance.costed:
        return ""
    amount = _signed(Money(variance.minor, currency))
    if variance.complete and variance.minor == gap:
        return f" ({amount})"
    return f" ({amount} on {variance.costed} costed)"


def _amount(minor: int, currency: str) -> str:
    return format_money(Money(minor, currency))


def _signed(amount: Money) -> str:
    """`+$400`, `−$3,500`, `on budget`."""
    if amount.minor == 0:
        return "on budget"
    sign = "+" if amount.minor > 0 else "−"
    return sign + format_money(Money(abs(amount.minor), amount.currency))


def _slip(slip_days: int) -> str:
    """`+3 d`, `−2 d`."""
    return f"+{slip_days} d" if slip_days > 0 else f"−{-slip_days} d"


def _title(line: ReportLine) -> str:
    return f"*#{line.number}* {escape_mrkdwn(excerpt(line.title, limit=TITLE_CHARS))}"


def _line_text(line: ReportLine, *, today: date) -> str:
    """`*#12* Launch beta — planned Dec 15 → done Dec 18 (+3 d, 2 revisions) · $5,000 → $5,400 (+$400)`."""
    parts = [f"{_title(line)} — {_dates(line, today=today)}"]
    amounts = _amounts(line)
    if amounts:
        parts.append(amounts)
    if line.overdue and line.current:
        parts.append(f"⚠️ {days((today - line.current).days)} overdue")
    if line.status in _WATCH_STATUSES:
        parts.append(status_label(line.status))
    return " · ".join(parts)


def _dates(line: ReportLine, *, today: date) -> str:
    """Plan against actual (done) or forecast (open), with the slip and revision count in brackets."""
    planned = f"planned {format_date(line.planned, today=today)}" if line.planned else "no planned date"
    notes = []
    if line.status == "cancelled":
        text = f"{planned} → cancelled" if line.planned else "cancelled"
    elif line.status == "done":
        done = format_date(line.completed_on, today=today) if line.completed_on else "date unknown"
        text = f"{planned} → done {done}"
        if line.slip_days is not None:
            notes.append(_slip(line.slip_days) if line.slip_days else "on time")
    elif line.current is None:
        text = f"{planned} → no due date now" if line.planned else "no due date"
    elif line.slip_days:
        text = f"{planned} → now {format_date(line.current, today=today)}"
        notes.append(f"{_slip(line.slip_days)} forecast")
    else:
        text = planned
        notes.append("on plan")
    if line.revisions:
        notes.append(f"{line.revisions} revision{'' if line.revisions == 1 else 's'}")
    return f"{text} ({', '.join(notes)})" if notes else text


def _amounts(line: ReportLine) -> str | None:
    """`$5,000 → $5,400 (+$400)`, `budget $5,000`, `cost €900`; two currencies are shown, not compared."""
    budget, cost = line.budget, line.actual_cost
    if budget and cost:
        text = f"{format_money(budget)} → {format_money(cost)}"
        return f"{text} ({_signed(line.variance)})" if line.variance else text
    if budget:
        return f"budget {format_money(budget)}"
    if cost:
        return f"cost {format_money(cost)}"
    return None


def _slip_mention(line: ReportLine) -> str:
    """`*#12* Launch beta +7 d forecast` or `… +3 d late`, for the digest's biggest slips."""
    kind = "late" if line.status == "done" else "forecast"
    return f"{_title(line)} {_slip(line.slip_days or 0)} {kind}"


def _department(name: str) -> str:
    """`*Marketing*`, escaped; the milestones without one as `_No department_`."""
    return f"_{NO_DEPARTMENT}_" if name == NO_DEPARTMENT else f"*{escape_mrkdwn(excerpt(name, limit=40))}*"


def _owner(name: str) -> str:
    """`<@U123>`, so Slack shows the person's name; the milestones without one as `_No owner_`."""
    return f"_{NO_OWNER}_" if name == NO_OWNER else user_mention(name)


def _group_blocks(
    title: str, groups: list[Group], *, missing: str, label: Callable[[str], str]
) -> list[Block]:
    """A titled list of groups, one line each; nothing when no milestone has a value to group by."""
    if [g.name for g in groups] == [missing]:
        return []
    shown = groups[:GROUP_LIMIT]
    lines = [f"*{title}*", *(_group_line(g, label=label(g.name)) for g in shown)]
    if len(groups) > len(shown):
        lines.append(f"…and {len(groups) - len(shown)} more")
    return list(packed_sections(lines, max_lines=GROUP_LIMIT + 2))


def _group_line(g: Group, *, label: str) -> str:
    """`*Marketing* · 5 milestones · 80% on time (4 of 5) · average slip +2.0 days · ⚠️ 1 overdue`."""
    parts = [
        label,
        f"{g.count} milestone{'' if g.count == 1 else 's'}",
        _on_time(g),
    ]
    if g.average_slip_days is not None:
        parts.append(f"average slip {_average(g.average_slip_days)}")
    if g.overdue:
        parts.append(f"⚠️ {g.overdue} overdue")
    return " · ".join(parts)
