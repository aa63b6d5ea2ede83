"""The plan-vs-actual report: three headline figures, then Late, At risk, On plan and Done, a timeline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, ImageBlock, PlainTextObject

from bot.core.dates import format_weekday_date
from bot.core.forms.buttons import Action
from bot.core.money import Money, format_money
from bot.core.plan_vs_actual import CostVariance, Group, Report, ReportLine, Standing, cost_variance
from bot.core.text import counted, escape_mrkdwn, excerpt
from bot.core.timeline import charted_count
from bot.render.history import user_mention
from bot.render.message import Message, build_message, context, header, packed_sections, section
from bot.render.report_lines import DEPARTMENT_CHARS, line_text, milestone_title, over_under, slip_words

# Caps that keep a 1,000-milestone plan, hostile text and all, under 50 blocks and 3,000 characters a text.
GROUP_LINES = 15
DEPARTMENT_LIMIT = 12
CURRENCY_LIMIT = 4
CANCELLED_LIMIT = 10
SLIP_LIMIT = 3
OVERDUE_LIMIT = 10
_EMPTY = (
    "No milestones to report yet. Add the first one and the plan starts here: "
    "`/milestone add Launch beta due Dec 15 budget $5,000`"
)
_NARROW_HINT = "narrow with `/milestone report dept &lt;name&gt;`"
_GROUPS = (
    (Standing.LATE, "Late", "open, past due"),
    (
        Standing.AT_RISK,
        "At risk",
        "open, flagged at risk or blocked, now due later than planned, or likely late by the team's record",
    ),
    (Standing.ON_PLAN, "On plan", "open, due on or before the planned date"),
    (Standing.DONE, "Done", "finished"),
)
_DEFINITIONS = (
    "*Planned* is the first due date set, and *on time* means finished by it; *plan changes* are due dates,"
    " start dates or budgets changed once set (status, owner and notes are not counted)."
)


@dataclass(frozen=True)
class ChartImage:
    """One page of the timeline, uploaded to Slack: the file an image block shows, and its title."""

    file_id: str
    title: str


def report_message(
    report: Report,
    *,
    heading: str,
    today: date,
    shared_by: str | None = None,
    share_value: str = "",
    charts: Sequence[ChartImage] = (),
) -> Message:
    """The report: headline figures, the four groups, the timeline; a Share button until it is shared."""
    if not report.lines:
        return build_message(
            text=f"{escape_mrkdwn(heading)}: no milestones to report yet",
            blocks=[header(heading), section(_EMPTY)],
        )
    headline = headline_lines(report)
    blocks: list[Block] = [header(heading), section("\n".join(headline))]
    for standing, title, meaning in _GROUPS:
        blocks += _group_blocks(report.standing(standing), title=title, meaning=meaning, today=today)
    blocks += _chart_blocks(report, charts)
    blocks += _department_blocks(report.by_department)
    cancelled = report.standing(Standing.CANCELLED)
    if cancelled:
        blocks.append(context(_cancelled_line(cancelled)))
    blocks.append(context(f"As of {format_weekday_date(today, today=today)}. {_DEFINITIONS}"))
    if shared_by:
        blocks.append(context(f"Shared by {user_mention(shared_by)}"))
    else:
        share = ButtonElement(
            text=PlainTextObject(text="Share to channel"),
            action_id=Action.REPORT_SHARE,
            value=share_value or None,
        )
        blocks.append(ActionsBlock(elements=[share]))
    summary = f"On time so far: {_on_time(report.total)} · Late: {_late(report.total)}"
    return build_message(text=f"{escape_mrkdwn(heading)}: {summary}", blocks=blocks)


def headline_lines(report: Report) -> list[str]:
    """The three headline figures, each saying in words what it counts."""
    total = report.total
    return [
        f"*On time so far:* {_on_time(total)}",
        f"*Late:* {_late(total)}",
        f"*Budget vs actual:* {_budget(total, cost_variance(report.lines))}",
    ]


def digest_section(report: Report, *, month_label: str, today: date) -> list[dict]:
    """A month's plan vs actual in three blocks, for the top of the month's first check-in; [] when empty."""
    if not report.lines:
        return []
    title = f"*📊 {escape_mrkdwn(month_label)} in review*"
    blocks: list[Block] = [section("\n".join([title, *headline_lines(report)]))]
    slipped = [line for line in report.lines if line.status != "cancelled" and (line.slip_days or 0) > 0]
    slipped.sort(key=lambda line: (-(line.slip_days or 0), line.number))
    if slipped:
        worst = [f"{milestone_title(line)}, {slip_words(line)}" for line in slipped[:SLIP_LIMIT]]
        blocks.append(section("*Furthest behind plan:* " + " · ".join(worst)))
    late = report.standing(Standing.LATE)
    numbers = [f"#{line.number}" for line in late[:OVERDUE_LIMIT]]
    if len(late) > OVERDUE_LIMIT:
        numbers.append(f"{len(late) - OVERDUE_LIMIT} more")
    status = f"⚠️ {len(late)} past due: {', '.join(numbers)}" if late else "✅ Nothing past due"
    blocks.append(context(f"{status} · Full report: `/milestone report`"))
    return [block.to_dict() for block in blocks]


# --- the headline --------------------------------------------------------------------------------------


def _on_time(total: Group) -> str:
    """`3 of 4 finished milestones (75%)`: finished on or before the date first planned."""
    if not total.done:
        return "nothing finished yet"
    if not total.judged:
        return f"{counted(total.done, 'milestone')} finished, none with a planned date"
    rate = total.on_time / total.judged
    text = f"{total.on_time} of {counted(total.judged, 'finished milestone')} ({rate:.0%})"
    unplanned = total.done - total.judged
    return text + (f" · {unplanned} more finished without a planned date" if unplanned else "")


def _late(total: Group) -> str:
    """`2 open past due · 1 finished late`."""
    parts = []
    if total.overdue:
        parts.append(f"{total.overdue} open past due")
    if total.late:
        parts.append(f"{total.late} finished late")
    return " · ".join(parts) or "nothing late"


def _budget(total: Group, variances: dict[str, CostVariance]) -> str:
    """Per currency, budgets against costs: amounts in different currencies are never added."""
    currencies = sorted(set(total.budget) | set(total.actual), key=lambda c: (c not in total.budget, c))
    if not currencies:
        return "no budgets set"
    parts = [
        _currency_budget(currency, total=total, variance=variances.get(currency))
        for currency in currencies[:CURRENCY_LIMIT]
    ]
    if len(currencies) > CURRENCY_LIMIT:
        more = len(currencies) - CURRENCY_LIMIT
        parts.append(f"and {more} more {'currency' if more == 1 else 'currencies'}")
    return "; ".join(parts)


def _currency_budget(currency: str, *, total: Group, variance: CostVariance | None) -> str:
    """`$12,000 planned · $13,500 spent · $1,500 over budget (12%)`."""
    budget, actual = total.budget.get(currency), total.actual.get(currency)
    spent = f"{_amount(actual, currency)} spent" if actual is not None else "nothing spent yet"
    if budget is None:
        return f"{spent}, no budget set"
    parts = [f"{_amount(budget, currency)} planned", spent]
    if variance is not None and variance.costed:
        gap = over_under(Money(variance.minor, currency), share=variance.share)
        like_for_like = variance.complete and variance.minor == (actual or 0) - budget
        if not like_for_like:
            gap += f" on the {counted(variance.costed, 'milestone')} with a cost so far"
        parts.append(gap)
    return " · ".join(parts)


def _amount(minor: int, currency: str) -> str:
    return format_money(Money(minor, currency))


# --- the groups ----------------------------------------------------------------------------------------


def _group_blocks(lines: list[ReportLine], *, title: str, meaning: str, today: date) -> list[Block]:
    """A group's title, what it holds, and its lines, cut with "…and N more"; nothing when it is empty."""
    if not lines:
        return []
    shown = lines[:GROUP_LINES]
    texts = [
        f"*{title}* ({meaning}) · {counted(len(lines), 'milestone')}",
        *(line_text(line, today=today) for line in shown),
    ]
    if len(lines) > len(shown):
        texts.append(f"…and {len(lines) - len(shown)} more; {_NARROW_HINT}")
    return list(packed_sections(texts, max_lines=GROUP_LINES + 2))


# --- the timeline, departments, cancelled ------------------------------------------------------------


def _chart_blocks(report: Report, charts: Sequence[ChartImage]) -> list[Block]:
    """One image block per timeline page, and a line when the timeline could not hold every milestone."""
    drawn, drawable = charted_count(report.lines)
    alt = f"Timeline of {counted(drawn, 'milestone')}: the planned dates against what happened"
    blocks: list[Block] = [
        ImageBlock(slack_file={"id": chart.file_id}, alt_text=alt, title=excerpt(chart.title, limit=150))
        for chart in charts
    ]
    if charts and drawn < drawable:
        blocks.append(
            context(f"The timeline shows {drawn} of {counted(drawable, 'dated milestone')}; {_NARROW_HINT}")
        )
    return blocks


def _department_blocks(groups: list[Group]) -> list[Block]:
    """`By department: Marketing — 3 milestones, 1 past due · Sales — 2 milestones`; nothing for one."""
    if len(groups) < 2:
        return []
    shown = [_department_part(g) for g in groups[:DEPARTMENT_LIMIT]]
    if len(groups) > DEPARTMENT_LIMIT:
        shown.append(f"{counted(len(groups) - DEPARTMENT_LIMIT, 'more department')}")
    return [context("*By department:* " + " · ".join(shown))]


def _department_part(g: Group) -> str:
    parts = [counted(g.count, "milestone")]
    if g.overdue:
        parts.append(f"{g.overdue} past due")
    if g.judged:
        parts.append(f"{g.on_time} of {g.judged} finished on time")
    return f"{escape_mrkdwn(excerpt(g.name, limit=DEPARTMENT_CHARS))} — {', '.join(parts)}"


def _cancelled_line(lines: list[ReportLine]) -> str:
    """`Cancelled, left out of every figure: #5 Old idea, #9 …`."""
    shown = [milestone_title(line) for line in lines[:CANCELLED_LIMIT]]
    if len(lines) > CANCELLED_LIMIT:
        shown.append(f"and {len(lines) - CANCELLED_LIMIT} more")
    return "Cancelled, left out of every figure above: " + ", ".join(shown)
