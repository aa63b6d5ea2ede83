"""The fake Slack of the dispatch benchmark: each post takes `latency` s, and a channel takes one a second.

A post to a channel within `interval` s of the last one it accepted is answered 429 with Retry-After, as
Slack's "1 message a second per channel" limit does; every post accepted is kept with the moment it landed.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from tests.support.fake_slack import FakeSlack, _Answer, _json_answer


@dataclass(frozen=True)
class Landed:
    """One message Slack accepted: where, which delivery key, and when (monotonic, in the fake's process)."""

    channel: str
    key: str
    at: float


class PacedSlack(FakeSlack):
    """FakeSlack with Slack's per-channel message rate (when `interval` > 0) and a post latency."""

    def __init__(self, *, latency: float = 0.0, interval: float = 0.0, **kwargs: Any) -> None:
        super().__init__(keep_alive=True, **kwargs)
        self.interval = interval
        self.landed: list[Landed] = []
        self.refused = 0  # posts answered 429
        self._last: dict[str, float] = {}
        if latency:
            self.latency["chat.postMessage"] = latency

    def _answer_method(self, method: str, params: dict[str, Any], headers: dict[str, str]) -> _Answer:
        # Called under the fake's lock: the check and the acceptance are one step.
        if method != "chat.postMessage":
            return super()._answer_method(method, params, headers)
        channel, now = str(params.get("channel")), time.monotonic()
        wait = self._last.get(channel, -math.inf) + self.interval - now
        if self.interval and wait > 0:
            self.refused += 1
            retry_after = {"Retry-After": str(max(1, math.ceil(wait)))}
            return _json_answer({"ok": False, "error": "ratelimited"}, status=429, headers=retry_after)
        answer = super()._answer_method(method, params, headers)
        if answer.status == 200:
            self._last[channel] = now
            key = ((params.get("metadata") or {}).get("event_payload") or {}).get("key", "")
            self.landed.append(Landed(channel=channel, key=key, at=now))
        return answer
