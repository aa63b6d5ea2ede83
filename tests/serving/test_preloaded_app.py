"""The production server builds the app once, in the master; each worker opens its own connections."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import text

from bot.config import Settings
from bot.serving.server import ProductionServer


def _server(tmp_path: Path) -> ProductionServer:
    settings = Settings(
        bot_token="xoxb-test",
        signing_secret="secret",
        slack_api_url="http://127.0.0.1:9/api/",
        database_url=f"sqlite:///{tmp_path / 'bot.db'}",
    )
    return ProductionServer(settings=settings, port=0, with_scheduler=False)


def test_the_master_builds_the_app_once_for_every_worker(tmp_path: Path) -> None:
    server = _server(tmp_path)
    assert server.cfg.preload_app
    application = server.wsgi()
    assert server.wsgi() is application and server.bolt_app is not None


def test_a_worker_forks_without_the_masters_database_connections(tmp_path: Path) -> None:
    server = _server(tmp_path)
    server.wsgi()
    assert server.engine is not None
    with server.engine.connect() as connection:  # the master's pool now keeps one connection
        connection.execute(text("SELECT 1"))
        master_connection = connection.connection.dbapi_connection
    child = os.fork()
    if child == 0:  # gunicorn's worker, as its post_fork hook sees it
        try:
            server.cfg.post_fork(None, None)
            with server.engine.connect() as connection:
                fresh = connection.connection.dbapi_connection is not master_connection
                answers = connection.execute(text("SELECT 1")).scalar() == 1
            os._exit(0 if fresh and answers else 1)
        except BaseException:
            os._exit(2)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    with server.engine.connect() as connection:  # the master's own connection is still open
        assert connection.execute(text("SELECT 1")).scalar() == 1
    server.engine.dispose()
