"""Every listener, registered in one place."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import actions, checkins, commands, errors, events, files, home, settings, views


def register_listeners(app: App) -> None:
    """Register commands, buttons, modals, events, check-ins, settings and the error handler."""
    commands.register(app)
    actions.register(app)
    views.register(app)
    checkins.register(app)
    settings.register(app)
    files.register(app)
    events.register(app)
    home.register(app)
    errors.register(app)
