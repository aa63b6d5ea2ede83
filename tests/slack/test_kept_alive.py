"""The scheduler's Web API client keeps connections alive between calls, and otherwise answers and fails
exactly as slack_sdk's own urllib transport does."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable, Iterator
from urllib.error import URLError

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack import kept_alive
from bot.slack.kept_alive import IDLE, KeptAliveWebClient
from tests.support.fake_slack import FakeSlack

TOKEN = "xoxb-kept"


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    """A fake Slack that keeps connections open between calls, as Slack's servers do."""
    with FakeSlack(keep_alive=True) as fake:
        yield fake


def _kept(fake: FakeSlack, **kwargs: object) -> KeptAliveWebClient:
    return KeptAliveWebClient(token=TOKEN, base_url=fake.api_url, **kwargs)  # type: ignore[arg-type]


def _post(client: WebClient, n: int = 0) -> str:
    return str(client.chat_postMessage(channel="C1", text=f"message {n}")["ts"])


def test_calls_one_after_another_go_over_one_connection(slack: FakeSlack) -> None:
    client = _kept(slack)

    stamps = [_post(client, n) for n in range(20)]

    assert slack.connections_accepted == 1
    assert len(set(stamps)) == 20
    assert [m["text"] for m in slack.messages("C1")] == [f"message {n}" for n in range(20)]


def test_threads_side_by_side_share_the_idle_connections(slack: FakeSlack) -> None:
    client = _kept(slack)
    barrier = threading.Barrier(8)

    def post_ten(n: int) -> None:
        barrier.wait()
        for m in range(10):
            _post(client, n * 10 + m)

    threads = [threading.Thread(target=post_ten, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(slack.messages("C1")) == 80
    assert slack.connections_accepted <= 8  # at most one each at the busiest moment, then reused


def test_a_server_that_closes_after_each_answer_gets_a_new_connection_each_call() -> None:
    with FakeSlack() as plain:  # HTTP/1.0: every answer closes its connection
        client = _kept(plain)
        idle_before = IDLE.count()

        stamps = [_post(client, n) for n in range(5)]

        assert len(set(stamps)) == 5 and plain.connections_accepted == 5
        assert IDLE.count() == idle_before  # nothing closed is kept


def test_a_connection_the_server_closed_while_idle_is_not_reused(
    slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every idle connection checked, however fresh (servers close idle ones after a minute, not at once).
    monkeypatch.setattr(kept_alive, "FRESH_SECONDS", 0.0)
    # No retry handlers: a stale connection reused would fail the call rather than be retried unseen.
    client = _kept(slack, retry_handlers=[])
    _post(client, 1)

    slack.close_connections()
    _post(client, 2)

    assert slack.connections_accepted == 2
    assert [m["text"] for m in slack.messages("C1")] == ["message 1", "message 2"]


@pytest.mark.parametrize(
    ("status", "error", "headers"),
    [(429, "ratelimited", {"Retry-After": "7"}), (403, "invalid_auth", {}), (500, "internal_error", {})],
)
def test_slack_errors_read_as_slack_sdk_reads_them_and_the_connection_stays(
    slack: FakeSlack, status: int, error: str, headers: dict[str, str]
) -> None:
    def refusal(client: WebClient) -> tuple[int, object, str | None]:
        slack.fail_next("chat.postMessage", status=status, error=error, headers=headers)
        with pytest.raises(SlackApiError) as raised:
            _post(client)
        answer = raised.value.response
        return answer.status_code, answer.data, answer.headers.get("Retry-After")

    kept = refusal(_kept(slack, retry_handlers=[]))
    plain = refusal(WebClient(token=TOKEN, base_url=slack.api_url, retry_handlers=[]))

    assert kept == plain
    assert kept[0] == status
    _post(_kept(slack))
    assert slack.connections_accepted == 2  # the plain client's own; the kept one served the refusal too


def test_slack_out_of_reach_fails_as_urllib_does() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}/api/"

    def failure(make: Callable[..., WebClient]) -> type[BaseException]:
        with pytest.raises(OSError) as raised:
            _post(make(token=TOKEN, base_url=url, timeout=2, retry_handlers=[]))
        return type(raised.value)

    assert failure(KeptAliveWebClient) is failure(WebClient) is URLError


def test_an_answer_too_slow_times_out_as_with_urllib_and_its_connection_is_dropped(slack: FakeSlack) -> None:
    client = _kept(slack, timeout=0.3, retry_handlers=[])
    _post(client, 1)
    slack.set_latency("chat.postMessage", 1.0)

    with pytest.raises(TimeoutError):
        _post(client, 2)

    slack.set_latency("chat.postMessage", 0.0)
    _post(client, 3)
    assert slack.connections_accepted == 2  # the timed-out one was closed, not handed to the next call


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_process_opens_its_own_connections(slack: FakeSlack) -> None:
    _post(_kept(slack))
    assert IDLE.count() >= 1

    pid = os.fork()
    if pid == 0:  # the child: the parent's sockets are not its to use
        os._exit(0 if IDLE.count() == 0 else 1)
    _, status = os.waitpid(pid, 0)

    assert os.waitstatus_to_exitcode(status) == 0
    assert IDLE.count() >= 1  # the parent keeps its own
