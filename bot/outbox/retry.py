"""The outbox's retry policy: retry or give up, and until when, a pure function of the failure and now."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import Enum

MAX_ATTEMPTS = 5
# Retry-After we cannot read: long enough not to hammer a rate-limited channel, short enough to catch up soon.
DEFAULT_RETRY_AFTER = 30.0
MAX_RETRY_AFTER = 900.0
# A workspace whose token Slack refuses waits this long before its deliveries are tried again.
AUTH_HOLD = timedelta(minutes=5)
# Errors that mean "this channel cannot hear us": pause it rather than retry forever.
CHANNEL_GONE = frozenset({"channel_not_found", "not_in_channel", "is_archived"})
# Errors that mean "this installation's token does not work (now)": the message is not at fault.
TOKEN_REFUSED = frozenset(
    {"invalid_auth", "account_inactive", "token_revoked", "token_expired", "not_authed"}
)


class Failure(Enum):
    """What kind of failure a post (or the look-up before it) met, as far as retrying goes."""

    RATE_LIMITED = "rate_limited"
    SERVER = "server"
    NETWORK = "network"
    TOKEN = "token"
    CHANNEL_GONE = "channel_gone"
    REFUSED = "refused"
    LOOKUP = "lookup"  # looking for an earlier claim's post failed: that says nothing about the post


class Action(Enum):
    """What the dispatcher does with the claim."""

    RETRY = "retry"  # pending again at `until`; the attempt counts
    WAIT = "wait"  # pending again at `until`; the attempt is given back (not the message's fault)
    HOLD_CHANNEL = "hold_channel"  # like WAIT, for every pending delivery of the channel
    HOLD_WORKSPACE = "hold_workspace"  # like WAIT, for every pending delivery of the workspace
    PAUSE_CHANNEL = "pause_channel"  # failed, and the channel's other deliveries stop
    FAIL = "fail"  # failed, visible to admins


@dataclass(frozen=True)
class Decision:
    """The policy's answer: an action and, for the waiting ones, until when."""

    action: Action
    until: datetime | None = None


def classify(*, status: int, error: str) -> Failure:
    """The kind of a Web API failure from its HTTP status and Slack `error` code."""
    if status == 429 or error == "ratelimited":
        return Failure.RATE_LIMITED
    if status >= 500:
        return Failure.SERVER
    if error in TOKEN_REFUSED:
        return Failure.TOKEN
    if error in CHANNEL_GONE:
        return Failure.CHANNEL_GONE
    return Failure.REFUSED


def classify_lookup(failure: Failure | None) -> Failure:
    """A failed look-up for an earlier post: Slack's word on the token, channel, rate or scope holds."""
    # Anything else (a 5xx, a timeout) says nothing either way about the post: look again later.
    kept = (Failure.TOKEN, Failure.CHANNEL_GONE, Failure.RATE_LIMITED, Failure.REFUSED)
    return failure if failure in kept else Failure.LOOKUP


def backoff(attempts: int) -> timedelta:
    """Wait before retry `attempts`: 30 s, 1 min, 2 min, 4 min… capped at 30 min."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 1800))


@dataclass(frozen=True)
class RetryPolicy:
    """Retry or give up, and when: a pure function of the failure, the attempts, Retry-After and now."""

    max_attempts: int = MAX_ATTEMPTS
    auth_hold: timedelta = AUTH_HOLD

    def decide(
        self, *, failure: Failure, attempts: int, now: datetime, retry_after: object = None
    ) -> Decision:
        """What to do after attempt number `attempts` met `failure` at `now` (Retry-After as sent)."""
        if failure is Failure.RATE_LIMITED:
            wait = timedelta(seconds=parse_retry_after(retry_after, now=now))
            return Decision(Action.HOLD_CHANNEL, now + wait)
        if failure is Failure.TOKEN:
            return Decision(Action.HOLD_WORKSPACE, now + self.auth_hold)
        if failure is Failure.CHANNEL_GONE:
            return Decision(Action.PAUSE_CHANNEL)
        if failure is Failure.LOOKUP:
            return Decision(Action.WAIT, now + backoff(attempts))
        if failure in (Failure.SERVER, Failure.NETWORK) and attempts < self.max_attempts:
            return Decision(Action.RETRY, now + backoff(attempts))
        return Decision(Action.FAIL)


def parse_retry_after(value: object, *, now: datetime, default: float = DEFAULT_RETRY_AFTER) -> float:
    """Seconds to wait from a Retry-After header ("2", "1.5" or an HTTP date); `default` if unreadable."""
    text = str(value).strip() if value is not None else ""
    try:
        seconds = float(text)
    except ValueError:
        seconds = _seconds_until_http_date(text, now=now)
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return default
    return min(seconds, MAX_RETRY_AFTER)


def _seconds_until_http_date(text: str, *, now: datetime) -> float | None:
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return None
    return max((moment - now).total_seconds(), 0.0)
