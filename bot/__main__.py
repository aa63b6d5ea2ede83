"""`python -m bot` / `milestone-bot`: serve the app, run the scheduler (or one pass), upgrade the database,
or try it all in the terminal (`console`)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine

from bot.config import ConfigError, Settings, load_settings, normalise_database_url
from bot.core.clock import wall_clock
from bot.observability.logs import configure_logging
from bot.observability.redact import install_redaction
from bot.serving.shutdown import STOP_SECONDS, exit_now, stop_requested, wait_for
from storage.db import is_sqlite, make_engine, schema_is_current, upgrade

logger = logging.getLogger("bot")

CONSOLE_HINT = "To try the bot without Slack first: `milestone-bot console` works now, with no set-up."


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run it; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "console":
        # Before the environment is read: the console needs none of it, and a stray PORT must not stop it.
        return _console(database_url=args.db)
    try:
        settings = load_settings()
        configure_logging(level=logging.INFO, fmt=settings.log_format)
        # Right after logging is configured: no record may leave before secrets are masked.
        install_redaction(settings)
        if args.command == "db":
            upgrade(make_engine(settings.database_url))
            print("Database schema is up to date.")
            return 0
        if args.command == "serve":
            return _serve(settings, port=args.port or settings.port, with_scheduler=not args.no_scheduler)
        if args.command == "tick":
            return _tick(settings, now=args.now)
        if args.command == "scheduler":
            return _scheduler(settings, parent=args.parent)
    except ConfigError as error:
        print(f"milestone-bot: {error}", file=sys.stderr)
        return 2
    parser.print_help()
    return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="milestone-bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the Slack app (HTTP, or Socket Mode with SLACK_APP_TOKEN)")
    serve.add_argument("--port", type=int, default=None, help="HTTP port (default: PORT or 3000)")
    serve.add_argument("--no-scheduler", action="store_true", help="do not run reminders in this process")
    tick = commands.add_parser("tick", help="one scheduler pass (plan and post what is due), then exit")
    tick.add_argument(
        "--now", type=_aware_datetime, default=None, help="ISO-8601 time to run at (default: now)"
    )
    scheduler = commands.add_parser("scheduler", help="the scheduler alone until SIGTERM (a worker: line)")
    # Set by `serve`, which runs the scheduler beside its web workers: stop if that server is gone.
    scheduler.add_argument("--parent", type=int, default=None, help=argparse.SUPPRESS)
    console = commands.add_parser("console", help="try the bot in this terminal, without Slack or any set-up")
    console.add_argument(
        "--db", default=None, help="database URL (default: sqlite:///milestone-console.db, a file of its own)"
    )
    db = commands.add_parser("db", help="database schema")
    db.add_argument("action", choices=["upgrade"], help="apply every pending migration")
    return parser


def _aware_datetime(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not ISO-8601, e.g. 2026-12-15T09:00:00+00:00"
        ) from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _tick(settings: Settings, *, now: datetime | None) -> int:
    from bot.outbox.tick import run_tick
    from bot.slack.clients import clients_for

    engine = prepare_database(settings)
    clients = clients_for(settings, engine=engine)
    tick = run_tick(
        engine=engine,
        clients=clients,
        now=now or wall_clock(),
        default_timezone=settings.default_timezone,
        lease=settings.delivery_lease,
    )
    print(tick.summary())
    return 0


def prepare_database(settings: Settings) -> Engine:
    """The engine, with the schema migrated (SQLite) or checked to be current (PostgreSQL)."""
    engine = make_engine(settings.database_url)
    if is_sqlite(engine):
        upgrade(engine)
    elif not schema_is_current(engine):
        raise ConfigError("The database schema is behind the code: run `python -m bot db upgrade` first.")
    return engine


def _console(*, database_url: str | None) -> int:
    from bot.console.repl import main as console_main
    from bot.console.session import DEFAULT_DATABASE_URL

    # The app's own INFO lines (each request) would bury the conversation; warnings still show.
    configure_logging(level=logging.WARNING, fmt="text")
    return console_main(database_url=normalise_database_url(database_url or DEFAULT_DATABASE_URL))


def _serve(settings: Settings, *, port: int, with_scheduler: bool) -> int:
    try:
        settings.check()
    except ConfigError as missing:
        raise ConfigError(f"{missing}\n{CONSOLE_HINT}") from missing
    engine = prepare_database(settings)
    if settings.app_token:
        return _serve_socket_mode(settings, engine=engine, port=port, with_scheduler=with_scheduler)
    # Workers open their own connections after the fork: none of the master's may be shared with them.
    engine.dispose()
    from bot.serving.server import serve_http

    logger.info("serving on port %s: POST /slack/events, GET /healthz", port)
    serve_http(settings=settings, port=port, with_scheduler=with_scheduler)
    return 0


def _serve_socket_mode(settings: Settings, *, engine: Engine, port: int, with_scheduler: bool) -> int:
    from bot.app import build_app
    from bot.serving.socket_mode import serve_socket_mode

    app = build_app(settings, engine=engine)
    scheduler = _start_scheduler(settings, engine=engine) if with_scheduler else None
    finished = serve_socket_mode(
        app=app, app_token=settings.app_token or "", engine=engine, port=port, scheduler=scheduler
    )
    return _exit_after_stop(finished=finished)


def _scheduler(settings: Settings, *, parent: int | None) -> int:
    from bot.outbox.tick import stop_scheduler

    engine = prepare_database(settings)
    stop = stop_requested()
    scheduler = _start_scheduler(settings, engine=engine)
    wait_for(stop, parent=parent)
    return _exit_after_stop(finished=stop_scheduler(scheduler, timeout=STOP_SECONDS))


def _start_scheduler(settings: Settings, *, engine: Engine) -> BackgroundScheduler:
    from bot.outbox.tick import start_scheduler
    from bot.slack.clients import clients_for

    clients = clients_for(settings, engine=engine)
    scheduler = start_scheduler(
        engine=engine,
        clients=clients,
        default_timezone=settings.default_timezone,
        lease=settings.delivery_lease,
    )
    logger.info("scheduler running: reminders and check-ins every 30 s")
    return scheduler


def _exit_after_stop(*, finished: bool) -> int:
    if finished:
        logger.info("stopped")
        return 0
    # Threads still posting would keep the process past the platform's SIGKILL: leave now instead.
    logger.warning("stopped with work still running: its claims expire and are reconciled")
    exit_now(0)


if __name__ == "__main__":
    sys.exit(main())
