"""Socket Mode in production: /healthz on PORT, quick reconnects, and a graceful stop on SIGTERM."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from apscheduler.schedulers.background import BackgroundScheduler
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from sqlalchemy import Engine

from bot.app import in_flight
from bot.outbox.tick import stop_scheduler
from bot.serving.shutdown import STOP_SECONDS, stop_requested, wait_for
from bot.serving.web import StartResponse
from storage.db import database_answers

logger = logging.getLogger(__name__)

# slack_sdk calls a connection stale after 4 pings without a pong and checks every ping interval: 1.5 s
# notices a silently dropped socket within ~8 s (Bolt's default of 10 s took about a minute).
PING_INTERVAL_SECONDS = 1.5
CONNECT_RETRY_MAX_SECONDS = 30.0


def serve_socket_mode(
    *, app: App, app_token: str, engine: Engine, port: int, scheduler: BackgroundScheduler | None
) -> bool:
    """Serve Slack over Socket Mode and /healthz on `port` until SIGTERM/SIGINT; True if all work finished."""
    stop = stop_requested()
    health = health_server(engine=engine, port=port)
    threading.Thread(target=health.serve_forever, name="healthz", daemon=True).start()
    handler = SocketModeHandler(
        app, app_token, ping_interval=PING_INTERVAL_SECONDS, auto_reconnect_enabled=True
    )
    logger.info("serving over Socket Mode; GET /healthz on port %s", port)
    _connect(handler, stop=stop)
    wait_for(stop)
    started = time.monotonic()
    if scheduler is not None:
        scheduler.pause()  # no new pass while the rest stops; the running one goes on
    # Take no new envelopes (close() waits for the acks being sent), then finish the work after them.
    handler.close()
    finished = in_flight(app).drain(STOP_SECONDS - 1.0 - (time.monotonic() - started))
    if scheduler is not None:
        finished = stop_scheduler(scheduler, timeout=STOP_SECONDS - (time.monotonic() - started)) and finished
    health.shutdown()
    return finished


def _connect(handler: SocketModeHandler, *, stop: threading.Event) -> None:
    delay = 1.0
    while not stop.is_set():
        try:
            handler.connect()
            return
        except Exception as error:  # Slack unreachable or refusing: /healthz keeps answering, we retry
            logger.error("Socket Mode cannot connect (%s): retrying in %.0f s", type(error).__name__, delay)
            stop.wait(delay)
            delay = min(delay * 2, CONNECT_RETRY_MAX_SECONDS)


def health_server(*, engine: Engine, port: int) -> WSGIServer:
    """A small HTTP server on 0.0.0.0:`port` answering GET /healthz (200 while the database answers)."""

    def healthz(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != "/healthz":
            start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"not found\n"]
        healthy = database_answers(engine)
        start_response("200 OK" if healthy else "503 Service Unavailable", [("Content-Type", "text/plain")])
        return [b"ok\n" if healthy else b"database unavailable\n"]

    return make_server("0.0.0.0", port, healthz, handler_class=_QuietHandler)


class _QuietHandler(WSGIRequestHandler):
    """No access line per health check (platforms probe every few seconds)."""

    def log_message(self, format: str, *args: object) -> None:
        """Say nothing."""
