"""Slack's pace for a channel: about one message a second. A channel's next post waits for its last + 1 s."""

from __future__ import annotations

import os
import threading
import time

from bot.outbox.holds import Channel

# Slack allows a channel about one message a second (bursts are answered 429).
CHANNEL_INTERVAL = 1.0


def channel_interval() -> float:
    """Seconds between two posts to one channel: CHANNEL_PACE_SECONDS when a number from 0 to 10, else 1."""
    try:
        value = float(os.environ.get("CHANNEL_PACE_SECONDS", ""))
    except ValueError:
        return CHANNEL_INTERVAL
    return value if 0 <= value <= 10 else CHANNEL_INTERVAL


class Pacer:
    """When each channel may next be posted to (a pass's own: passes run 30 s apart)."""

    def __init__(self, interval: float | None = None) -> None:
        self.interval = channel_interval() if interval is None else interval
        self._last: dict[Channel, float] = {}
        self._lock = threading.Lock()

    def ready_at(self, channel: Channel) -> float:
        """The monotonic time from which `channel` may be posted to."""
        with self._lock:
            last = self._last.get(channel)
        return last + self.interval if last is not None else 0.0

    def posted(self, channel: Channel) -> None:
        """A post to `channel` came back: its next waits from now (Slack counted this one on arrival)."""
        now = time.monotonic()
        with self._lock:
            self._last[channel] = now
            if len(self._last) > 10_000:
                # Channels posted to more than an interval ago no longer wait: forget them.
                self._last = {c: at for c, at in self._last.items() if at + self.interval > now}
