"""The production HTTP server: gunicorn, threaded workers on every core, one scheduler process beside."""

from __future__ import annotations

import gc
import logging
import os
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from gunicorn import glogging
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter
from gunicorn.workers.gthread import ThreadWorker
from slack_bolt import App
from sqlalchemy import Engine

from bot.config import REQUEST_THREADS, Settings

logger = logging.getLogger(__name__)

# Acks are quick (listener work runs in the app's own pool): a few request threads per process suffice.
THREADS_PER_WORKER = REQUEST_THREADS
# Platforms send SIGKILL 10 s after SIGTERM (Heroku, `docker stop`): every stage fits inside that.
GRACEFUL_SECONDS = 8
STOP_DEADLINE_SECONDS = 9.5
# A scheduler that keeps dying (say the schema is behind) is restarted no faster than this.
SCHEDULER_RESTART_SECONDS = 10.0


class ProductionServer(BaseApplication):
    """gunicorn configured from Settings; the master builds the Bolt app once, and its workers share it.

    Built before the fork, the app's code and objects are one copy in memory for every worker (copy on
    write); what must not be shared, each worker makes anew after the fork: its database connections (here),
    its listener threads, the ack watcher and the response URL connections (started on first use).
    """

    def __init__(self, *, settings: Settings, port: int, with_scheduler: bool) -> None:
        self.settings = settings
        self.port = port
        self.scheduler = SchedulerProcess() if with_scheduler else None
        self.bolt_app: App | None = None
        self.engine: Engine | None = None
        super().__init__()

    def load_config(self) -> None:
        """Bind 0.0.0.0:PORT with WEB_CONCURRENCY threaded workers that stop gracefully within 10 s."""
        options: dict[str, Any] = {
            "bind": f"0.0.0.0:{self.port}",
            "workers": self.settings.web_concurrency,
            "worker_class": GracefulThreadWorker,
            "threads": THREADS_PER_WORKER,
            "graceful_timeout": GRACEFUL_SECONDS,
            "proc_name": "milestone-bot",
            "logger_class": RootLogger,
            # No control socket: nothing to write under $HOME, which a non-root container may not have.
            "control_socket_disable": True,
            # One copy of the imported app for all workers: about 40 MB less a worker (issue 12: 5).
            "preload_app": True,
            # A kept-alive connection stays with the worker that accepted it: a proxy's few connections (or a
            # client's) then load one worker while another idles (the benchmark's 32 clients split 6/26 and
            # 5/27). Closed after each answer, every request goes to a worker free to accept it.
            "keepalive": 0,
            "post_fork": self.after_fork,
        }
        for name, value in options.items():
            self.cfg.set(name, value)

    def load(self) -> Any:
        """The WSGI app, built in the master before it forks its workers (preload_app)."""
        from bot.app import build_app
        from bot.serving.web import make_wsgi_app
        from storage.db import make_engine

        # The master migrated (SQLite) or checked (PostgreSQL) the schema before it forked.
        self.engine = make_engine(self.settings.database_url)
        self.bolt_app = build_app(self.settings, engine=self.engine)
        application = make_wsgi_app(self.bolt_app, engine=self.engine)
        # What is built so far lives as long as the process: the collector need not visit it, and by not
        # touching it leaves its pages shared with the workers.
        gc.freeze()
        return application

    def after_fork(self, _arbiter: Arbiter, _worker: ThreadWorker) -> None:
        """In a new worker: forget any connection the master's pool held; the worker opens its own."""
        if self.engine is not None:
            # close=False: the master's sockets are not this process's to close.
            self.engine.dispose(close=False)

    def drain(self, *, timeout: float) -> None:
        """Let this worker's listener work (answers after the ack) finish before the process exits."""
        if self.bolt_app is None:
            return
        from bot.app import in_flight

        pool = in_flight(self.bolt_app)
        waiting = pool.in_flight
        if pool.drain(max(timeout, 0.0)):
            logger.info("worker stopped: %s answers in flight were finished", waiting)
        else:
            logger.warning("worker stopped, %s answers still in flight after %.1f s", pool.in_flight, timeout)
        if self.engine is not None:
            self.engine.dispose()

    def run(self) -> None:
        """Run the master until SIGTERM or SIGINT, then stop everything gracefully and exit."""
        _GracefulArbiter(self).run()


class GracefulThreadWorker(ThreadWorker):
    """gunicorn's threaded worker, which also finishes its listener work before it exits."""

    stopping_since: float | None = None

    def init_signals(self) -> None:
        """As gunicorn's, except that SIGINT (Ctrl-C reaches every process) stops as gracefully as SIGTERM."""
        super().init_signals()
        signal.signal(signal.SIGINT, self.handle_exit)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        """Stop taking requests; remember when, so the drain fits in what is left of the grace period."""
        if self.stopping_since is None:
            self.stopping_since = time.monotonic()
        super().handle_exit(sig, frame)

    def run(self) -> None:
        """Serve until told to stop, finish the requests being answered, then the work after their acks."""
        super().run()
        stopping_since = self.stopping_since or time.monotonic()
        # Leave a little of the grace period for the process to exit before the master's SIGKILL.
        remaining = GRACEFUL_SECONDS - 0.5 - (time.monotonic() - stopping_since)
        server = self.app
        assert isinstance(server, ProductionServer)
        server.drain(timeout=remaining)


class RootLogger(glogging.Logger):
    """gunicorn's logger, writing through the root logger: one format (text or JSON), secrets masked."""

    def setup(self, cfg: Any) -> None:
        """Keep gunicorn's levels, drop its own handlers so its lines reach ours."""
        super().setup(cfg)
        for handler in list(self.error_log.handlers):
            self.error_log.removeHandler(handler)
        self.error_log.propagate = True


class SchedulerProcess:
    """`python -m bot scheduler` beside the web workers: one scheduler however many workers there are."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0

    def start(self) -> None:
        """Start the scheduler process (it inherits the environment, so the same settings)."""
        # A process, not a thread in the master: the master forks workers, and a fork must not copy a
        # scheduler thread mid-pass or its database connections.
        # Its own session: Ctrl-C in a terminal reaches the whole group, and the master's SIGTERM on top of
        # that would read as a second signal ("exit at once"); the master alone tells it when to stop.
        command = [sys.executable, "-m", "bot", "scheduler", "--parent", str(os.getpid())]
        self.process = subprocess.Popen(command, start_new_session=True)
        self.started_at = time.monotonic()
        logger.info("scheduler started (pid %s): reminders and check-ins every 30 s", self.process.pid)

    def keep_alive(self) -> None:
        """Start it again if it died, no faster than every SCHEDULER_RESTART_SECONDS."""
        if self.process is None or self.process.poll() is None:
            return
        if time.monotonic() - self.started_at >= SCHEDULER_RESTART_SECONDS:
            logger.warning("scheduler exited with status %s: starting it again", self.process.returncode)
            self.start()

    def ask_to_stop(self) -> None:
        """SIGTERM: it finishes (or gives up) its current pass and exits."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def wait(self, *, timeout: float) -> None:
        """Wait for it to exit; kill it if it outlives `timeout` (its claims expire and are reconciled)."""
        if self.process is None:
            return
        try:
            self.process.wait(timeout=max(timeout, 0.1))
        except subprocess.TimeoutExpired:
            logger.warning("scheduler did not stop in time: killing it")
            self.process.kill()
            self.process.wait()


class _GracefulArbiter(Arbiter):
    """gunicorn's master, plus the scheduler process, and SIGINT as graceful as SIGTERM."""

    app: ProductionServer

    def start(self) -> None:
        """Bind and get ready, then start the scheduler (after the bind: a port in use stops everything)."""
        super().start()
        if self.app.scheduler is not None:
            self.app.scheduler.start()

    def handle_int(self) -> None:
        """Ctrl-C stops gracefully, as SIGTERM does; a second one, during the stop, is a quick shutdown."""
        raise StopIteration

    def manage_workers(self) -> None:
        """gunicorn's worker count, and a scheduler that is always running."""
        super().manage_workers()
        if self.app.scheduler is not None:
            self.app.scheduler.keep_alive()

    def stop(self, graceful: bool = True) -> None:
        """Stop the scheduler and the workers side by side, all within STOP_DEADLINE_SECONDS."""
        started = time.monotonic()
        if self.app.scheduler is not None:
            self.app.scheduler.ask_to_stop()
        super().stop(graceful)
        if self.app.scheduler is not None:
            self.app.scheduler.wait(timeout=STOP_DEADLINE_SECONDS - (time.monotonic() - started))


def serve_http(*, settings: Settings, port: int, with_scheduler: bool) -> None:
    """Serve POST /slack/events and GET /healthz on 0.0.0.0:`port` until SIGTERM or SIGINT."""
    ProductionServer(settings=settings, port=port, with_scheduler=with_scheduler).run()
