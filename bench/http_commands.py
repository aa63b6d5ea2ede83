"""Slash commands under load (issue 12, points 1, 2 and 5): the bot beside a bare Bolt app, same server.

`python bench/run.py --only http_commands` (or `python bench/http_commands.py [--quick]`). A scratch
PostgreSQL database holds 100,000 milestones over 1,000 channels in 10 workspaces, one channel with exactly
200 open ones; `python -m bot serve --no-scheduler` (gunicorn, gthread, WEB_CONCURRENCY=2) talks to a fake
Slack on 127.0.0.1. Then:

1. 32 clients on keep-alive connections send signed `/milestone list` for that channel for 10 s, then
   the same against a bare Bolt app that only acks (same gunicorn options, workers and threads): p50, p99,
   requests/s of the HTTP responses, and of the answers (in the ack, or at the fake's response URL).
2. The fake answers every Web API call and response URL after 2 s; 16 clients: the acks' p99.
5. RSS of the serve processes (master and each worker, from /proc) after benchmark 1.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: the repo root and bench/ on the path, as run.py does
    sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parent)]

from _bench_db import LISTED, LISTED_CHANNEL, LISTED_TEAM, fill, scratch_database
from _load import Commands, LoadResult, TimedFake, collect_answers, run_bursts, run_load, summary

from tests.support.bot_process import SIGNING_SECRET, BotProcess, bot_env, free_port

HERE = Path(__file__).resolve().parent
WORKERS = 2
SLOW_SLACK_SECONDS = 2.0


def _size(quick: bool) -> dict[str, Any]:
    if quick:
        return {"milestones": 2_000, "channels": 20, "seconds": 1.0, "rounds": 2, "wait": 2.0}
    return {"milestones": 100_000, "channels": 1_000, "seconds": 10.0, "rounds": 10, "wait": 40.0}


@contextmanager
def _process(command: list[str], *, env: dict[str, str], cwd: Path, name: str) -> Iterator[BotProcess]:
    """Start `command` with PORT free, wait for GET /healthz 200, stop it (SIGTERM) afterwards."""
    port = free_port()
    log = cwd / f"{name}.log"
    with log.open("ab") as sink:
        process = subprocess.Popen(
            [*command, str(port)],
            cwd=cwd,
            env={**env, "PORT": str(port)},
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    running = BotProcess(port=port, process=process, log=log)
    try:
        deadline = time.monotonic() + 60
        while running.health() != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start: {running.output()[-2000:]}")
            time.sleep(0.1)
        yield running
    finally:
        running.terminate()


def rss_mb(pid: int) -> float:
    """VmRSS of one process, in MB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


def pss_mb(pid: int) -> float:
    """Proportional set size of one process, in MB: pages shared with the others counted by share."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


def children(pid: int) -> list[int]:
    """The direct children of `pid` (gunicorn's workers), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def memory(pid: int) -> dict[str, Any]:
    """RSS of the master and of each worker, and their sum."""
    workers = [rss_mb(child) for child in children(pid)]
    master = rss_mb(pid)
    return {
        "rss_master_mb": master,
        "rss_workers_mb": workers,
        "rss_max_worker_mb": max(workers, default=0.0),
        "rss_total_mb": round(master + sum(workers), 1),
        "pss_total_mb": round(sum(pss_mb(p) for p in [pid, *children(pid)]), 1),
    }


def _warm(port: int, commands: Commands, *, teams: int) -> dict[str, str]:
    """One command from each workspace (single-token mode must serve them all); what each answered."""
    import http.client

    from _load import ack_text

    answers = {}
    for team in range(teams):
        probe = Commands(
            fake=commands.fake,
            secret=commands.secret,
            channel=f"C{team}",
            team=f"T{team}",
            prefix=f"w{team}-",
        )
        _, body, headers = probe.build("list", user="U1")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("POST", "/slack/events", body=body, headers=headers)
        response = connection.getresponse()
        answers[f"T{team}"] = ack_text(response.status, response.read()) or f"(status {response.status})"
        connection.close()
    return answers


def _commands(fake: TimedFake, prefix: str) -> Commands:
    return Commands(fake=fake, secret=SIGNING_SECRET, channel=LISTED_CHANNEL, team=LISTED_TEAM, prefix=prefix)


def _figures(result: LoadResult, fake: TimedFake, *, wait: float) -> dict[str, Any]:
    missing = collect_answers(result, fake, wait=wait)
    figures = summary(result)
    figures["answers_missing"] = missing
    shown = {fake.answers.get(s.key) or s.in_ack for s in result.samples[:50]}
    figures["answer_texts"] = sorted(str(text) for text in shown)[:3]
    return figures


def _load(
    port: int, *, fake: TimedFake, prefix: str, clients: int, seconds: float, wait: float
) -> dict[str, Any]:
    """`clients` back to back for `seconds` (a closed loop: each sends again once acked)."""
    result = run_load(
        port=port, commands=_commands(fake, prefix), text="list", clients=clients, seconds=seconds
    )
    return _figures(result, fake, wait=wait)


def _bursts(port: int, *, fake: TimedFake, prefix: str, rounds: int, wait: float) -> dict[str, Any]:
    """16 commands at the same moment, once a second, `rounds` times; Slack slow after a warm burst."""
    result = run_bursts(
        port=port,
        commands=_commands(fake, prefix),
        text="list",
        clients=16,
        rounds=rounds,
        every=1.0,
        after_warm=lambda: fake.set_latency("*", SLOW_SLACK_SECONDS),
    )
    return _figures(result, fake, wait=wait)


def _probe(fake: TimedFake) -> Commands:
    return Commands(fake=fake, secret=SIGNING_SECRET, channel="C0", team="T0", prefix="x")


def _target(value: float, limit: float, *, at_least: bool = False) -> dict[str, Any]:
    met = value >= limit if at_least else value < limit
    return {"value": value, "limit": limit, "met": bool(met)}


def run(*, quick: bool) -> dict[str, Any]:
    """Points 1, 2 and 5 of issue 12; figures, targets and notes."""
    size = _size(quick)
    figures: dict[str, Any] = {"size": size, "workers": WORKERS}
    with tempfile.TemporaryDirectory() as tmp, scratch_database() as url, TimedFake(team_id="T0") as fake:
        cwd = Path(tmp)
        started = time.monotonic()
        fill(url, milestones=size["milestones"], channels=size["channels"])
        figures["fill_seconds"] = round(time.monotonic() - started, 1)
        for n in range(1, 33):
            fake.add_user(f"U{n}", team_id="T0")
        env = bot_env(database_url=url, fake=fake, WEB_CONCURRENCY=str(WORKERS))
        bot_command = [sys.executable, "-m", "bot", "serve", "--no-scheduler", "--port"]
        bare_command = [sys.executable, str(HERE / "_bare_app.py")]
        with _process(bare_command, env=env, cwd=cwd, name="bare") as bare:
            _warm(bare.port, _probe(fake), teams=1)
            figures["bare"] = _load(
                bare.port, fake=fake, prefix="b", clients=32, seconds=size["seconds"], wait=size["wait"]
            )
        with _process(bot_command, env=env, cwd=cwd, name="serve") as bot:
            figures["workspaces"] = _warm(bot.port, _probe(fake), teams=10)
            figures["bot"] = _load(
                bot.port, fake=fake, prefix="m", clients=32, seconds=size["seconds"], wait=size["wait"]
            )
            figures.update(memory(bot.process.pid))
            figures["slow_slack"] = _bursts(bot.port, fake=fake, prefix="s", rounds=size["rounds"], wait=3.0)
            # The same 16, each sending again as soon as acked: an open tap, hundreds of commands a second.
            figures["slow_slack_back_to_back"] = _load(
                bot.port, fake=fake, prefix="t", clients=16, seconds=size["seconds"] / 2, wait=1.0
            )
            fake.set_latency("*", 0.0)
    return _report(figures)


def _report(figures: dict[str, Any]) -> dict[str, Any]:
    bot, bare, slow = figures["bot"], figures["bare"], figures["slow_slack"]
    # The bare app's answer is its ack; the bot's is the list reaching Slack (in the ack or by URL).
    figures["ratio_ack_p50"] = round(bot["ack_p50_ms"] / bare["ack_p50_ms"], 2)
    figures["ratio_ack_p99"] = round(bot["ack_p99_ms"] / bare["ack_p99_ms"], 2)
    figures["ratio_answer_p50"] = round(bot["answer_p50_ms"] / bare["answer_p50_ms"], 2)
    figures["ratio_rps"] = round(bare["rps"] / bot["rps"], 2)
    figures["ratio_answers_per_s"] = round(bare["answers_per_s"] / max(bot["answers_per_s"], 0.1), 2)
    figures["targets"] = {
        "list_ack_p99_ms": _target(bot["ack_p99_ms"], 100),
        "list_answer_p99_ms": _target(bot["answer_p99_ms"], 100),
        "list_answers_per_s": _target(bot["answers_per_s"], 400, at_least=True),
        "list_answer_p50_vs_bare": _target(figures["ratio_answer_p50"], 2.0 + 1e-9),
        "slow_slack_ack_p99_ms": _target(slow["ack_p99_ms"], 300),
        "rss_per_worker_mb": _target(figures["rss_max_worker_mb"], 150),
        "serve_pss_total_mb": _target(figures["pss_total_mb"], 150),
    }
    figures["notes"] = (
        f"{LISTED} open milestones in the listed channel; ack = the HTTP response, answer = the list "
        "reaching Slack (in the ack, or at the response URL), answers_per_s = answers received / (last "
        "answer - first command). Point 2: bursts of 16 once a second after a warm burst (slow_slack), and "
        "the same 16 back to back (slow_slack_back_to_back). The fake Slack and the clients run in this "
        "process, on the same 2 cores as the servers and PostgreSQL."
    )
    return figures


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
