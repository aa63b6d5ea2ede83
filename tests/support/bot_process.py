"""`python -m bot …` as a real process, the way a Procfile or a deploy runs it, for end-to-end fault tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError

from tests.support.fake_slack import FakeSlack

SIGNING_SECRET = "fault-signing-secret"
BOT_TOKEN = "xoxb-fault-token"
# The app is on 127.0.0.1: never route health checks through a proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class BotProcess:
    """A running `python -m bot …`: its port, the process, and the file its output goes to."""

    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT."""
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        """Everything the process wrote to stdout and stderr so far."""
        return self.log.read_text(errors="replace")

    def health(self) -> int:
        """GET /healthz's status, or 0 when nothing answers."""
        try:
            with _OPENER.open(f"{self.base_url}/healthz", timeout=2) as response:
                return response.status
        except HTTPError as error:
            return error.code
        except OSError:
            return 0

    def terminate(self, sig: signal.Signals = signal.SIGTERM) -> float:
        """Send SIGTERM (or `sig`), kill the process if it has not exited within 15 s; the seconds it took."""
        started = time.monotonic()
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        return time.monotonic() - started


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bot_env(*, database_url: str, fake: FakeSlack, **extra: str) -> dict[str, str]:
    """The environment of a single-workspace deployment talking to the fake Slack, plus `extra` variables.

    The test runner's own SLACK_*, LOG_* and WEB_* variables are left out.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LOG_", "WEB_"))}
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


def upgrade(*, env: dict[str, str], cwd: Path) -> None:
    """`python -m bot db upgrade`: migrate the database of `env`."""
    run_bot("db", "upgrade", env=env, cwd=cwd)


def start_bot(*args: str, env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen[bytes]:
    """Start `python -m bot <args>`, its stdout and stderr appended to `log`; the caller stops it."""
    with log.open("ab") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", *args], cwd=cwd, env=env, stdout=sink, stderr=subprocess.STDOUT
        )


@contextmanager
def bot_process(
    *args: str, env: dict[str, str], cwd: Path, healthy: bool = True, log: Path | None = None
) -> Iterator[BotProcess]:
    """`python -m bot <args>` with PORT a free port, its output to `log` (default `<command>-<port>.log` in
    `cwd`); with `healthy`, yielded once GET /healthz answers 200. Stopped afterwards (SIGTERM, then kill)."""
    port = free_port()
    log = log or cwd / f"{args[0]}-{port}.log"
    process = start_bot(*args, env={**env, "PORT": str(port)}, cwd=cwd, log=log)
    running = BotProcess(port=port, process=process, log=log)
    try:
        deadline = time.monotonic() + 30
        while healthy and running.health() != 200:
            assert process.poll() is None, (
                f"`bot {' '.join(args)}` exited {process.returncode}: {running.output()}"
            )
            assert time.monotonic() < deadline, f"no 200 on /healthz within 30 s: {running.output()}"
            time.sleep(0.1)
        yield running
    finally:
        running.terminate()


def serving_process(
    *, env: dict[str, str], cwd: Path, name: str = "serve"
) -> AbstractContextManager[BotProcess]:
    """`python -m bot serve --no-scheduler`, its output to `<name>.log` in `cwd`, as `bot_process` runs it."""
    return bot_process("serve", "--no-scheduler", env=env, cwd=cwd, log=cwd / f"{name}.log")
