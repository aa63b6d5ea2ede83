"""`milestone-bot console` needs no set-up, and `serve` without Slack credentials points to it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_bot(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    # Nothing from Slack in the environment, and this tree's code whatever is installed.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_serve_without_credentials_says_the_console_works_now(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "serve", "--no-scheduler")

    assert result.returncode == 2
    assert "SLACK_SIGNING_SECRET" in result.stderr
    assert "`milestone-bot console` works now" in result.stderr and "Traceback" not in result.stderr


def test_console_runs_with_no_set_up_in_a_sqlite_file_of_its_own(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "console", stdin="/milestone add Launch beta due 2026-12-04 owner @alice\n")

    assert result.returncode == 0, result.stderr
    assert "Launch beta" in result.stdout and "@alice" in result.stdout
    assert (tmp_path / "milestone-console.db").exists()
