"""Group commit: what many posting threads ask of the database at once is done in one statement.

A thread asking joins the batch gathering; the first to find no batch running runs all that gathered, and the
others wait for their share of its answer. Nobody waits for a timer: alone, a call runs at once; under load,
batches grow to what arrives while one statement runs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Item = TypeVar("Item")
Answer = TypeVar("Answer")

_UNANSWERED = object()


@dataclass
class _Ask(Generic[Item]):
    item: Item
    answer: object = _UNANSWERED
    error: BaseException | None = None


class GroupCall(Generic[Item, Answer]):
    """Call `run` on the items of every thread asking at the same time; each gets the answer for its own."""

    def __init__(self, run: Callable[[Sequence[Item]], Sequence[Answer]]) -> None:
        self._run = run
        self._changed = threading.Condition()
        self._gathering: list[_Ask[Item]] = []
        self._running = False

    def __call__(self, item: Item) -> Answer:
        """The answer `run` gives for `item`, run with what else was asked meanwhile; its error, raised."""
        ask = _Ask(item)
        with self._changed:
            self._gathering.append(ask)
            while self._running and not _settled(ask):
                self._changed.wait()
            if not _settled(ask):
                batch, self._gathering, self._running = self._gathering, [], True
        if _settled(ask):
            return _outcome(ask)
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
            with self._changed:
                self._running = False
                self._changed.notify_all()
        return _outcome(ask)

    def gathering(self) -> int:
        """How many calls wait for the next run."""
        with self._changed:
            return len(self._gathering)


def _settled(ask: _Ask) -> bool:
    return ask.error is not None or ask.answer is not _UNANSWERED


def _outcome(ask: _Ask[Item]) -> Answer:  # type: ignore[type-var]
    if ask.error is not None:
        raise ask.error
    return ask.answer  # type: ignore[return-value]
