"""A milestone's confidence over the weekly reviews: per review the latest answer, the change, a drop of 2."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.confidence import ConfidenceAnswer, ConfidenceTrend, confidence_trend


def said(week: str, confidence: int, *, hour: int = 10) -> ConfidenceAnswer:
    return ConfidenceAnswer(week=week, at=datetime(2026, 12, 1, hour, tzinfo=UTC), confidence=confidence)


def test_no_confidence_given_is_no_trend():
    assert confidence_trend([]) is None


def test_one_review_has_a_latest_and_no_change():
    trend = confidence_trend([said("2026-W49", 4)])
    assert trend == ConfidenceTrend((4,))
    assert (trend.latest, trend.previous, trend.change, trend.dropped) == (4, None, None, False)


def test_a_fall_of_two_between_the_last_two_reviews_is_a_drop():
    trend = confidence_trend([said("2026-W48", 5), said("2026-W49", 4), said("2026-W50", 2)])
    assert trend is not None
    assert (trend.values, trend.latest, trend.previous, trend.change) == ((5, 4, 2), 2, 4, -2)
    assert trend.dropped


def test_a_fall_of_one_or_a_rise_is_no_drop():
    assert not confidence_trend([said("2026-W49", 4), said("2026-W50", 3)]).dropped
    assert not confidence_trend([said("2026-W49", 1), said("2026-W50", 5)]).dropped
    assert confidence_trend([said("2026-W49", 3), said("2026-W50", 3)]).change == 0


def test_a_fall_before_the_last_two_reviews_is_not_a_drop_now():
    # 5 → 2 two reviews ago, then 2 → 2: the last two reviews held.
    trend = confidence_trend([said("2026-W48", 5), said("2026-W49", 2), said("2026-W50", 2)])
    assert trend is not None and trend.change == 0 and not trend.dropped


def test_the_latest_answer_of_a_review_counts_whatever_order_they_come_in():
    trend = confidence_trend(
        [
            said("2026-W50", 1, hour=9),
            said("2026-W49", 5, hour=11),
            said("2026-W50", 3, hour=15),
            said("2026-W49", 4, hour=8),
        ]
    )
    # W49: 5 (11:00 beats 08:00); W50: 3 (15:00 beats 09:00). 5 → 3 is a drop of 2.
    assert trend == ConfidenceTrend((5, 3))
    assert trend.dropped


def test_reviews_are_in_week_order_across_a_new_year():
    trend = confidence_trend([said("2027-W01", 2), said("2026-W53", 4)])
    assert trend is not None and trend.values == (4, 2) and trend.dropped
