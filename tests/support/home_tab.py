"""The Home tab as a person reads it, top to bottom, for tests that assert what it says."""

from __future__ import annotations

from tests.support.blocks import mrkdwn_texts


def home_page(view: dict) -> list[str]:
    """Headers, lines and hints in order, one a line; a divider is `---`, buttons `[Add a milestone]`."""
    lines: list[str] = []
    for block in view["blocks"]:
        if block["type"] == "divider":
            lines.append("---")
        elif block["type"] == "header":
            lines.append(block["text"]["text"])
        elif block["type"] == "actions":
            lines.append(" ".join(f"[{element['text']['text']}]" for element in block["elements"]))
        else:
            lines.extend(line for text in mrkdwn_texts(block) for line in text.split("\n"))
    return lines
