"""Dispatch: post what the outbox holds, at most once per key, and survive Slack's and our own failures."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import Engine
from sqlmodel import Session

from bot.clients import ClientFor
from storage import deliveries
from storage.db import session_scope
from storage.milestones import get_channel_settings
from storage.models import CLOSED_STATUSES, CheckIn, Delivery, Milestone
from storage.workspace import Workspace

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
BATCH = 10
MAX_BATCHES = 100
MAX_ATTEMPTS = 5
METADATA_EVENT = "milestone_bot_delivery"
# Errors that mean "this channel cannot hear us": pause it rather than retry forever.
CHANNEL_GONE = ("channel_not_found", "not_in_channel", "is_archived")


@dataclass
class Dispatched:
    """What one dispatch pass did, by delivery key."""

    sent: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def backoff(attempts: int) -> timedelta:
    """Wait before retry `attempts`: 30 s, 1 min, 2 min, 4 min… capped at 30 min."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 1800))


def dispatch(
    *, engine: Engine, clients: ClientFor, now: datetime, worker: str, keys: list[str] | None = None
) -> Dispatched:
    """Claim due deliveries and post each; a channel rate-limited by Slack waits while others go on."""
    report = Dispatched()
    held: dict[tuple[str, str, str], datetime] = {}
    for _ in range(MAX_BATCHES):
        # Small claims, so that several instances share a large backlog instead of one taking it all.
        batch = deliveries.claim_due(engine, now=now, lease=LEASE, worker=worker, limit=BATCH, keys=keys)
        if not batch:
            break
        for delivery in batch:
            _dispatch_one(engine, delivery, clients=clients, worker=worker, now=now, held=held, report=report)
    return report


def _dispatch_one(
    engine: Engine,
    delivery: Delivery,
    *,
    clients: ClientFor,
    worker: str,
    now: datetime,
    held: dict[tuple[str, str, str], datetime],
    report: Dispatched,
) -> None:
    workspace = Workspace(team_id=delivery.team_id, enterprise_id=delivery.enterprise_id)
    channel = (delivery.enterprise_id, delivery.team_id, delivery.channel_id)
    if channel in held:
        _release(engine, delivery, worker=worker, until=held[channel], now=now)
        return
    outcome = _deliver(engine, delivery, clients=clients, workspace=workspace, worker=worker, now=now)
    if isinstance(outcome, datetime):
        held[channel] = outcome
        deliveries.defer_channel(
            engine, workspace=workspace, channel_id=delivery.channel_id, until=outcome, now=now
        )
        report.retrying.append(delivery.key)
    else:
        getattr(report, outcome).append(delivery.key)


def _deliver(
    engine: Engine,
    delivery: Delivery,
    *,
    clients: ClientFor,
    workspace: Workspace,
    worker: str,
    now: datetime,
) -> str | datetime:
    """Post one claimed delivery; the name of its outcome, or the time its channel must wait until (429)."""
    reason = _no_longer_wanted(engine, delivery)
    if reason:
        deliveries.finish(engine, delivery, worker=worker, now=now, state="skipped", last_error=reason)
        return "skipped"
    client = clients(workspace)
    if client is None:
        deliveries.finish(
            engine, delivery, worker=worker, now=now, state="failed", last_error="app not installed"
        )
        logger.error("delivery %s: no installation for %s", delivery.key, workspace)
        return "failed"
    try:
        if delivery.attempts > 1:
            # A previous attempt may have posted before dying or failing: look before posting again.
            ts = _already_posted(client, delivery)
            if ts:
                _mark_sent(engine, delivery, ts=ts, worker=worker, now=now)
                return "recovered"
        payload = json.loads(delivery.payload)
        response = client.chat_postMessage(
            channel=delivery.channel_id,
            text=payload["text"],
            blocks=payload.get("blocks"),
            metadata={"event_type": METADATA_EVENT, "event_payload": {"key": delivery.key}},
            unfurl_links=False,
        )
    except SlackApiError as error:
        return _after_slack_error(engine, delivery, error=error, workspace=workspace, worker=worker, now=now)
    except (SlackClientError, OSError) as error:
        return _retry_or_fail(engine, delivery, problem=f"network: {error}"[:200], worker=worker, now=now)
    _mark_sent(engine, delivery, ts=response["ts"], worker=worker, now=now)
    return "sent"


def _after_slack_error(
    engine: Engine,
    delivery: Delivery,
    *,
    error: SlackApiError,
    workspace: Workspace,
    worker: str,
    now: datetime,
) -> str | datetime:
    status = error.response.status_code
    code = str(error.response.get("error", "unknown_error")) if isinstance(error.response.data, dict) else ""
    if status == 429:
        retry_after = int(
            error.response.headers.get("Retry-After", error.response.headers.get("retry-after", 1))
        )
        until = now + timedelta(seconds=max(retry_after, 1))
        _release(engine, delivery, worker=worker, until=until, now=now, reason="ratelimited")
        logger.warning("rate limited in %s: holding it for %s s", delivery.channel_id, retry_after)
        return until
    if status >= 500:
        return _retry_or_fail(engine, delivery, problem=f"HTTP {status}", worker=worker, now=now)
    if code in CHANNEL_GONE:
        _pause_channel(engine, workspace=workspace, channel_id=delivery.channel_id, reason=code, now=now)
        deliveries.finish(engine, delivery, worker=worker, now=now, state="failed", last_error=code)
        logger.error("channel %s answered %s: its deliveries are paused", delivery.channel_id, code)
        return "failed"
    deliveries.finish(engine, delivery, worker=worker, now=now, state="failed", last_error=code[:200])
    logger.error("delivery %s refused by Slack: %s", delivery.key, code)
    return "failed"


def _retry_or_fail(engine: Engine, delivery: Delivery, *, problem: str, worker: str, now: datetime) -> str:
    if delivery.attempts >= MAX_ATTEMPTS:
        deliveries.finish(engine, delivery, worker=worker, now=now, state="failed", last_error=problem)
        logger.error("delivery %s failed after %s attempts: %s", delivery.key, delivery.attempts, problem)
        return "failed"
    deliveries.finish(
        engine,
        delivery,
        worker=worker,
        now=now,
        state="pending",
        not_before=now + backoff(delivery.attempts),
        last_error=problem,
    )
    logger.warning("delivery %s: %s; retrying (attempt %s)", delivery.key, problem, delivery.attempts)
    return "retrying"


def _release(
    engine: Engine,
    delivery: Delivery,
    *,
    worker: str,
    until: datetime,
    now: datetime,
    reason: str | None = None,
) -> None:
    """Put a claim back until `until`, returning the attempt: waiting is not the message's fault."""
    deliveries.finish(
        engine,
        delivery,
        worker=worker,
        now=now,
        state="pending",
        not_before=until,
        attempts=delivery.attempts - 1,
        last_error=reason,
    )


def _already_posted(client: WebClient, delivery: Delivery) -> str | None:
    """The ts of a message in the channel carrying this delivery's key, if an earlier attempt posted it."""
    history = client.conversations_history(channel=delivery.channel_id, limit=200, include_all_metadata=True)
    for message in history.get("messages", []):
        metadata = message.get("metadata") or {}
        if (
            metadata.get("event_type") == METADATA_EVENT
            and metadata.get("event_payload", {}).get("key") == delivery.key
        ):
            return message["ts"]
    return None


def _mark_sent(engine: Engine, delivery: Delivery, *, ts: str, worker: str, now: datetime) -> None:
    if not deliveries.finish(
        engine, delivery, worker=worker, now=now, state="sent", message_ts=ts, lease_until=None
    ):
        logger.warning("delivery %s was posted after its lease ran out", delivery.key)
    if delivery.checkin_id is not None:
        with session_scope(engine) as session:
            checkin = session.get(CheckIn, delivery.checkin_id)
            if checkin is not None:
                checkin.message_ts, checkin.posted_at = ts, now
                session.add(checkin)


def _no_longer_wanted(engine: Engine, delivery: Delivery) -> str | None:
    """Why a planned delivery should not go out any more (done, re-dated, deleted, paused), or None."""
    with Session(engine) as session:
        workspace = Workspace(team_id=delivery.team_id, enterprise_id=delivery.enterprise_id)
        settings = get_channel_settings(session, workspace=workspace, channel_id=delivery.channel_id)
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


def _pause_channel(
    engine: Engine, *, workspace: Workspace, channel_id: str, reason: str, now: datetime
) -> None:
    with session_scope(engine) as session:
        settings = get_channel_settings(session, workspace=workspace, channel_id=channel_id)
        if settings is not None:
            settings.paused, settings.paused_reason, settings.updated_at = True, reason, now
            session.add(settings)
