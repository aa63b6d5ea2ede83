"""Group commit: threads asking at once share one run; each gets its own answer, or the run's error."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.outbox.group_call import GroupCall


def test_a_call_alone_runs_at_once_with_its_own_item() -> None:
    batches: list[list[int]] = []

    def run(items: Sequence[int]) -> list[int]:
        batches.append(list(items))
        return [item * 10 for item in items]

    call = GroupCall(run)
    assert call(4) == 40 and call(5) == 50
    assert batches == [[4], [5]]


def test_calls_made_while_a_run_is_under_way_share_the_next_run() -> None:
    first_running, let_go = threading.Event(), threading.Event()
    batches: list[list[int]] = []

    def run(items: Sequence[int]) -> list[str]:
        batches.append(sorted(items))
        if len(batches) == 1:
            first_running.set()
            assert let_go.wait(10)
        return [f"answer {item}" for item in items]

    call = GroupCall(run)
    with ThreadPoolExecutor(max_workers=9) as pool:
        first = pool.submit(call, 0)
        assert first_running.wait(10)
        others = {item: pool.submit(call, item) for item in range(1, 9)}
        # The eight wait while the first run holds the batch; let it finish once they all gathered.
        while call.gathering() < 8:
            threading.Event().wait(0.01)
        let_go.set()
        answers = {item: future.result(10) for item, future in others.items()}
    assert first.result() == "answer 0"
    assert answers == {item: f"answer {item}" for item in range(1, 9)}
    assert batches == [[0], list(range(1, 9))]


def test_every_caller_of_a_failed_run_sees_its_error_and_the_next_run_works() -> None:
    running, let_go = threading.Event(), threading.Event()
    calls = 0

    def run(items: Sequence[int]) -> list[int]:
        nonlocal calls
        calls += 1
        if calls == 1:
            running.set()
            assert let_go.wait(10)
            return list(items)
        if calls == 2:
            raise ConnectionError("database went away")
        return list(items)

    call = GroupCall(run)
    with ThreadPoolExecutor(max_workers=4) as pool:
        first = pool.submit(call, 1)
        assert running.wait(10)
        failing = [pool.submit(call, n) for n in (2, 3)]
        while call.gathering() < 2:
            threading.Event().wait(0.01)
        let_go.set()
        assert first.result(10) == 1
        for future in failing:
            with pytest.raises(ConnectionError, match="went away"):
                future.result(10)
    assert call(4) == 4


def test_a_run_answering_for_too_few_items_is_an_error_not_a_wrong_answer() -> None:
    call = GroupCall(lambda items: [])
    with pytest.raises(RuntimeError, match="0 answers for 1 items"):
        call(1)


def test_many_threads_asking_at_once_each_get_their_own_answer_from_few_runs() -> None:
    runs: list[int] = []

    def run(items: Sequence[tuple[int, int]]) -> list[str]:
        runs.append(len(items))
        threading.Event().wait(0.001)  # a statement's round trip: others gather meanwhile
        return [f"{thread}:{n}" for thread, n in items]

    call = GroupCall(run)

    def ask_often(thread: int) -> list[str]:
        return [call((thread, n)) for n in range(50)]

    with ThreadPoolExecutor(max_workers=40) as pool:
        answers = list(pool.map(ask_often, range(40)))
    assert answers == [[f"{thread}:{n}" for n in range(50)] for thread in range(40)]
    assert sum(runs) == 2_000 and len(runs) < 1_000  # batched, not one run a call
