"""The Home tab of anyone is a view Slack takes: hundreds of milestones owned or added for others, in many
channels, hostile and long titles and departments, any dates and statuses."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render.home import home_view
from storage.models import Milestone
from tests.support.blocks import assert_valid_view
from tests.support.factories import HOSTILE, TODAY, make_milestone

TEXTS = st.one_of(st.just(HOSTILE), st.text(min_size=1, max_size=150))


@st.composite
def pattern(draw: st.DrawFn) -> dict:
    return {
        "title": draw(TEXTS),
        "owner_id": draw(st.sampled_from(["U1", "U2", None])),
        "created_by": draw(st.sampled_from(["U1", "U2"])),
        "status": draw(st.sampled_from(["open", "on_track", "at_risk", "blocked"])),
        "due_date": draw(
            st.one_of(st.none(), st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 1, 1)))
        ),
        "department": draw(st.one_of(st.none(), TEXTS.map(lambda text: text[:80]))),
        "recurrence": draw(st.sampled_from([None, "month"])),
    }


@settings(max_examples=60, deadline=None)
@given(st.lists(pattern(), min_size=1, max_size=4), st.sampled_from([0, 1, 7, 60, 300]), st.integers(0, 120))
def test_the_home_tab_is_always_a_view_slack_takes(patterns: list[dict], count: int, channels: int) -> None:
    mine: list[Milestone] = [
        make_milestone(**patterns[n % len(patterns)], id=n + 1, number=n + 1, channel_id=f"C{n % 40}")
        for n in range(count)
    ]
    counts = [(f"C{n}", n % 9, n % 3) for n in range(channels)]

    view = home_view(user_id="U1", mine=mine, channel_counts=counts, today=TODAY)

    assert_valid_view(view, kind="home")
    assert len(view["blocks"]) <= 100
