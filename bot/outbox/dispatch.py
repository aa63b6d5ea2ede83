"""Dispatch: claim what the outbox holds, post each once, record it; survive Slack's and our own failures."""

from __future__ import annotations

import functools
import logging
import threading
import time
from datetime import datetime, timedelta

from sqlalchemy import Engine

from bot.config import DEFAULT_DELIVERY_LEASE
from bot.outbox.holds import workspace_of
from bot.outbox.lease import PassClock, heartbeat
from bot.outbox.outcomes import Dispatched, Outcome
from bot.outbox.posting import Poster
from bot.outbox.wanted import still_wanted_now
from bot.slack.clients import ClientFor
from storage import claims
from storage.models import Delivery

logger = logging.getLogger(__name__)

BATCH = 10
MAX_BATCHES = 100


def dispatch(
    *,
    engine: Engine,
    clients: ClientFor,
    now: datetime,
    worker: str,
    keys: list[str] | None = None,
    lease: timedelta = DEFAULT_DELIVERY_LEASE,
    stopping: threading.Event | None = None,
) -> Dispatched:
    """Claim due deliveries and post each until `stopping`; a rate-limited channel waits, others go on."""
    poster = Poster(engine=engine, worker=worker, lease=lease, clock=PassClock(now))
    report = Dispatched()
    # One token look-up per workspace a pass: an OAuth install reads (and may refresh) it from the database,
    # and a refreshed token stays good far longer than a pass lasts.
    client_for: ClientFor = functools.cache(clients)
    with heartbeat(engine=engine, worker=worker, lease=lease, clock=poster.clock):
        try:
            for _ in range(MAX_BATCHES):
                # Small claims, so that several instances share a large backlog instead of one taking it all.
                batch = claims.claim_due(
                    engine=engine, now=poster.clock(), lease=lease, worker=worker, limit=BATCH, keys=keys
                )
                if not batch:
                    break
                for delivery in batch:
                    if stopping is not None and stopping.is_set():
                        # A deploy's SIGTERM: the post in flight has finished; the rest go back at once.
                        _give_back(poster)
                        return report
                    _dispatch_one(poster, delivery, clients=client_for, report=report)
        except Exception:
            _give_back(poster)
            raise
    return report


def _give_back(poster: Poster) -> None:
    """A pass that breaks releases what it still holds, rather than leaving it for the lease to lapse."""
    try:
        released = claims.release_claims(engine=poster.engine, worker=poster.worker, now=poster.clock())
        logger.info("gave back %s claims of %s", released, poster.worker)
    except Exception:  # the database may be what broke; the leases then lapse on their own
        logger.warning("could not release the claims of %s", poster.worker, exc_info=True)


def _dispatch_one(poster: Poster, delivery: Delivery, *, clients: ClientFor, report: Dispatched) -> None:
    started = time.monotonic()
    outcome = _outcome(poster, delivery, clients=clients)
    report.add(outcome, delivery.key)
    logger.info(
        "delivery %s %s",
        delivery.key,
        outcome,
        extra={
            "team": delivery.team_id,
            "channel": delivery.channel_id,
            "key": delivery.key,
            "outcome": str(outcome),
            "ms": round((time.monotonic() - started) * 1000),
        },
    )


def _outcome(poster: Poster, delivery: Delivery, *, clients: ClientFor) -> Outcome:
    """Post one claimed delivery, unless its channel or workspace must wait or it is no longer wanted."""
    held = poster.holds.held(delivery, now=poster.clock())
    if held is not None:
        until, outcome = held
        poster.release(delivery, until=until, note=delivery.last_error)
        return outcome
    verdict = still_wanted_now(engine=poster.engine, delivery=delivery, now=poster.clock())
    if not verdict.wanted:
        return poster.skip(delivery, reason=verdict.reason)
    client = clients(workspace_of(delivery))
    if client is None:
        # Uninstalled (or never installed): nobody is there to post to or to retry for.
        logger.warning("delivery %s: no installation for %s; skipped", delivery.key, workspace_of(delivery))
        return poster.skip(delivery, reason="app not installed")
    return poster.post(delivery, client=client)
