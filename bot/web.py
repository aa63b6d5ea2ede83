"""The HTTP side: `POST /slack/events` (and OAuth pages) through Bolt, `GET /healthz`, served by waitress."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import parse_qsl

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.request.internals import build_context
from sqlalchemy import Engine
from waitress import create_server
from waitress.server import BaseWSGIServer, MultiSocketServer

from storage.db import database_answers

StartResponse = Callable[..., object]
WSGIApp = Callable[[dict, StartResponse], Iterable[bytes]]

EVENTS_PATH = "/slack/events"


class _SlackRequests(SlackRequestHandler):
    """Bolt's WSGI handler, minus a Bolt bug: a slash command whose text holds "payload" parsed as empty."""

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        bolt_request = BoltRequest(
            body=request.get_body(), query=request.query_string, headers=request.get_headers()
        )
        if (
            not bolt_request.body
            and bolt_request.raw_body
            and bolt_request.content_type != "application/json"
        ):
            fields = dict(parse_qsl(bolt_request.raw_body, keep_blank_values=True))
            if "payload" not in fields:
                bolt_request.body = fields
                bolt_request.context = build_context(BoltContext({}), fields)
        return self.app.dispatch(bolt_request)


def make_wsgi_app(bolt_app: App, *, engine: Engine) -> WSGIApp:
    """One WSGI app for every path the bot serves; anything else is a plain 404."""
    slack = _SlackRequests(bolt_app, path=EVENTS_PATH)

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
    return create_server(app, host=host, port=port, threads=8, ident="milestone-bot")
