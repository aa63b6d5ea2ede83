"""The console in a real terminal: prompt_toolkit's prompt, line editing with history, and styled answers."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PROMPT = "you in #general>"  # its trailing space is drawn as a cursor move
UP = "\x1b[A"
# Cursor moves, colours and the like, which a terminal draws and a person never reads.
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[=>]|\r")

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")


class Terminal:
    """A pseudo-terminal with the console on the other side."""

    def __init__(self, tmp_path: Path) -> None:
        self.master, slave = os.openpty()
        env = {key: value for key, value in os.environ.items() if not key.startswith("SLACK_")}
        # No terminal answers the cursor-position question here: don't let prompt_toolkit wait for it.
        env |= {"PYTHONPATH": str(REPO), "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "console", "--db", f"sqlite:///{tmp_path / 'c.db'}"],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=tmp_path,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.raw = b""

    def screen(self) -> str:
        """Everything shown so far, without the terminal's escape codes."""
        return _ESCAPES.sub("", self.raw.decode(errors="replace"))

    def wait_for(self, text: str, *, count: int = 1, timeout: float = 30) -> str:
        """Read until `text` was shown `count` times; fail after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while self.screen().count(text) < count:
            left = deadline - time.monotonic()
            assert left > 0, f"{text!r} never showed; the screen:\n{self.screen()}"
            ready, _, _ = select.select([self.master], [], [], min(left, 1.0))
            if ready:
                try:
                    self.raw += os.read(self.master, 65536)
                except OSError:  # the console closed its end
                    assert self.screen().count(text) >= count, self.screen()
        return self.screen()

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def close(self) -> int:
        try:
            return self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            os.close(self.master)


def test_the_interactive_console_prompts_answers_and_remembers_what_was_typed(tmp_path: Path) -> None:
    terminal = Terminal(tmp_path)
    try:
        terminal.wait_for(PROMPT)
        terminal.type("list\r")
        terminal.wait_for(
            "No milestones in this channel yet. Add one: `/milestone add Launch beta due Dec 15 owner @alice`"
        )
        terminal.wait_for(PROMPT, count=2)
        terminal.type(UP + "\r")  # history: the up arrow brings `list` back
        terminal.wait_for("Open milestones in this channel", count=2)
        terminal.wait_for(PROMPT, count=3)
        terminal.type(":quit\r")
        status = terminal.close()
    finally:
        if terminal.process.poll() is None:
            terminal.process.kill()

    assert status == 0
    screen = terminal.screen()
    assert "Milestone Bot console" in screen
    assert "#general · only you see this" in screen
    assert "Traceback" not in screen
    assert b"\x1b[2m#general \xc2\xb7 only you see this\x1b[0m" in terminal.raw  # a terminal gets styled text
