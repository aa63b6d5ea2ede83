"""The production server closes each connection after its answer, so no worker keeps a client to itself."""

from __future__ import annotations

import http.client
from pathlib import Path

from tests.support.bot_process import bot_env, serving_process, upgrade
from tests.support.fake_slack import FakeSlack


def test_each_answer_closes_its_connection_and_the_next_request_opens_another(tmp_path: Path) -> None:
    # A kept-alive connection stays with the worker that accepted it: a proxy's few connections would then
    # load one worker while the other idled (the benchmark's 32 clients split 6/26 between two workers).
    with FakeSlack() as fake:
        env = bot_env(database_url=f"sqlite:///{tmp_path / 'bot.db'}", fake=fake, WEB_CONCURRENCY="2")
        upgrade(env=env, cwd=tmp_path)
        with serving_process(env=env, cwd=tmp_path) as served:
            connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
            answers = []
            for _ in range(3):
                connection.request("GET", "/healthz")  # asks to keep the connection (HTTP/1.1)
                response = connection.getresponse()
                response.read()
                answers.append((response.status, response.getheader("Connection"), response.will_close))
            connection.close()

    assert answers == [(200, "close", True)] * 3
