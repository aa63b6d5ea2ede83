"""Where unexpected errors end: logged in full, a short apology to the person, never a traceback."""

from __future__ import annotations

import logging

from slack_bolt import BoltResponse, Respond

from bot.listeners.guard import GuardedApp
from bot.listeners.replies import answer
from bot.render.errors import internal_error_message

logger = logging.getLogger(__name__)


def register(app: GuardedApp) -> None:
    """Register the global error handler."""
    app.error(handle_error)


def handle_error(error: Exception, respond: Respond | None, response: BoltResponse | None) -> None:
    """Log the error; tell the person when the request can be answered (in a command's ack, or its URL)."""
    logger.error("unhandled error in a listener", exc_info=error)
    if respond is not None and respond.response_url:
        try:
            answer(respond, internal_error_message())
        except Exception:  # the apology is best effort; the error itself is already logged
            logger.exception("could not tell the user about the error")
    if response is not None and response.status >= 500:
        # Slack shows its own "failed with the error …" for a 5xx; an empty 200 keeps the answer ours.
        response.status = 200
        response.body = ""
