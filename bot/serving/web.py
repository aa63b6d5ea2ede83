"""The HTTP side: `POST /slack/events` (and OAuth pages) through Bolt, `GET /healthz`, served by waitress."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.request.internals import build_context
from sqlalchemy import Engine
from waitress import create_server
from waitress.server import BaseWSGIServer, MultiSocketServer

from bot.config import REQUEST_THREADS
from bot.serving.request_body import MalformedBody, read_body, signed_by_slack
from storage.db import database_answers

logger = logging.getLogger(__name__)

StartResponse = Callable[..., object]
WSGIApp = Callable[[dict, StartResponse], Iterable[bytes]]

EVENTS_PATH = "/slack/events"


class _SlackRequests(SlackRequestHandler):
    """Bolt's WSGI handler, made to answer every body: unsigned 401, malformed 400, never a 500.

    The signature is checked on the raw bytes before anything is decoded, so an unsigned body is refused
    whatever its encoding. It also mends a Bolt bug: a slash command whose text holds "payload" read as empty.
    """

    def __init__(self, app: App, *, path: str, signing_secret: str) -> None:
        super().__init__(app, path=path)
        self.signing_secret = signing_secret

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        """Check the signature, then the body's shape, then hand it to Bolt."""
        raw = _raw_body(request.environ)
        headers = request.get_headers()
        if not signed_by_slack(
            raw,
            timestamp=_header(headers, "x-slack-request-timestamp"),
            signature=_header(headers, "x-slack-signature"),
            secret=self.signing_secret,
            now=time.time(),
        ):
            return BoltResponse(status=401, body={"error": "invalid request"})
        try:
            fields = read_body(raw, content_type=_header(headers, "content-type"))
        except MalformedBody as problem:
            logger.info("refused a malformed request body: %s", problem)
            return BoltResponse(status=400, body={"error": "malformed request"})
        try:
            bolt_request = BoltRequest(body=raw.decode(), query=request.query_string, headers=headers)
            if not bolt_request.body and "command" in fields:
                bolt_request.body = fields
                bolt_request.context = build_context(BoltContext({}), fields)
            response = self.app.dispatch(bolt_request)
        except Exception:  # a shape we did not foresee; the listeners themselves never raise
            logger.exception("request could not be read by Bolt")
            return BoltResponse(status=400, body={"error": "malformed request"})
        if response.status == 404:
            # Signed and well formed, but nothing here handles it (a button from an older version, an event
            # we no longer use): acknowledge it, or Slack shows an error and retries events.
            logger.warning("no listener for this request; acknowledged without an answer")
            return BoltResponse(status=200, body="")
        if response.status >= 500:
            # Slack would show its own error on top of ours; what failed is logged where it failed.
            logger.error("Bolt answered %s; answering 200 instead", response.status)
            return BoltResponse(status=200, body="")
        return response


def _raw_body(environ: dict) -> bytes:
    stream = environ.get("wsgi.input")
    length = environ.get("CONTENT_LENGTH") or "0"
    if stream is None or not length.isdigit():
        return b""
    return stream.read(int(length))


def _header(headers: dict, name: str) -> str:
    value = headers.get(name, "")
    return value if isinstance(value, str) else (value[0] if value else "")


def make_wsgi_app(bolt_app: App, *, engine: Engine) -> WSGIApp:
    """One WSGI app for every path the bot serves; anything else is a plain 404."""
    # The raw bytes are checked with the secret Bolt itself verifies with, before Bolt sees them.
    slack = _SlackRequests(bolt_app, path=EVENTS_PATH, signing_secret=bolt_app._signing_secret)

    def application(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            healthy = database_answers(engine)
            status = "200 OK" if healthy else "503 Service Unavailable"
            start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok\n" if healthy else b"database unavailable\n"]
        if path.startswith("/slack/"):
            return slack(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"not found\n"]

    return application


def make_server(app: WSGIApp, *, host: str, port: int) -> BaseWSGIServer | MultiSocketServer:
    """A waitress server for the app; `port=0` picks a free port (tests read `effective_port`)."""
    return create_server(app, host=host, port=port, threads=REQUEST_THREADS, ident="milestone-bot")
