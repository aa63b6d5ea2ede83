"""What the console shows: the app's outputs and the things a person can press in them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

OutputKind = Literal[
    "message", "ephemeral", "update", "delete", "modal", "home", "file", "form_errors", "reaction"
]


@dataclass(frozen=True)
class Output:
    """Something the app showed: a channel message, an answer only the asker sees, a form, Home, a file."""

    kind: OutputKind
    text: str = ""  # fallback text
    blocks: tuple[dict, ...] = ()  # Block Kit blocks (message/ephemeral/update/home/modal blocks)
    channel: str | None = None  # channel NAME as shown (e.g. "#general"), or "DM"
    user: str | None = None  # for ephemeral / home / modal: whose screen
    ts: str | None = None  # message ts (for pressing its buttons later)
    thread_ts: str | None = None
    view: dict | None = None  # modal/home: the whole view (callback_id, private_metadata, blocks, ...)
    view_id: str | None = None
    errors: dict[str, str] | None = None  # form_errors: block_id -> message
    path: str | None = None  # file: where it was saved (charts, CSV, ICS)


@dataclass(frozen=True)
class Choice:
    """One thing a person can press: a button, an overflow/static_select option, in a message or a view."""

    label: str
    action_id: str
    block_id: str
    value: str | None  # button value, or the option's value
    source: Output  # the message/view it sits in
    element_type: str  # "button" | "overflow" | "static_select" | "users_select" ...
    option: dict | None = None  # for menus: the chosen option dict as Slack sends it (selected_option)
