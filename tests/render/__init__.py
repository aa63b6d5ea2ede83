"""Shared helpers for renderer tests: milestones built in memory, and Slack's own payload validation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from slack_sdk.models.blocks import Block

from bot.render.message import Message
from storage.models import Milestone, Revision

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
HOSTILE = "<!channel> & <@U999> @here"


def make_milestone(**overrides: Any) -> Milestone:
    """A milestone like `/milestone add Launch beta due Dec 15 owner @U1` made; override any field."""
    values: dict[str, Any] = {
        "id": 1,
        "team_id": "T1",
        "number": 12,
        "channel_id": "C1",
        "title": "Launch beta",
        "owner_id": "U1",
        "created_by": "U1",
        "created_at": datetime(2026, 11, 3, 10, 0, tzinfo=UTC),
        "updated_at": datetime(2026, 11, 3, 10, 0, tzinfo=UTC),
        "due_date": date(2026, 12, 15),
        "baseline_due_date": date(2026, 12, 15),
        "status": "on_track",
    }
    values.update(overrides)
    return Milestone(**values)


def make_revision(**overrides: Any) -> Revision:
    """A due-date change by U1, with a reason; override any field."""
    values: dict[str, Any] = {
        "milestone_id": 1,
        "field": "due",
        "old": "2026-12-15",
        "new": "2026-12-20",
        "by": "U1",
        "at": datetime(2026, 11, 25, 12, 0, tzinfo=UTC),
        "reason": "vendor late",
        "source": "command",
    }
    values.update(overrides)
    return Revision(**values)


def assert_valid(message: Message) -> None:
    """Every block passes slack_sdk's validation, and the message keeps within Slack's limits."""
    assert message.text
    assert 0 < len(message.blocks) <= 50
    for block in message.blocks:
        Block.parse(block).validate_json()
        if block["type"] == "section" and "text" in block:
            assert len(block["text"]["text"]) <= 3000


def mrkdwn_texts(payload: Any) -> Iterator[str]:
    """Every mrkdwn string in a payload: the places Slack would turn `<…>` into links or pings."""
    if isinstance(payload, dict):
        if payload.get("type") == "mrkdwn":
            yield payload["text"]
        for value in payload.values():
            yield from mrkdwn_texts(value)
    elif isinstance(payload, list):
        for item in payload:
            yield from mrkdwn_texts(item)


def all_mrkdwn(message: Message) -> str:
    """The fallback text and every mrkdwn text of a message, joined, for escaping checks."""
    return "\n".join([message.text, *mrkdwn_texts(message.blocks)])


def assert_defused(text: str) -> None:
    """No broadcast, no stray mention: the hostile title shows as typed and pings no one."""
    assert "<!channel>" not in text
    assert "<@U999>" not in text
    assert "@here" not in text
    assert "&lt;!channel&gt; &amp; &lt;@U999&gt;" in text
