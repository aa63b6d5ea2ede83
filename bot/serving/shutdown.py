"""Stopping on SIGTERM (every deploy) and SIGINT (Ctrl-C): an event to wait on, and a last-resort exit."""

from __future__ import annotations

import logging
import os
import signal
import threading
from types import FrameType
from typing import NoReturn

logger = logging.getLogger(__name__)

# Platforms send SIGKILL 10 s after SIGTERM (Heroku, `docker stop`): stop well inside that.
STOP_SECONDS = 8.0


def stop_requested() -> threading.Event:
    """An event set by the first SIGTERM or SIGINT; a second signal exits at once."""
    stop = threading.Event()

    def on_signal(number: int, _frame: FrameType | None) -> None:
        if stop.is_set():
            exit_now(1)
        logger.info("%s: finishing the work in hand, then exiting", signal.Signals(number).name)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    return stop


def wait_for(stop: threading.Event, *, parent: int | None = None) -> None:
    """Block until `stop` is set or, given `parent`, until that process is gone (checked every second)."""
    while not stop.wait(1.0):
        # A parent killed outright (SIGKILL, OOM) sends nothing: its child learns of it by being re-parented.
        if parent is not None and os.getppid() != parent:
            logger.warning("the server that started this process is gone: stopping")
            return


def exit_now(status: int) -> NoReturn:
    """Exit without waiting for worker threads (a pass still posting): its claims expire, then reconcile."""
    logging.shutdown()
    os._exit(status)
