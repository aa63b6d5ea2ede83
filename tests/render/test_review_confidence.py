"""Confidence in words: the form's levels, its trend in show, its change in the report, and a drop."""

from __future__ import annotations

from bot.core.confidence import ConfidenceTrend
from bot.core.review_answers import ReviewForm
from bot.render.review_confidence import confidence_label, drop_words, report_words, trend_words
from bot.render.review_form import review_modal
from tests.support.blocks import assert_valid_view
from tests.support.factories import TODAY, make_milestone


def test_levels_read_as_the_form_offers_them():
    assert [confidence_label(level) for level in (5, 3, 1)] == ["5 — certain", "3 — maybe", "1 — unlikely"]


def test_show_gives_the_last_few_reviews_and_the_last_change():
    assert trend_words(ConfidenceTrend((4,))) == "4 — likely, in 1 review"
    assert trend_words(ConfidenceTrend((4, 2))) == "4 · 2 over the last 2 reviews (down 2)"
    assert trend_words(ConfidenceTrend((2, 3))) == "2 · 3 over the last 2 reviews (up 1)"
    assert (
        trend_words(ConfidenceTrend((1, 5, 4, 4, 3, 3)))
        == "5 · 4 · 4 · 3 · 3 over the last 5 reviews (unchanged)"
    )


def test_the_report_gives_the_latest_and_where_it_came_from():
    assert report_words(ConfidenceTrend((4, 2))) == "confidence 2, down from 4"
    assert report_words(ConfidenceTrend((2, 3))) == "confidence 3, up from 2"
    assert report_words(ConfidenceTrend((3, 3))) == "confidence 3"
    assert report_words(ConfidenceTrend((5,))) == "confidence 5"


def test_a_drop_says_from_what_to_what():
    assert drop_words(ConfidenceTrend((5, 4, 2))) == "confidence fell from 4 to 2 at the last review"


def test_the_form_says_what_the_owner_gave_last_time_and_presets_nothing():
    launch = make_milestone(id=1, number=4, title="Launch beta", status="on_track")
    fresh = make_milestone(id=2, number=6, title="Pricing page", status="on_track")
    form = ReviewForm(
        checkin_id=7,
        channel_id="C1",
        mine=[launch, fresh],
        open_items=[launch, fresh],
        confidences={4: ConfidenceTrend((5, 2))},
    )
    view = review_modal(form, today=TODAY)

    assert_valid_view(view, kind="modal")
    given = {b["block_id"]: b for b in view["blocks"] if b.get("block_id", "").startswith("confidence_")}
    assert given["confidence_4"]["hint"]["text"] == (
        "Optional: how sure you are that it lands on its date. Last time: 2 — doubtful."
    )
    assert given["confidence_6"]["hint"]["text"] == "Optional: how sure you are that it lands on its date."
    assert not [b for b in given.values() if "initial_option" in b["element"]]
