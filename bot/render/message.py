"""A rendered Slack message: notification fallback text plus Block Kit blocks, and small block helpers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.core.text import excerpt

# Slack's limits, with headroom under the hard caps (3,000 characters per section text, 150 per header).
SECTION_CHARS = 2900
HEADER_CHARS = 150


@dataclass(frozen=True)
class Message:
    """What to send: `text` for notifications and screen readers, `blocks` as Slack's JSON dicts."""

    text: str
    blocks: list[dict]


def build_message(*, text: str, blocks: Sequence[Block]) -> Message:
    """Turn Block Kit builder objects into a Message."""
    return Message(text=text, blocks=[block.to_dict() for block in blocks])


def one_line(text: str) -> Message:
    """A one-section message whose notification text is the same line."""
    return build_message(text=text, blocks=[section(text)])


def header(text: str) -> HeaderBlock:
    """A header block; plain text, so user text in it neither formats nor pings, only needs shortening."""
    return HeaderBlock(text=PlainTextObject(text=excerpt(text, limit=HEADER_CHARS), emoji=True))


def section(text: str) -> SectionBlock:
    """A section holding one mrkdwn text, already escaped by the caller."""
    return SectionBlock(text=MarkdownTextObject(text=text))


# Slack's limit on a section's text; slack_sdk refuses a longer one.
SECTION_TEXT_MAX = 3000


def section_json(text: str) -> dict:
    """section(text).to_dict(), written directly: the same keys in the same order, without slack_sdk's checks.

    For messages made by the thousand (a list's lines, a pass's reminders), where building and checking the
    objects cost more than the rest of the message; a text the checks would refuse still goes through them.
    """
    if not text or len(text) > SECTION_TEXT_MAX:
        return section(text).to_dict()
    return {"text": {"text": text, "type": "mrkdwn"}, "type": "section"}


def context(text: str) -> ContextBlock:
    """A small grey line of mrkdwn, for hints."""
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def modal(
    *,
    callback_id: str,
    title: str,
    metadata: str,
    blocks: Sequence[Block],
    submit: str | None = None,
    close: str = "Cancel",
) -> dict:
    """A modal as Slack's JSON: title, buttons (no submit button when `submit` is None), metadata, blocks."""
    view = View(
        type="modal",
        callback_id=callback_id,
        title=PlainTextObject(text=title),
        submit=PlainTextObject(text=submit) if submit else None,
        close=PlainTextObject(text=close),
        private_metadata=metadata,
        blocks=list(blocks),
    )
    return view.to_dict()


def packed_sections(
    lines: Iterable[str], *, max_lines: int = 10, max_chars: int = SECTION_CHARS
) -> list[SectionBlock]:
    """Sections holding several lines each, so long lists stay under Slack's block and character limits."""
    sections: list[SectionBlock] = []
    chunk: list[str] = []
    size = 0
    # One line never nears the cap: callers shorten user text (titles ≤150, quoted values ≤60 characters).
    for line in lines:
        if chunk and (len(chunk) == max_lines or size + 1 + len(line) > max_chars):
            sections.append(section("\n".join(chunk)))
            chunk, size = [], 0
        chunk.append(line)
        size += len(line) + (1 if size else 0)
    if chunk:
        sections.append(section("\n".join(chunk)))
    return sections
