"""Dispatch: post what the outbox holds, at most once per key, and survive Slack's and our own failures."""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import Engine
from sqlmodel import Session

from bot.outbox.lease import LEASE, PassClock, heartbeat, lease_length
from bot.outbox.recovery import METADATA_EVENT, find_post, take_back
from bot.outbox.retry import MAX_ATTEMPTS, Action, Failure, backoff, classify, decide, parse_retry_after
from bot.slack.clients import ClientFor
from storage import deliveries
from storage.channel_settings import get_channel_settings
from storage.db import session_scope
from storage.models import CLOSED_STATUSES, CheckIn, Delivery, Milestone
from storage.workspace import Workspace

__all__ = ["LEASE", "MAX_ATTEMPTS", "METADATA_EVENT", "Dispatched", "backoff", "dispatch"]

logger = logging.getLogger(__name__)

BATCH = 10
MAX_BATCHES = 100


@dataclass
class Dispatched:
    """What one dispatch pass did, by delivery key."""

    sent: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    # Posted by another claim while ours was slow: our copy deleted, or our claim given up before posting.
    deduplicated: list[str] = field(default_factory=list)
    handed_over: list[str] = field(default_factory=list)


@dataclass
class _Pass:
    engine: Engine
    clients: ClientFor
    worker: str
    lease: timedelta
    clock: PassClock
    report: Dispatched = field(default_factory=Dispatched)
    # Channels Slack rate-limited and workspaces whose token it refused, until when: skipped this pass.
    held_channels: dict[tuple[str, str, str], datetime] = field(default_factory=dict)
    held_workspaces: dict[Workspace, datetime] = field(default_factory=dict)


def dispatch(
    *,
    engine: Engine,
    clients: ClientFor,
    now: datetime,
    worker: str,
    keys: list[str] | None = None,
    lease: timedelta | None = None,
    stopping: threading.Event | None = None,
) -> Dispatched:
    """Claim due deliveries and post each until `stopping`; a rate-limited channel waits, others go on."""
    run = _Pass(engine, clients, worker, lease or lease_length(), PassClock(now))
    with heartbeat(engine=engine, worker=worker, lease=run.lease, clock=run.clock):
        try:
            for _ in range(MAX_BATCHES):
                # Small claims, so that several instances share a large backlog instead of one taking it all.
                batch = deliveries.claim_due(
                    engine, now=run.clock(), lease=run.lease, worker=worker, limit=BATCH, keys=keys
                )
                if not batch:
                    break
                for delivery in batch:
                    if stopping is not None and stopping.is_set():
                        # A deploy's SIGTERM: the post in flight has finished; the rest go back at once.
                        _give_back(run)
                        return run.report
                    _dispatch_one(run, delivery)
        except Exception:
            _give_back(run)
            raise
    return run.report


def _give_back(run: _Pass) -> None:
    """A pass that breaks releases what it still holds, rather than leaving it for the lease to lapse."""
    try:
        released = deliveries.release_claims(run.engine, worker=run.worker, now=run.clock())
        logger.info("gave back %s claims of %s", released, run.worker)
    except Exception:  # the database may be what broke; the leases then lapse on their own
        logger.warning("could not release the claims of %s", run.worker, exc_info=True)


def _dispatch_one(run: _Pass, delivery: Delivery) -> None:
    started = time.monotonic()
    outcome = _outcome(run, delivery)
    getattr(run.report, outcome).append(delivery.key)
    logger.info(
        "delivery %s %s",
        delivery.key,
        outcome,
        extra={
            "team": delivery.team_id,
            "channel": delivery.channel_id,
            "key": delivery.key,
            "outcome": outcome,
            "ms": round((time.monotonic() - started) * 1000),
        },
    )


def _outcome(run: _Pass, delivery: Delivery) -> str:
    """Post one claimed delivery, unless its channel or workspace must wait; the name of its outcome."""
    workspace = Workspace(team_id=delivery.team_id, enterprise_id=delivery.enterprise_id)
    channel = (delivery.enterprise_id, delivery.team_id, delivery.channel_id)
    since = deliveries.posting_since(delivery.last_error)
    for until, outcome in (
        (run.held_workspaces.get(workspace), "held"),
        (run.held_channels.get(channel), "retrying"),
    ):
        if until is not None and until > run.clock():
            _release(run, delivery, until=until, note=delivery.last_error)
            return outcome
    reason = _no_longer_wanted(run.engine, delivery)
    if reason:
        _finish(run, delivery, state="skipped", last_error=reason)
        return "skipped"
    client = run.clients(workspace)
    if client is None:
        # Uninstalled (or never installed): nobody is there to post to or to retry for.
        _finish(run, delivery, state="skipped", last_error="app not installed")
        logger.warning("delivery %s: no installation for %s; skipped", delivery.key, workspace)
        return "skipped"
    return _post(run, delivery, client=client, since=since)


def _post(run: _Pass, delivery: Delivery, *, client: WebClient, since: datetime | None) -> str:
    # A claim from before posting marks were written (an older release) may have posted: look anyway.
    legacy = since is None and delivery.attempts > 1
    if since is not None or legacy:
        # An earlier claim began posting and never learnt the outcome: look before posting again.
        try:
            ts = find_post(client, delivery, since=since or delivery.created_at, bounded=not legacy)
        except (SlackApiError, SlackClientError, OSError) as error:
            return _lookup_failed(run, delivery, error=error, since=since)
        if ts:
            return _record(run, delivery, client=client, ts=ts, outcome="recovered")
    # Not posted before (or looked for and not found): this attempt's post is the one to look for next time.
    since = run.clock()
    lease_until = run.clock() + run.lease
    if not deliveries.start_posting(
        run.engine, delivery, worker=run.worker, now=run.clock(), lease_until=lease_until, since=since
    ):
        return "handed_over"  # our lease lapsed and another claim has it: posting now could double it
    payload = json.loads(delivery.payload)
    try:
        response = client.chat_postMessage(
            channel=delivery.channel_id,
            text=payload["text"],
            blocks=payload.get("blocks"),
            metadata={"event_type": METADATA_EVENT, "event_payload": {"key": delivery.key}},
            unfurl_links=False,
        )
    except SlackApiError as error:
        return _after_slack_error(run, delivery, error=error, since=since)
    except (SlackClientError, OSError) as error:
        # A timeout may hide a post that reached Slack: the mark stays, so the next claim looks first.
        problem = f"network: {type(error).__name__}"
        return _apply(run, delivery, failure=Failure.NETWORK, problem=problem, since=since)
    return _record(run, delivery, client=client, ts=response["ts"], outcome="sent")


def _after_slack_error(run: _Pass, delivery: Delivery, *, error: SlackApiError, since: datetime) -> str:
    status, code = _status_and_code(error)
    failure = classify(status=status, error=code)
    # Slack's answer says the message was not posted, except a 5xx, which may hide a post.
    kept = since if failure is Failure.SERVER else None
    problem = f"HTTP {status}" if failure is Failure.SERVER else code
    retry_after = parse_retry_after(_header(error, "Retry-After"), now=run.clock())
    return _apply(run, delivery, failure=failure, problem=problem, since=kept, retry_after=retry_after)


def _lookup_failed(
    run: _Pass,
    delivery: Delivery,
    *,
    error: SlackApiError | SlackClientError | OSError,
    since: datetime | None,
) -> str:
    """A look-up that failed says nothing about the post: try later, the attempt given back."""
    if isinstance(error, SlackApiError):
        status, code = _status_and_code(error)
        failure = classify(status=status, error=code)
        if failure in (Failure.TOKEN, Failure.CHANNEL_GONE, Failure.RATE_LIMITED):
            retry_after = parse_retry_after(_header(error, "Retry-After"), now=run.clock())
            return _apply(run, delivery, failure=failure, problem=code, since=since, retry_after=retry_after)
        if failure is Failure.REFUSED:  # e.g. a missing history scope: only a person can fix it
            return _apply(run, delivery, failure=failure, problem=f"cannot look it up: {code}", since=since)
    until = run.clock() + backoff(delivery.attempts)
    _release(run, delivery, until=until, note=deliveries.posting_note(since, "look-up failed"))
    logger.warning("delivery %s: could not look for an earlier post; later", delivery.key)
    return "retrying"


def _apply(
    run: _Pass,
    delivery: Delivery,
    *,
    failure: Failure,
    problem: str,
    since: datetime | None,
    retry_after: float = 1.0,
) -> str:
    """Do what the retry policy decides for `failure`; the outcome's name."""
    decision = decide(failure=failure, attempts=delivery.attempts, retry_after=retry_after)
    until = run.clock() + decision.delay
    note = deliveries.posting_note(since, problem[:150])
    workspace = Workspace(team_id=delivery.team_id, enterprise_id=delivery.enterprise_id)
    if decision.action is Action.WAIT:
        run.held_channels[(delivery.enterprise_id, delivery.team_id, delivery.channel_id)] = until
        _release(run, delivery, until=until, note=note)
        deliveries.defer_pending(
            run.engine, workspace=workspace, channel_id=delivery.channel_id, until=until, now=run.clock()
        )
        logger.warning("rate limited in %s: holding it for %.1f s", delivery.channel_id, retry_after)
        return "retrying"
    if decision.action is Action.HOLD_WORKSPACE:
        run.held_workspaces[workspace] = until
        _release(run, delivery, until=until, note=note)
        deliveries.defer_pending(run.engine, workspace=workspace, until=until, now=run.clock())
        logger.warning("token of %s refused (%s): its deliveries wait until %s", workspace, problem, until)
        return "held"
    if decision.action is Action.RETRY:
        _finish(run, delivery, state="pending", not_before=until, last_error=note)
        logger.warning("delivery %s: %s; retrying (attempt %s)", delivery.key, problem, delivery.attempts)
        return "retrying"
    if decision.action is Action.PAUSE_CHANNEL:
        _pause_channel(run, delivery, reason=problem)
        logger.error("channel %s answered %s: its deliveries are paused", delivery.channel_id, problem)
    else:
        logger.error("delivery %s failed after %s attempts: %s", delivery.key, delivery.attempts, problem)
    _finish(run, delivery, state="failed", last_error=problem[:200])
    return "failed"


def _record(run: _Pass, delivery: Delivery, *, client: WebClient, ts: str, outcome: str) -> str:
    """Record a post; if our lease was lost meanwhile, keep exactly one copy in the channel."""
    if not _finish(run, delivery, state="sent", message_ts=ts, lease_until=None, last_error=None):
        recorded = deliveries.record_lost_post(run.engine, delivery, ts=ts, now=run.clock())
        if recorded not in (None, ts):
            take_back(client, delivery, ts=ts)
            logger.warning("delivery %s was posted by another claim too: our copy deleted", delivery.key)
            return "deduplicated"
        logger.warning("delivery %s was posted after its lease ran out; recorded", delivery.key)
    if delivery.checkin_id is not None:
        with session_scope(run.engine) as session:
            checkin = session.get(CheckIn, delivery.checkin_id)
            if checkin is not None:
                checkin.message_ts, checkin.posted_at = ts, run.clock.start
                session.add(checkin)
    return outcome


def _finish(run: _Pass, delivery: Delivery, **values: object) -> bool:
    return deliveries.finish(run.engine, delivery, worker=run.worker, now=run.clock(), **values)


def _release(run: _Pass, delivery: Delivery, *, until: datetime, note: str | None) -> None:
    """Put a claim back until `until`, returning the attempt: waiting is not the message's fault."""
    _finish(
        run,
        delivery,
        state="pending",
        not_before=until,
        lease_until=None,
        attempts=max(delivery.attempts - 1, 0),
        last_error=note,
    )


def _status_and_code(error: SlackApiError) -> tuple[int, str]:
    data = error.response.data
    code = str(data.get("error", "unknown_error")) if isinstance(data, dict) else ""
    return error.response.status_code, code


def _header(error: SlackApiError, name: str) -> str | None:
    headers = {key.lower(): value for key, value in (error.response.headers or {}).items()}
    value = headers.get(name.lower())
    return value[0] if isinstance(value, list) and value else value


def _no_longer_wanted(engine: Engine, delivery: Delivery) -> str | None:
    """Why a planned delivery should not go out any more (done, re-dated, deleted, paused), or None."""
    with Session(engine) as session:
        workspace = Workspace(team_id=delivery.team_id, enterprise_id=delivery.enterprise_id)
        settings = get_channel_settings(session=session, workspace=workspace, channel_id=delivery.channel_id)
        if settings is not None and settings.paused:
            return "channel paused"
        if delivery.kind != "reminder":
            return None
        milestone = session.get(Milestone, delivery.milestone_id) if delivery.milestone_id else None
        if milestone is None:
            return "milestone deleted"
        if milestone.status in CLOSED_STATUSES:
            return f"milestone {milestone.status}"
        if f":{milestone.due_date}:" not in delivery.key:
            return "due date changed"
        return None


def _pause_channel(run: _Pass, delivery: Delivery, *, reason: str) -> None:
    workspace = Workspace(team_id=delivery.team_id, enterprise_id=delivery.enterprise_id)
    with session_scope(run.engine) as session:
        settings = get_channel_settings(session=session, workspace=workspace, channel_id=delivery.channel_id)
        if settings is not None:
            settings.paused, settings.paused_reason, settings.updated_at = True, reason, run.clock()
            session.add(settings)
