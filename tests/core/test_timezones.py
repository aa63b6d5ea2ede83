"""The time-zone menu: every IANA zone, found by city, region or offset, labelled with its offset then."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.timezones import MENU_LIMIT, POPULAR, all_zones, search_zones, suggested_zones, zone_label

WINTER = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
SUMMER = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("york", "America/New_York"),
        ("New York", "America/New_York"),
        ("new_york", "America/New_York"),
        ("newyork", "America/New_York"),
        ("BERLIN", "Europe/Berlin"),
        ("sao paulo", "America/Sao_Paulo"),
        ("utc", "UTC"),
        ("europe/lon", "Europe/London"),
    ],
)
def test_a_zone_is_found_by_its_city_in_any_case_with_spaces(typed: str, first: str) -> None:
    assert search_zones(typed, at=WINTER)[0] == first


def test_a_city_that_starts_with_what_was_typed_comes_first() -> None:
    assert search_zones("ber", at=WINTER) == ["Atlantic/Bermuda", "Europe/Berlin", "Australia/Canberra"]
    assert search_zones("eastern", at=WINTER) == ["Canada/Eastern", "US/Eastern"]
    # Among equals, places come before the old names kept for compatibility (`Etc/GMT-1`).
    at_plus_one = search_zones("UTC+1", at=WINTER)
    assert at_plus_one.index("Europe/Berlin") < at_plus_one.index("Etc/GMT-1")
    assert search_zones("new york", at=WINTER) == ["America/New_York"]


@pytest.mark.parametrize(
    ("typed", "zone"),
    [("UTC+1", "Europe/Berlin"), ("gmt-5", "America/New_York"), ("+5:30", "Asia/Kolkata"),
     ("UTC−05:00", "America/New_York")],
)  # fmt: skip
def test_an_offset_finds_the_zones_at_that_offset_then(typed: str, zone: str) -> None:
    assert zone in search_zones(typed, at=WINTER)


def test_an_offset_follows_daylight_saving() -> None:
    assert "Europe/Berlin" in search_zones("UTC+2", at=SUMMER)
    assert "Europe/Berlin" not in search_zones("UTC+2", at=WINTER)


def test_at_most_a_hundred_zones_are_offered() -> None:
    assert len(all_zones()) > MENU_LIMIT
    assert len(search_zones("a", at=WINTER)) == MENU_LIMIT


def test_nothing_matching_finds_nothing() -> None:
    assert search_zones("Atlantis", at=WINTER) == []


def test_labels_say_the_offset_with_a_true_minus() -> None:
    assert zone_label("America/New_York", at=WINTER) == "America/New_York (UTC−05:00)"
    assert zone_label("America/New_York", at=SUMMER) == "America/New_York (UTC−04:00)"
    assert zone_label("Asia/Kathmandu", at=WINTER) == "Asia/Kathmandu (UTC+05:45)"
    assert zone_label("UTC", at=WINTER) == "UTC"


def test_before_typing_the_given_zones_lead_then_the_popular_ones_each_once() -> None:
    zones = suggested_zones(first=["Asia/Tokyo", "UTC", "Nowhere/Else", "Asia/Tokyo"])

    assert zones[:2] == ["Asia/Tokyo", "UTC"]
    assert "Nowhere/Else" not in zones
    assert len(zones) == len(set(zones)) == len(set(POPULAR) | {"Asia/Tokyo"})
