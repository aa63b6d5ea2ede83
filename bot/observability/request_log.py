"""One structured log line per request: team, channel, kind, verb or action id, outcome and milliseconds."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.listener.listener_completion_handler import ListenerCompletionHandler

from bot.core.grammar.command import VERBS

logger = logging.getLogger("bot.requests")

# Set by whoever knows better than the response (e.g. the listener guard after an apology).
OUTCOME_KEY = "request_outcome"
_STARTED_KEY = "request_started"
_FIELDS_KEY = "request_fields"
# Ids are Slack's or ours (a-z, digits, _ . : -); anything else is typed by people and stays out of the log.
_SAFE_ID = re.compile(r"[A-Za-z0-9_.:\-]{1,80}")


def install_request_log(app: App) -> None:
    """Stamp each request as it arrives and log one line when its listener has finished."""
    app.use(stamp_request)
    # Bolt's middleware `next()` only flags that the chain goes on, so the end of the work is seen here.
    app.listener_runner.listener_completion_handler = RequestLogger()


def stamp_request(body: dict[str, Any], context: BoltContext, next: Callable[[], None]) -> None:
    """Remember when the request arrived and what it was, for the line logged when it completes."""
    # Positional parameters: Bolt reads a middleware's argument names with getfullargspec().args.
    context[_STARTED_KEY] = time.monotonic()
    context[_FIELDS_KEY] = request_fields(body=body, context=context)
    next()


class RequestLogger(ListenerCompletionHandler):
    """Logs the request's line at INFO once its listener has returned (after the ack in production)."""

    def handle(self, request: BoltRequest, response: BoltResponse | None) -> None:
        """Log team, channel, kind, action, outcome and ms; never the text people typed, nor any token."""
        context = request.context
        fields = dict(context.get(_FIELDS_KEY) or request_fields(body=request.body, context=context))
        started = context.get(_STARTED_KEY)
        fields["ms"] = round((time.monotonic() - started) * 1000) if started else None
        fields["outcome"] = context.get(OUTCOME_KEY) or _outcome(response)
        logger.info(
            "%s %s %s in %s ms",
            fields["kind"],
            fields["action"] or "-",
            fields["outcome"],
            fields["ms"],
            extra=fields,
        )


def request_fields(*, body: dict[str, Any], context: BoltContext) -> dict[str, Any]:
    """What the request was, in ids only: team, channel, user, kind and verb (or action id, callback id)."""
    kind, action = _kind_and_action(body)
    return {
        "team": _safe(context.team_id or context.enterprise_id),
        "channel": _safe(context.channel_id),
        "user": _safe(context.user_id),
        "kind": kind,
        "action": _safe(action),
    }


def _kind_and_action(body: dict[str, Any]) -> tuple[str, str | None]:
    if "command" in body:
        # The verb only, and only a known one: the rest of a command is message text.
        words = str(body.get("text") or "").split(maxsplit=1)
        verb = words[0].lower() if words else "help"
        return "command", verb if verb in VERBS else "other"
    kind = str(body.get("type") or "unknown")
    if kind == "event_callback":
        event = body.get("event")
        return "event", event.get("type") if isinstance(event, dict) else None
    if kind in ("block_actions", "interactive_message"):
        actions = body.get("actions")
        first = actions[0] if isinstance(actions, list) and actions else None
        return "action", first.get("action_id") if isinstance(first, dict) else None
    if kind in ("view_submission", "view_closed"):
        view = body.get("view")
        return "view", view.get("callback_id") if isinstance(view, dict) else None
    return kind, body.get("callback_id") if isinstance(body.get("callback_id"), str) else None


def _outcome(response: BoltResponse | None) -> str:
    # Bolt passes None, or a 500, when the listener raised after its ack.
    if response is None or response.status >= 500:
        return "error"
    return "ok" if response.status < 400 else "rejected"


def _safe(value: Any) -> str | None:
    text = value if isinstance(value, str) else None
    return text if text and _SAFE_ID.fullmatch(text) else None
