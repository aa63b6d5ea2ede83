"""The command line as users and Procfiles run it: `python -m bot db upgrade` and `serve`."""

from __future__ import annotations

import os
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


def test_serve_answers_healthz_on_the_given_port(tmp_path: Path) -> None:
    port = _free_port()
    with FakeSlack() as fake:
        env = _env(
            tmp_path,
            SLACK_BOT_TOKEN="xoxb-test",
            SLACK_SIGNING_SECRET="secret",
            SLACK_API_URL=fake.api_url,
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--port", str(port), "--no-scheduler"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                        assert response.status == 200
                        break
                except OSError:
                    assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
                    assert time.monotonic() < deadline, "serve did not answer /healthz within 30 s"
                    time.sleep(0.1)
        finally:
            process.terminate()
            process.wait(timeout=10)
