"""A slash command's answer in its HTTP acknowledgement: the first answer ready in time rides in the ack.

Slack shows an answer in the ack exactly like one sent to the response URL, one round trip sooner. The ack
of a command is held open in an AnswerSlot until a short deadline; `respond()` (RespondInAck) puts the
listener's first answer in it while it is open, and goes to the response URL after that. One watcher
thread acks empty every slot still open at its deadline, so a busy pool never makes an ack late.

A process holds a few acks at once. Past that, while held acks are being answered in time, a command waits
(up to half its window) for one to go rather than being acked empty: an empty ack lets the client send its
next command at once, and queued answers pile up faster than they are made (seconds late under load).
"""

from __future__ import annotations

import heapq
import itertools
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk.webhook import WebhookResponse

from bot.config import REQUEST_THREADS

logger = logging.getLogger(__name__)

_KEY = "answer_slot"
_ARRIVED_KEY = "answer_slot_arrived"
# A held ack keeps one of the process's request threads waiting up to the deadline: past half of them, a
# burst of slow commands would queue everyone else's ack behind it. Past this many, a command waits a while
# for one to go (see DeadlineWatcher.hold), else is acked empty and answered through its response URL.
MAX_HELD_ACKS = REQUEST_THREADS // 2
# Held acks closed empty at their deadline say answers are late (a slow Slack, a machine out of CPU): while
# at least this share of recent ones were, waiting for a hold would only make acks later too, so a command
# is acked empty at once. A share, not the last one: one late answer (a first connection, a pause) must not
# let a burst of empty acks through, whose queued answers would make the next held ones late in turn.
LATE_SHARE_TO_STOP_WAITING = 0.5
# How much each held ack's end moves that share: a few late ones in a row stop the waiting, a few in time
# resume it.
LATE_SHARE_WEIGHT = 0.2


class AnswerSlot:
    """One command's ack, open until its deadline for the first answer; acked exactly once, whoever acks."""

    def __init__(self, ack: Ack, *, deadline: float, on_acked: Callable[[bool], None] | None = None) -> None:
        self.deadline = deadline  # time.monotonic()
        self._ack = ack
        self._on_acked = on_acked  # called once acked, with True when that was at or past the deadline
        # The listener's answer and the watcher's empty ack may come at the same moment: one of them acks.
        self._lock = threading.Lock()
        self._acked = False

    def answer(self, *, text: str, blocks: Sequence[Any] | None, response_type: str) -> bool:
        """Ack with this answer if the slot is still open; False when it must go to the response URL."""
        with self._lock:
            if not self._claim():
                return False
            try:
                if late := time.monotonic() >= self.deadline:
                    # The watcher is about to ack empty: do it now; the answer takes the response URL.
                    self._ack()
                    return False
                try:
                    self._ack(text=text, blocks=blocks, response_type=response_type)
                except Exception:
                    self._ack()  # Slack must still hear from us; the answer's error is the caller's
                    raise
                return True
            finally:
                self._let_go(late=late)

    def close(self) -> None:
        """Ack empty, unless an answer (or an empty ack) already went."""
        with self._lock:
            if self._claim():
                try:
                    self._ack()
                finally:
                    # Before the deadline, the listener ended without an answer (it opened a form): not late.
                    self._let_go(late=time.monotonic() >= self.deadline)

    def _claim(self) -> bool:
        """True for the caller that is to ack now (holding the lock); False once anyone has acked."""
        if self._acked:
            return False
        self._acked = True
        if self._ack.response is not None:
            # Acked past the slot (a listener calling ack() itself): an answer put in the ack now would be
            # lost, as Bolt may have sent the ack already.
            self._let_go(late=False)
            return False
        return True

    def _let_go(self, *, late: bool) -> None:
        if self._on_acked is not None:
            self._on_acked(late)


class _Turn:
    """A command waiting for a held ack: `given` one when another goes, or `over` when answers run late."""

    def __init__(self) -> None:
        self.given = False
        self.over = False
        # Released when given or over: a bare lock, taken at birth, so waking costs one release.
        self._woken = threading.Lock()
        self._woken.acquire()

    def wait(self, seconds: float) -> None:
        """Sleep until woken or `seconds` passed."""
        if seconds > 0 and self._woken.acquire(timeout=seconds):
            self._woken.release()

    def wake(self) -> None:
        """Wake the waiting command (once)."""
        if self._woken.locked():
            self._woken.release()


class DeadlineWatcher:
    """The process's held acks: how many at once, and one thread closing each at its deadline."""

    def __init__(self) -> None:
        self._reset()
        # A forked worker starts with no thread: it gets a fresh watcher state, started on its first slot.
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        # One lock for the slots and the held count; the condition wakes the watcher thread.
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._slots: list[tuple[float, int, AnswerSlot]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None
        self._held = 0
        self._waiting: deque[_Turn] = deque()
        self._late_share = 0.0  # of the held acks that ended lately, how many were closed at the deadline

    def hold(self, *, until: float | None = None) -> bool:
        """Count one more held ack; when MAX_HELD_ACKS are held, wait for one to go up to `until`.

        False (hold none) when none went by then, or at once without `until` or while held acks are late.
        Waiting commands take the acks that go in the order they came.
        """
        with self._lock:
            if self._held < MAX_HELD_ACKS and not self._waiting:
                self._held += 1
                return True
            if until is None or until <= time.monotonic() or self.answers_late():
                return False
            turn = _Turn()
            self._waiting.append(turn)
        # Woken by the ack that goes (one release of a bare lock), not polled: a poll every 10 ms added its
        # wait to every queued command's ack (bench/README.md, slash commands, third round).
        turn.wait(until - time.monotonic())
        with self._lock:
            if not turn.given:
                self._waiting.remove(turn)
            return turn.given

    def let_go(self, late: bool = False) -> None:
        """One held ack went; `late`: closed at its deadline, without its answer."""
        with self._lock:
            self._late_share += LATE_SHARE_WEIGHT * (float(late) - self._late_share)
            if self._waiting and not self.answers_late():
                # Handed to the first waiting command, so none that comes later takes it first.
                turn = self._waiting.popleft()
                turn.given = True
                turn.wake()
                return
            self._held = max(0, self._held - 1)
            if self.answers_late():
                for turn in self._waiting:
                    turn.over = True  # they stop waiting: the answers they would wait for are late
                    turn.wake()

    def answers_late(self) -> bool:
        """True while recent held acks were mostly closed at their deadline, without their answer."""
        return self._late_share >= LATE_SHARE_TO_STOP_WAITING

    def watch(self, slot: AnswerSlot) -> None:
        """Close `slot` at its deadline if nobody has by then."""
        with self._changed:
            heapq.heappush(self._slots, (slot.deadline, next(self._order), slot))
            if self._thread is None or not self._thread.is_alive():
                # Started on the first slot, and again should it ever have died: every held ack needs it.
                self._thread = threading.Thread(target=self._run, name="ack-deadlines", daemon=True)
                self._thread.start()
            if self._slots[0][2] is slot:
                self._changed.notify()

    def _run(self) -> None:
        while True:
            with self._changed:
                due = self._due()
            for slot in due:
                try:
                    slot.close()
                except Exception:  # one slot's failure must not stop the thread every other ack relies on
                    logger.exception("could not acknowledge a command at its deadline")

    def _due(self) -> list[AnswerSlot]:
        """Wait (holding the condition) until some slot's deadline has passed; take every such slot."""
        while True:
            now = time.monotonic()
            if self._slots and self._slots[0][0] <= now:
                due = []
                while self._slots and self._slots[0][0] <= now:
                    due.append(heapq.heappop(self._slots)[2])
                return due
            self._changed.wait(self._slots[0][0] - now if self._slots else None)


WATCHER = DeadlineWatcher()


class RespondInAck(Respond):
    """`respond()` of a slash command: its first answer rides in the ack while the slot is open."""

    def __init__(self, slot: AnswerSlot, *, respond: Respond) -> None:
        super().__init__(response_url=respond.response_url, proxy=respond.proxy, ssl=respond.ssl)
        self.slot = slot

    def __call__(  # type: ignore[override]
        self,
        text: str | dict = "",
        blocks: Sequence[Any] | None = None,
        attachments: Sequence[Any] | None = None,
        response_type: str | None = None,
        replace_original: bool | None = None,
        delete_original: bool | None = None,
        **more: Any,
    ) -> WebhookResponse:
        """Answer in the ack when it is still open and the answer is a plain message; else the URL."""
        plain = isinstance(text, str) and not attachments and not replace_original and not delete_original
        if plain and not any(value is not None for value in more.values()):
            kind = response_type or "ephemeral"
            if self.slot.answer(text=str(text), blocks=blocks, response_type=kind):
                return WebhookResponse(url=self.response_url or "", status_code=200, body="ok", headers={})
        return super().__call__(
            text=text,
            blocks=blocks,
            attachments=attachments,
            response_type=response_type,
            replace_original=replace_original,
            delete_original=delete_original,
            **more,
        )


def stamp_arrival(context: BoltContext, next: Callable[[], None]) -> None:
    """Remember when the request arrived, before authorization (which may wait on Slack or the database)."""
    # Positional parameters: Bolt reads a middleware's argument names with getfullargspec().args.
    context[_ARRIVED_KEY] = time.monotonic()
    next()


def open_answer_slot(context: BoltContext, *, ack: Ack, seconds: float) -> None:
    """Hold the ack for the first answer up to `seconds` after the request arrived; else ack empty now."""
    # Counted from arrival: a slow authorization must not push the ack past Slack's 3 s (nor Bolt's own
    # wait for it, after which an answer put in the ack would be lost).
    arrived = context.get(_ARRIVED_KEY)
    deadline = (arrived if isinstance(arrived, float) else time.monotonic()) + seconds
    # A command waiting for a hold leaves its answer half the window at least: an answer that then missed
    # would read as answers running late, and stop every command from waiting.
    waits_until = deadline - seconds / 2
    if deadline <= time.monotonic() or not context.response_url or not WATCHER.hold(until=waits_until):
        ack()
        return
    slot = AnswerSlot(ack, deadline=deadline, on_acked=WATCHER.let_go)
    WATCHER.watch(slot)  # first: whatever happens next, the slot is acked and let go by its deadline
    context[_KEY] = slot
    # Every answer of the listener goes through respond(): the first one ready in time takes the slot.
    context["respond"] = RespondInAck(slot, respond=context.respond)


def close_answer_slot(context: BoltContext) -> None:
    """Ack empty now if the request's answer slot is still open: the listener is done and said nothing."""
    slot = context.get(_KEY)
    if isinstance(slot, AnswerSlot):
        slot.close()


def make_sure_acked(ack: Ack, context: BoltContext) -> None:
    """Ack empty unless already acked, or an answer slot still holds the ack for what comes next."""
    # An open slot always ends in an ack (the answer, the listener's end, or the watcher).
    if ack.response is None and not isinstance(context.get(_KEY), AnswerSlot):
        ack()
