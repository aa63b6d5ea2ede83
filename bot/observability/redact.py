"""No secret in any log line: Slack tokens, the app's secrets and encryption keys are masked in records."""

from __future__ import annotations

import base64
import logging
import re
import threading
from collections.abc import Callable, Iterable

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.config import Settings
from bot.observability.logs import RECORD_ATTRIBUTES

MASK = "[redacted]"
# Bot, user, app-config, refresh (xoxe-…, xoxe.xoxb-…) and app-level tokens; the prefix is kept for debugging.
SLACK_TOKEN = re.compile(r"\b(xox[abepors]|xapp)([.-])[A-Za-z0-9][\w.-]*")
# Socket Mode's WebSocket URL (apps.connections.open's answer, logged at DEBUG) carries a one-time ticket.
WSS_TICKET = re.compile(r"\b(ticket=)[^&\s'\"]+")
# Shorter literals would mask ordinary words.
MIN_SECRET_LENGTH = 8

RecordFactory = Callable[..., logging.LogRecord]


class Redactor:
    """Masks Slack tokens and the given secrets in text; more secrets can be added later."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._secrets: frozenset[str] = frozenset()
        self.add(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        """Mask these literal values too (short or empty ones are ignored)."""
        with self._lock:
            self._secrets |= {secret for secret in secrets if len(secret) >= MIN_SECRET_LENGTH}

    def __call__(self, text: str) -> str:
        """The text with every token and secret masked."""
        # Longest first, so a secret containing another is masked whole.
        for secret in sorted(self._secrets, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, MASK)
        text = WSS_TICKET.sub(lambda match: f"{match.group(1)}{MASK}", text)
        return SLACK_TOKEN.sub(lambda match: f"{match.group(1)}{match.group(2)}{MASK}", text)


class RedactingFilter(logging.Filter):
    """A handler filter that rewrites each record's message, arguments and traceback with secrets masked."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask the record in place; never drops it."""
        redact_record(record, self.redactor)
        return True


def redact_record(record: logging.LogRecord, redactor: Redactor) -> None:
    """Fold the arguments into the message, mask it, and mask the traceback, stack and `extra` fields."""
    try:
        message = record.getMessage()
    except Exception:  # a malformed call: logging reports it when formatting; mask what can be seen
        message = f"{record.msg} {record.args}"
    record.msg, record.args = redactor(message), None
    if record.exc_info and not record.exc_text:
        # Formatters reuse exc_text when set: the traceback is printed masked.
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redactor(record.exc_text)
    if record.stack_info:
        record.stack_info = redactor(record.stack_info)
    for name, value in vars(record).items():
        if isinstance(value, str) and name not in RECORD_ATTRIBUTES:
            setattr(record, name, redactor(value))


def secrets_of(settings: Settings) -> list[str]:
    """Every secret value in the settings, as it could appear in a log line."""
    secrets: list[str | None] = [
        settings.bot_token,
        settings.app_token,
        settings.signing_secret,
        settings.client_secret,
        *settings.token_encryption_keys,
        _database_password(settings.database_url),
    ]
    if settings.client_id and settings.client_secret:
        # oauth.v2.access sends them as HTTP Basic credentials.
        pair = f"{settings.client_id}:{settings.client_secret}".encode()
        secrets.append(base64.b64encode(pair).decode())
    return [secret for secret in secrets if secret]


def _database_password(url: str) -> str | None:
    try:
        password = make_url(url).password
    except ArgumentError:  # not a URL: the engine reports that, not the log filter
        return None
    return str(password) if password else None


_redactor = Redactor()
_filter = RedactingFilter(_redactor)
_install_lock = threading.Lock()


def install_redaction(settings: Settings) -> None:
    """Mask secrets in every log record from now on, whatever logger or handler it goes through."""
    _redactor.add(secrets_of(settings))
    with _install_lock:
        # Handlers already on the root logger (logging.basicConfig's, a JSON one…) filter what they emit.
        for handler in logging.getLogger().handlers:
            if _filter not in handler.filters:
                handler.addFilter(_filter)
        # Logger filters do not apply to records from child loggers, and handlers may be added later:
        # records are masked as they are made, so every later logger and handler sees them masked
        # (all but `extra=` fields, set after the record is made: the root handlers' filter masks those).
        factory = logging.getLogRecordFactory()
        if not getattr(factory, "redacting", False):
            logging.setLogRecordFactory(_redacting_factory(factory))


def _redacting_factory(make_record: RecordFactory) -> RecordFactory:
    def make_redacted_record(*args: object, **kwargs: object) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        redact_record(record, _redactor)
        return record

    make_redacted_record.redacting = True  # type: ignore[attr-defined]
    return make_redacted_record
