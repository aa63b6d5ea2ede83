"""No secret in any log line at any level: tokens, the app's secrets and encryption keys are masked."""

from __future__ import annotations

import base64
import io
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine

from bot.config import Settings
from bot.observability.logs import JsonFormatter
from bot.observability.redact import MASK, Redactor, install_redaction
from bot.outbox.tick import run_tick
from bot.slack.clients import clients_for
from bot.slack.installations import installation_store_for
from tests.support import installations
from tests.support.app import FrozenClock
from tests.support.fake_slack import FakeSlack
from tests.support.scheduler import ny

USER_TOKEN = "xoxp-installer-token-0123456789"
# A Slack token whatever its kind, unless masked.
UNMASKED_TOKEN = re.compile(r"\b(?:xox[a-z]|xapp)[.-](?!" + re.escape(MASK) + ")")
FORMAT = "%(levelname)s %(name)s %(message)s"


@dataclass
class CapturedLogs:
    """What two handlers wrote: one on the root logger before redaction was installed, one added after."""

    early: io.StringIO
    late: io.StringIO

    @property
    def text(self) -> str:
        """Everything both handlers wrote."""
        return self.early.getvalue() + self.late.getvalue()


@pytest.fixture
def debug_logs() -> Iterator[CapturedLogs]:
    """Logging at DEBUG everywhere (slack_sdk and Bolt included), written to two in-memory handlers."""
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("", "slack_sdk", "slack_bolt")}
    factory = logging.getLogRecordFactory()
    early, late = io.StringIO(), io.StringIO()
    early_handler = logging.StreamHandler(early)
    early_handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(early_handler)
    for name in levels:
        logging.getLogger(name).setLevel(logging.DEBUG)
    late_handler = logging.StreamHandler(late)
    late_handler.setFormatter(logging.Formatter(FORMAT))
    try:
        yield CapturedLogs(early=early, late=late)
    finally:
        root.removeHandler(early_handler)
        for logger_name in ("slack_sdk", "slack_bolt.App"):
            logging.getLogger(logger_name).removeHandler(late_handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
        logging.setLogRecordFactory(factory)


def add_late_handler(logs: CapturedLogs) -> None:
    """A handler added after install_redaction, on loggers of their own (as a library might add one)."""
    handler = logging.StreamHandler(logs.late)
    handler.setFormatter(logging.Formatter(FORMAT))
    for logger_name in ("slack_sdk", "slack_bolt.App"):
        logging.getLogger(logger_name).addHandler(handler)


def secrets_in(settings: Settings) -> list[str]:
    """Every secret value a log line must not show."""
    basic = base64.b64encode(f"{installations.CLIENT_ID}:{installations.CLIENT_SECRET}".encode()).decode()
    return [
        installations.CLIENT_SECRET,
        installations.SIGNING_SECRET,
        basic,
        *settings.token_encryption_keys,
        installations.ROTATING_BOT_TOKEN,
        installations.ROTATING_REFRESH_TOKEN,
        USER_TOKEN,
        # Tokens the fake Slack issued on refresh.
        "rotated-",
        "refresh-0",
    ]


def test_tokens_and_secrets_never_reach_a_debug_log(
    debug_logs: CapturedLogs, engine: Engine, fake_slack: FakeSlack, clock: FrozenClock
) -> None:
    settings = installations.oauth_settings(fake_slack, engine=engine, keys=(installations.new_key(),))
    install_redaction(settings)
    add_late_handler(debug_logs)
    installations.install(
        installation_store_for(settings, engine=engine), user_token=USER_TOKEN, expires_in=60
    )
    try:
        with installations.serving_oauth_app(settings, fake=fake_slack, engine=engine, clock=clock) as app:
            app.requests.command("add Launch beta due Dec 15 owner <@U1|alice>")
            app.requests.command("list")
            app.requests.event({"type": "app_home_opened", "user": "U1", "tab": "home"}, event_id="EvHome")
        tick = run_tick(
            engine=engine,
            clients=clients_for(settings, engine=engine),
            now=ny("2026-12-08 09:05"),
            default_timezone="UTC",
        )
        logging.getLogger("milestone.test").debug(
            "a token in an argument: %s", installations.ROTATING_BOT_TOKEN
        )
        try:
            raise RuntimeError(f"failed with {installations.CLIENT_SECRET}")
        except RuntimeError:
            logging.getLogger("milestone.test").exception("a secret in a traceback")
    finally:
        installations.forget_installations(engine)

    assert tick.dispatched, "the tick posted nothing: the test would prove little"
    text = debug_logs.text
    # The logs are there, at DEBUG, from slack_sdk itself, including the token refresh.
    assert "oauth.v2.access" in text and "chat.postMessage" in text
    leaked = [secret for secret in secrets_in(settings) if secret in text]
    assert leaked == [], f"secrets in the logs: {leaked}"
    assert MASK in debug_logs.late.getvalue()
    assert UNMASKED_TOKEN.findall(text) == []
    assert "Traceback" in text and "RuntimeError: failed with " + MASK in text


def test_the_single_workspace_token_is_masked_too(debug_logs: CapturedLogs) -> None:
    settings = Settings(bot_token="xoxb-single-0123456789", signing_secret="single-signing-secret")
    install_redaction(settings)

    logging.getLogger("milestone.later").warning(
        "headers: %s", {"Authorization": "Bearer xoxb-single-0123456789"}
    )
    logging.getLogger("milestone.later").info("checking %s", "single-signing-secret")

    assert "xoxb-single" not in debug_logs.text
    assert "single-signing-secret" not in debug_logs.text
    assert debug_logs.text.count(MASK) == 2


def test_every_kind_of_slack_token_is_masked() -> None:
    redact = Redactor()

    text = redact(
        "xoxb-1-2-abc xoxp-1-2 xoxa-2-x xoxe.xoxb-1-MS0y xoxe-1-My0x xapp-1-A1-2-ff xoxr-1 token=xoxs-1-2"
    )

    assert UNMASKED_TOKEN.findall(text) == []
    assert text.startswith(f"xoxb-{MASK} xoxp-{MASK}")


def test_short_or_empty_secrets_mask_nothing() -> None:
    redact = Redactor(["", "abc"])

    assert redact("abc and more") == "abc and more"


def test_extra_fields_are_masked_in_json_lines(debug_logs: CapturedLogs) -> None:
    # As bot/__main__.py does it: the root handler first, then redaction.
    root = logging.getLogger()
    handler = logging.StreamHandler(debug_logs.late)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    try:
        install_redaction(
            Settings(client_id=installations.CLIENT_ID, client_secret=installations.CLIENT_SECRET)
        )
        detail = f"secret {installations.CLIENT_SECRET} and xoxb-1-2-abc"
        logging.getLogger("milestone.json").info("request", extra={"team": "T1", "detail": detail})
    finally:
        root.removeHandler(handler)

    line = json.loads(debug_logs.late.getvalue().splitlines()[-1])
    assert line["team"] == "T1"
    assert line["detail"] == f"secret {MASK} and xoxb-{MASK}"


def test_tracebacks_in_json_lines_are_masked(debug_logs: CapturedLogs) -> None:
    root = logging.getLogger()
    handler = logging.StreamHandler(debug_logs.late)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    try:
        install_redaction(Settings(bot_token="xoxb-json-0123456789"))
        try:
            raise RuntimeError("refused xoxb-json-0123456789")
        except RuntimeError:
            logging.getLogger("milestone.json").exception("post failed")
    finally:
        root.removeHandler(handler)

    line = json.loads(debug_logs.late.getvalue().splitlines()[-1])
    assert "xoxb-json" not in line["exception"]
    assert line["exception"].endswith(f"RuntimeError: refused {MASK}")


def test_the_database_password_is_masked(debug_logs: CapturedLogs) -> None:
    install_redaction(Settings(database_url="postgresql+psycopg://bot:s3cret-db-pass@db:5432/milestones"))

    logging.getLogger("milestone.db").warning("cannot reach %s", "bot:s3cret-db-pass@db")

    assert "s3cret-db-pass" not in debug_logs.text
    assert f"bot:{MASK}@db" in debug_logs.text


def test_a_database_url_that_is_not_a_url_masks_nothing_and_raises_nothing() -> None:
    install_redaction(Settings(database_url="not a url"))


def test_the_socket_mode_ticket_is_masked() -> None:
    text = Redactor()("'url': 'wss://wss-primary.slack.com/link/?ticket=a1b2-c3d4&app_id=A1'")

    assert text == f"'url': 'wss://wss-primary.slack.com/link/?ticket={MASK}&app_id=A1'"
