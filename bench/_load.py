"""Concurrent signed slash commands over keep-alive connections, timing each ack and each answer.

Every request carries its own response URL key, so an answer that did not ride in the ack is matched to
its request when the fake Slack receives it (TimedFake stamps the arrival).
"""

from __future__ import annotations

import http.client
import itertools
import json
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from tests.support.fake_slack import Call, FakeSlack
from tests.support.slack_requests import FORM, VERIFICATION_TOKEN, slack_signature


class TimedFake(FakeSlack):
    """The fake Slack, stamping when each response URL answer arrives and keeping no call history.

    Blocks of the first few answers are checked as Slack would; after that only arrivals are stamped, so
    the fake costs the machine little (it shares the 2 cores with the app under test).
    """

    CHECKED = 20

    def __init__(self, **kwargs: Any) -> None:
        # HTTP/1.1, keeping connections alive between requests as Slack does.
        super().__init__(keep_alive=True, **kwargs)
        self.arrivals: dict[str, float] = {}
        self.answers: dict[str, str] = {}
        self._checked = 0

    def _record(self, call: Call) -> None:
        if call.method == "response_url":
            key = str(call.params.get("_key"))
            self.arrivals[key] = time.perf_counter()
            self.answers[key] = str(call.params.get("text", ""))
            return
        super()._record(call)

    def _payload_errors(self, method: str, params: dict) -> list[str]:
        self._checked += 1
        return super()._payload_errors(method, params) if self._checked <= self.CHECKED else []


@dataclass
class Sample:
    """One command: when it was sent, acked and answered (perf_counter seconds), and its ack's answer."""

    key: str
    sent: float
    acked: float
    status: int
    in_ack: str | None
    answered: float | None = None


@dataclass
class LoadResult:
    """Every sample of a run and its wall time."""

    samples: list[Sample]
    seconds: float
    errors: list[str] = field(default_factory=list)


class Commands:
    """Builds signed `/milestone <text>` bodies, each with a fresh response URL key."""

    def __init__(self, *, fake: FakeSlack, secret: str, channel: str, team: str, prefix: str) -> None:
        self.fake, self.secret, self.channel, self.team = fake, secret, channel, team
        self.prefix = prefix
        self._ids = itertools.count(1)

    def build(self, text: str, *, user: str) -> tuple[str, bytes, dict[str, str]]:
        """(response key, body, headers) of one signed slash command."""
        key = f"{self.prefix}{next(self._ids)}"
        fields = {
            "token": VERIFICATION_TOKEN,
            "team_id": self.team,
            "team_domain": "bench",
            "channel_id": self.channel,
            "channel_name": "plan",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/milestone",
            "text": text,
            "api_app_id": self.fake.app_id,
            "is_enterprise_install": "false",
            "response_url": self.fake.response_url(key),
            "trigger_id": f"trigger.{key}",
        }
        body = urlencode(fields).encode()
        stamp = str(int(time.time()))
        headers = {
            "Content-Type": FORM,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": slack_signature(stamp, body, secret=self.secret),
        }
        return key, body, headers


def ack_text(status: int, body: bytes) -> str | None:
    """The answer an ack carries (its text), or None for an empty ack."""
    if status != 200 or not body.strip():
        return None
    try:
        parsed = json.loads(body)
    except ValueError:
        return body.decode(errors="replace")
    if isinstance(parsed, dict) and ("text" in parsed or "blocks" in parsed):
        return str(parsed.get("text", ""))
    return None


def run_load(*, port: int, commands: Commands, text: str, clients: int, seconds: float) -> LoadResult:
    """`clients` threads, each on one keep-alive connection, sending commands back to back for `seconds`."""
    samples: list[Sample] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[Sample] = []
        start.wait()
        stop_at = time.perf_counter() + seconds
        while time.perf_counter() < stop_at:
            key, body, headers = commands.build(text, user=f"U{index % 32 + 1}")
            sent = time.perf_counter()
            connection, answered = post_command(connection, port=port, body=body, headers=headers)
            if isinstance(answered, str):
                with lock:
                    errors.append(answered)
                continue
            response, data = answered
            acked = time.perf_counter()
            in_ack = ack_text(response.status, data)
            mine.append(Sample(key, sent, acked, response.status, in_ack, acked if in_ack else None))
        connection.close()
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return LoadResult(samples=samples, seconds=time.perf_counter() - began, errors=errors)


def collect_answers(result: LoadResult, fake: TimedFake, *, wait: float) -> int:
    """Match answers the fake received to their commands (waiting up to `wait` s); how many never came."""
    deadline = time.perf_counter() + wait
    pending = [s for s in result.samples if s.answered is None]
    while pending and time.perf_counter() < deadline:
        time.sleep(0.05)
        pending = [s for s in pending if s.key not in fake.arrivals]
    for sample in result.samples:
        if sample.answered is None and sample.key in fake.arrivals:
            sample.answered = fake.arrivals[sample.key]
    return sum(1 for s in result.samples if s.answered is None)


def percentile(values: list[float], share: float) -> float:
    """The `share` quantile (0.5, 0.99) of `values`, in milliseconds rounded to 0.1."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return round(ordered[index] * 1000, 1)


def summary(result: LoadResult) -> dict[str, Any]:
    """Requests/s, ack p50/p99, answer p50/p99 and how answers travelled."""
    acks = [s.acked - s.sent for s in result.samples]
    answers = [s.answered - s.sent for s in result.samples if s.answered is not None]
    first = min((s.sent for s in result.samples), default=0.0)
    last = max((s.answered for s in result.samples if s.answered is not None), default=first)
    return {
        "requests": len(result.samples),
        # Answers reaching Slack per second, from the first command sent to the last answer received.
        "answers_per_s": round(len(answers) / (last - first), 1) if last > first else 0.0,
        "rps": round(len(result.samples) / result.seconds, 1) if result.seconds else 0.0,
        "ack_p50_ms": percentile(acks, 0.5),
        "ack_p99_ms": percentile(acks, 0.99),
        "ack_max_ms": round(max(acks) * 1000, 1) if acks else float("nan"),
        "answer_p50_ms": percentile(answers, 0.5),
        "answer_p99_ms": percentile(answers, 0.99),
        "answered_in_ack": sum(1 for s in result.samples if s.in_ack),
        "answered_by_url": sum(1 for s in result.samples if not s.in_ack and s.answered is not None),
        "not_200": sum(1 for s in result.samples if s.status != 200),
        "client_errors": len(result.errors),
        "mean_ack_ms": round(statistics.fmean(acks) * 1000, 1) if acks else float("nan"),
    }


def run_bursts(
    *,
    port: int,
    commands: Commands,
    text: str,
    clients: int,
    rounds: int,
    every: float,
    after_warm: Callable[[], None] = lambda: None,
) -> LoadResult:
    """`rounds` bursts of `clients` commands sent at the same moment, one burst every `every` seconds.

    A first burst, not counted, warms each connection's worker (its people cache); then `after_warm()`.
    """
    samples: list[Sample] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for round_number in range(rounds + 1):
            key, body, headers = commands.build(text, user=f"U{index % 32 + 1}")
            if barrier.wait() == 0 and round_number == 1:
                after_warm()
            barrier.wait()
            round_started = time.perf_counter()
            connection, answered = post_command(connection, port=port, body=body, headers=headers)
            if isinstance(answered, str):
                with lock:
                    errors.append(answered)
                continue
            response, data = answered
            acked = time.perf_counter()
            in_ack = ack_text(response.status, data)
            if round_number:
                with lock:
                    samples.append(
                        Sample(key, round_started, acked, response.status, in_ack, acked if in_ack else None)
                    )
            time.sleep(max(0.0, every - (time.perf_counter() - round_started)))
        connection.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return LoadResult(samples=samples, seconds=time.perf_counter() - began, errors=errors)


def post_command(
    connection: http.client.HTTPConnection, *, port: int, body: bytes, headers: dict[str, str]
) -> tuple[http.client.HTTPConnection, tuple[http.client.HTTPResponse, bytes] | str]:
    """POST one signed request on a kept-alive connection: (the connection to use next, (response, body) or
    the error); a broken connection is replaced."""
    try:
        connection.request("POST", "/slack/events", body=body, headers=headers)
        response = connection.getresponse()
        return connection, (response, response.read())
    except (OSError, http.client.HTTPException) as error:
        connection.close()
        return http.client.HTTPConnection("127.0.0.1", port, timeout=10), repr(error)
