"""The options of the menus that load as one types: time zones and departments."""

from __future__ import annotations

from slack_sdk.models.blocks import Option, PlainTextObject

from bot.core.forms.milestone import NO_DEPARTMENT
from bot.core.text import excerpt
from bot.render.modals import department_option

# Slack cuts an option's text at 75 characters.
OPTION_CHARS = 75


def zone_options(zones: list[tuple[str, str]]) -> list[dict]:
    """The time-zone menu's options: (zone, label) as `America/New_York (UTC−05:00)`."""
    return [_option(value, label).to_dict() for value, label in zones]


def department_options(found: list[str], *, new: str | None, typed: str) -> list[dict]:
    """The workspace's departments found, then the typed one if new; before typing, also "No department"."""
    options = [department_option(name) for name in found]
    if new:
        options.append(department_option(new, label=f"New department: {new}"))
    if not typed.strip():
        options.append(_option(NO_DEPARTMENT, "No department"))
    return [option.to_dict() for option in options]


def _option(value: str, label: str) -> Option:
    return Option(value=value, text=PlainTextObject(text=excerpt(label, limit=OPTION_CHARS)))
