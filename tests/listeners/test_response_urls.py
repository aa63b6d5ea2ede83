"""Answers to response URLs go over kept-alive connections; one the server dropped is replaced."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bot.listeners.response_urls import ResponseUrlPool
from tests.support.fake_slack import FakeSlack


@contextmanager
def counting_server(*, drop_after_each: bool = False) -> Iterator[dict[str, Any]]:
    """An HTTP/1.1 server answering "ok"; counts connections and posts. With `drop_after_each`, it closes
    each connection after answering without saying so (as a server timing out an idle connection does)."""
    seen: dict[str, Any] = {"connections": 0, "posts": 0, "url": ""}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def setup(self) -> None:
            super().setup()
            seen["connections"] += 1

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen["posts"] += 1
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
            if drop_after_each:
                self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    seen["url"] = f"http://127.0.0.1:{server.server_address[1]}/response/r1"
    try:
        yield seen
    finally:
        server.shutdown()
        server.server_close()


def test_an_answer_reaches_the_response_url_as_json() -> None:
    with FakeSlack() as fake:
        response = ResponseUrlPool().post(
            fake.response_url("r7"), {"text": "Open milestones: 2 milestones", "response_type": "ephemeral"}
        )
        assert (response.status_code, response.body) == (200, "ok")
        call = fake.last("response_url")
        assert call.params["text"] == "Open milestones: 2 milestones"
        assert call.params["_key"] == "r7"


def test_answers_to_one_host_share_one_kept_alive_connection() -> None:
    pool = ResponseUrlPool()
    with counting_server() as server:
        statuses = [pool.post(server["url"], {"text": f"answer {n}"}).status_code for n in range(3)]
    assert statuses == [200, 200, 200]
    assert (server["posts"], server["connections"]) == (3, 1)


def test_a_connection_the_server_dropped_is_replaced_and_the_answer_still_goes() -> None:
    pool = ResponseUrlPool()
    with counting_server(drop_after_each=True) as server:
        statuses = [pool.post(server["url"], {"text": f"answer {n}"}).status_code for n in range(3)]
    assert statuses == [200, 200, 200]
    assert (server["posts"], server["connections"]) == (3, 3)
