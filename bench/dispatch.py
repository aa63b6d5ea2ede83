"""Dispatch at Slack's rate floor (issue 12, point 4): `python bench/dispatch.py [--quick]`.

Fills a PostgreSQL database of our own with deliveries due now over channels in workspaces, and dispatches
them from one process and from three against a fake Slack taking 150 ms a post and one message a second per
channel (429 + Retry-After), then with no latency and no limit (the claim → post → mark cycle). Checks each
delivery landed exactly once, in order within its channel, never two within a second in one channel.
"""

from __future__ import annotations

import dataclasses
import itertools
import multiprocessing
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _dispatch_slack import Landed, PacedSlack
from _dispatch_worker import fill, fresh_database, states, work

from storage.db import make_engine

FLOOR_LIMIT = 1.5  # finish within 1.5× the floor
CYCLE_TARGET = 1000.0  # deliveries/s with no latency and no limit


@dataclass(frozen=True)
class Case:
    """One dispatch run: its sizes, the fake's latency and per-channel interval, processes, time cap."""

    name: str
    deliveries: int
    channels: int
    workspaces: int
    latency: float
    interval: float
    processes: int
    cap_s: float


def cases(*, quick: bool) -> list[Case]:
    """The runs, full-size or --quick."""
    if quick:
        return [
            Case("cycle_1proc", 200, 20, 4, 0.0, 0.0, 1, 60),
            Case("floor_3proc", 60, 20, 4, 0.05, 1.0, 3, 60),
        ]
    big = {"deliveries": 10_000, "channels": 1_000, "workspaces": 100}
    return [
        Case("floor_1proc", **big, latency=0.15, interval=1.0, processes=1, cap_s=90),
        Case("floor_3proc", **big, latency=0.15, interval=1.0, processes=3, cap_s=90),
        Case("cycle_1proc", **big, latency=0.0, interval=0.0, processes=1, cap_s=90),
        Case("cycle_3proc", **big, latency=0.0, interval=0.0, processes=3, cap_s=90),
    ]


def run_case(case: Case, *, url: str) -> dict[str, Any]:
    """Fill the outbox, dispatch it from `case.processes` processes, check what landed; the figures."""
    engine = make_engine(url)
    fill(
        engine,
        deliveries=case.deliveries,
        channels=case.channels,
        workspaces=case.workspaces,
        now=datetime.now(UTC),
    )
    spawn = multiprocessing.get_context("spawn")
    with PacedSlack(latency=case.latency, interval=case.interval) as fake:
        ready, go, cpu = spawn.Barrier(case.processes + 1), spawn.Event(), spawn.SimpleQueue()
        workers = [
            spawn.Process(
                target=work,
                args=(url, fake.api_url, case.cap_s, ready, go, cpu, bool(case.interval)),
                name=f"dispatch-{n}",
            )
            for n in range(case.processes)
        ]
        for worker in workers:
            worker.start()
        ready.wait(120)  # the workers have imported and connected: time the dispatching alone
        started, started_cpu = time.monotonic(), time.process_time()
        go.set()
        for worker in workers:
            worker.join(case.cap_s + 60)
        seconds = time.monotonic() - started
        fake_cpu_s = time.process_time() - started_cpu  # this process meanwhile: the fake Slack
        landed, refused = list(fake.landed), fake.refused
    cpu_s = sum(cpu.get() for _ in workers if not cpu.empty())
    counted = states(engine)
    engine.dispose()
    result = figures(case, landed=landed, refused=refused, seconds=seconds, counted=counted)
    # The dispatchers' own CPU (not the fake's or PostgreSQL's), per delivery landed: steadier than wall time.
    result["worker_cpu_ms_per_delivery"] = round(cpu_s * 1000 / max(result["posted"], 1), 3)
    result["fake_cpu_ms_per_delivery"] = round(fake_cpu_s * 1000 / max(result["posted"], 1), 3)
    return result


def figures(
    case: Case, *, landed: list[Landed], refused: int, seconds: float, counted: dict[str, int]
) -> dict[str, Any]:
    """Seconds, rate, floor ratio, duplicates, losses, order and rate breaches, from what the fake kept."""
    per_key = Counter(post.key for post in landed)
    by_channel: dict[str, list[Landed]] = defaultdict(list)
    for post in landed:
        by_channel[post.channel].append(post)
    out_of_order = sum(
        1
        for posts in by_channel.values()
        for before, after in itertools.pairwise(posts)
        if before.key > after.key
    )
    too_soon = sum(
        1
        for posts in by_channel.values()
        for before, after in itertools.pairwise(posts)
        if case.interval and after.at - before.at < case.interval - 0.001
    )
    finished = counted.get("sent", 0) == case.deliveries and len(per_key) == case.deliveries
    # Every channel's messages a second apart: the last of n goes out n - 1 s after the first.
    floor_s = max(case.deliveries / case.channels, 1.0) * case.interval
    result: dict[str, Any] = {
        "deliveries": case.deliveries,
        "channels": case.channels,
        "workspaces": case.workspaces,
        "processes": case.processes,
        "post_latency_ms": round(case.latency * 1000),
        "finished": finished,
        "seconds": round(seconds, 2),
        "posted": len(per_key),
        "deliveries_per_s": round(len(per_key) / seconds, 1),
        "duplicates": sum(n - 1 for n in per_key.values() if n > 1),
        "losses": case.deliveries - len(per_key) if finished else None,
        "left_unsent": case.deliveries - counted.get("sent", 0),
        "out_of_order": out_of_order,
        "over_rate": too_soon,
        "answered_429": refused,
        "states": counted,
    }
    if case.interval:
        result["floor_s"] = floor_s
        # Unfinished within the cap: the time it would take at the rate reached.
        projected = seconds if finished else case.deliveries / max(len(per_key) / seconds, 1e-9)
        result["floor_ratio"] = round(projected / floor_s, 2)
        if not finished:
            result["projected_s"] = round(projected, 1)
    return result


def targets(runs: dict[str, dict[str, Any]], *, quick: bool) -> dict[str, dict[str, Any]]:
    """Each target: the value reached, the limit, met or not."""
    found: dict[str, dict[str, Any]] = {}
    for name, run in runs.items():
        clean = run["finished"] and not (run["duplicates"] or run["out_of_order"] or run["over_rate"])
        found[f"{name}_exactly_once_in_order"] = {"value": clean, "limit": True, "met": clean}
        if "floor_ratio" in run and not quick:
            ratio = run["floor_ratio"]
            found[f"{name}_floor_ratio"] = {"value": ratio, "limit": FLOOR_LIMIT, "met": ratio <= FLOOR_LIMIT}
        if name.startswith("cycle") and not quick:
            rate = run["deliveries_per_s"]
            found[f"{name}_deliveries_per_s"] = {
                "value": rate,
                "limit": CYCLE_TARGET,
                "met": rate >= CYCLE_TARGET,
            }
    return found


def run(*, quick: bool, only: list[str] | None = None, cap_s: float | None = None) -> dict[str, Any]:
    """Every case in one database of our own (dropped after); figures, targets and notes."""
    runs: dict[str, dict[str, Any]] = {}
    with fresh_database() as url:
        for case in cases(quick=quick):
            if only and case.name not in only:
                continue
            print(f"-- {case.name}", flush=True)
            if cap_s:
                case = dataclasses.replace(case, cap_s=cap_s)
            runs[case.name] = run_case(case, url=url)
            print(runs[case.name], flush=True)
    return {
        "runs": runs,
        "targets": targets(runs, quick=quick),
        "notes": "fake Slack in this process, dispatchers in their own; floor = deliveries per channel × 1 s",
    }


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--cap", type=float, help="stop each run after this many seconds (then projected)")
    args = parser.parse_args()
    print(json.dumps(run(quick=args.quick, only=args.only, cap_s=args.cap), indent=2))
