"""Log lines: JSON with the record's extra fields; one line per request, without what people typed."""

from __future__ import annotations

import json
import logging
import sys

import pytest
from slack_bolt import BoltContext

from bot.observability.logs import JsonFormatter, configure_logging
from bot.observability.request_log import request_fields
from tests.support.app import SlackApp


def _record(message: str, *args: object, **extra: object) -> logging.LogRecord:
    record = logging.makeLogRecord(
        {"name": "bot.outbox.dispatch", "levelno": logging.INFO, "levelname": "INFO"}
    )
    record.msg, record.args = message, args
    record.__dict__.update(extra)
    return record


def test_a_json_line_holds_the_message_and_every_extra_field() -> None:
    record = _record("delivery %s %s", "reminder:1:2026-12-15:7", "sent", team="T1", channel="C1", ms=12)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "delivery reminder:1:2026-12-15:7 sent"
    assert (line["level"], line["logger"]) == ("INFO", "bot.outbox.dispatch")
    assert (line["team"], line["channel"], line["ms"]) == ("T1", "C1", 12)
    assert line["time"].endswith("+00:00")


def test_a_json_line_keeps_the_traceback_on_one_line() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = _record("failed")
        record.exc_info = sys.exc_info()
    text = JsonFormatter().format(record)
    assert "\n" not in text and "ValueError: boom" in json.loads(text)["exception"]


def test_configuring_twice_leaves_one_handler() -> None:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    try:
        configure_logging(level=logging.INFO, fmt="json")
        configure_logging(level=logging.INFO, fmt="json")
        assert len(root.handlers) == 1 and isinstance(root.handlers[0].formatter, JsonFormatter)
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])


def test_a_command_is_logged_by_its_verb_only() -> None:
    body = {"command": "/milestone", "text": "add Secret launch budget $1m", "team_id": "T1"}
    fields = request_fields(body=body, context=_context(team_id="T1", channel_id="C1", user_id="U1"))
    assert fields == {"team": "T1", "channel": "C1", "user": "U1", "kind": "command", "action": "add"}


def test_an_unknown_verb_or_a_forged_id_is_not_logged() -> None:
    body = {"command": "/milestone", "text": "xoxb-not-a-verb"}
    assert request_fields(body=body, context=_context())["action"] == "other"
    forged = {"type": "block_actions", "actions": [{"action_id": "done <@U1> hello world"}]}
    assert request_fields(body=forged, context=_context(channel_id="C1 evil"))["action"] is None


def test_each_request_gets_one_line_with_outcome_and_ms(
    slack_app: SlackApp, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="bot.requests"):
        slack_app.requests.command("add Launch due Dec 15 owner <@U1> budget $5,000")
        slack_app.fake.wait_for("response_url")
    (record,) = [r for r in caplog.records if r.name == "bot.requests"]
    assert (record.team, record.channel, record.kind, record.action) == ("T1", "C1", "command", "add")
    assert record.outcome == "ok" and isinstance(record.ms, int)
    assert "Launch" not in record.getMessage() and "5,000" not in record.getMessage()


def _context(**values: str) -> BoltContext:
    return BoltContext(values)
