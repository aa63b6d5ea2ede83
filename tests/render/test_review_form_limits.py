"""Review my milestones opens a form Slack takes whatever the review holds: up to hundreds of milestones, the
presser's or others', hostile and long titles, any status and date, a confidence said last time or none."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.confidence import ConfidenceTrend
from bot.core.review_answers import ReviewForm
from bot.render.review_form import review_modal
from storage.models import Milestone
from tests.support.blocks import assert_valid_view
from tests.support.factories import HOSTILE, TODAY, make_milestone

TITLES = st.one_of(st.just(HOSTILE), st.text(min_size=1, max_size=150))


@st.composite
def milestone(draw: st.DrawFn, number: int, owner: str) -> Milestone:
    return make_milestone(
        id=number,
        number=number,
        title=draw(TITLES),
        owner_id=owner,
        status=draw(st.sampled_from(["open", "on_track", "at_risk", "blocked"])),
        due_date=draw(st.one_of(st.none(), st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 1, 1)))),
    )


@st.composite
def forms(draw: st.DrawFn) -> ReviewForm:
    mine_count = draw(st.sampled_from([0, 1, 2, 29, 30, 31, 120]))
    other_count = draw(st.sampled_from([0, 1, 99, 100, 101, 250]))
    # A few drawn, repeated with their own numbers: a big review need not draw every title.
    pattern = [draw(milestone(n, "U1")) for n in range(1, 4)]
    mine = [
        make_milestone(**{**pattern[n % 3].model_dump(), "id": n + 1, "number": n + 1})
        for n in range(mine_count)
    ]
    theirs = [
        make_milestone(
            **{**pattern[n % 3].model_dump(), "id": 1000 + n, "number": 1000 + n, "owner_id": "U2"}
        )
        for n in range(other_count)
    ]
    confidences = {
        m.number: ConfidenceTrend(values=(draw(st.integers(1, 5)),)) for m in mine[:: draw(st.integers(1, 3))]
    }
    return ReviewForm(
        checkin_id=7, channel_id="C1", mine=mine, open_items=mine + theirs, confidences=confidences
    )


@settings(max_examples=60, deadline=None)
@given(forms())
def test_the_review_form_is_always_a_modal_slack_takes(form: ReviewForm) -> None:
    view = review_modal(form, today=TODAY)

    assert_valid_view(view, kind="modal")
    assert len(view["blocks"]) <= 100
    assert len(view["private_metadata"]) <= 3000
