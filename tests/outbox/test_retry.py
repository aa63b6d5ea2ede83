"""The outbox's retry policy and Retry-After parsing, as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.outbox.retry import (
    AUTH_HOLD,
    DEFAULT_RETRY_AFTER,
    MAX_ATTEMPTS,
    MAX_RETRY_AFTER,
    Action,
    Decision,
    Failure,
    RetryPolicy,
    backoff,
    classify,
    classify_lookup,
    parse_retry_after,
)

NOW = datetime(2026, 12, 10, 14, 0, tzinfo=UTC)
POLICY = RetryPolicy()


def decide(*, failure: Failure, attempts: int, retry_after: object = None) -> Decision:
    return POLICY.decide(failure=failure, attempts=attempts, now=NOW, retry_after=retry_after)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("2", 2.0),
        ("1.5", 1.5),
        (" 0.25 ", 0.25),
        (3, 3.0),
        ("0", 0.0),
        ("Thu, 10 Dec 2026 14:00:30 GMT", 30.0),
        ("Thu, 10 Dec 2026 13:59:00 GMT", 0.0),  # a date already past: go now
    ],
)
def test_retry_after_is_read_as_seconds_whatever_its_form(value: object, seconds: float) -> None:
    assert parse_retry_after(value, now=NOW) == seconds


@pytest.mark.parametrize("value", [None, "", "soon", "-3", "nan", "inf", "1,5", "Thu, 99 Foo"])
def test_unreadable_retry_after_waits_a_safe_default(value: object) -> None:
    assert parse_retry_after(value, now=NOW) == DEFAULT_RETRY_AFTER


def test_retry_after_is_capped() -> None:
    assert parse_retry_after("86400", now=NOW) == MAX_RETRY_AFTER


@pytest.mark.parametrize(
    ("status", "error", "failure"),
    [
        (429, "ratelimited", Failure.RATE_LIMITED),
        (200, "ratelimited", Failure.RATE_LIMITED),
        (500, "", Failure.SERVER),
        (503, "internal_error", Failure.SERVER),
        (200, "invalid_auth", Failure.TOKEN),
        (200, "account_inactive", Failure.TOKEN),
        (200, "token_revoked", Failure.TOKEN),
        (200, "not_authed", Failure.TOKEN),
        (200, "channel_not_found", Failure.CHANNEL_GONE),
        (200, "is_archived", Failure.CHANNEL_GONE),
        (200, "msg_too_long", Failure.REFUSED),
    ],
)
def test_failures_are_classified_by_status_and_code(status: int, error: str, failure: Failure) -> None:
    assert classify(status=status, error=error) is failure


def test_rate_limit_holds_the_channel_for_retry_after_without_counting() -> None:
    assert decide(failure=Failure.RATE_LIMITED, attempts=MAX_ATTEMPTS, retry_after="1.5") == Decision(
        Action.HOLD_CHANNEL, NOW + timedelta(seconds=1.5)
    )


def test_rate_limit_with_unreadable_retry_after_holds_the_default() -> None:
    decision = decide(failure=Failure.RATE_LIMITED, attempts=1, retry_after="soon")
    assert decision == Decision(Action.HOLD_CHANNEL, NOW + timedelta(seconds=DEFAULT_RETRY_AFTER))


def test_refused_token_holds_the_workspace_whatever_the_attempts() -> None:
    for attempts in (1, MAX_ATTEMPTS, MAX_ATTEMPTS + 3):
        assert decide(failure=Failure.TOKEN, attempts=attempts) == Decision(
            Action.HOLD_WORKSPACE, NOW + AUTH_HOLD
        )


@pytest.mark.parametrize("failure", [Failure.SERVER, Failure.NETWORK])
def test_transient_failures_back_off_then_fail(failure: Failure) -> None:
    decisions = [decide(failure=failure, attempts=n) for n in range(1, MAX_ATTEMPTS + 1)]
    assert [d.action for d in decisions] == [Action.RETRY] * (MAX_ATTEMPTS - 1) + [Action.FAIL]
    assert [d.until for d in decisions[:-1]] == [NOW + backoff(n) for n in range(1, MAX_ATTEMPTS)]


def test_a_failed_look_up_waits_its_backoff_whatever_the_attempts() -> None:
    for attempts in (1, MAX_ATTEMPTS, MAX_ATTEMPTS + 3):
        assert decide(failure=Failure.LOOKUP, attempts=attempts) == Decision(
            Action.WAIT, NOW + backoff(attempts)
        )


@pytest.mark.parametrize(
    ("answer", "failure"),
    [
        (None, Failure.LOOKUP),
        (Failure.SERVER, Failure.LOOKUP),
        (Failure.TOKEN, Failure.TOKEN),
        (Failure.CHANNEL_GONE, Failure.CHANNEL_GONE),
        (Failure.RATE_LIMITED, Failure.RATE_LIMITED),
        (Failure.REFUSED, Failure.REFUSED),
    ],
)
def test_a_look_up_failure_keeps_only_slacks_word_on_token_channel_rate_and_scope(
    answer: Failure | None, failure: Failure
) -> None:
    assert classify_lookup(answer) is failure


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(40) == timedelta(minutes=30)


def test_lost_channel_pauses_and_refusal_fails_at_once() -> None:
    assert decide(failure=Failure.CHANNEL_GONE, attempts=1) == Decision(Action.PAUSE_CHANNEL)
    assert decide(failure=Failure.REFUSED, attempts=1) == Decision(Action.FAIL)


def test_a_stricter_policy_gives_up_sooner() -> None:
    strict = RetryPolicy(max_attempts=2)
    decisions = [strict.decide(failure=Failure.SERVER, attempts=n, now=NOW) for n in (1, 2)]
    assert [d.action for d in decisions] == [Action.RETRY, Action.FAIL]
