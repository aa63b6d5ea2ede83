"""Group commit: what many posting threads ask of the database at once is done in one statement.

A thread asking joins the batch gathering; with no batch running, it runs all that gathered itself, and the
others wait for their share of its answer. When a run ends, the first of the next batch is woken to run it.
Nobody waits for a timer: alone, a call runs at once; under load, batches grow to what arrives while one
statement runs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

Item = TypeVar("Item")
Answer = TypeVar("Answer")

_UNANSWERED = object()


def _held_lock() -> threading.Lock:
    lock = threading.Lock()
    lock.acquire()
    return lock


@dataclass
class _Ask(Generic[Item]):
    item: Item
    answer: object = _UNANSWERED
    error: BaseException | None = None
    # Released when answered, or when this ask is to run the batch it heads (`batch` then holds it). A bare
    # lock, taken at birth: waiting is acquiring it again. An Event (a Condition and two locks in Python) cost
    # a tenth of a dispatching process's CPU at a thousand asks a second.
    woken: threading.Lock = field(default_factory=_held_lock)
    batch: list[_Ask[Item]] | None = None

    def wait(self) -> None:
        """Sleep until woken."""
        self.woken.acquire()

    def wake(self) -> None:
        """Wake the asker (once)."""
        self.woken.release()


class GroupCall(Generic[Item, Answer]):
    """Call `run` on the items of every thread asking at the same time; each gets the answer for its own."""

    def __init__(self, run: Callable[[Sequence[Item]], Sequence[Answer]]) -> None:
        self._run = run
        self._lock = threading.Lock()
        self._gathering: list[_Ask[Item]] = []
        self._running = False

    def __call__(self, item: Item) -> Answer:
        """The answer `run` gives for `item`, run with what else was asked meanwhile; its error, raised."""
        ask = _Ask(item)
        with self._lock:
            if self._running:
                self._gathering.append(ask)
            else:
                self._running, ask.batch = True, [ask]
        if ask.batch is None:
            # Each waits on its own event: one wake-up per answer, not every waiter at each run's end.
            ask.wait()
        if ask.batch is not None:
            self._run_batch(ask.batch)
        return _outcome(ask)

    def gathering(self) -> int:
        """How many calls wait for the next run."""
        with self._lock:
            return len(self._gathering)

    def _run_batch(self, batch: list[_Ask[Item]]) -> None:
        """Run one batch, answer each of its asks, and hand the run over to the next batch, if any."""
        try:
            answers = self._run([each.item for each in batch])
            if len(answers) != len(batch):
                raise RuntimeError(f"{len(answers)} answers for {len(batch)} items")
            for each, answer in zip(batch, answers, strict=True):
                each.answer = answer
        except BaseException as error:  # every caller of a failed batch sees the failure, as if alone
            for each in batch:
                each.error = error
        finally:
            with self._lock:
                following, self._gathering = self._gathering, []
                self._running = bool(following)
            for each in batch[1:]:
                each.wake()
            if following:
                following[0].batch = following
                following[0].wake()


def _outcome(ask: _Ask[Item]) -> Answer:  # type: ignore[type-var]
    if ask.error is not None:
        raise ask.error
    return ask.answer  # type: ignore[return-value]
