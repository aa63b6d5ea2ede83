"""The command line as users and Procfiles run it: `db upgrade`, `serve` (HTTP, Socket Mode), `scheduler`."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sqlalchemy import inspect

from storage.db import make_engine
from tests.support.fake_slack import FakeSlack

REPO = Path(__file__).resolve().parents[1]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", **extra})
    return env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run_bot(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    result = _run_bot(tmp_path, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    engine = make_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    assert {"milestone", "revision", "channel_settings"} <= set(inspect(engine).get_table_names())


def test_serve_without_credentials_says_what_to_set(tmp_path: Path) -> None:
    result = _run_bot(tmp_path, "serve", "--no-scheduler")
    assert result.returncode == 2
    assert "SLACK_SIGNING_SECRET" in result.stderr and "Traceback" not in result.stderr


def _start(tmp_path: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=_env(tmp_path, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_for_healthz(process: subprocess.Popen[str], port: int) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                assert response.status == 200
                return
        except OSError:
            assert process.poll() is None, process.communicate()[0]
            assert time.monotonic() < deadline, "no answer on /healthz within 30 s"
            time.sleep(0.1)


def _stop(process: subprocess.Popen[str]) -> tuple[float, str]:
    """SIGTERM; how long the process took to exit, and everything it printed."""
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        output = process.communicate(timeout=15)[0]
    except subprocess.TimeoutExpired:
        process.kill()
        output = process.communicate()[0]
    return time.monotonic() - started, output


def test_serve_answers_healthz_on_the_given_port_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    with FakeSlack() as fake:
        process = _start(
            tmp_path,
            "serve",
            "--port",
            str(port),
            SLACK_BOT_TOKEN="xoxb-test",
            SLACK_SIGNING_SECRET="secret",
            SLACK_API_URL=fake.api_url,
            WEB_CONCURRENCY="2",
        )
        _wait_for_healthz(process, port)
        seconds, output = _stop(process)
    assert process.returncode == 0, output
    assert seconds < 10
    assert "gunicorn" in output and output.count("Booting worker") == 2
    assert "scheduler started" in output
    assert "WARNING" not in output and "Traceback" not in output


def test_socket_mode_serves_healthz_on_port_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    with FakeSlack() as fake:
        # The fake has no apps.connections.open: Socket Mode keeps retrying while /healthz answers.
        process = _start(
            tmp_path,
            "serve",
            SLACK_BOT_TOKEN="xoxb-test",
            SLACK_APP_TOKEN="xapp-test",
            SLACK_API_URL=fake.api_url,
            PORT=str(port),
        )
        _wait_for_healthz(process, port)
        time.sleep(1)
        seconds, output = _stop(process)
        assert fake.calls_to("apps.connections.open")
    assert process.returncode == 0, output
    assert seconds < 10
    assert "Socket Mode" in output and "scheduler running" in output
    assert "WARNING" not in output and "Traceback" not in output
    assert "will be unused" not in output


def test_scheduler_runs_until_sigterm(tmp_path: Path) -> None:
    with FakeSlack() as fake:
        process = _start(tmp_path, "scheduler", SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL=fake.api_url)
        assert process.stdout is not None
        for line in process.stdout:
            if "scheduler running" in line:
                break
        seconds, output = _stop(process)
    assert process.returncode == 0, output
    assert seconds < 10
