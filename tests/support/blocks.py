"""Block Kit assertions: what the fake Slack accepts, within Slack's limits, and what a person reads."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from bot.render.message import Message
from tests.support.fake_slack import MESSAGE_BLOCK_LIMIT, VIEW_BLOCK_LIMIT, block_errors, view_errors

TEXT_LIMIT = 3000
PRIVATE_METADATA_LIMIT = 3000


def assert_valid_blocks(blocks: Sequence[dict], *, most: int = MESSAGE_BLOCK_LIMIT) -> None:
    """Blocks Slack would accept, by the fake Slack's own checks; section and mrkdwn texts within 3,000.

    Those checks are slack_sdk's validation of each block and its nested elements, plus no field Slack
    does not know (slack_sdk drops those silently, Slack answers invalid_blocks).
    """
    assert blocks
    assert block_errors(blocks, limit=most) == []
    for block in blocks:
        if block["type"] == "section" and "text" in block:
            assert len(block["text"]["text"]) <= TEXT_LIMIT
    assert all(len(text) <= TEXT_LIMIT for text in mrkdwn_texts(blocks))


def assert_valid(message: Message) -> None:
    """A message with fallback text whose blocks pass Slack's validation and limits."""
    assert message.text
    assert_valid_blocks(message.blocks)


def assert_valid_view(view: dict, *, kind: str | None = None) -> None:
    """A modal or Home tab that passes Slack's validation of the view and of every block.

    A modal carries its context (channel, milestone) in private_metadata, within Slack's 3,000 characters.
    """
    if kind is not None:
        assert view["type"] == kind
    assert view_errors(view) == []
    if view["type"] == "modal":
        assert len(view["private_metadata"]) <= PRIVATE_METADATA_LIMIT
    assert_valid_blocks(view["blocks"], most=VIEW_BLOCK_LIMIT)


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


def view_text(view: dict) -> str:
    """What a person reads in a view's blocks, one mrkdwn text a line."""
    return "\n".join(mrkdwn_texts(view["blocks"]))


def action_elements(blocks: Sequence[dict]) -> list[dict]:
    """Every element of every actions block (the buttons a person can press), in order."""
    return [element for block in blocks if block["type"] == "actions" for element in block["elements"]]


def assert_defused(text: str) -> None:
    """No broadcast, no stray mention: the hostile title shows as typed and pings no one."""
    assert "<!channel>" not in text
    assert "<@U999>" not in text
    assert "@here" not in text
    assert "&lt;!channel&gt; &amp; &lt;@U999&gt;" in text
