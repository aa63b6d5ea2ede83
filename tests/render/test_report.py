from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from bot.core.plan_vs_actual import Report, build_report
from bot.render.message import Message
from bot.render.report import GROUP_LINES, ChartImage, digest_section, report_message
from storage.models import Milestone
from tests.support.blocks import all_mrkdwn, assert_defused, assert_valid, assert_valid_blocks, mrkdwn_texts
from tests.support.factories import HOSTILE, TODAY, make_milestone

HEADING = "Plan vs actual — #launch"  # TODAY is Fri Nov 20, 2026


def report_of(*items: Milestone | tuple[Milestone, int]) -> Report:
    pairs = [item if isinstance(item, tuple) else (item, 0) for item in items]
    return build_report(pairs, today=TODAY)


def render(report: Report, **options: Any) -> Message:
    return report_message(report, heading=HEADING, today=TODAY, **options)


def texts(message: Message) -> str:
    return "\n".join(mrkdwn_texts(message.blocks))


def headline(message: Message) -> list[str]:
    return message.blocks[1]["text"]["text"].split("\n")


def late_beta(**overrides: Any) -> Milestone:
    """#12 planned Tue Dec 15 (moved to Dec 16), finished Fri Dec 18; $5,000 budget, $5,400 spent."""
    values: dict[str, Any] = {
        "status": "done",
        "baseline_due_date": date(2026, 12, 15),
        "due_date": date(2026, 12, 16),
        "completed_on": date(2026, 12, 18),
        "budget_minor": 500_000,
        "budget_currency": "USD",
        "actual_cost_minor": 540_000,
        "actual_cost_currency": "USD",
        "department": "Marketing",
    }
    return make_milestone(**(values | overrides))


def usd(amount: int, cost: int | None = None) -> dict[str, Any]:
    money: dict[str, Any] = {"budget_minor": amount * 100, "budget_currency": "USD"}
    if cost is not None:
        money |= {"actual_cost_minor": cost * 100, "actual_cost_currency": "USD"}
    return money


def eur(amount: int, cost: int | None = None) -> dict[str, Any]:
    money: dict[str, Any] = {"budget_minor": amount * 100, "budget_currency": "EUR"}
    if cost is not None:
        money |= {"actual_cost_minor": cost * 100, "actual_cost_currency": "EUR"}
    return money


def finished(number: int, *, planned: date, on: date, **fields: Any) -> Milestone:
    return make_milestone(
        id=number,
        number=number,
        status="done",
        baseline_due_date=planned,
        due_date=planned,
        completed_on=on,
        **fields,
    )


def many(count: int, **overrides: Any) -> Report:
    items = []
    for n in range(1, count + 1):
        values = {
            "id": n,
            "number": n,
            "title": f"Milestone {n} " + "x" * 130,
            "department": f"Department {n % 30} " + "y" * 60,
            "owner_id": f"U{n % 40:03d}",
            "status": ("open", "at_risk", "done", "cancelled")[n % 4],
            "baseline_due_date": TODAY - timedelta(days=n % 50),
            "due_date": TODAY + timedelta(days=n % 9 - 4),
            "completed_on": TODAY - timedelta(days=n % 7),
            "budget_minor": 100_000 * n,
            "budget_currency": ("USD", "EUR", "GBP", "JPY", "CHF", "SEK")[n % 6],
        }
        items.append(make_milestone(**(values | overrides)))
    return report_of(*items)


# --- the headline --------------------------------------------------------------------------------------


def test_empty_report_says_so_and_shows_how_to_add():
    message = render(report_of())
    assert_valid(message)
    assert message.text == f"{HEADING}: no milestones to report yet"
    assert "No milestones to report yet." in texts(message)
    assert "`/milestone add Launch beta due Dec 15" in texts(message)
    assert not [block for block in message.blocks if block["type"] == "actions"]


def test_headline_leads_with_three_figures_each_in_words():
    # Finished: #1 on time, #2 two days early, #3 and #4 late. Open: #5 and #6 past due, #7 not yet due.
    plan = [
        finished(1, planned=date(2026, 11, 2), on=date(2026, 11, 2), **usd(3_000, 3_000)),
        finished(2, planned=date(2026, 11, 5), on=date(2026, 11, 3), **usd(4_000, 5_000)),
        finished(3, planned=date(2026, 11, 9), on=date(2026, 11, 12), **usd(5_000, 5_500)),
        finished(4, planned=date(2026, 11, 1), on=date(2026, 11, 10), **eur(2_000, 1_500)),
        make_milestone(id=5, number=5, status="open", due_date=date(2026, 11, 18)),
        make_milestone(id=6, number=6, status="at_risk", due_date=date(2026, 11, 15)),
        make_milestone(id=7, number=7, status="on_track", due_date=date(2026, 12, 1), **eur(1_000)),
        make_milestone(id=8, number=8, status="cancelled", due_date=date(2026, 11, 1), **usd(9_000, 9_000)),
    ]
    message = render(report_of(*plan))
    assert_valid(message)
    # Dollars: $12,000 planned, $13,500 spent, every budget costed: $1,500 over, 12.5% of $12,000.
    # Euros: €3,000 planned, €1,500 spent; only #4 is costed: €500 under its €2,000 (25%).
    assert headline(message) == [
        "*On time so far:* 2 of 4 finished milestones (50%)",
        "*Late:* 2 open past due · 2 finished late",
        "*Budget vs actual:* €3,000 planned · €1,500 spent · €500 under budget (25%) on the 1 milestone"
        " with a cost so far; $12,000 planned · $13,500 spent · $1,500 over budget (12%)",
    ]
    assert message.text == (
        f"{HEADING}: On time so far: 2 of 4 finished milestones (50%)"
        " · Late: 2 open past due · 2 finished late"
    )


def test_headline_of_an_open_plan_without_money():
    assert headline(render(report_of(make_milestone()))) == [
        "*On time so far:* nothing finished yet",
        "*Late:* nothing late",
        "*Budget vs actual:* no budgets set",
    ]


def test_headline_names_costs_without_a_budget_and_budgets_without_costs():
    pounds_only = make_milestone(number=1, actual_cost_minor=20_000, actual_cost_currency="GBP")
    budget_only = make_milestone(number=2, **usd(2_000))
    on_budget = late_beta(number=3, **usd(5_000, 5_000), completed_on=date(2026, 12, 15))
    assert headline(render(report_of(pounds_only, budget_only)))[2] == (
        "*Budget vs actual:* $2,000 planned · nothing spent yet; £200 spent, no budget set"
    )
    assert headline(render(report_of(on_budget)))[2] == (
        "*Budget vs actual:* $5,000 planned · $5,000 spent · on budget"
    )


def test_headline_says_when_a_finished_milestone_had_no_planned_date():
    undated = make_milestone(
        number=2, status="done", due_date=None, baseline_due_date=None, completed_on=TODAY
    )
    assert (
        headline(render(report_of(undated)))[0]
        == "*On time so far:* 1 milestone finished, none with a planned date"
    )
    on_time = late_beta(completed_on=date(2026, 12, 15))
    assert headline(render(report_of(on_time, undated)))[0] == (
        "*On time so far:* 1 of 1 finished milestone (100%) · 1 more finished without a planned date"
    )


# --- the groups ----------------------------------------------------------------------------------------


def test_groups_come_in_order_late_at_risk_on_plan_done_each_with_what_it_holds():
    message = render(
        report_of(
            late_beta(),
            make_milestone(number=2, due_date=date(2026, 11, 15), baseline_due_date=date(2026, 11, 15)),
            make_milestone(number=3, status="blocked"),
            make_milestone(number=4),
            make_milestone(number=5, status="cancelled", title="Old idea"),
        )
    )
    assert_valid(message)
    body = texts(message)
    headers = [
        "*Late* (open, past due) · 1 milestone",
        "*At risk* (open, flagged at risk or blocked, now due later than planned,"
        " or likely late by the team's record) · 1 milestone",
        "*On plan* (open, due on or before the planned date) · 1 milestone",
        "*Done* (finished) · 1 milestone",
        "Cancelled, left out of every figure above: *#5* Old idea",
    ]
    positions = [body.index(text) for text in headers]
    assert positions == sorted(positions)


def test_an_empty_group_is_left_out():
    body = texts(render(report_of(make_milestone())))
    assert "*On plan*" in body
    for absent in ("*Late*", "*At risk*", "*Done*", "Cancelled"):
        assert absent not in body


@pytest.mark.parametrize(
    ("milestone", "changes", "expected"),
    [
        (
            late_beta(),
            2,
            "*#12* Launch beta · <@U1> · Marketing · planned Tue Dec 15 → finished Fri Dec 18 · 3 days late"
            " · plan changed twice · $5,000 budget, $5,400 spent ($400 over)",
        ),
        (
            late_beta(completed_on=date(2026, 12, 13), actual_cost_minor=480_000, department=None),
            1,
            "*#12* Launch beta · <@U1> · planned Tue Dec 15 → finished Sun Dec 13 · 2 days early"
            " · plan changed once · $5,000 budget, $4,800 spent ($200 under)",
        ),
        (
            late_beta(completed_on=date(2026, 12, 15), actual_cost_currency="EUR"),
            0,
            "*#12* Launch beta · <@U1> · Marketing · planned Tue Dec 15 → finished Tue Dec 15 · on time"
            " · $5,000 budget, €5,400 spent",
        ),
        (
            make_milestone(baseline_due_date=date(2026, 12, 15), due_date=date(2026, 12, 22)),
            3,
            "*#12* Launch beta · <@U1> · planned Tue Dec 15 → now Tue Dec 22 · 7 days behind plan"
            " · plan changed 3 times",
        ),
        (make_milestone(owner_id=None), 0, "*#12* Launch beta · due Tue Dec 15"),
        (
            make_milestone(
                status="blocked", baseline_due_date=date(2026, 11, 10), due_date=date(2026, 11, 15)
            ),
            1,
            "*#12* Launch beta · <@U1> · planned Tue Nov 10 → now Sun Nov 15 · 5 days past due"
            " · 🔴 Blocked · plan changed once",
        ),
        (
            make_milestone(baseline_due_date=None, due_date=None, budget_minor=100, budget_currency="USD"),
            0,
            "*#12* Launch beta · <@U1> · no due date · $1 budget",
        ),
        (
            make_milestone(due_date=date(2026, 11, 19), baseline_due_date=date(2026, 11, 19)),
            0,
            "*#12* Launch beta · <@U1> · due Thu Nov 19 · 1 day past due",
        ),
    ],
)
def test_milestone_lines_read_in_words(milestone, changes, expected):
    message = render(report_of((milestone, changes)))
    assert_valid(message)
    assert expected in texts(message).split("\n")
    for symbol in ("+", "−", " d ", "revision"):
        assert symbol not in expected


def test_late_lines_come_longest_past_due_first():
    items = [
        make_milestone(id=n, number=n, due_date=due, baseline_due_date=due)
        for n, due in ((1, date(2026, 11, 18)), (2, date(2026, 11, 2)), (3, date(2026, 11, 10)))
    ]
    body = texts(render(report_of(*items)))
    assert body.index("*#2*") < body.index("*#3*") < body.index("*#1*")


def test_departments_are_one_group_in_any_case():
    items = [
        make_milestone(id=1, number=1, department="Marketing"),
        make_milestone(id=2, number=2, department="marketing"),
        make_milestone(id=3, number=3, department="MARKETING", due_date=date(2026, 11, 1)),
        make_milestone(id=4, number=4, department="Design"),
    ]
    body = texts(render(report_of(*items)))
    assert "*By department:* Design — 1 milestone · Marketing — 3 milestones, 1 past due" in body
    assert "marketing" not in body and "MARKETING" not in body


def test_one_department_needs_no_breakdown():
    assert "By department" not in texts(
        render(report_of(late_beta(), make_milestone(number=2, department="marketing")))
    )


def test_every_figure_is_defined_once_at_the_end():
    message = render(report_of(late_beta()))
    assert message.blocks[-2]["elements"][0]["text"] == (
        "As of Fri Nov 20. *Planned* is the first due date set, and *on time* means finished by it;"
        " *plan changes* are due dates, start dates or budgets changed once set"
        " (status, owner and notes are not counted)."
    )


# --- the timeline pictures and the share button --------------------------------------------------------


def test_timeline_pages_are_image_blocks_showing_the_uploaded_files():
    charts = [ChartImage("F0001", "Plan vs actual (1/2)"), ChartImage("F0002", "Plan vs actual (2/2)")]
    message = render(report_of(late_beta(), make_milestone(number=2)), charts=charts)
    assert_valid(message)
    images = [block for block in message.blocks if block["type"] == "image"]
    assert images == [
        {
            "type": "image",
            "slack_file": {"id": file_id},
            "alt_text": "Timeline of 2 milestones: the planned dates against what happened",
            "title": {"type": "plain_text", "text": title},
        }
        for file_id, title in (("F0001", "Plan vs actual (1/2)"), ("F0002", "Plan vs actual (2/2)"))
    ]


def test_a_timeline_that_cannot_hold_every_milestone_says_so():
    message = render(many(150, status="open"), charts=[ChartImage("F0001", "Plan vs actual")])
    assert "The timeline shows 100 of 150 dated milestones; narrow with" in texts(message)


def test_share_button_carries_the_callers_value_until_shared():
    ephemeral = render(report_of(late_beta()), share_value="dept:Marketing")
    assert ephemeral.blocks[-1] == {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "text": {"type": "plain_text", "text": "Share to channel"},
                "action_id": "report_share",
                "value": "dept:Marketing",
            }
        ],
    }
    assert "Shared by" not in texts(ephemeral)


def test_shared_report_names_who_shared_it_and_has_no_button():
    shared = render(report_of(late_beta()), shared_by="U7", share_value="channel")
    assert_valid(shared)
    assert not [block for block in shared.blocks if block["type"] == "actions"]
    assert shared.blocks[-1]["elements"][0]["text"] == "Shared by <@U7>"


# --- hostile and big plans -----------------------------------------------------------------------------


def test_hostile_titles_departments_and_heading_are_escaped():
    hostile = late_beta(title=HOSTILE, department=HOSTILE, owner_id="<!channel>")
    other = make_milestone(number=2, department="Design")
    message = report_message(report_of(hostile, other), heading=f"Plan vs actual — {HOSTILE}", today=TODAY)
    assert_valid(message)
    everything = all_mrkdwn(message)
    assert_defused(everything)
    assert "<!channel>" not in everything
    assert "&lt;!channel&gt; &amp; &lt;@U999&gt; @\u2060here — 1 milestone" in everything


@pytest.mark.parametrize("count", [1, GROUP_LINES, GROUP_LINES + 1, 200, 1000])
def test_big_reports_stay_within_slack_limits(count):
    charts = [ChartImage(f"F{n:04d}", f"Plan vs actual ({n}/4)") for n in range(1, 5)]
    message = render(many(count), charts=charts)
    assert_valid(message)
    for text in mrkdwn_texts(message.blocks):
        assert len(text) <= 3000
    lines = [line for line in texts(message).split("\n") if line.startswith("*#")]
    assert len(lines) <= 4 * GROUP_LINES
    if count > 4 * GROUP_LINES:
        assert "…and " in texts(
            message
        ) and "more; narrow with `/milestone report dept &lt;name&gt;`" in texts(message)


def test_big_hostile_report_stays_within_slack_limits():
    items = [
        make_milestone(id=n, number=n, title=("<&>" * 50)[:150], department=("&<>" * 30)[:80], owner_id=None)
        for n in range(1, 201)
    ]
    message = render(report_of(*items))
    assert_valid(message)
    assert_defused(all_mrkdwn(render(report_of(late_beta(title=HOSTILE)))))


# --- the monthly digest --------------------------------------------------------------------------------


def digest(report: Report) -> list[dict]:
    return digest_section(report, month_label="November", today=TODAY)


def test_digest_uses_the_reports_words():
    slipping = [
        make_milestone(
            id=n, number=n, baseline_due_date=date(2026, 11, 1), due_date=date(2026, 11, 1) + delay
        )
        for n, delay in (
            (1, timedelta(days=2)),
            (2, timedelta(days=30)),
            (3, timedelta(days=9)),
            (4, timedelta()),
        )
    ]
    blocks = digest(report_of(late_beta(number=5), *slipping))
    assert_valid_blocks(blocks, most=4)
    assert blocks[0]["text"]["text"] == (
        "*📊 November in review*\n"
        "*On time so far:* 0 of 1 finished milestone (0%)\n"
        "*Late:* 3 open past due · 1 finished late\n"
        "*Budget vs actual:* $5,000 planned · $5,400 spent · $400 over budget (8%)"
    )
    assert blocks[1]["text"]["text"] == (
        "*Furthest behind plan:* *#2* Launch beta, 30 days behind plan"
        " · *#3* Launch beta, 9 days behind plan · *#5* Launch beta, finished 3 days late"
    )
    # Due Nov 3, Nov 10 and Nov 1; today is Nov 20: longest past due first.
    assert blocks[2]["elements"][0]["text"] == "⚠️ 3 past due: #4, #1, #3 · Full report: `/milestone report`"


def test_digest_without_slips_or_late_says_nothing_is_past_due():
    blocks = digest(report_of(make_milestone()))
    assert_valid_blocks(blocks, most=4)
    assert len(blocks) == 2
    assert blocks[1]["elements"][0]["text"] == "✅ Nothing past due · Full report: `/milestone report`"


def test_digest_of_a_big_hostile_plan_stays_within_four_blocks():
    report = many(200, title=HOSTILE, status="open", due_date=TODAY - timedelta(days=1))
    blocks = digest(report)
    assert_valid_blocks(blocks, most=4)
    assert "⚠️ 200 past due: #1, #2" in blocks[-1]["elements"][0]["text"]
    assert "190 more" in blocks[-1]["elements"][0]["text"]
    assert_defused("\n".join(mrkdwn_texts(blocks)))


def test_digest_of_an_empty_plan_is_empty():
    assert digest(report_of()) == []
