"""Keep a dispatcher's claims alive while it posts, however slow Slack is: a heartbeat renewing its leases."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import Engine

from storage import claims

logger = logging.getLogger(__name__)


class PassClock:
    """A pass's `now` plus the time elapsed since (monotonic: wall-clock jumps do not count)."""

    def __init__(self, now: datetime) -> None:
        self.start, self._started = now, time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self._started)


@contextmanager
def heartbeat(
    *, engine: Engine, worker: str, lease: timedelta, clock: Callable[[], datetime]
) -> Iterator[None]:
    """Renew every claim `worker` holds each third of a lease, until the block ends."""
    stop = threading.Event()

    def beat() -> None:
        # A third of the lease: two beats can fail (a database blip) before another instance may re-claim.
        while not stop.wait(lease.total_seconds() / 3):
            try:
                claims.renew_claims(engine=engine, worker=worker, lease_until=clock() + lease)
            except Exception:  # the next beat may work; a lost lease is reconciled after the post
                logger.warning("could not renew the claims of %s", worker, exc_info=True)

    thread = threading.Thread(target=beat, name=f"lease-heartbeat-{worker}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
