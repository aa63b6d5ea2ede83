"""The outbox's retry policy: what to do after Slack's answer, a pure function of the error and attempts."""

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
    """What kind of failure a post met, as far as retrying goes."""

    RATE_LIMITED = "rate_limited"
    SERVER = "server"
    NETWORK = "network"
    TOKEN = "token"
    CHANNEL_GONE = "channel_gone"
    REFUSED = "refused"


class Action(Enum):
    """What the dispatcher does with the claim."""

    RETRY = "retry"  # pending again after `delay`; the attempt counts
    WAIT = "wait"  # pending again after `delay`; the attempt is given back (not the message's fault)
    HOLD_WORKSPACE = "hold_workspace"  # like WAIT, for every delivery of the workspace
    PAUSE_CHANNEL = "pause_channel"  # failed, and the channel's other deliveries stop
    FAIL = "fail"  # failed, visible to admins


@dataclass(frozen=True)
class Decision:
    """The policy's answer: an action and, for the waiting ones, how long."""

    action: Action
    delay: timedelta = timedelta(0)


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


def backoff(attempts: int) -> timedelta:
    """Wait before retry `attempts`: 30 s, 1 min, 2 min, 4 min… capped at 30 min."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 1800))


def decide(*, failure: Failure, attempts: int, retry_after: float = DEFAULT_RETRY_AFTER) -> Decision:
    """What to do after attempt number `attempts` met `failure`."""
    if failure is Failure.RATE_LIMITED:
        return Decision(Action.WAIT, timedelta(seconds=retry_after))
    if failure is Failure.TOKEN:
        return Decision(Action.HOLD_WORKSPACE, AUTH_HOLD)
    if failure is Failure.CHANNEL_GONE:
        return Decision(Action.PAUSE_CHANNEL)
    if failure in (Failure.SERVER, Failure.NETWORK) and attempts < MAX_ATTEMPTS:
        return Decision(Action.RETRY, backoff(attempts))
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
