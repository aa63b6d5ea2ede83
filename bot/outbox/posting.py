"""Post one claimed delivery to Slack and record what happened, through the outbox's named transitions."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import Engine

from bot.outbox.group_call import GroupCall
from bot.outbox.holds import Channel, Holds, channel_of, workspace_of
from bot.outbox.lease import PassClock
from bot.outbox.outcomes import Outcome
from bot.outbox.recovery import METADATA_EVENT, find_post, take_back
from bot.outbox.retry import Action, Failure, RetryPolicy, classify, classify_lookup
from bot.outbox.wanted import Verdict, still_wanted_many
from bot.slack.conversations import conversation_id, is_person
from storage import channel_settings, claims, deliveries
from storage.models import Delivery, DeliveryKind

logger = logging.getLogger(__name__)

POLICY = RetryPolicy()
_SLACK_FAILURES = (SlackApiError, SlackClientError, OSError)


@dataclass
class Poster:
    """One worker's poster: posts its claims, and records each outcome while it holds the claim."""

    engine: Engine
    worker: str
    lease: timedelta
    clock: PassClock
    holds: Holds = field(default_factory=Holds)
    # The DM opened with each person this pass: conversations.open answers the same one every time.
    dms: dict[Channel, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The pass's threads read what keeps a delivery wanted, mark "posting since" and mark "sent" together:
        # one statement for all asking at once (a group commit).
        self._start_posting = GroupCall(self._start_posting_all)
        self._mark_sent = GroupCall(self._mark_sent_all)
        self.prepare = GroupCall(self._prepare_all)

    def _start_posting_all(self, ids: Sequence[int]) -> list[datetime | None]:
        """Mark each delivery posting since now, renewing its lease; None for each whose claim was lost."""
        since = self.clock()
        held = claims.start_posting_many(
            engine=self.engine, ids=list(ids), worker=self.worker, now=since, lease_until=since + self.lease
        )
        return [since if id_ in held else None for id_ in ids]

    def _mark_sent_all(self, sent: Sequence[tuple[int, str]]) -> list[bool]:
        """Record each (delivery id, ts) as sent; False for each whose claim was lost."""
        recorded = claims.mark_sent_many(
            engine=self.engine, sent=dict(sent), worker=self.worker, now=self.clock()
        )
        return [id_ in recorded for id_, _ in sent]

    def _prepare_all(self, batch: Sequence[Delivery]) -> list[Prepared]:
        """Judge each delivery still wanted; mark those wanted that need no look-up posting since now."""
        verdicts = still_wanted_many(engine=self.engine, deliveries=batch, now=self.clock())
        judged = zip(batch, verdicts, strict=True)
        fresh = [d.id or 0 for d, v in judged if v.wanted and not _may_be_posted(d)]
        since_of = dict(zip(fresh, self._start_posting_all(fresh) if fresh else [], strict=True))
        return [
            Prepared(verdict=v, marked=(d.id or 0) in since_of, since=since_of.get(d.id or 0))
            for d, v in zip(batch, verdicts, strict=True)
        ]

    def post(self, delivery: Delivery, *, client: WebClient, marked: datetime | None = None) -> Outcome:
        """Post a claimed delivery, unless an earlier claim's post is found in the channel (or DM) first.

        `marked`: when `prepare` already marked it posting (it needed no look-up).
        """
        try:
            channel = self._conversation(delivery, client=client)
        except _SLACK_FAILURES as error:
            # Every outcome of the failure rewrites the row's note: a mark made by `prepare` goes with it.
            return self._after_open_error(delivery, error=error)
        if marked is not None:
            return self._send(delivery, client=client, channel=channel, since=marked)
        since = claims.posting_since(delivery.last_error)
        if _may_be_posted(delivery):
            # An earlier claim began posting and never learnt the outcome: look before posting again (from
            # its mark, or, for a claim of an older release that wrote none, from the delivery's making).
            try:
                ts = find_post(
                    client,
                    delivery,
                    channel=channel,
                    since=since or delivery.created_at,
                    bounded=since is not None,
                )
            except _SLACK_FAILURES as error:
                if not _cannot_read_dm(delivery, error):
                    return self._after_lookup_error(delivery, error=error, since=since)
                # Installed before the bot could read its DMs (im:history): a second prompt beats none.
                logger.warning("delivery %s: cannot read the DM to look; posting", delivery.key)
                ts = None
            if ts:
                return self._record(
                    delivery, client=client, channel=channel, ts=ts, outcome=Outcome.RECOVERED
                )
        # Not posted before (or looked for and not found): the post to look for next time is this one.
        marked = self._start_posting(delivery.id or 0)
        if marked is None:
            return Outcome.HANDED_OVER  # our lease lapsed and another claim has it: posting could double it
        return self._send(delivery, client=client, channel=channel, since=marked)

    def _send(self, delivery: Delivery, *, client: WebClient, channel: str, since: datetime) -> Outcome:
        """Post it (marked posting since `since`) and record what Slack answered."""
        payload = json.loads(delivery.payload)
        try:
            response = client.chat_postMessage(
                channel=channel,
                text=payload["text"],
                blocks=payload.get("blocks"),
                metadata={"event_type": METADATA_EVENT, "event_payload": {"key": delivery.key}},
                unfurl_links=False,
            )
        except SlackApiError as error:
            return self._after_post_error(delivery, error=error, since=since)
        except (SlackClientError, OSError) as error:
            # A timeout may hide a post that reached Slack: the mark stays, so the next claim looks first.
            problem = f"network: {type(error).__name__}"
            return self._apply(delivery, failure=Failure.NETWORK, problem=problem, since=since)
        return self._record(delivery, client=client, channel=channel, ts=response["ts"], outcome=Outcome.SENT)

    def _conversation(self, delivery: Delivery, *, client: WebClient) -> str:
        """Where the delivery goes: its channel, or the DM with the person it names (opened once a pass)."""
        if not is_person(delivery.channel_id):
            return delivery.channel_id
        person = channel_of(delivery)
        if person not in self.dms:
            self.dms[person] = conversation_id(client, delivery.channel_id)
        return self.dms[person]

    def release(self, delivery: Delivery, *, until: datetime, note: str | None) -> None:
        """Put the claim back until `until`, the attempt given back."""
        claims.release(
            engine=self.engine,
            delivery=delivery,
            worker=self.worker,
            now=self.clock(),
            until=until,
            note=note,
        )

    def skip(self, delivery: Delivery, *, reason: str) -> Outcome:
        """Leave the delivery unposted for good, saying why."""
        claims.skip(
            engine=self.engine, delivery=delivery, worker=self.worker, now=self.clock(), reason=reason
        )
        return Outcome.SKIPPED

    def _after_post_error(self, delivery: Delivery, *, error: SlackApiError, since: datetime) -> Outcome:
        status, code = _status_and_code(error)
        failure = classify(status=status, error=code)
        # Slack's answer says the message was not posted, except a 5xx, which may hide a post.
        kept = since if failure is Failure.SERVER else None
        problem = f"HTTP {status}" if failure is Failure.SERVER else code
        retry_after = _header(error, "Retry-After")
        return self._apply(delivery, failure=failure, problem=problem, since=kept, retry_after=retry_after)

    def _after_open_error(self, delivery: Delivery, *, error: Exception) -> Outcome:
        """The person's DM could not be opened: nothing was posted now, and an earlier claim's mark stays."""
        since = claims.posting_since(delivery.last_error)
        if not isinstance(error, SlackApiError):
            problem = f"network: {type(error).__name__}"
            return self._apply(delivery, failure=Failure.NETWORK, problem=problem, since=since)
        status, code = _status_and_code(error)
        failure = classify(status=status, error=code)
        problem = f"cannot open the DM: {code}" if code else f"cannot open the DM: HTTP {status}"
        retry_after = _header(error, "Retry-After")
        return self._apply(delivery, failure=failure, problem=problem, since=since, retry_after=retry_after)

    def _after_lookup_error(self, delivery: Delivery, *, error: Exception, since: datetime | None) -> Outcome:
        """A look-up that failed says nothing about the post, unless Slack refuses the token or channel."""
        code, retry_after, answer = "", None, None
        if isinstance(error, SlackApiError):
            status, code = _status_and_code(error)
            answer, retry_after = classify(status=status, error=code), _header(error, "Retry-After")
        failure = classify_lookup(answer)
        problems = {Failure.LOOKUP: "look-up failed", Failure.REFUSED: f"cannot look it up: {code}"}
        problem = problems.get(failure, code)
        return self._apply(delivery, failure=failure, problem=problem, since=since, retry_after=retry_after)

    def _apply(
        self,
        delivery: Delivery,
        *,
        failure: Failure,
        problem: str,
        since: datetime | None,
        retry_after: object = None,
    ) -> Outcome:
        """Do what the retry policy decides for `failure`, through the named transitions."""
        now = self.clock()
        decision = POLICY.decide(
            failure=failure, attempts=delivery.attempts, now=now, retry_after=retry_after
        )
        note = claims.posting_note(since, problem[:150])
        claim = {"engine": self.engine, "delivery": delivery, "worker": self.worker, "now": now}
        match decision.action:
            case Action.HOLD_CHANNEL | Action.HOLD_WORKSPACE | Action.WAIT:
                until = decision.until or now
                return self._wait(delivery, action=decision.action, until=until, note=note, problem=problem)
            case Action.RETRY:
                claims.retry_at(**claim, until=decision.until or now, note=note)
                logger.warning(
                    "delivery %s: %s; retrying (attempt %s)", delivery.key, problem, delivery.attempts
                )
                return Outcome.RETRYING
            case Action.PAUSE_CHANNEL if not is_person(delivery.channel_id):
                channel_settings.pause_channel(
                    engine=self.engine,
                    workspace=workspace_of(delivery),
                    channel_id=delivery.channel_id,
                    reason=problem,
                    now=now,
                )
                logger.error(
                    "channel %s answered %s: its deliveries are paused", delivery.channel_id, problem
                )
            case _:
                logger.error(
                    "delivery %s failed after %s attempts: %s", delivery.key, delivery.attempts, problem
                )
        claims.fail(**claim, reason=problem)
        return Outcome.FAILED

    def _wait(
        self, delivery: Delivery, *, action: Action, until: datetime, note: str | None, problem: str
    ) -> Outcome:
        """Release the claim until `until`; a held channel or workspace defers its pending deliveries too."""
        self.release(delivery, until=until, note=note)
        if action is Action.WAIT:
            logger.warning("delivery %s: could not look for an earlier post; later", delivery.key)
            return Outcome.RETRYING
        workspace = workspace_of(delivery)
        channel_id = delivery.channel_id if action is Action.HOLD_CHANNEL else None
        deliveries.defer_pending(
            engine=self.engine, workspace=workspace, channel_id=channel_id, until=until, now=self.clock()
        )
        if channel_id is not None:
            self.holds.hold_channel(delivery, until=until)
            wait = (until - self.clock()).total_seconds()
            logger.warning("rate limited in %s: holding it for %.1f s", channel_id, wait)
            return Outcome.RETRYING
        self.holds.hold_workspace(delivery, until=until)
        logger.warning("token of %s refused (%s): its deliveries wait until %s", workspace, problem, until)
        return Outcome.HELD

    def _record(
        self, delivery: Delivery, *, client: WebClient, channel: str, ts: str, outcome: Outcome
    ) -> Outcome:
        """Record a post; if our lease was lost meanwhile, keep exactly one copy in the channel (or DM)."""
        now = self.clock()
        if not self._mark_sent((delivery.id or 0, ts)):
            recorded = claims.record_lost_post(engine=self.engine, delivery=delivery, ts=ts, now=now)
            if recorded not in (None, ts):
                take_back(client, delivery, channel=channel, ts=ts)
                logger.warning("delivery %s was posted by another claim too: our copy deleted", delivery.key)
                return Outcome.DEDUPLICATED
            logger.warning("delivery %s was posted after its lease ran out; recorded", delivery.key)
        if delivery.kind == DeliveryKind.CHECKIN and delivery.checkin_id is not None:
            # The channel's message, not an owner's DM about it: answers and thread replies find it by ts.
            claims.record_checkin_post(
                engine=self.engine, checkin_id=delivery.checkin_id, ts=ts, posted_at=self.clock.start
            )
        return outcome


@dataclass(frozen=True)
class Prepared:
    """A claimed delivery judged before posting: wanted or not, and whether it was marked posting (when)."""

    verdict: Verdict
    # Marked: it needed no look-up and the mark was tried; `since` is None if our claim was lost meanwhile.
    marked: bool
    since: datetime | None


def _may_be_posted(delivery: Delivery) -> bool:
    """True when an earlier claim may have posted it: look in the channel before posting again."""
    # A claim from before posting marks were written (an older release) may have posted: look anyway.
    legacy = delivery.attempts > 1
    return legacy or claims.posting_since(delivery.last_error) is not None


def _cannot_read_dm(delivery: Delivery, error: Exception) -> bool:
    """True when Slack refuses to show a person's DM with the bot for want of a scope."""
    if not is_person(delivery.channel_id) or not isinstance(error, SlackApiError):
        return False
    return _status_and_code(error)[1] == "missing_scope"


def _status_and_code(error: SlackApiError) -> tuple[int, str]:
    data = error.response.data
    code = str(data.get("error", "unknown_error")) if isinstance(data, dict) else ""
    return error.response.status_code, code


def _header(error: SlackApiError, name: str) -> str | None:
    headers = {key.lower(): value for key, value in (error.response.headers or {}).items()}
    value = headers.get(name.lower())
    return value[0] if isinstance(value, list) and value else value
