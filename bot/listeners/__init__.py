"""Every listener, registered in one place."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import (
    checkins,
    commands,
    date_question,
    done,
    errors,
    events,
    home,
    imports,
    milestones,
    options,
    report,
    settings,
    shortcuts,
    snooze,
)
from bot.listeners.guard import GuardedApp


def register_listeners(bolt_app: App) -> None:
    """Register every listener: the command, buttons, forms, events, Home, shortcuts, the error handler."""
    # Each listener is registered through the guard, so none can raise to Bolt: in the production mode
    # (process_before_response=False) an error after ack() would otherwise lose the ack (a 404 to Slack).
    app = GuardedApp(bolt_app)
    commands.register(app)
    milestones.register(app)
    date_question.register(app)
    done.register(app)
    checkins.register(app)
    settings.register(app)
    options.register(app)
    report.register(app)
    imports.register(app)
    events.register(app)
    home.register(app)
    shortcuts.register(app)
    snooze.register(app)
    errors.register(app)
