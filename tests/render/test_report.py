from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from bot.core.plan_vs_actual import Report, build_report
from bot.render.message import Message
from bot.render.report import LINE_LIMIT, digest_section, report_message
from storage.models import Milestone
from tests.support.blocks import all_mrkdwn, assert_defused, assert_valid, assert_valid_blocks, mrkdwn_texts
from tests.support.factories import HOSTILE, TODAY, make_milestone

HEADING = "Plan vs actual — #launch"


def report_of(*items: Milestone | tuple[Milestone, int]) -> Report:
    pairs = [item if isinstance(item, tuple) else (item, 0) for item in items]
    return build_report(pairs, today=TODAY)


def render(report: Report, **options: Any) -> Message:
    return report_message(report, heading=HEADING, today=TODAY, **options)


def texts(message: Message) -> str:
    return "\n".join(mrkdwn_texts(message.blocks))


def late_beta(**overrides: Any) -> Milestone:
    """#12 planned Dec 15, done Dec 18, $5,000 → $5,400."""
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


def many(count: int, **overrides: Any) -> Report:
    items = []
    for n in range(1, count + 1):
        values = {
            "id": n,
            "number": n,
            "title": f"Milestone {n} " + "x" * 130,
            "department": f"Department {n % 30} " + "y" * 60,
            "owner_id": f"U{n % 40:03d}",
            "baseline_due_date": TODAY - timedelta(days=n),
            "due_date": TODAY + timedelta(days=n % 9 - 4),
            "budget_minor": 100_000 * n,
            "budget_currency": ("USD", "EUR", "GBP")[n % 3],
        }
        items.append(make_milestone(**(values | overrides)))
    return report_of(*items)


# --- the whole message ---------------------------------------------------------------------------------


def test_empty_report_says_so_and_shows_how_to_add():
    message = render(report_of())
    assert_valid(message)
    assert message.text == f"{HEADING}: no milestones to report yet"
    assert "No milestones to report yet." in texts(message)
    assert "`/milestone add Launch beta due Dec 15" in texts(message)
    assert not [block for block in message.blocks if block["type"] == "actions"]


def test_one_milestone_report_reads_plan_against_actual():
    message = render(report_of((late_beta(), 2)))
    assert_valid(message)
    assert message.blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": HEADING, "emoji": True},
    }
    body = texts(message)
    assert (
        "*#12* Launch beta — planned Dec 15 → done Dec 18 (+3 d, 2 revisions) · $5,000 → $5,400 (+$400)"
        in body
    )
    assert message.text == (
        f"{HEADING}: 1 milestone · 1 done, 0 on time (0%) · average slip +3.0 days"
        " · budget $5,000 vs actual $5,400 (+$400)"
    )


def test_summary_adds_up_in_one_currency():
    early = late_beta(
        number=3,
        baseline_due_date=date(2026, 11, 1),
        due_date=date(2026, 11, 1),
        completed_on=date(2026, 10, 30),
        budget_minor=4_500_000,
        actual_cost_minor=4_110_000,
    )
    slipping = make_milestone(number=4, baseline_due_date=date(2026, 11, 10), due_date=date(2026, 11, 19))
    message = render(report_of(late_beta(), early, slipping))
    # Slips +3 (done), −2 (done), +9 (forecast): 10 / 3. Budgets $50,000, costs $46,500.
    assert message.blocks[1]["text"]["text"] == (
        "3 milestones · 2 done, 1 on time (50%) · 1 overdue · average slip +3.3 days"
        " · budget $50,000 vs actual $46,500 (−$3,500)"
    )


def test_summary_keeps_each_currency_apart_and_says_what_is_costed():
    costed = late_beta()
    uncosted = make_milestone(number=13, budget_minor=200_000, budget_currency="USD")
    euros = late_beta(number=14, budget_minor=300_000, budget_currency="EUR", actual_cost_minor=250_000)
    euros.actual_cost_currency = "EUR"
    pounds_only = make_milestone(number=15, actual_cost_minor=20_000, actual_cost_currency="GBP")
    summary = render(report_of(costed, uncosted, euros, pounds_only)).blocks[1]["text"]["text"]
    assert summary.endswith(
        " · budget €3,000 vs actual €2,500 (−€500)"
        " · actual £200, no budget"
        " · budget $7,000 vs actual $5,400 (+$400 on 1 costed)"
    )


def test_summary_of_an_open_plan_without_money_or_finishes():
    message = render(report_of(make_milestone()))
    assert message.blocks[1]["text"]["text"] == "1 milestone · none done yet · average slip 0 days"


def test_summary_counts_cancelled_milestones_apart():
    summary = render(report_of(late_beta(), make_milestone(number=2, status="cancelled"))).blocks[1]["text"]
    assert summary["text"].startswith("2 milestones (1 cancelled) · 1 done, 0 on time (0%)")


@pytest.mark.parametrize(
    ("milestone", "expected"),
    [
        (
            make_milestone(baseline_due_date=date(2026, 12, 15), due_date=date(2026, 12, 22)),
            "*#12* Launch beta — planned Dec 15 → now Dec 22 (+7 d forecast, 1 revision)",
        ),
        (make_milestone(), "*#12* Launch beta — planned Dec 15 (on plan, 1 revision)"),
        (
            late_beta(completed_on=date(2026, 12, 13), actual_cost_minor=500_000),
            "*#12* Launch beta — planned Dec 15 → done Dec 13 (−2 d, 1 revision)"
            " · $5,000 → $5,000 (on budget)",
        ),
        (
            late_beta(completed_on=date(2026, 12, 15), actual_cost_currency="EUR"),
            "*#12* Launch beta — planned Dec 15 → done Dec 15 (on time, 1 revision) · $5,000 → €5,400",
        ),
        (
            make_milestone(baseline_due_date=None, due_date=None, budget_minor=100, budget_currency="USD"),
            "*#12* Launch beta — no due date (1 revision) · budget $1",
        ),
        (
            make_milestone(status="cancelled"),
            "*#12* Launch beta — planned Dec 15 → cancelled (1 revision)",
        ),
        (
            make_milestone(
                status="blocked", baseline_due_date=date(2026, 11, 10), due_date=date(2026, 11, 15)
            ),
            "*#12* Launch beta — planned Nov 10 → now Nov 15 (+5 d forecast, 1 revision)"
            " · ⚠️ 5 days overdue · 🔴 Blocked",
        ),
    ],
)
def test_milestone_lines(milestone, expected):
    message = render(report_of((milestone, 1)))
    assert_valid(message)
    assert expected in texts(message).split("\n")


def test_lines_stay_in_plan_order():
    later = make_milestone(number=3, baseline_due_date=date(2026, 12, 20), due_date=date(2026, 12, 20))
    body = texts(render(report_of(later, late_beta())))
    assert body.index("*#12*") < body.index("*#3*")


def test_by_department_and_by_owner_show_count_rate_and_slip():
    on_time = late_beta(number=2, owner_id="U2", completed_on=date(2026, 12, 15))
    design = make_milestone(number=3, department="Design", owner_id=None)
    body = texts(render(report_of(late_beta(), on_time, design)))
    assert "*By department*\n*Design* · 1 milestone · none done yet · average slip 0 days" in body
    assert "*Marketing* · 2 milestones · 50% on time (1 of 2) · average slip +1.5 days" in body
    assert "*By owner*\n<@U1> · 1 milestone · 0% on time (0 of 1) · average slip +3.0 days" in body
    assert "<@U2> · 1 milestone · 100% on time (1 of 1) · average slip 0 days" in body
    assert "_No owner_ · 1 milestone" in body


def test_breakdown_is_left_out_when_nothing_has_a_department():
    body = texts(render(report_of(make_milestone(department=None))))
    assert "By department" not in body
    assert "By owner" in body


def test_share_button_carries_the_callers_value_until_shared():
    ephemeral = render(report_of(late_beta()), share_value="dept:Marketing")
    actions = [block for block in ephemeral.blocks if block["type"] == "actions"]
    assert actions == [
        {
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
    ]
    assert ephemeral.blocks[-1]["type"] == "actions"
    assert "Shared by" not in texts(ephemeral)


def test_shared_report_names_who_shared_it_and_has_no_button():
    shared = render(report_of(late_beta()), shared_by="U7", share_value="channel")
    assert_valid(shared)
    assert not [block for block in shared.blocks if block["type"] == "actions"]
    assert shared.blocks[-1]["elements"][0]["text"] == "Shared by <@U7>"


def test_hostile_titles_departments_and_heading_are_escaped():
    hostile = late_beta(title=HOSTILE, department=HOSTILE, owner_id="<!channel>")
    message = report_message(report_of(hostile), heading=f"Plan vs actual — {HOSTILE}", today=TODAY)
    assert_valid(message)
    everything = all_mrkdwn(message)
    assert_defused(everything)
    assert "<!channel>" not in everything
    assert "*&lt;!channel&gt; &amp; &lt;@U999&gt; @\u2060here*" in everything  # the department group


@pytest.mark.parametrize("count", [1, 60, 61, 200])
def test_big_reports_stay_within_slack_limits(count):
    message = render(many(count))
    assert_valid(message)
    for text in [message.text, *mrkdwn_texts(message.blocks)]:
        assert len(text) <= 3000 or text is message.text
    lines = [line for line in texts(message).split("\n") if line.startswith("*#")]
    assert len(lines) == min(count, LINE_LIMIT)
    more = count - LINE_LIMIT
    if more > 0:
        assert f"…and {more} more; narrow with `/milestone report dept &lt;name&gt;`" in texts(message)


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


def test_digest_is_one_screen_with_summary_biggest_slips_and_overdue():
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
    assert blocks[0]["text"]["text"].startswith("*📊 November in review*\n5 milestones · 1 done")
    assert blocks[1]["text"]["text"] == (
        "*Biggest slips:* *#2* Launch beta +30 d forecast · *#3* Launch beta +9 d forecast"
        " · *#5* Launch beta +3 d late"
    )
    # Due Nov 3, Nov 10 and Nov 1; today is Nov 20.
    assert blocks[2]["elements"][0]["text"] == "⚠️ 3 overdue: #1, #3, #4 · Full report: `/milestone report`"


def test_digest_without_slips_or_overdue_says_nothing_is_overdue():
    blocks = digest(report_of(make_milestone()))
    assert_valid_blocks(blocks, most=4)
    assert len(blocks) == 2
    assert blocks[1]["elements"][0]["text"].startswith("✅ Nothing overdue")


def test_digest_of_a_big_hostile_plan_stays_within_four_blocks():
    report = many(200, title=HOSTILE, due_date=TODAY - timedelta(days=1))
    blocks = digest(report)
    assert_valid_blocks(blocks, most=4)
    assert "⚠️ 200 overdue: #200, #199" in blocks[-1]["elements"][0]["text"]
    assert "190 more" in blocks[-1]["elements"][0]["text"]
    assert_defused("\n".join(mrkdwn_texts(blocks)))


def test_digest_of_an_empty_plan_is_empty():
    assert digest(report_of()) == []
