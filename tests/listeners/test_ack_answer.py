"""The answer slot: acked exactly once, with the first answer in time or empty at the deadline."""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from slack_bolt import Ack, BoltResponse

from bot.config import REQUEST_THREADS
from bot.listeners.ack_answer import MAX_HELD_ACKS, WATCHER, AnswerSlot, DeadlineWatcher

ANSWER = {"text": "Hi", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hi"}}]}


def acked_body(ack: Ack) -> object:
    assert ack.response is not None and ack.response.status == 200
    return ack.response.body


def test_the_first_answer_in_time_is_the_ack() -> None:
    ack = Ack()
    slot = AnswerSlot(ack, deadline=time.monotonic() + 5)
    assert slot.answer(**ANSWER, response_type="in_channel")
    assert '"response_type": "in_channel"' in str(acked_body(ack)) and '"text": "Hi"' in str(acked_body(ack))
    # A second answer, or the end of the listener, leaves the ack as it went.
    first = ack.response
    assert not slot.answer(text="Again", blocks=None, response_type="ephemeral")
    slot.close()
    assert ack.response is first


def test_an_answer_after_the_deadline_acks_empty_and_goes_elsewhere() -> None:
    ack = Ack()
    slot = AnswerSlot(ack, deadline=time.monotonic() - 0.01)
    assert not slot.answer(**ANSWER, response_type="ephemeral")
    assert acked_body(ack) == ""


def test_closing_a_slot_nobody_answered_acks_it_empty() -> None:
    ack = Ack()
    slot = AnswerSlot(ack, deadline=time.monotonic() + 5)
    slot.close()
    assert acked_body(ack) == ""
    assert not slot.answer(**ANSWER, response_type="ephemeral")


def test_the_watcher_acks_every_unanswered_slot_at_its_deadline_in_order() -> None:
    acks = [Ack() for _ in range(300)]
    start = time.monotonic()
    # Deadlines out of order: the heap still closes each at its own.
    slots = [AnswerSlot(ack, deadline=start + 0.2 + (n % 7) * 0.05) for n, ack in enumerate(acks)]
    for slot in slots:
        WATCHER.watch(slot)
    slots[0].answer(**ANSWER, response_type="ephemeral")
    deadline = time.monotonic() + 5
    while any(ack.response is None for ack in acks) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert all(ack.response is not None for ack in acks)
    assert '"text": "Hi"' in str(acked_body(acks[0]))
    assert all(acked_body(ack) == "" for ack in acks[1:])
    assert time.monotonic() - start >= 0.2


class CountingAck(Ack):
    """An Ack that counts how often it was called."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        self.calls += 1
        return super().__call__(*args, **kwargs)


def test_an_answer_racing_the_watcher_is_acked_exactly_once() -> None:
    acks: list[CountingAck] = []
    threads: list[threading.Thread] = []
    for n in range(200):
        ack = CountingAck()
        slot = AnswerSlot(ack, deadline=time.monotonic() + 0.02)
        WATCHER.watch(slot)
        # Answers land just before, at and just after the deadline.
        later = threading.Timer(
            0.015 + (n % 10) * 0.001, slot.answer, kwargs={**ANSWER, "response_type": "ephemeral"}
        )
        later.start()
        acks.append(ack)
        threads.append(later)
    for thread in threads:
        thread.join()
    time.sleep(0.1)
    assert [ack.calls for ack in acks] == [1] * 200


def test_a_process_holds_a_few_acks_at_once_and_each_is_let_go_once_acked() -> None:
    watcher = DeadlineWatcher()
    assert all(watcher.hold() for _ in range(MAX_HELD_ACKS))
    assert not watcher.hold()
    ack = Ack()
    slot = AnswerSlot(ack, deadline=time.monotonic() + 5, on_acked=watcher.let_go)
    slot.answer(**ANSWER, response_type="ephemeral")
    slot.close()  # already acked: lets nothing go twice
    assert watcher.hold() and not watcher.hold()


def test_a_process_holds_at_most_half_its_request_threads() -> None:
    assert MAX_HELD_ACKS == REQUEST_THREADS // 2 >= 1


def test_an_ack_made_past_the_slot_takes_no_answer_and_is_let_go_once() -> None:
    watcher = DeadlineWatcher()
    assert watcher.hold()
    ack = CountingAck()
    slot = AnswerSlot(ack, deadline=time.monotonic() + 5, on_acked=watcher.let_go)
    ack()  # Bolt may have sent this empty ack already: an answer put in it now would never be seen
    assert not slot.answer(**ANSWER, response_type="ephemeral")
    slot.close()
    assert ack.calls == 1 and acked_body(ack) == ""
    assert all(watcher.hold() for _ in range(MAX_HELD_ACKS)) and not watcher.hold()


def test_a_watcher_whose_thread_died_starts_another_for_the_next_slot() -> None:
    watcher = DeadlineWatcher()
    gone = threading.Thread(target=lambda: None)
    gone.start()
    gone.join()
    watcher._thread = gone  # as if an unforeseen error had ended it
    ack = Ack()
    watcher.watch(AnswerSlot(ack, deadline=time.monotonic() + 0.05))
    deadline = time.monotonic() + 5
    while ack.response is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert acked_body(ack) == ""


def test_a_forked_worker_starts_with_no_held_acks_and_its_own_watcher_thread() -> None:
    watcher = DeadlineWatcher()
    assert all(watcher.hold() for _ in range(MAX_HELD_ACKS))
    watcher.watch(AnswerSlot(Ack(), deadline=time.monotonic() + 60))  # the parent's thread is running
    child = os.fork()
    if child == 0:  # gunicorn's worker: what the master held is not its own
        ack = Ack()
        watcher.watch(AnswerSlot(ack, deadline=time.monotonic() + 0.05))
        deadline = time.monotonic() + 5
        while ack.response is None and time.monotonic() < deadline:
            time.sleep(0.01)
        os._exit(0 if ack.response is not None and watcher.hold() else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert not watcher.hold()


def _held_full(watcher: DeadlineWatcher) -> list[AnswerSlot]:
    """MAX_HELD_ACKS slots held and watched, each open for a minute."""
    slots = []
    for _ in range(MAX_HELD_ACKS):
        assert watcher.hold()
        slot = AnswerSlot(Ack(), deadline=time.monotonic() + 60, on_acked=watcher.let_go)
        watcher.watch(slot)
        slots.append(slot)
    return slots


def test_a_command_past_the_held_acks_waits_for_one_answered_in_time() -> None:
    watcher = DeadlineWatcher()
    slots = _held_full(watcher)
    # Answered a moment later: the waiting command takes its hold instead of being acked empty at once.
    threading.Timer(0.1, slots[0].answer, kwargs={**ANSWER, "response_type": "ephemeral"}).start()
    started = time.monotonic()
    assert watcher.hold(until=time.monotonic() + 5)
    assert 0.05 < time.monotonic() - started < 4
    assert not watcher.hold(until=time.monotonic() + 0.05)  # full again, and nobody lets go in time


def _held_and_late(watcher: DeadlineWatcher, *, count: int) -> None:
    """`count` held acks, one after the other, each closed empty at its deadline."""
    for _ in range(count):
        ack = Ack()
        assert watcher.hold()
        watcher.watch(AnswerSlot(ack, deadline=time.monotonic() + 0.02, on_acked=watcher.let_go))
        deadline = time.monotonic() + 5
        while ack.response is None and time.monotonic() < deadline:
            time.sleep(0.01)


def test_one_late_answer_does_not_stop_commands_waiting_for_a_hold() -> None:
    watcher = DeadlineWatcher()
    _held_and_late(watcher, count=1)  # a first connection, a pause: not yet a slow Slack
    slots = _held_full(watcher)
    threading.Timer(0.1, slots[0].answer, kwargs={**ANSWER, "response_type": "ephemeral"}).start()
    assert watcher.hold(until=time.monotonic() + 5)


def test_while_held_acks_miss_their_deadline_a_command_is_acked_empty_at_once() -> None:
    watcher = DeadlineWatcher()
    _held_and_late(watcher, count=4)
    assert watcher.answers_late()
    _held_full(watcher)
    # A slow Slack: waiting for a hold would only make this ack late too.
    started = time.monotonic()
    assert not watcher.hold(until=time.monotonic() + 5)
    assert time.monotonic() - started < 0.5


def test_held_acks_answered_in_time_again_let_commands_wait_again() -> None:
    watcher = DeadlineWatcher()
    _held_and_late(watcher, count=6)
    assert watcher.answers_late()
    for _ in range(4):
        assert watcher.hold()
        AnswerSlot(Ack(), deadline=time.monotonic() + 5, on_acked=watcher.let_go).answer(
            **ANSWER, response_type="ephemeral"
        )
    assert not watcher.answers_late()


def test_waiting_commands_take_the_acks_that_go_in_the_order_they_came() -> None:
    watcher = DeadlineWatcher()
    slots = _held_full(watcher)
    order: list[str] = []

    def waits(name: str) -> None:
        if watcher.hold(until=time.monotonic() + 5):
            order.append(name)

    first = threading.Thread(target=waits, args=("first",))
    first.start()
    time.sleep(0.05)
    second = threading.Thread(target=waits, args=("second",))
    second.start()
    time.sleep(0.05)
    slots[0].answer(**ANSWER, response_type="ephemeral")
    # A command coming now finds the freed ack given already, to the first that waited.
    assert not watcher.hold()
    first.join(5)
    slots[1].answer(**ANSWER, response_type="ephemeral")
    second.join(5)
    assert order == ["first", "second"]
