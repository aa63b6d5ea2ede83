"""The listener pool: Bolt runs work after the ack here; it knows what is in flight, so shutdown can wait."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any


class InFlight(ThreadPoolExecutor):
    """A thread pool that counts the work it holds, to wait until it is idle or drain it on shutdown."""

    def __init__(self, *, max_workers: int) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix="listener")
        self._count = 0
        self._changed = threading.Condition()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        """Run `fn` in the pool, counted until it returns."""
        with self._changed:
            self._count += 1
        try:
            future = super().submit(fn, *args, **kwargs)
        except RuntimeError:
            self._done()
            raise
        future.add_done_callback(lambda _future: self._done())
        return future

    @property
    def in_flight(self) -> int:
        """How many submitted pieces of work have not finished yet."""
        with self._changed:
            return self._count

    def idle(self, timeout: float) -> bool:
        """Wait until nothing is in flight; False if work was still running after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._changed.wait(remaining)
            return True

    def drain(self, timeout: float) -> bool:
        """Take no new work, wait up to `timeout` s for what is in flight; True when it all finished."""
        finished = self.idle(timeout)
        self.shutdown(wait=False, cancel_futures=True)
        return finished

    def _done(self) -> None:
        with self._changed:
            self._count -= 1
            self._changed.notify_all()
