"""`python -m bot` / `milestone-bot`: serve the app, run one scheduler pass, or upgrade the database."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Engine

from bot.config import ConfigError, Settings, load_settings
from bot.deps import wall_clock
from storage.db import is_sqlite, make_engine, schema_is_current, upgrade

logger = logging.getLogger("bot")


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run it; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings()
        if args.command == "db":
            upgrade(make_engine(settings.database_url))
            print("Database schema is up to date.")
            return 0
        if args.command == "serve":
            return _serve(settings, port=args.port or settings.port, with_scheduler=not args.no_scheduler)
        if args.command == "tick":
            return _tick(settings, now=args.now)
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
    from bot.clients import clients_for
    from bot.tick import run_tick

    engine = prepare_database(settings)
    clients = clients_for(settings, engine=engine)
    tick = run_tick(
        engine=engine, clients=clients, now=now or wall_clock(), default_timezone=settings.default_timezone
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


def _serve(settings: Settings, *, port: int, with_scheduler: bool) -> int:
    from bot.app import build_app
    from bot.web import make_server, make_wsgi_app

    settings.check()
    engine = prepare_database(settings)
    app = build_app(settings, engine=engine)
    if with_scheduler:
        from bot.clients import clients_for
        from bot.tick import start_scheduler

        start_scheduler(
            engine=engine,
            clients=clients_for(settings, engine=engine),
            default_timezone=settings.default_timezone,
        )
        logger.info("scheduler running: reminders and check-ins every 30 s")
    if settings.app_token:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        logger.info("serving over Socket Mode")
        SocketModeHandler(app, settings.app_token).start()
        return 0
    server = make_server(make_wsgi_app(app, engine=engine), host="0.0.0.0", port=port)
    logger.info("serving on port %s: POST /slack/events, GET /healthz", port)
    server.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
