"""The add and edit forms open for any milestone: every field set, hostile and longest texts, big budgets in
any currency, any recurrence and status, a message's text and link for the add form."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render.modals import Capture, milestone_modal
from tests.support.blocks import assert_valid_view
from tests.support.factories import HOSTILE, TODAY, make_milestone

TEXTS = st.one_of(st.just(HOSTILE), st.text(min_size=1, max_size=150))
DAYS = st.one_of(st.none(), st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)))


@settings(max_examples=100, deadline=None)
@given(
    title=TEXTS,
    department=st.one_of(st.none(), TEXTS.map(lambda text: text[:80])),
    budget=st.one_of(st.none(), st.integers(min_value=0, max_value=10**13)),
    currency=st.sampled_from(["USD", "EUR", "JPY", "KWD", "GBP"]),
    status=st.sampled_from(["open", "on_track", "at_risk", "blocked"]),
    recurrence=st.sampled_from([None, "week", "month", "quarter"]),
    due=DAYS,
    start=DAYS,
    after=st.one_of(st.none(), st.integers(min_value=1, max_value=10**8)),
)
def test_the_edit_form_of_any_milestone_is_a_modal_slack_takes(
    title: str,
    department: str | None,
    budget: int | None,
    currency: str,
    status: str,
    recurrence: str | None,
    due: date | None,
    start: date | None,
    after: int | None,
) -> None:
    milestone = make_milestone(
        title=title,
        department=department,
        budget_minor=budget,
        budget_currency=currency,
        status=status,
        recurrence=recurrence,
        due_date=due,
        start_date=start,
        number=99_999_999,
    )

    view = milestone_modal(mode="update", channel_id="C1", milestone=milestone, today=TODAY, after=after)

    assert_valid_view(view, kind="modal")
    assert_initial_values_fit(view)


@settings(max_examples=60, deadline=None)
@given(title=st.text(max_size=3000), link=st.sampled_from([None, "https://acme.slack.com/archives/C1/p1"]))
def test_the_add_form_from_any_message_is_a_modal_slack_takes(title: str, link: str | None) -> None:
    view = milestone_modal(
        mode="add",
        channel_id=None,
        milestone=None,
        today=TODAY,
        capture=Capture(title=title, source_link=link),
    )

    assert_valid_view(view, kind="modal")
    assert_initial_values_fit(view)


def assert_initial_values_fit(view: dict) -> None:
    """No prefilled text longer than its box takes: Slack would refuse it only when the person submits."""
    for block in view["blocks"]:
        element = block.get("element") or {}
        if element.get("type") == "plain_text_input" and "initial_value" in element:
            assert len(element["initial_value"]) <= element.get("max_length", 3000), block["block_id"]
