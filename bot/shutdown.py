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
STOP_SECONDS = 9.0


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


def wait_for(stop: threading.Event) -> None:
    """Block until `stop` is set, waking now and then so the signal handler always gets to run."""
    while not stop.wait(1.0):
        pass


def exit_now(status: int) -> NoReturn:
    """Exit without waiting for worker threads (a pass still posting): its claims expire, then reconcile."""
    logging.shutdown()
    os._exit(status)
