"""Dispatch: claim what the outbox holds, post each once, record it; survive Slack's and our own failures.

Channels are posted to side by side by a pool of threads, each channel in order and at Slack's pace for it
(a message a second): a channel waiting for its turn, or held by a 429, never holds up the others.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import logging
import os
import queue
import threading
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine

from bot.config import DEFAULT_DELIVERY_LEASE, DEFAULT_DISPATCH_THREADS
from bot.outbox.holds import Channel, channel_of, workspace_of
from bot.outbox.lease import PassClock, heartbeat
from bot.outbox.outcomes import Dispatched, Outcome
from bot.outbox.pacing import Pacer
from bot.outbox.posting import Poster
from bot.slack.clients import ClientFor
from storage import claims
from storage.channel_claims import claim_channels
from storage.models import Delivery
from storage.workspace import Workspace

logger = logging.getLogger(__name__)

# A claim takes at most this many channels, and ten seconds' worth (at Slack's pace) of each: several
# instances then share a large backlog, each channel with one of them at a time.
CLAIM_CHANNELS = 100
PER_CHANNEL = 10
MAX_CLAIMS = 100
# Outcomes after which Slack may have counted a post in the channel: its next one waits its turn.
_POSTED = frozenset({Outcome.SENT, Outcome.DEDUPLICATED, Outcome.RETRYING, Outcome.FAILED})
# The longest the pass waits without looking at `stopping` again.
_LOOK_AGAIN = 0.25
# After a claim that found nothing, the next waits this long while posts are in flight: each channel done
# would otherwise claim again, and hundreds of empty claims at a pass's end hold up the turns due meanwhile.
_CLAIM_AGAIN_AFTER = 0.25


def dispatch_threads() -> int:
    """How many posts a pass has in flight at once: DISPATCH_THREADS when a positive number, else 256."""
    value = os.environ.get("DISPATCH_THREADS", "")
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_DISPATCH_THREADS


def dispatch(
    *,
    engine: Engine,
    clients: ClientFor,
    now: datetime,
    worker: str,
    keys: list[str] | None = None,
    lease: timedelta = DEFAULT_DELIVERY_LEASE,
    stopping: threading.Event | None = None,
    threads: int | None = None,
    pacer: Pacer | None = None,
) -> Dispatched:
    """Claim due deliveries and post them until `stopping`: channels side by side, each in order, paced."""
    poster = Poster(engine=engine, worker=worker, lease=lease, clock=PassClock(now))
    # One token look-up per workspace a pass: an OAuth install reads (and may refresh) it from the database,
    # and a refreshed token stays good far longer than a pass lasts.
    client_for: ClientFor = functools.cache(clients)
    run = _Pass(poster=poster, clients=client_for, keys=keys, stopping=stopping, pacer=pacer or Pacer())
    size = threads or dispatch_threads()
    with (
        heartbeat(engine=engine, worker=worker, lease=lease, clock=poster.clock),
        ThreadPoolExecutor(max_workers=size, thread_name_prefix=f"dispatch-{worker[-8:]}") as pool,
    ):
        try:
            run.run(pool, threads=size)
        except Exception:
            run.finish_in_flight()
            _give_back(poster)
            raise
    return run.report


@dataclass
class _Pass:
    """One pass's channels: those claimed, each a queue in claim order, waiting their turn or in flight."""

    poster: Poster
    clients: ClientFor
    keys: list[str] | None
    stopping: threading.Event | None
    pacer: Pacer
    report: Dispatched = field(default_factory=Dispatched)
    queues: dict[Channel, deque[Delivery]] = field(default_factory=dict)
    # Channels not in flight, by when they may be posted to next.
    turns: list[tuple[float, int, Channel]] = field(default_factory=list)
    in_flight: dict[Future[Outcome], Channel] = field(default_factory=dict)
    came_back: queue.SimpleQueue[Future[Outcome]] = field(default_factory=queue.SimpleQueue)
    claims_left: int = MAX_CLAIMS
    claim_again: bool = True
    claim_from: float = 0.0  # monotonic: no claim before, while posts are in flight (after an empty one)
    # A workspace's first post goes alone: a refused token then holds its other channels unasked.
    proven: set[Workspace] = field(default_factory=set)
    probing: dict[Workspace, list[Channel]] = field(default_factory=dict)
    _order: itertools.count = field(default_factory=itertools.count)

    def run(self, pool: ThreadPoolExecutor, *, threads: int) -> None:
        """Post what is claimed, claiming more while threads are free and no channel's turn has come."""
        while True:
            if self.stopping is not None and self.stopping.is_set():
                # A deploy's SIGTERM: the posts in flight finish; the rest go back at once.
                self.finish_in_flight()
                if self.queues:
                    _give_back(self.poster)
                return
            now = time.monotonic()
            turn_due = bool(self.turns) and self.turns[0][0] <= now
            if len(self.in_flight) < threads and not turn_due and self._may_claim(now) and self._claim():
                continue
            while self.turns and self.turns[0][0] <= now and len(self.in_flight) < threads:
                _, _, channel = heapq.heappop(self.turns)
                if self._may_start(channel):
                    self._start(pool, channel)
            if not self.in_flight and not self.turns:
                return
            self._wait_for_next(now, full=len(self.in_flight) >= threads)

    def _may_claim(self, now: float) -> bool:
        """True unless the last claim found nothing (and no channel of ours is done since), or enough were;
        while posts are in flight, not within a while of a claim that found nothing."""
        idle = not self.in_flight and not self.turns
        return self.claim_again and self.claims_left > 0 and (idle or now >= self.claim_from)

    def _claim(self) -> bool:
        """Claim more channels' deliveries; False when none are claimable now."""
        batch = claim_channels(
            engine=self.poster.engine,
            now=self.poster.clock(),
            lease=self.poster.lease,
            worker=self.poster.worker,
            channels=CLAIM_CHANNELS,
            per_channel=PER_CHANNEL,
            keys=self.keys,
        )
        # Nothing claimable now: look again once one of our channels is done (its next rows are then free).
        self.claims_left -= 1 if batch else 0
        self.claim_again = bool(batch)
        if not batch:
            self.claim_from = time.monotonic() + _CLAIM_AGAIN_AFTER
        for delivery in batch:
            channel = channel_of(delivery)
            if channel not in self.queues:
                self.queues[channel] = deque()
                self._queue_turn(channel)
            self.queues[channel].append(delivery)
        return bool(batch)

    def _queue_turn(self, channel: Channel) -> None:
        """Put the channel in line for its next turn: a second after its last post, or now if it is held."""
        queue = self.queues[channel]
        held = self.poster.holds.held(queue[0], now=self.poster.clock()) if queue else None
        at = 0.0 if held is not None else self.pacer.ready_at(channel)
        heapq.heappush(self.turns, (at, next(self._order), channel))

    def _may_start(self, channel: Channel) -> bool:
        """True unless the channel's workspace is untried and its first post is in flight (then it waits)."""
        workspace = _workspace(channel)
        if workspace in self.proven:
            return True
        if workspace in self.probing:
            self.probing[workspace].append(channel)
            return False
        self.probing[workspace] = []
        return True

    def _returned(self, channel: Channel, outcome: Outcome) -> None:
        """A post came back: its channel's next waits its turn; its workspace's go on if its token works."""
        workspace = _workspace(channel)
        if outcome in _POSTED or outcome is Outcome.RECOVERED:
            self.proven.add(workspace)
        for waiting in self.probing.pop(workspace, []):
            self._queue_turn(waiting)
        if self.queues[channel]:
            self._queue_turn(channel)
        else:
            del self.queues[channel]
            self.claim_again = True

    def _start(self, pool: ThreadPoolExecutor, channel: Channel) -> None:
        delivery = self.queues[channel].popleft()
        future = pool.submit(self._dispatch_one, delivery)
        self.in_flight[future] = channel
        future.add_done_callback(self.came_back.put)

    def _dispatch_one(self, delivery: Delivery) -> Outcome:
        """Post one delivery (in a pool thread) and count it; its channel's next post waits its turn."""
        outcome = _dispatch_one(self.poster, delivery, clients=self.clients, report=self.report)
        if outcome in _POSTED:
            self.pacer.posted(channel_of(delivery))
        return outcome

    def _wait_for_next(self, now: float, *, full: bool) -> None:
        """Wait for a post to come back or, with a thread free, the next channel's turn (or a while, to look
        at `stopping`)."""
        next_turn = self.turns[0][0] - now if self.turns and not full else _LOOK_AGAIN
        if self.claim_again and not full:
            next_turn = min(next_turn, self.claim_from - now)  # a claim held back may go then
        timeout = min(max(next_turn, 0.0), _LOOK_AGAIN)
        if not self.in_flight:
            if self.stopping is not None:
                self.stopping.wait(timeout)
            else:
                time.sleep(timeout)
            return
        # Posts come back through a queue: waiting on every future in flight at each turn costs as much as
        # the posting itself once a hundred are in flight.
        try:
            done = [self.came_back.get(timeout=timeout)]
        except queue.Empty:
            return
        while not self.came_back.empty():
            done.append(self.came_back.get_nowait())
        for future in done:
            channel = self.in_flight.pop(future)
            # A failure of our own (the database) ends the pass, its claims given back.
            self._returned(channel, future.result())

    def finish_in_flight(self) -> None:
        """Let the posts in flight come back, whatever they answer."""
        wait(list(self.in_flight))
        self.in_flight.clear()


def _workspace(channel: Channel) -> Workspace:
    enterprise_id, team_id, _ = channel
    return Workspace(team_id=team_id, enterprise_id=enterprise_id)


def _give_back(poster: Poster) -> None:
    """A pass that breaks releases what it still holds, rather than leaving it for the lease to lapse."""
    try:
        released = claims.release_claims(engine=poster.engine, worker=poster.worker, now=poster.clock())
        logger.info("gave back %s claims of %s", released, poster.worker)
    except Exception:  # the database may be what broke; the leases then lapse on their own
        logger.warning("could not release the claims of %s", poster.worker, exc_info=True)


def _dispatch_one(poster: Poster, delivery: Delivery, *, clients: ClientFor, report: Dispatched) -> Outcome:
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
    return outcome


def _outcome(poster: Poster, delivery: Delivery, *, clients: ClientFor) -> Outcome:
    """Post one claimed delivery, unless its channel or workspace must wait or it is no longer wanted."""
    held = poster.holds.held(delivery, now=poster.clock())
    if held is not None:
        until, outcome = held
        poster.release(delivery, until=until, note=delivery.last_error)
        return outcome
    prepared = poster.prepare(delivery)
    if not prepared.verdict.wanted:
        return poster.skip(delivery, reason=prepared.verdict.reason)
    if prepared.marked and prepared.since is None:
        return Outcome.HANDED_OVER  # our lease lapsed and another claim has it: posting could double it
    client = clients(workspace_of(delivery))
    if client is None:
        # Uninstalled (or never installed): nobody is there to post to or to retry for.
        logger.warning("delivery %s: no installation for %s; skipped", delivery.key, workspace_of(delivery))
        return poster.skip(delivery, reason="app not installed")
    return poster.post(delivery, client=client, marked=prepared.since)
