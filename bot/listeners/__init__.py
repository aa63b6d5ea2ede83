"""Every listener, registered in one place."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import actions, commands, errors, home, views


def register_listeners(app: App) -> None:
    """Register commands, buttons, modals, events and the error handler."""
    commands.register(app)
    actions.register(app)
    views.register(app)
    home.register(app)
    errors.register(app)
