"""Web API calls over kept-alive connections.

slack_sdk's sync client sends each call through `urllib.request.urlopen`: a new connection, and against
slack.com a new TLS handshake, for every call. A dispatch pass makes thousands of calls to one host, so the
scheduler's clients take an idle connection to the host when there is one and put it back after. Everything
else — arguments, retries, answers, errors — stays slack_sdk's: only the call's transport is swapped, and it
fails the way urllib fails (connection errors as `URLError`, HTTP errors as `HTTPError`, a read timeout as
`TimeoutError`), so slack_sdk's retry handlers and the outbox's failure rules see what they always saw.
"""

from __future__ import annotations

import http.client
import io
import os
import select
import ssl
import threading
import time
from collections import defaultdict
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request

from slack_sdk import WebClient

# Idle connections kept per host: about as many as a dispatch pass has posts in flight.
KEEP_IDLE = 256
# A connection idle for less than this is taken without asking the socket whether the server closed it:
# servers keep idle connections far longer (Slack's edge, like most, for a minute or more), and the check
# is a system call that, among hundreds of posting threads, costs a hand-over of the GIL.
FRESH_SECONDS = 1.0

_Key = tuple[str, str, float, ssl.SSLContext | None]


class KeptAliveWebClient(WebClient):
    """A WebClient whose calls reuse idle connections to their host (through a proxy: urllib's, as before)."""

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        parts = urlsplit(url)
        if self.proxy is not None or parts.scheme not in ("http", "https"):
            return super()._perform_urllib_http_request_internal(url, req)
        key: _Key = (parts.scheme, parts.netloc, float(self.timeout), self.ssl)
        connection = IDLE.take(key) or _connect(key)
        target = f"{parts.path}?{parts.query}" if parts.query else parts.path
        try:
            try:
                connection.request("POST", target, body=req.data, headers=dict(req.header_items()))
            except OSError as error:  # as urllib: a request that could not be sent is a URLError
                raise URLError(error) from error
            response = connection.getresponse()
            body = response.read()
        except BaseException:
            connection.close()  # half a conversation: never reused
            raise
        if response.will_close:
            connection.close()
        else:
            IDLE.give_back(key, connection)
        if not 200 <= response.status < 300:
            raise HTTPError(url, response.status, response.reason, response.headers, io.BytesIO(body))
        if response.headers.get_content_type() == "application/gzip":
            return {"status": response.status, "headers": response.headers, "body": body}
        charset = response.headers.get_content_charset() or "utf-8"
        return {"status": response.status, "headers": response.headers, "body": body.decode(charset)}


class IdleConnections:
    """Connections free for the next call, per (scheme, host, timeout, TLS context); shared by all threads."""

    def __init__(self, *, keep: int = KEEP_IDLE) -> None:
        self.keep = keep
        self._lock = threading.Lock()
        # Per key, (connection, when it was given back), the most recent last.
        self._idle: defaultdict[_Key, list[tuple[http.client.HTTPConnection, float]]] = defaultdict(list)

    def take(self, key: _Key) -> http.client.HTTPConnection | None:
        """The most recently used idle connection to `key` the server has not closed; None if none is."""
        while True:
            with self._lock:
                idle = self._idle.get(key)
                if not idle:
                    return None
                connection, since = idle.pop()
            if time.monotonic() - since < FRESH_SECONDS or not _closed_by_server(connection):
                return connection
            connection.close()

    def give_back(self, key: _Key, connection: http.client.HTTPConnection) -> None:
        """Keep `connection` for the next call to `key` (closed instead when enough are kept)."""
        with self._lock:
            idle = self._idle[key]
            if len(idle) < self.keep:
                idle.append((connection, time.monotonic()))
                return
        connection.close()

    def count(self) -> int:
        """How many connections are idle, over every host."""
        with self._lock:
            return sum(len(idle) for idle in self._idle.values())

    def forget(self) -> None:
        """Drop every idle connection unclosed: in a forked child they are the parent's to use."""
        self._lock = threading.Lock()
        self._idle = defaultdict(list)


IDLE = IdleConnections()
os.register_at_fork(after_in_child=IDLE.forget)


def _connect(key: _Key) -> http.client.HTTPConnection:
    """A new connection for `key`, opened on its first request."""
    scheme, host, timeout, context = key
    if scheme == "https":
        return http.client.HTTPSConnection(host, timeout=timeout, context=context)
    return http.client.HTTPConnection(host, timeout=timeout)


def _closed_by_server(connection: http.client.HTTPConnection) -> bool:
    """True when an idle connection has something to read: the server closed it (or broke the protocol)."""
    sock = connection.sock
    if sock is None:
        return False  # not open: it connects on its next request
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))
