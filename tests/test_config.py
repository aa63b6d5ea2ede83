"""Settings read from the environment in one place: the pool size and the delivery lease among them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.config import DEFAULT_DELIVERY_LEASE, DEFAULT_LISTENER_THREADS, ConfigError, load_settings


def test_listener_threads_and_delivery_lease_are_read_from_the_environment() -> None:
    settings = load_settings({"LISTENER_THREADS": "8", "DELIVERY_LEASE_SECONDS": "2.5"})
    assert settings.listener_threads == 8
    assert settings.delivery_lease == timedelta(seconds=2.5)


@pytest.mark.parametrize("value", ["", "0", "-3", "many"])
def test_unusable_pool_size_and_lease_fall_back_to_the_defaults(value: str) -> None:
    settings = load_settings({"LISTENER_THREADS": value, "DELIVERY_LEASE_SECONDS": value})
    assert settings.listener_threads == DEFAULT_LISTENER_THREADS == 64
    assert settings.delivery_lease == DEFAULT_DELIVERY_LEASE == timedelta(minutes=2)


@pytest.mark.parametrize("zone", ["localtime", "Factory", "posixrules", "Mars/Olympus"])
def test_default_timezone_is_checked_as_every_other_zone_is(zone: str) -> None:
    # One validator (bot/core/limits.check_timezone): zone files that name no place are refused.
    with pytest.raises(ConfigError, match="DEFAULT_TIMEZONE"):
        load_settings({"DEFAULT_TIMEZONE": zone})


def test_default_timezone_is_kept_in_its_canonical_spelling() -> None:
    assert load_settings({"DEFAULT_TIMEZONE": "america/new york"}).default_timezone == "America/New_York"
    assert load_settings({}).default_timezone == "UTC"


@pytest.mark.parametrize(("value", "seconds"), [("", 0.5), ("0", 0.0), ("1.25", 1.25), ("2", 2.0)])
def test_how_long_a_command_waits_for_its_answer_in_the_ack(value: str, seconds: float) -> None:
    assert load_settings({"ANSWER_IN_ACK_SECONDS": value}).answer_in_ack_seconds == seconds


@pytest.mark.parametrize("value", ["-1", "3", "nan", "soon"])
def test_an_ack_wait_slack_would_not_allow_is_refused(value: str) -> None:
    with pytest.raises(ConfigError, match=r"ANSWER_IN_ACK_SECONDS=.* from 0 to 2 \(Slack waits 3 s"):
        load_settings({"ANSWER_IN_ACK_SECONDS": value})
