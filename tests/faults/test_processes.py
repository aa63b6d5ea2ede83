"""Real processes as a platform runs them: SIGTERM mid-work, a database that goes away, JSON logs."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from glob import glob
from pathlib import Path

import pytest
from sqlmodel import Session, select

from storage import deliveries
from storage.db import make_engine, session_scope
from storage.models import Milestone
from storage.workspace import Workspace
from tests.support.bot_process import (
    BOT_TOKEN,
    SIGNING_SECRET,
    bot_env,
    bot_process,
    free_port,
    run_bot,
    upgrade,
)
from tests.support.databases import postgres_url_fixture
from tests.support.fake_slack import FakeSlack
from tests.support.fake_socket_mode import FakeSocketMode
from tests.support.scheduler import delivery_key, stamp_messages_from
from tests.support.slack_requests import Reply, SlackRequests

pytestmark = pytest.mark.slow

APOLOGY = "Something went wrong on our side"
EXIT_SECONDS = 10.0
ACK_SECONDS = 3.0


# A fresh database a test; `python -m bot db upgrade` migrates it, as a deploy does.
postgres_url = postgres_url_fixture(prefix="milestone_proc")


def _milestone_titles(database_url: str) -> list[str]:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            return [m.title for m in session.exec(select(Milestone))]
    finally:
        engine.dispose()


def _answers_by_key(fake: FakeSlack) -> dict[str, list[str]]:
    answers: dict[str, list[str]] = {}
    for call in fake.calls_to("response_url"):
        answers.setdefault(call.params["_key"], []).append(str(call.params.get("text", "")))
    return answers


def _send_all(requests: SlackRequests, commands: list[tuple[str, str, str]]) -> list[tuple[Reply, float]]:
    """Send (text, user, response key) commands at once; each reply with its seconds."""

    def send(command: tuple[str, str, str]) -> tuple[Reply, float]:
        started = time.monotonic()
        reply = requests.command(command[0], user=command[1], response_key=command[2])
        return reply, time.monotonic() - started

    with ThreadPoolExecutor(max_workers=len(commands)) as pool:
        return list(pool.map(send, commands))


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_sigterm_with_80_adds_in_flight_loses_none(
    tmp_path: Path, postgres_url: str, sig: signal.Signals
) -> None:
    with FakeSlack() as fake:
        for i in range(80):
            fake.add_user(f"UL{i}", tz="UTC", name=f"load{i}")
        env = bot_env(database_url=postgres_url, fake=fake, WEB_CONCURRENCY="2")
        upgrade(env=env, cwd=tmp_path)
        with bot_process("serve", env=env, cwd=tmp_path) as served:
            # A slow Slack: every add waits ~2 s after its ack (users.info, then response_url).
            fake.set_latency("users.info", 1.0)
            fake.set_latency("response_url", 1.0)
            requests = SlackRequests(served.base_url, signing_secret=SIGNING_SECRET, fake=fake)
            commands = [(f'add "Load {i}" due Dec 15', f"UL{i}", f"k{i}") for i in range(80)]
            replies = _send_all(requests, commands)
            seconds = served.terminate(sig)
            output = served.output()
        answers = _answers_by_key(fake)
    assert [reply.status for reply, _ in replies] == [200] * 80
    assert max(took for _, took in replies) < ACK_SECONDS
    assert served.process.returncode == 0, output
    assert seconds < EXIT_SECONDS, output
    assert sorted(_milestone_titles(postgres_url)) == sorted(f"Load {i}" for i in range(80))
    assert sorted(answers) == sorted(f"k{i}" for i in range(80)), output
    assert all(len(texts) == 1 and "Added" in texts[0] for texts in answers.values()), answers


def test_scheduler_exits_within_10_s_of_sigterm(tmp_path: Path) -> None:
    with FakeSlack() as fake:
        env = bot_env(database_url=f"sqlite:///{tmp_path / 'scheduler.db'}", fake=fake)
        with bot_process("scheduler", env=env, cwd=tmp_path, healthy=False) as scheduler:
            deadline = time.monotonic() + 30
            while "scheduler running" not in scheduler.output():
                assert scheduler.process.poll() is None, scheduler.output()
                assert time.monotonic() < deadline, scheduler.output()
                time.sleep(0.1)
            seconds = scheduler.terminate()
    assert scheduler.process.returncode == 0, scheduler.output()
    assert seconds < EXIT_SECONDS


def _plan_posts(database_url: str, *, count: int, now: datetime) -> list[str]:
    """`count` channel posts due a minute ago in C1, straight into the outbox; their keys."""
    engine = make_engine(database_url)
    keys = [f"checkin:C1:process-{i}" for i in range(count)]
    try:
        with session_scope(engine) as session:
            for i, key in enumerate(keys):
                payload = {"text": f"Weekly review {i}"}
                deliveries.plan_delivery(
                    session=session,
                    key=key,
                    kind="checkin",
                    workspace=Workspace(team_id="T1"),
                    channel_id="C1",
                    payload=payload,
                    not_before=now - timedelta(minutes=1),
                    now=now,
                )
    finally:
        engine.dispose()
    return keys


def test_scheduler_stopped_mid_pass_exits_in_time_and_nothing_is_doubled_or_lost(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'pass.db'}"
    with FakeSlack() as fake:
        env = bot_env(database_url=database_url, fake=fake, DELIVERY_LEASE_SECONDS="4")
        upgrade(env=env, cwd=tmp_path)
        now = datetime.now(UTC)
        keys = _plan_posts(database_url, count=20, now=now)
        stamp_messages_from(fake, now)
        # 1.5 s a post: the pass would take 30 s, far past the 10 s a platform waits after SIGTERM.
        fake.set_latency("chat.postMessage", 1.5)
        with bot_process("scheduler", env=env, cwd=tmp_path, healthy=False) as scheduler:
            assert fake.wait_for("chat.postMessage", timeout=30), scheduler.output()
            seconds = scheduler.terminate()
            output = scheduler.output()
        fake.set_latency("chat.postMessage", 0)
        posted_before = len(fake.calls_to("chat.postMessage"))
        time.sleep(5)  # the lease of what the stopped pass held runs out
        result = run_bot("tick", env=env, cwd=tmp_path)
        posted = [delivery_key(message) for message in fake.messages("C1")]
    assert seconds < EXIT_SECONDS, output
    assert 0 < posted_before < 20, output
    assert sorted(posted) == sorted(keys), result.stdout


def test_json_logs_are_one_object_a_line_with_the_request_fields(tmp_path: Path) -> None:
    with FakeSlack() as fake:
        database_url = f"sqlite:///{tmp_path / 'json.db'}"
        env = bot_env(database_url=database_url, fake=fake, LOG_FORMAT="json", WEB_CONCURRENCY="1")
        with bot_process("serve", "--no-scheduler", env=env, cwd=tmp_path) as served:
            requests = SlackRequests(served.base_url, signing_secret=SIGNING_SECRET, fake=fake)
            assert requests.command("add Launch due Dec 15 budget $5,000").status == 200
            fake.wait_for("response_url", timeout=10)
            served.terminate()
            output = served.output()
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    (request,) = [line for line in lines if line["logger"] == "bot.requests"]
    assert request["team"] == "T1" and request["channel"] == "C1"
    assert (request["kind"], request["action"], request["outcome"]) == ("command", "add", "ok")
    assert isinstance(request["ms"], int)
    assert "Launch" not in output and "5,000" not in output
    assert BOT_TOKEN not in output and SIGNING_SECRET not in output


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own in a temporary directory and port, stopped and started at will."""

    def __init__(self) -> None:
        found = sorted(glob("/usr/lib/postgresql/*/bin/pg_ctl")) or [shutil.which("pg_ctl") or ""]
        if not found[-1]:
            pytest.skip("pg_ctl is not installed")
        self.bin = Path(found[-1]).parent
        self.port = free_port()
        # Not under pytest's tmp_path: its directories are private to root, and the server runs as postgres.
        self.directory = Path(tempfile.mkdtemp(prefix="milestone-pg-"))
        self.data = self.directory / "data"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root: run it as the postgres user.
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, timeout=60)
        assert result.returncode == 0, result.stderr.decode(errors="replace")

    def create(self) -> None:
        """initdb (trust on loopback) and start."""
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.directory, user.pw_uid, user.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust")
        self.start()

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        log = str(self.directory / "log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def stop(self) -> None:
        """Stop it at once, dropping every connection (as a failover or a crash would)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def remove(self) -> None:
        """Stop it if running, and delete its files."""
        subprocess.run(
            ["runuser", "-u", "postgres", "--"] * (os.geteuid() == 0)
            + [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture
def throwaway_postgres() -> Iterator[ThrowawayPostgres]:
    """A running throwaway PostgreSQL (never the machine's own on 5432)."""
    server = ThrowawayPostgres()
    try:
        server.create()
        yield server
    finally:
        server.remove()


def test_a_database_outage_under_load_is_acked_answered_and_leaves_nothing_half_written(
    tmp_path: Path, throwaway_postgres: ThrowawayPostgres
) -> None:
    database = throwaway_postgres
    with FakeSlack() as fake:
        fake.add_user("U1", tz="UTC", name="alice")
        env = bot_env(database_url=database.url, fake=fake, WEB_CONCURRENCY="2")
        upgrade(env=env, cwd=tmp_path)
        with bot_process("serve", "--no-scheduler", env=env, cwd=tmp_path) as served:
            requests = SlackRequests(served.base_url, signing_secret=SIGNING_SECRET, fake=fake)
            load = _Load(requests)
            load.start()
            time.sleep(2)
            outage_from = load.sent
            database.stop()
            time.sleep(1)
            down_health = served.health()
            time.sleep(4)
            outage_to = load.sent
            database.start()
            healed = _wait_for(lambda: served.health() == 200, timeout=30)
            time.sleep(2)
            load.finish()
            assert fake.wait_for("response_url", count=load.sent, timeout=30)
            served.terminate()
            output = served.output()
        answers = _answers_by_key(fake)
    assert down_health == 503 and healed
    during = [f"k{i}" for i in range(outage_from, outage_to)]
    assert during, "no command was sent while the database was down"
    assert load.failures == [], load.failures
    assert max(load.seconds) < ACK_SECONDS
    # Every command was answered once: an "Added" for each stored milestone, an apology for the rest.
    assert sorted(answers) == sorted(f"k{i}" for i in range(load.sent)), output
    stored = set(_milestone_titles(database.url))
    for i in range(load.sent):
        (answer,) = answers[f"k{i}"]
        if f"Outage {i}" in stored:
            assert "Added" in answer, (i, answer)
        else:
            assert APOLOGY in answer, (i, answer)
    assert any(APOLOGY in answers[key][0] for key in during), "no command met the outage"
    assert len(stored) == len(set(stored))


class _Load:
    """Sends an `add` every 0.1 s from a thread, recording each ack's status and time."""

    def __init__(self, requests: SlackRequests) -> None:
        self.requests = requests
        self.sent = 0
        self.failures: list[tuple[int, int, float]] = []
        self.seconds: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        """Start sending."""
        self._thread.start()

    def finish(self) -> None:
        """Stop sending and wait for the last reply."""
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.is_set():
            i = self.sent
            started = time.monotonic()
            reply = self.requests.command(f'add "Outage {i}" due Dec 15', response_key=f"k{i}")
            took = time.monotonic() - started
            self.seconds.append(took)
            if reply.status != 200 or took >= ACK_SECONDS:
                self.failures.append((i, reply.status, took))
            self.sent += 1
            time.sleep(0.1)


def _wait_for(condition: object, *, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.2)
    return False


def _command_fields(fake: FakeSlack, text: str, *, user: str, response_key: str) -> dict[str, str]:
    """A slash command's payload as Socket Mode carries it (the same fields as the HTTP form)."""
    return {
        "token": "legacy-verification-token",
        "team_id": fake.team_id,
        "team_domain": "team-t1",
        "channel_id": "C1",
        "channel_name": fake.channel_name("C1"),
        "user_id": user,
        "user_name": user.lower(),
        "command": "/milestone",
        "text": text,
        "api_app_id": fake.app_id,
        "is_enterprise_install": "false",
        "response_url": fake.response_url(response_key),
        "trigger_id": f"trigger-{response_key}",
    }


def test_socket_mode_reconnects_within_seconds_after_a_dropped_socket(tmp_path: Path) -> None:
    with FakeSlack() as fake, FakeSocketMode(fake) as socket_mode:
        fake.add_user("U1", tz="UTC", name="alice")
        database_url = f"sqlite:///{tmp_path / 'socket.db'}"
        env = bot_env(database_url=database_url, fake=fake, SLACK_APP_TOKEN="xapp-1-fake")
        with bot_process("serve", "--no-scheduler", env=env, cwd=tmp_path) as served:
            assert socket_mode.wait_for_connections(1, timeout=30), served.output()
            started = time.monotonic()
            socket_mode.drop(silently=False)
            assert socket_mode.wait_for_connections(2, timeout=30), served.output()
            after_close = time.monotonic() - started
            started = time.monotonic()
            socket_mode.drop(silently=True)
            assert socket_mode.wait_for_connections(3, timeout=30), served.output()
            after_silence = time.monotonic() - started
            envelope = socket_mode.send_command(
                _command_fields(fake, "add Launch due Dec 15", user="U1", response_key="r1")
            )
            assert socket_mode.wait_for_acks(1, timeout=ACK_SECONDS), served.output()
            seconds = served.terminate()
            output = served.output()
    assert after_close < 5, output
    assert after_silence < 12, output
    # The answer rides in the envelope's ack, as it does in an HTTP ack: nothing goes to the response URL.
    answer = socket_mode.acks[envelope]["payload"]
    assert answer["response_type"] == "in_channel" and "Added *#1* Launch" in answer["text"], output
    assert fake.calls_to("response_url") == []
    assert served.process.returncode == 0 and seconds < EXIT_SECONDS, output
    assert "will be unused" not in output and "Traceback" not in output


def test_socket_mode_sigterm_with_commands_in_flight_loses_none(tmp_path: Path) -> None:
    with FakeSlack() as fake, FakeSocketMode(fake) as socket_mode:
        for i in range(40):
            fake.add_user(f"UL{i}", tz="UTC", name=f"load{i}")
        database_url = f"sqlite:///{tmp_path / 'socket.db'}"
        env = bot_env(database_url=database_url, fake=fake, SLACK_APP_TOKEN="xapp-1-fake")
        with bot_process("serve", env=env, cwd=tmp_path) as served:
            assert socket_mode.wait_for_connections(1, timeout=30), served.output()
            fake.set_latency("users.info", 1.0)
            fake.set_latency("response_url", 1.0)
            for i in range(40):
                text = f'add "Load {i}" due Dec 15'
                socket_mode.send_command(_command_fields(fake, text, user=f"UL{i}", response_key=f"k{i}"))
            assert socket_mode.wait_for_acks(40, timeout=ACK_SECONDS), served.output()
            seconds = served.terminate()
            output = served.output()
        answers = _answers_by_key(fake)
    assert served.process.returncode == 0, output
    assert seconds < EXIT_SECONDS, output
    assert sorted(_milestone_titles(database_url)) == sorted(f"Load {i}" for i in range(40))
    assert sorted(answers) == sorted(f"k{i}" for i in range(40)), output
