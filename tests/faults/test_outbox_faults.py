"""The outbox under fire: killed ticks, instances racing on a Slack slower than the lease, a failing Slack.

Every figure must read zero lost and zero doubled; each test prints its figures for the record.
"""

from __future__ import annotations

import random
import signal
import subprocess
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.outbox.outcomes import Outcome
from bot.outbox.recovery import carried_key
from bot.outbox.retry import AUTH_HOLD
from bot.outbox.tick import run_tick
from storage.db import make_engine, upgrade
from storage.deliveries import plan_delivery
from storage.models import Delivery
from storage.workspace import Workspace
from tests.support.bot_process import BOT_TOKEN, bot_env, bot_process, start_bot
from tests.support.databases import postgres_url_fixture
from tests.support.fake_slack import FakeSlack

REPO = Path(__file__).resolve().parents[2]
WORKSPACE = Workspace(team_id="T1")
# Few deliveries a channel, as reminders are: a recovery look-up reads 15 messages at most.
PER_CHANNEL = 10


class Timeline:
    """The tests' clock: the wall clock, plus whatever time a test skips over (backoffs, holds)."""

    def __init__(self) -> None:
        self.start, self._started, self.skipped = datetime.now(UTC), time.monotonic(), 0.0

    def now(self) -> datetime:
        """The current time on this timeline."""
        return self.start + timedelta(seconds=time.monotonic() - self._started + self.skipped)

    def skip(self, seconds: float) -> None:
        """Move the timeline on without waiting."""
        self.skipped += seconds


@dataclass(frozen=True)
class Figures:
    """What a run left behind: deliveries checked, lost, doubled, and how the rows ended."""

    checked: int
    lost: list[str]
    doubled: list[str]
    states: Counter[str]


def plan_many(engine: Engine, *, count: int, due: datetime, prefix: str = "fault") -> list[str]:
    """Insert `count` due deliveries straight into the outbox, PER_CHANNEL a channel; their channels."""
    channels = [f"C{prefix.upper()}{n:04d}" for n in range(count // PER_CHANNEL + 1)]
    with Session(engine) as session:
        for n in range(count):
            plan_delivery(
                session=session,
                key=f"{prefix}:{n}",
                kind="checkin",  # a check-in needs no milestone row: the test is about posting
                workspace=WORKSPACE,
                channel_id=channels[n // PER_CHANNEL],
                payload={"text": f"Delivery {n}"},
                not_before=due,
                now=due,
            )
        session.commit()
    return channels


def figures(engine: Engine, fake: FakeSlack, *, channels: list[str]) -> Figures:
    """Compare the outbox with what Slack holds: a sent row has exactly its one message, others none."""
    in_slack = Counter(carried_key(message) for channel in channels for message in fake.messages(channel))
    with Session(engine) as session:
        rows = session.exec(select(Delivery)).all()
    lost = [r.key for r in rows if in_slack[r.key] == 0 and r.state not in ("failed", "skipped")]
    doubled = [r.key for r in rows if in_slack[r.key] > 1]
    lost += [r.key for r in rows if in_slack[r.key] == 1 and r.state != "sent"]  # posted, not recorded
    return Figures(len(rows), lost, doubled, Counter(r.state for r in rows))


def unfinished(engine: Engine) -> int:
    """Deliveries not yet sent, failed or skipped."""
    with Session(engine) as session:
        return len(session.exec(select(Delivery.id).where(Delivery.state.in_(("pending", "claimed")))).all())


def tick_to_the_end(*, env: dict[str, str], log: Path) -> None:
    """One `python -m bot tick`, which must exit 0 whatever Slack does."""
    process = start_bot("tick", env=env, cwd=REPO, log=log)
    assert process.wait(timeout=300) == 0, log.read_text(errors="replace")[-3000:]


# The instances under test are what gets killed, not the server: its fsync only slows the run.
postgres_url = postgres_url_fixture(prefix="outbox_faults", synchronous_commit=False, migrated=True)


def posted_or_ended(fake: FakeSlack, process: subprocess.Popen[bytes], *, count: int, timeout: float) -> bool:
    """Wait until Slack holds `count` posts (True) or the process ended first (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(fake.calls_to("chat.postMessage")) >= count:
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.01)
    raise AssertionError(f"a tick neither posted nor ended within {timeout}s")


@pytest.mark.slow
def test_ticks_killed_twenty_times_post_every_delivery_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'outbox.db'}"
    engine = make_engine(url)
    upgrade(engine)
    timeline = Timeline()
    channels = plan_many(engine, count=5_000, due=timeline.now())
    dice = random.Random(20)
    with FakeSlack(clock=timeline.now) as fake:
        # Few posts in flight, each 20 ms: twenty ticks killed within a second of posting cannot finish the
        # outbox between them, so every kill lands on work (at full speed a tick could end before its kill).
        fake.set_latency("chat.postMessage", 0.02)
        env = bot_env(database_url=url, fake=fake, DELIVERY_LEASE_SECONDS="2", DISPATCH_THREADS="8")
        log = tmp_path / "ticks.log"
        kills = starts = 0
        while kills < 20 and starts < 60:
            starts += 1
            started = len(fake.calls_to("chat.postMessage"))
            process = start_bot("tick", env=env, cwd=REPO, log=log)
            # Once it posts, at a random moment of claiming, posting or recording: the process just vanishes.
            if posted_or_ended(fake, process, count=started + 1, timeout=60):
                time.sleep(dice.uniform(0.0, 1.0))
                if process.poll() is None:
                    process.send_signal(signal.SIGKILL)
                    kills += 1
            else:
                time.sleep(0.5)  # what is left is held by a killed tick's claims until its 2 s lease lapses
            process.wait(timeout=10)
        fake.set_latency("chat.postMessage", 0)
        posted_while_killing = len(fake.calls_to("chat.postMessage"))
        passes = 0
        while unfinished(engine) and passes < 40:
            tick_to_the_end(env=env, log=log)
            passes += 1
            time.sleep(0.5)  # claims of killed ticks lapse after the 2 s lease
        result = figures(engine, fake, channels=channels)

    print(
        f"\nSIGKILL: kills survived {kills} of {starts} ticks ({posted_while_killing} posts), "
        f"deliveries checked {result.checked}, "
        f"lost {len(result.lost)}, doubled {len(result.doubled)}, states {dict(result.states)}"
    )
    assert kills == 20 and result.checked == 5_000 and result.states == Counter(sent=5_000)
    assert result.lost == [] and result.doubled == []


def slow_at_times(fake: FakeSlack, *, seconds: float, stop: threading.Event) -> None:
    """Twice, for 4 s, each post takes `seconds` (longer than the lease); Slack is quick otherwise."""
    for _ in range(2):
        if stop.wait(4):
            return
        fake.set_latency("chat.postMessage", seconds)
        stop.wait(4)
        fake.set_latency("chat.postMessage", 0)


@pytest.mark.slow
def test_three_ticks_and_two_servers_over_a_slow_slack_post_each_delivery_once(
    tmp_path: Path, postgres_url: str
) -> None:
    engine = make_engine(postgres_url)
    timeline = Timeline()
    channels = plan_many(engine, count=10_000, due=timeline.now())
    lease = 2.0
    with FakeSlack(clock=timeline.now) as fake:
        env = bot_env(database_url=postgres_url, fake=fake, DELIVERY_LEASE_SECONDS=str(lease))
        stop = threading.Event()
        slowness = threading.Thread(
            target=slow_at_times, args=(fake,), kwargs={"seconds": 1.5 * lease, "stop": stop}
        )
        with ExitStack() as servers:
            for n in range(2):
                log = tmp_path / f"serve{n}.log"
                servers.enter_context(bot_process("serve", env=env, cwd=REPO, healthy=False, log=log))
            deadline = time.monotonic() + 240

            def ticking(n: int) -> int:
                passes = 0
                while unfinished(engine) and time.monotonic() < deadline:
                    tick_to_the_end(env=env, log=tmp_path / f"tick{n}.log")
                    passes += 1
                return passes

            slowness.start()
            try:
                with ThreadPoolExecutor(max_workers=3) as pool:
                    passes = sum(pool.map(ticking, range(3)))
            finally:
                stop.set()
                slowness.join()
        result = figures(engine, fake, channels=channels)
        slow_posts = sum(1 for call in fake.calls_to("chat.postMessage"))

    print(
        f"\nthree ticks ({passes} passes) + two serves, posts of {1.5 * lease:.0f} s, lease {lease:.0f} s: "
        f"deliveries checked {result.checked}, lost {len(result.lost)}, doubled {len(result.doubled)}, "
        f"post calls {slow_posts}, states {dict(result.states)}"
    )
    assert result.checked == 10_000 and result.states == Counter(sent=10_000)
    assert result.lost == [] and result.doubled == []


@pytest.mark.slow
def test_a_failing_slack_leaves_every_delivery_sent_once_or_visibly_failed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'outbox.db'}"
    engine = make_engine(url)
    upgrade(engine)
    timeline = Timeline()
    channels: list[str] = []

    def plan_phase(name: str, count: int = 100) -> None:
        channels.extend(plan_many(engine, count=count, due=timeline.now(), prefix=name))

    with FakeSlack(clock=timeline.now) as fake:
        fake.fail_randomly("chat.postMessage", rate=0.1)
        fake.fail_randomly("conversations.history", rate=0.1)
        client = WebClient(token=BOT_TOKEN, base_url=fake.api_url, timeout=1)
        outcomes: Counter[Outcome] = Counter()

        def tick() -> None:
            done = run_tick(
                engine=engine, clients=lambda _workspace: client, now=timeline.now(), default_timezone="UTC"
            ).dispatched
            outcomes.update(done.counts())

        # 429 bursts with fractional and unreadable Retry-After, and a channel gone: a real `tick` exits 0.
        plan_phase("burst")
        plan_phase("gone", PER_CHANNEL)
        fake.fail_next("chat.postMessage", status=200, error="channel_not_found", channel=channels[-2])
        fake.fail_next("chat.postMessage", status=429, headers={"Retry-After": "1.5"}, times=3)
        fake.fail_next("chat.postMessage", status=429, headers={"Retry-After": "soon"}, times=2)
        env = bot_env(database_url=url, fake=fake, DELIVERY_LEASE_SECONDS="2")
        tick_to_the_end(env=env, log=tmp_path / "tick.log")
        # Timeouts: for 8 s Slack takes 1.5 s to accept a post from a client that waits 1 s.
        plan_phase("timeout")
        fake.set_latency("chat.postMessage", 1.5)
        slow = threading.Thread(target=tick)
        slow.start()
        time.sleep(8)
        fake.set_latency("chat.postMessage", 0)
        slow.join()
        time.sleep(2)  # the posts the client gave up on land meanwhile
        # A refused token: everything waits, nothing fails, until it works again.
        plan_phase("revoked")
        fake.revoke_token(BOT_TOKEN)
        timeline.skip(1800)
        tick()
        held = unfinished(engine)
        timeline.skip(60)
        tick()
        assert held >= 100 and unfinished(engine) == held
        fake.revoke_token(BOT_TOKEN, revoked=False)
        timeline.skip(AUTH_HOLD.total_seconds())
        plan_phase("fractional")
        fake.fail_next("chat.postMessage", status=429, headers={"Retry-After": "0.5"}, times=4)
        passes = 0
        while unfinished(engine) and passes < 30:
            tick()
            timeline.skip(1800)
            passes += 1
        result = figures(engine, fake, channels=channels)
        lookups = len(fake.calls_to("conversations.history"))

    print(
        f"\nfailing Slack: deliveries checked {result.checked}, lost {len(result.lost)}, "
        f"doubled {len(result.doubled)}, look-ups {lookups}, outcomes {dict(+outcomes)}, "
        f"states {dict(result.states)}"
    )
    assert result.lost == [] and result.doubled == []
    # Timed-out posts found, not repeated; a refused token held its workspace.
    assert outcomes[Outcome.RECOVERED] >= 1 and outcomes[Outcome.HELD] >= 1
    assert (
        result.states["sent"] >= 395
        and result.states["sent"] + result.states["failed"] + result.states["skipped"] == result.checked
    )
