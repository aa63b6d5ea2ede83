"""Posting answers to response URLs over kept-alive connections, one small pool per process.

slack_sdk's WebhookClient (behind Bolt's respond()) opens a new connection for every post, name lookup
and TLS handshake included: under load that was the largest single cost of answering a command. Here the
connections to each host are kept and reused by whichever thread posts next.
"""

from __future__ import annotations

import http.client
import json
import os
import ssl
import threading
from typing import Any
from urllib.parse import urlsplit

from slack_sdk.webhook import WebhookResponse

TIMEOUT_SECONDS = 30  # as WebhookClient's
# Idle connections kept per host: about the number of threads that post at the same moment.
MAX_IDLE_PER_HOST = 16
# A kept connection the server closed meanwhile fails on reuse, before the server read anything.
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, http.client.BadStatusLine)

_Key = tuple[str, str, int]


class ResponseUrlPool:
    """Idle keep-alive connections by (scheme, host, port), shared by the threads of one process."""

    def __init__(self) -> None:
        self._reset()
        # A forked worker must not share its parent's sockets.
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._idle: dict[_Key, list[http.client.HTTPConnection]] = {}

    def post(
        self, url: str, body: dict[str, Any], *, context: ssl.SSLContext | None = None
    ) -> WebhookResponse:
        """POST `body` as JSON to `url`; the response as WebhookClient gives it. OSError when it fails."""
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        data = json.dumps(body).encode()
        headers = {"Content-Type": "application/json;charset=utf-8", "Content-Length": str(len(data))}
        connection, reused = self._take(key, context)
        try:
            try:
                status, text, response_headers, keep = _send(connection, path, data, headers)
            except _STALE:
                if not reused:
                    raise
                connection.close()  # the server had dropped it: once more on a new connection
                connection, reused = self._new(key, context), False
                status, text, response_headers, keep = _send(connection, path, data, headers)
        except http.client.HTTPException as error:
            connection.close()
            raise OSError(f"response URL answered unreadably: {error!r}") from error  # as urllib would
        except BaseException:
            connection.close()
            raise
        if keep:
            self._give_back(key, connection)
        else:
            connection.close()
        return WebhookResponse(url=url, status_code=status, body=text, headers=response_headers)

    def _take(self, key: _Key, context: ssl.SSLContext | None) -> tuple[http.client.HTTPConnection, bool]:
        with self._lock:
            idle = self._idle.get(key)
            if idle:
                return idle.pop(), True
        return self._new(key, context), False

    @staticmethod
    def _new(key: _Key, context: ssl.SSLContext | None) -> http.client.HTTPConnection:
        scheme, host, port = key
        if scheme == "https":
            return http.client.HTTPSConnection(host, port, timeout=TIMEOUT_SECONDS, context=context)
        return http.client.HTTPConnection(host, port, timeout=TIMEOUT_SECONDS)

    def _give_back(self, key: _Key, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            idle = self._idle.setdefault(key, [])
            if len(idle) < MAX_IDLE_PER_HOST:
                idle.append(connection)
                return
        connection.close()


def _send(
    connection: http.client.HTTPConnection, path: str, data: bytes, headers: dict[str, str]
) -> tuple[int, str, dict[str, list[str]], bool]:
    connection.request("POST", path, body=data, headers=headers)
    response = connection.getresponse()
    text = response.read().decode("utf-8", errors="replace")
    merged: dict[str, list[str]] = {}
    for name, value in response.getheaders():
        merged.setdefault(name.lower(), []).append(value)
    return response.status, text, merged, not response.will_close


POOL = ResponseUrlPool()
