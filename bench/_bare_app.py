"""A bare Bolt app that only acks `/milestone` with "ok", served by gunicorn exactly as the bot is.

`python bench/_bare_app.py PORT` with SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, SLACK_API_URL and
WEB_CONCURRENCY in the environment: the yardstick the bot's slash commands are measured against.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from gunicorn.app.base import BaseApplication

from bot.config import REQUEST_THREADS


class BareServer(BaseApplication):
    """gunicorn with the bot's options (gthread, REQUEST_THREADS a worker, WEB_CONCURRENCY workers)."""

    def __init__(self, *, port: int) -> None:
        self.port = port
        super().__init__()

    def load_config(self) -> None:
        """The same worker model and counts as bot/serving/server.py's ProductionServer."""
        options: dict[str, Any] = {
            "bind": f"127.0.0.1:{self.port}",
            "workers": int(os.environ.get("WEB_CONCURRENCY", "1")),
            "worker_class": "gthread",
            "threads": REQUEST_THREADS,
            "control_socket_disable": True,
            "keepalive": 0,  # as the bot's server: each answer closes its connection
            "loglevel": "warning",
        }
        for name, value in options.items():
            self.cfg.set(name, value)

    def load(self) -> Any:
        """One Bolt app per worker, built after the fork."""
        from slack_bolt import App
        from slack_bolt.adapter.wsgi import SlackRequestHandler
        from slack_sdk import WebClient

        token = os.environ["SLACK_BOT_TOKEN"]
        app = App(
            token=token,
            signing_secret=os.environ["SLACK_SIGNING_SECRET"],
            client=WebClient(token=token, base_url=os.environ["SLACK_API_URL"]),
            token_verification_enabled=False,
        )

        @app.command("/milestone")
        def milestone(ack: Any) -> None:
            ack("ok")

        handler = SlackRequestHandler(app)

        def application(environ: dict, start_response: Any) -> Any:
            if environ.get("PATH_INFO") == "/healthz":
                start_response("200 OK", [("Content-Type", "text/plain")])
                return [b"ok\n"]
            return handler(environ, start_response)

        return application


if __name__ == "__main__":
    BareServer(port=int(sys.argv[1])).run()
