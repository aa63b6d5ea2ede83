"""`python -m bot …` as a real process, the way a Procfile or a deploy runs it, for end-to-end fault tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.fake_slack import FakeSlack

SIGNING_SECRET = "fault-signing-secret"
BOT_TOKEN = "xoxb-fault-token"
# The app is on 127.0.0.1: never route health checks through a proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class ServeProcess:
    """A running `serve`: its base URL, the process, and the file its output goes to."""

    base_url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        """Everything the process wrote to stdout and stderr so far."""
        return self.log.read_text(errors="replace")


def bot_env(*, database_url: str, fake: FakeSlack, **extra: str) -> dict[str, str]:
    """The environment of a single-workspace deployment talking to the fake Slack."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(
        {
            "DATABASE_URL": database_url,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake.api_url,
            **extra,
        }
    )
    return env


def run_bot(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run one `python -m bot …` command to the end; AssertionError with its output when it fails."""
    result = subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"`bot {' '.join(args)}` exited {result.returncode}: {result.stderr}"
    return result


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving_process(*, env: dict[str, str], cwd: Path, name: str = "serve") -> Iterator[ServeProcess]:
    """`python -m bot serve --port N --no-scheduler`, yielded once GET /healthz answers 200; stopped after."""
    port = free_port()
    log = cwd / f"{name}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--port", str(port), "--no-scheduler"],
            cwd=cwd,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    served = ServeProcess(base_url=f"http://127.0.0.1:{port}", process=process, log=log)
    try:
        _wait_until_healthy(served)
        yield served
    finally:
        stop(served)


def stop(served: ServeProcess) -> None:
    """Ask the process to stop (SIGTERM), and kill it if it has not within 15 s."""
    if served.process.poll() is None:
        served.process.terminate()
        try:
            served.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            served.process.kill()
            served.process.wait(timeout=5)


def _wait_until_healthy(served: ServeProcess, *, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with _OPENER.open(f"{served.base_url}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        assert served.process.poll() is None, f"serve exited {served.process.returncode}: {served.output()}"
        assert time.monotonic() < deadline, f"serve did not answer /healthz within {timeout} s"
        time.sleep(0.1)
