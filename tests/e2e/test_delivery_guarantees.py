"""Delivery guarantees end to end: rate limits, retries, lost channels, crashes and races post once."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any, TypeVar

import pytest
from slack_sdk import WebClient
from slack_sdk.web import SlackResponse
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.config import DEFAULT_DELIVERY_LEASE as LEASE
from bot.outbox import planner
from bot.outbox.dispatch import dispatch
from bot.outbox.outcomes import Dispatched, Outcome
from bot.outbox.planner import Plan, plan
from bot.outbox.recovery import METADATA_EVENT, POST_WINDOW
from bot.outbox.retry import AUTH_HOLD, MAX_ATTEMPTS, backoff
from storage.claims import claim_due, start_posting
from storage.models import ChannelSettings, CheckIn, CheckInNote, Delivery, Milestone
from tests.support.app import BOT_TOKEN, SlackApp
from tests.support.fake_slack import FakeSlack
from tests.support.scheduler import delivery_key, ny, posts, stamp_messages_from, tick
from tests.support.slack_requests import message_event

# A Thursday: the 7-day reminders of milestones due Dec 17 fall at 09:00, and no weekly check-in is due.
THURSDAY = ny("2026-12-10 09:00")
DUE = "Dec 17"
# A Monday: 7-day reminders of milestones due Dec 7 and every channel's weekly check-in are due together.
MONDAY = ny("2026-11-30 09:00")
SECOND = timedelta(seconds=1)
T = TypeVar("T")


def add(app: SlackApp, title: str, *, channel: str = "C1", due: str = DUE) -> None:
    app.requests.command(f"add {title} due {due}", channel=channel)


def posted(fake: FakeSlack, *channels: str) -> Counter[str]:
    """How many messages carrying each delivery key Slack now holds in these channels."""
    return Counter(delivery_key(m) for channel in channels for m in fake.messages(channel) if delivery_key(m))


def post_calls(fake: FakeSlack) -> Counter[str]:
    """How many chat.postMessage calls carried each delivery key, refused ones included."""
    return Counter(delivery_key(call.params) for call in fake.calls_to("chat.postMessage"))


def outbox(engine: Engine) -> dict[str, Delivery]:
    """Every delivery row, by key."""
    with Session(engine) as session:
        return {d.key: d for d in session.exec(select(Delivery)).all()}


def rows_of_kind(rows: dict[str, Delivery], kind: str) -> list[str]:
    """The keys of the rows of one kind (reminder or checkin)."""
    return [key for key, row in rows.items() if row.kind == kind]


def all_at_once(count: int, work: Callable[[], T]) -> list[T]:
    """Run `work` on `count` threads released together; re-raises the first thread's exception."""
    start = threading.Barrier(count)

    def together() -> T:
        start.wait(timeout=10)
        return work()

    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(together) for _ in range(count)]
        return [future.result(timeout=60) for future in futures]


def settings_modal_text(app: SlackApp, *, user: str) -> str:
    """The JSON of the settings modal `/milestone settings` opens for `user` in C1."""
    app.requests.command("settings", user=user, channel="C1")
    return json.dumps(app.fake.last("views.open").params["view"])


def test_rate_limited_channel_waits_while_others_go_on(slack_app: SlackApp) -> None:
    add(slack_app, "Launch beta", channel="C1")
    add(slack_app, "Ship docs", channel="C2")
    slack_app.fake.fail_next("chat.postMessage", status=429, headers={"Retry-After": "30"}, channel="C1")

    first = tick(slack_app, THURSDAY)
    [held] = first.dispatched[Outcome.RETRYING]
    assert posted(slack_app.fake, "C1") == Counter() and len(posted(slack_app.fake, "C2")) == 1
    assert tick(slack_app, THURSDAY + 10 * SECOND).dispatched[Outcome.SENT] == []
    assert posted(slack_app.fake, "C1") == Counter()
    assert tick(slack_app, THURSDAY + 31 * SECOND).dispatched[Outcome.SENT] == [held]

    assert set(posted(slack_app.fake, "C1", "C2").values()) == {1}
    assert post_calls(slack_app.fake)[held] == 2  # the refused call, then the post
    assert outbox(slack_app.engine)[held].attempts == 1  # a rate limit is not the message's fault


def test_server_errors_retry_with_backoff_then_post(slack_app: SlackApp) -> None:
    add(slack_app, "Launch beta")
    slack_app.fake.fail_next("chat.postMessage", status=500, error="internal_error", times=2)

    [key] = tick(slack_app, THURSDAY).dispatched[Outcome.RETRYING]
    # Too early to retry:
    assert tick(slack_app, THURSDAY + backoff(1) - SECOND).dispatched[Outcome.RETRYING] == []
    # A retry waits from when the attempt failed, a moment after the pass began: a second later it is due.
    at = THURSDAY + backoff(1) + SECOND
    assert tick(slack_app, at).dispatched[Outcome.RETRYING] == [key]
    assert tick(slack_app, at + backoff(2) + SECOND).dispatched[Outcome.SENT] == [key]

    assert posted(slack_app.fake, "C1") == Counter({key: 1}) and post_calls(slack_app.fake)[key] == 3
    row = outbox(slack_app.engine)[key]
    assert (row.state, row.attempts, row.message_ts) == ("sent", 3, slack_app.fake.messages("C1")[-1]["ts"])


def test_server_errors_past_max_attempts_fail_visibly_to_admins(slack_app: SlackApp) -> None:
    add(slack_app, "Launch beta")
    slack_app.fake.fail_next("chat.postMessage", status=500, error="internal_error", times=MAX_ATTEMPTS + 1)

    at = THURSDAY
    for attempt in range(1, MAX_ATTEMPTS):
        assert tick(slack_app, at).dispatched[Outcome.RETRYING], f"attempt {attempt} should be retried"
        at += backoff(attempt) + SECOND
    [key] = tick(slack_app, at).dispatched[Outcome.FAILED]
    tick(slack_app, at + timedelta(hours=1))  # given up: no further attempt

    row = outbox(slack_app.engine)[key]
    assert (row.state, row.attempts, row.last_error) == ("failed", MAX_ATTEMPTS, "HTTP 500")
    assert post_calls(slack_app.fake)[key] == MAX_ATTEMPTS and posted(slack_app.fake, "C1") == Counter()
    admin_view = settings_modal_text(slack_app, user="UADMIN")
    assert key in admin_view and "could not be posted" in admin_view
    member_view = settings_modal_text(slack_app, user="U1")
    assert key not in member_view and "could not be posted" not in member_view


def test_channel_not_found_pauses_the_channel(slack_app: SlackApp) -> None:
    add(slack_app, "Launch beta", channel="C1")
    add(slack_app, "Ship docs", channel="C2")
    slack_app.fake.fail_next("chat.postMessage", status=200, error="channel_not_found", channel="C1")

    [gone] = tick(slack_app, THURSDAY).dispatched[Outcome.FAILED]
    for later in ("2026-12-14 09:00", "2026-12-16 09:00", "2026-12-18 09:00"):  # check-in, 1 day, overdue
        tick(slack_app, ny(later))

    row = outbox(slack_app.engine)[gone]
    assert (row.state, row.last_error) == ("failed", "channel_not_found")
    with Session(slack_app.engine) as session:
        settings = session.exec(select(ChannelSettings).where(ChannelSettings.channel_id == "C1")).one()
    assert settings.paused and settings.paused_reason == "channel_not_found"
    to_c1 = [c for c in slack_app.fake.calls_to("chat.postMessage") if c.params["channel"] == "C1"]
    assert len(to_c1) == 1  # the refused post only
    assert len(posts(slack_app, "C2")) == 3 and len(posts(slack_app, "C2", kind="checkin")) == 1


def test_expired_lease_is_reconciled_without_a_duplicate(slack_app: SlackApp) -> None:
    add(slack_app, "Launch beta")
    stamp_messages_from(slack_app.fake, THURSDAY)
    plan(slack_app.engine, now=THURSDAY, default_timezone="UTC")
    [claimed] = claim_due(engine=slack_app.engine, now=THURSDAY, lease=LEASE, worker="dead", limit=50)
    lease_until = THURSDAY + LEASE
    start_posting(
        engine=slack_app.engine,
        delivery=claimed,
        worker="dead",
        now=THURSDAY,
        lease_until=lease_until,
        since=THURSDAY,
    )
    # The dead dispatcher's post reached Slack; it died before recording it.
    payload = json.loads(claimed.payload)
    accepted = WebClient(token=BOT_TOKEN, base_url=slack_app.fake.api_url).chat_postMessage(
        channel=claimed.channel_id,
        text=payload["text"],
        blocks=payload["blocks"],
        metadata={"event_type": METADATA_EVENT, "event_payload": {"key": claimed.key}},
    )

    # The lease still holds:
    assert tick(slack_app, THURSDAY + LEASE - SECOND).dispatched[Outcome.RECOVERED] == []
    recovered = tick(slack_app, THURSDAY + LEASE + SECOND).dispatched

    assert recovered[Outcome.RECOVERED] == [claimed.key] and recovered[Outcome.SENT] == []
    assert post_calls(slack_app.fake) == Counter({claimed.key: 1})
    row = outbox(slack_app.engine)[claimed.key]
    assert (row.state, row.message_ts) == ("sent", accepted["ts"])


def test_rate_limited_look_up_means_later_never_not_posted(slack_app: SlackApp) -> None:
    add(slack_app, "Launch beta")
    stamp_messages_from(slack_app.fake, THURSDAY)
    plan(slack_app.engine, now=THURSDAY, default_timezone="UTC")
    [claimed] = claim_due(engine=slack_app.engine, now=THURSDAY, lease=LEASE, worker="dead", limit=50)
    start_posting(
        engine=slack_app.engine,
        delivery=claimed,
        worker="dead",
        now=THURSDAY,
        lease_until=THURSDAY + LEASE,
        since=THURSDAY,
    )
    payload = json.loads(claimed.payload)
    WebClient(token=BOT_TOKEN, base_url=slack_app.fake.api_url).chat_postMessage(
        channel=claimed.channel_id,
        text=payload["text"],
        metadata={"event_type": METADATA_EVENT, "event_payload": {"key": claimed.key}},
    )
    slack_app.fake.fail_next("conversations.history", status=429, headers={"Retry-After": "60"})

    after = THURSDAY + LEASE + SECOND
    assert tick(slack_app, after).dispatched[Outcome.RETRYING] == [claimed.key]
    # Slack asked for a minute
    assert tick(slack_app, after + 30 * SECOND).dispatched[Outcome.RECOVERED] == []
    assert tick(slack_app, after + 61 * SECOND).dispatched[Outcome.RECOVERED] == [claimed.key]

    assert post_calls(slack_app.fake) == Counter({claimed.key: 1})
    [first, *_] = slack_app.fake.calls_to("conversations.history")
    assert int(first.params["limit"]) <= 15 and float(first.params["oldest"]) < THURSDAY.timestamp()
    assert float(first.params["oldest"]) > (THURSDAY - timedelta(minutes=1)).timestamp()
    assert float(first.params["latest"]) == (THURSDAY + POST_WINDOW).timestamp()
    # The dead claim and the one that found its post: the look-up Slack refused gave its attempt back.
    assert outbox(slack_app.engine)[claimed.key].attempts == 2


class Killed(BaseException):
    """The process dying mid-call: not an Exception, so nothing in the dispatcher catches it."""


class DiesAfterPosting(WebClient):
    """A client whose process dies right after Slack accepts its `fatal`-th post."""

    def __init__(self, *, fatal: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fatal, self.accepted = fatal, 0

    def chat_postMessage(self, **kwargs: Any) -> SlackResponse:
        response = super().chat_postMessage(**kwargs)
        self.accepted += 1
        if self.accepted == self.fatal:
            raise Killed
        return response


def test_dispatcher_killed_mid_batch_loses_and_duplicates_nothing(slack_app: SlackApp) -> None:
    channels = [f"C{n}" for n in range(1, 7)]
    for channel in channels:
        add(slack_app, f"Launch in {channel}", channel=channel)
    stamp_messages_from(slack_app.fake, THURSDAY)
    plan(slack_app.engine, now=THURSDAY, default_timezone="UTC")
    doomed = DiesAfterPosting(fatal=3, token=BOT_TOKEN, base_url=slack_app.fake.api_url)

    with pytest.raises(Killed):
        # One post at a time (threads=1): the counts below are those of a pass killed after its third post.
        dispatch(engine=slack_app.engine, clients=lambda _w: doomed, now=THURSDAY, worker="doomed", threads=1)
    states = Counter(row.state for row in outbox(slack_app.engine).values())
    assert states == Counter(sent=2, claimed=4) and len(post_calls(slack_app.fake)) == 3

    after = tick(slack_app, THURSDAY + LEASE + SECOND).dispatched
    assert len(after[Outcome.RECOVERED]) == 1 and len(after[Outcome.SENT]) == 3

    rows = outbox(slack_app.engine)
    assert post_calls(slack_app.fake) == Counter({key: 1 for key in rows})
    assert posted(slack_app.fake, *channels) == Counter({key: 1 for key in rows})
    assert {row.state for row in rows.values()} == {"sent"}


class StopsAfterFirstPost(WebClient):
    """A client whose process is asked to stop (SIGTERM) while its first post is in flight."""

    def __init__(self, *, stopping: threading.Event, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stopping = stopping

    def chat_postMessage(self, **kwargs: Any) -> SlackResponse:
        self.stopping.set()
        return super().chat_postMessage(**kwargs)


def test_stopping_pass_finishes_its_post_and_gives_back_the_rest(slack_app: SlackApp) -> None:
    channels = [f"C{n}" for n in range(1, 5)]
    for channel in channels:
        add(slack_app, f"Launch in {channel}", channel=channel)
    plan(slack_app.engine, now=THURSDAY, default_timezone="UTC")
    stopping = threading.Event()
    client = StopsAfterFirstPost(stopping=stopping, token=BOT_TOKEN, base_url=slack_app.fake.api_url)

    done = dispatch(
        engine=slack_app.engine, clients=lambda _w: client, now=THURSDAY, worker="w", stopping=stopping
    )

    assert len(done[Outcome.SENT]) == 1 and len(post_calls(slack_app.fake)) == 1
    rows = outbox(slack_app.engine).values()
    assert Counter((row.state, row.attempts) for row in rows) == Counter({("sent", 1): 1, ("pending", 0): 3})
    assert len(tick(slack_app, THURSDAY + SECOND).dispatched[Outcome.SENT]) == 3  # at once, not after a lease


def test_event_sent_twice_keeps_one_note(slack_app: SlackApp) -> None:
    add(slack_app, "Launch beta", due="Dec 15")
    tick(slack_app, MONDAY)
    with Session(slack_app.engine) as session:
        checkin = session.exec(select(CheckIn)).one()
    assert checkin.message_ts == slack_app.fake.messages("C1")[-1]["ts"]
    # Bob owns nothing and names no milestone: the note is the check-in's, which no unique key guards.
    reply = message_event(
        "Vendor confirmed the date", ts="1700000999.000100", user="U2", thread_ts=checkin.message_ts
    )

    first = slack_app.requests.event(reply, event_id="Ev42")
    again = slack_app.requests.event(reply, event_id="Ev42", retry_num=1)

    assert first.status == again.status == 200
    with Session(slack_app.engine) as session:
        notes = session.exec(select(CheckInNote)).all()
    [note] = notes
    assert (note.checkin_id, note.milestone_id, note.user_id) == (checkin.id, None, "U2")


def _needs_postgresql(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("several instances need PostgreSQL; SQLite is single-instance")


def _thirty_milestones_in_ten_channels(app: SlackApp) -> list[str]:
    channels = [f"C{n:02d}" for n in range(10)]
    for n in range(30):
        add(app, f"Milestone {n}", channel=channels[n % 10], due="Dec 7")
    return channels


def test_three_concurrent_ticks_post_each_delivery_once(slack_app: SlackApp) -> None:
    _needs_postgresql(slack_app.engine)
    channels = _thirty_milestones_in_ten_channels(slack_app)

    ticks = all_at_once(3, lambda: tick(slack_app, MONDAY))

    rows = outbox(slack_app.engine)
    assert len(rows) == 40 and {row.state for row in rows.values()} == {"sent"}
    assert post_calls(slack_app.fake) == Counter({key: 1 for key in rows})
    assert posted(slack_app.fake, *channels) == Counter({key: 1 for key in rows})
    assert sorted(key for t in ticks for key in t.dispatched[Outcome.SENT]) == sorted(rows)
    assert Counter(key for t in ticks for key in t.planned.reminders) == Counter(
        rows_of_kind(rows, "reminder")
    )


def test_concurrent_planning_makes_one_row_per_key(slack_app: SlackApp) -> None:
    _needs_postgresql(slack_app.engine)
    _thirty_milestones_in_ten_channels(slack_app)

    plans = all_at_once(3, lambda: plan(slack_app.engine, now=MONDAY, default_timezone="UTC"))

    rows = outbox(slack_app.engine)
    assert len(rows) == 40 and {row.state for row in rows.values()} == {"pending"}
    assert Counter(row.kind for row in rows.values()) == Counter(reminder=30, checkin=10)
    assert Counter(key for p in plans for key in p.reminders) == Counter(rows_of_kind(rows, "reminder"))
    assert Counter(key for p in plans for key in p.checkins) == Counter(rows_of_kind(rows, "checkin"))
    with Session(slack_app.engine) as session:
        assert len(session.exec(select(CheckIn)).all()) == 10


def test_checkin_planned_by_another_instance_meanwhile_is_not_reported_twice(
    slack_app: SlackApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(slack_app, "Launch beta", due="Dec 15")
    opened = planner.open_checkin
    theirs: list[Plan] = []

    def open_after_another_instance_planned(session: Session, **kwargs: Any) -> CheckIn | None:
        # The race, made deterministic: another instance plans and commits between our look and our insert.
        if not theirs:
            theirs.append(Plan())
            theirs[0] = plan(slack_app.engine, now=MONDAY, default_timezone="UTC")
        return opened(session, **kwargs)

    monkeypatch.setattr(planner, "open_checkin", open_after_another_instance_planned)
    ours = plan(slack_app.engine, now=MONDAY, default_timezone="UTC")

    [key] = outbox(slack_app.engine)
    assert theirs[0].checkins == [key]
    assert ours.checkins == []


def test_fractional_retry_after_holds_the_channel_for_that_long(slack_app: SlackApp) -> None:
    add(slack_app, "Launch beta")
    slack_app.fake.fail_next("chat.postMessage", status=429, headers={"Retry-After": "1.5"})

    [key] = tick(slack_app, THURSDAY).dispatched[Outcome.RETRYING]
    assert tick(slack_app, THURSDAY + SECOND).dispatched[Outcome.SENT] == []
    assert tick(slack_app, THURSDAY + 2 * SECOND).dispatched[Outcome.SENT] == [key]
    assert posted(slack_app.fake, "C1") == Counter({key: 1}) and outbox(slack_app.engine)[key].attempts == 1


def test_refused_token_holds_the_workspace_until_it_works_again(slack_app: SlackApp) -> None:
    add(slack_app, "Launch beta", channel="C1")
    add(slack_app, "Ship docs", channel="C2")
    slack_app.fake.revoke_token(BOT_TOKEN)

    first = tick(slack_app, THURSDAY).dispatched
    assert (
        len(first[Outcome.HELD]) == 2
        and first[Outcome.FAILED] == []
        and posted(slack_app.fake, "C1", "C2") == Counter()
    )
    assert len(post_calls(slack_app.fake)) == 1  # one refusal holds the rest of the workspace unasked
    assert tick(slack_app, THURSDAY + AUTH_HOLD - SECOND).dispatched[Outcome.HELD] == []  # still waiting
    slack_app.fake.revoke_token(BOT_TOKEN, revoked=False)
    later = tick(slack_app, THURSDAY + AUTH_HOLD + SECOND).dispatched

    assert sorted(later[Outcome.SENT]) == sorted(first[Outcome.HELD])
    rows = outbox(slack_app.engine)
    assert {(row.state, row.attempts) for row in rows.values()} == {("sent", 1)}
    assert posted(slack_app.fake, "C1", "C2") == Counter({key: 1 for key in rows})


class SlowWhileAnotherClaims(WebClient):
    """A Slack so slow that the lease lapses mid-post and another instance claims the delivery meanwhile."""

    def __init__(self, *, other_instance: Callable[[], Dispatched], before: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.other_instance, self.before, self.theirs = other_instance, before, Dispatched()

    def chat_postMessage(self, **kwargs: Any) -> SlackResponse:
        if self.before:  # the other instance posts and records first; ours lands after
            self.theirs = self.other_instance()
        response = super().chat_postMessage(**kwargs)
        if not self.before:  # ours lands; the other instance finds it before we record it
            self.theirs = self.other_instance()
        return response


@pytest.mark.parametrize(
    ("before", "ours", "theirs"),
    [(True, Outcome.DEDUPLICATED, Outcome.SENT), (False, Outcome.SENT, Outcome.RECOVERED)],
)
def test_post_whose_lease_lapsed_is_reconciled_not_doubled(
    slack_app: SlackApp, before: bool, ours: Outcome, theirs: Outcome
) -> None:
    add(slack_app, "Launch beta")
    stamp_messages_from(slack_app.fake, THURSDAY)
    plan(slack_app.engine, now=THURSDAY, default_timezone="UTC")
    later = THURSDAY + LEASE + SECOND
    honest = WebClient(token=BOT_TOKEN, base_url=slack_app.fake.api_url)
    slow = SlowWhileAnotherClaims(
        other_instance=lambda: dispatch(
            engine=slack_app.engine, clients=lambda _workspace: honest, now=later, worker="other"
        ),
        before=before,
        token=BOT_TOKEN,
        base_url=slack_app.fake.api_url,
    )

    mine = dispatch(engine=slack_app.engine, clients=lambda _workspace: slow, now=THURSDAY, worker="slow")

    [key] = outbox(slack_app.engine)
    assert mine[ours] == [key] and slow.theirs[theirs] == [key]
    assert posted(slack_app.fake, "C1") == Counter({key: 1})
    row = outbox(slack_app.engine)[key]
    assert (row.state, row.message_ts) == ("sent", slack_app.fake.messages("C1")[-1]["ts"])


def test_heartbeat_keeps_a_slow_batch_from_being_claimed_twice(slack_app: SlackApp) -> None:
    _needs_postgresql(slack_app.engine)
    channels = [f"C{n}" for n in range(1, 5)]
    for channel in channels:
        add(slack_app, f"Launch in {channel}", channel=channel)
    plan(slack_app.engine, now=THURSDAY, default_timezone="UTC")
    slack_app.fake.set_latency("chat.postMessage", 0.5)  # a batch of four takes twice the lease
    client = WebClient(token=BOT_TOKEN, base_url=slack_app.fake.api_url)

    def instance() -> Dispatched:
        return dispatch(
            engine=slack_app.engine,
            clients=lambda _workspace: client,
            now=THURSDAY,
            worker=f"w{threading.get_ident()}",
            lease=timedelta(seconds=1),
        )

    passes = all_at_once(2, instance)

    rows = outbox(slack_app.engine)
    assert post_calls(slack_app.fake) == Counter({key: 1 for key in rows})
    assert sorted(key for p in passes for key in p[Outcome.SENT]) == sorted(rows)


def test_reminder_planned_before_a_new_due_date_is_skipped_not_posted(slack_app: SlackApp) -> None:
    add(slack_app, "Launch beta")
    plan(slack_app.engine, now=THURSDAY, default_timezone="UTC")
    [row] = outbox(slack_app.engine).values()
    with Session(slack_app.engine) as session:
        milestone = session.exec(select(Milestone)).one()
        assert row.due_date == milestone.due_date  # the planner writes the date it planned for
        milestone.due_date = milestone.due_date + timedelta(days=7)
        session.add(milestone)
        session.commit()

    client = WebClient(token=BOT_TOKEN, base_url=slack_app.fake.api_url)
    done = dispatch(engine=slack_app.engine, clients=lambda _workspace: client, now=THURSDAY, worker="w1")

    assert done[Outcome.SKIPPED] == [row.key] and post_calls(slack_app.fake) == Counter()
    skipped = outbox(slack_app.engine)[row.key]
    assert (skipped.state, skipped.last_error) == ("skipped", "due date changed")
