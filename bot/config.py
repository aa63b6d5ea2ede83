"""Settings read once from the environment (and `.env`)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

from cryptography.fernet import Fernet
from dotenv import load_dotenv

from bot.core.limits import LimitError, check_timezone

DEFAULT_DATABASE_URL = "sqlite:///milestones.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
LOG_FORMATS = ("text", "json")
# Listener work mostly waits on Slack (response_url, users.info, views.open): threads are cheap, and a
# pool as small as Bolt's default (5) lets a slow Slack hold up the acks of everyone queued behind it.
DEFAULT_LISTENER_THREADS = 64
# Request threads a web process serves Slack with (gunicorn's threaded workers, waitress in tests and the
# console): acks are quick, as the listener work runs in the pool above. Socket Mode's client has 10.
REQUEST_THREADS = 8
# How long a delivery's claim holds without renewal; tests shorten it (DELIVERY_LEASE_SECONDS).
DEFAULT_DELIVERY_LEASE = timedelta(minutes=2)
# Posts a dispatching process has in flight at once, each to a different channel (DISPATCH_THREADS): Slack
# takes a channel one message a second and answers in ~150 ms; with the posting marks before and after, a post
# holds its thread ~250 ms, so keeping 1,000 channels at their pace takes ~250 in flight (bench/README.md,
# Dispatch: 160 threads 16 s for 10,000, 240 threads 13.9 s). The threads mostly wait on Slack; the
# database work of all of them is batched, and the pool starts only the threads a pass needs.
DEFAULT_DISPATCH_THREADS = 256
# How long a slash command's acknowledgement waits for the answer to ride in it (ANSWER_IN_ACK_SECONDS).
# Slack's 3 s include the network both ways, and an answer not ready by then goes through the response URL
# anyway: half a second keeps every ack quick while help, list, show and errors are ready well within it.
DEFAULT_ANSWER_IN_ACK_SECONDS = 0.5
# Never close to Slack's 3 s: the ack must still cross the network after the wait.
MAX_ANSWER_IN_ACK_SECONDS = 2.0


class ConfigError(ValueError):
    """Raised when the environment cannot run the bot; the message says which variable to fix."""


@dataclass(frozen=True)
class Settings:
    """Everything the app reads from its environment."""

    bot_token: str | None = None
    signing_secret: str | None = None
    app_token: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL
    database_url: str = DEFAULT_DATABASE_URL
    port: int = 3000
    default_timezone: str = "UTC"
    log_format: str = "text"
    web_concurrency: int = 1
    # Fernet keys, newest first: the first encrypts, any of them decrypts (see bot/installations.py).
    token_encryption_keys: tuple[str, ...] = ()
    listener_threads: int = DEFAULT_LISTENER_THREADS
    delivery_lease: timedelta = DEFAULT_DELIVERY_LEASE
    # 0: every slash command is acked empty at once and answered through its response URL.
    answer_in_ack_seconds: float = DEFAULT_ANSWER_IN_ACK_SECONDS

    @property
    def uses_oauth(self) -> bool:
        """True when the app installs into many workspaces through OAuth."""
        return bool(self.client_id and self.client_secret)

    def check(self) -> None:
        """Refuse settings that cannot serve, with a message naming what is missing."""
        if not self.signing_secret and not self.app_token:
            raise ConfigError("Set SLACK_SIGNING_SECRET (see .env.example).")
        if not self.uses_oauth and not self.bot_token:
            raise ConfigError("Set SLACK_BOT_TOKEN, or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth.")


def normalise_database_url(url: str) -> str:
    """Let `postgres://` and `postgresql://` URLs (as Heroku gives them) use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read settings from `environ` (default: the process environment after loading `.env`)."""
    if environ is None:
        load_dotenv()
        environ = dict(os.environ)
    zone = _default_timezone(environ.get("DEFAULT_TIMEZONE") or "UTC")
    port = environ.get("PORT") or "3000"
    if not port.isdigit():
        raise ConfigError(f"PORT={port!r} is not a port number.")
    api_url = environ.get("SLACK_API_URL") or DEFAULT_SLACK_API_URL
    log_format = (environ.get("LOG_FORMAT") or "text").lower()
    if log_format not in LOG_FORMATS:
        raise ConfigError(f"LOG_FORMAT={log_format!r} is not one of {', '.join(LOG_FORMATS)}.")
    web_concurrency = environ.get("WEB_CONCURRENCY") or str(os.cpu_count() or 1)
    if not web_concurrency.isdigit() or int(web_concurrency) < 1:
        raise ConfigError(f"WEB_CONCURRENCY={web_concurrency!r} is not a number of processes.")
    encryption_keys = parse_encryption_keys(environ.get("TOKEN_ENCRYPTION_KEY") or "")
    return Settings(
        bot_token=environ.get("SLACK_BOT_TOKEN") or None,
        signing_secret=environ.get("SLACK_SIGNING_SECRET") or None,
        app_token=environ.get("SLACK_APP_TOKEN") or None,
        client_id=environ.get("SLACK_CLIENT_ID") or None,
        client_secret=environ.get("SLACK_CLIENT_SECRET") or None,
        slack_api_url=api_url if api_url.endswith("/") else api_url + "/",
        database_url=normalise_database_url(environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL),
        port=int(port),
        default_timezone=zone,
        log_format=log_format,
        web_concurrency=int(web_concurrency),
        token_encryption_keys=encryption_keys,
        listener_threads=_listener_threads(environ.get("LISTENER_THREADS") or ""),
        delivery_lease=_delivery_lease(environ.get("DELIVERY_LEASE_SECONDS") or ""),
        answer_in_ack_seconds=_answer_in_ack_seconds(environ.get("ANSWER_IN_ACK_SECONDS") or ""),
    )


def _default_timezone(name: str) -> str:
    """DEFAULT_TIMEZONE as the one zone check reads it (the commands and forms alike), canonically spelt."""
    try:
        return check_timezone(name)
    except LimitError as error:
        message = f"DEFAULT_TIMEZONE={name!r} is not an IANA time zone such as Europe/Berlin."
        raise ConfigError(message) from error


def _listener_threads(value: str) -> int:
    """LISTENER_THREADS when it is a positive whole number, else the default."""
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_LISTENER_THREADS


def _delivery_lease(value: str) -> timedelta:
    """DELIVERY_LEASE_SECONDS when it is a positive number, else the default."""
    try:
        seconds = float(value)
    except ValueError:
        return DEFAULT_DELIVERY_LEASE
    return timedelta(seconds=seconds) if seconds > 0 else DEFAULT_DELIVERY_LEASE


def _answer_in_ack_seconds(value: str) -> float:
    """ANSWER_IN_ACK_SECONDS: unset is the default; seconds from 0 to the maximum, else refused."""
    if not value:
        return DEFAULT_ANSWER_IN_ACK_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= MAX_ANSWER_IN_ACK_SECONDS:
        message = (
            f"ANSWER_IN_ACK_SECONDS={value!r} is not a number of seconds from 0 to "
            f"{MAX_ANSWER_IN_ACK_SECONDS:g} (Slack waits 3 s for the acknowledgement), e.g. 0.5."
        )
        raise ConfigError(message)
    return seconds


def parse_encryption_keys(value: str) -> tuple[str, ...]:
    """TOKEN_ENCRYPTION_KEY's comma-separated Fernet keys, newest first; ConfigError names a bad one."""
    keys = tuple(key.strip() for key in value.split(",") if key.strip())
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError as error:
            # The message says which key, never the key itself: it may end up in a log.
            message = (
                f"TOKEN_ENCRYPTION_KEY: key {position} of {len(keys)} is not a Fernet key "
                "(32 url-safe base64-encoded bytes; make one with `python -c "
                '"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`).'
            )
            raise ConfigError(message) from error
    return keys
