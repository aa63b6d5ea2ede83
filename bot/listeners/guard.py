"""One guard around every listener: a refusal is answered; an unexpected error is logged and apologised for.

Neither is raised to Bolt. The guard also hands a listener that asks for `ctx` the request's RequestContext.
"""

from __future__ import annotations

import inspect
import logging
import uuid
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_bolt.kwargs_injection.args import Args
from slack_sdk.errors import SlackApiError

from bot.listeners.ack_answer import close_answer_slot, make_sure_acked, open_answer_slot
from bot.listeners.context import request_context
from bot.listeners.failures import ON_MESSAGE, REFUSALS, Refusals, answer_refusal
from bot.listeners.replies import tell
from bot.observability.request_log import OUTCOME_KEY
from bot.render.errors import internal_error_message, too_slow_message
from bot.render.message import Message

logger = logging.getLogger(__name__)

Listener = Callable[..., Any]

# Bolt's decorators that register a listener function; anything else on the app passes straight through.
_REGISTERING = frozenset(
    {
        "action",
        "attachment_action",
        "block_action",
        "block_suggestion",
        "command",
        "dialog_cancellation",
        "dialog_submission",
        "dialog_suggestion",
        "event",
        "function",
        "global_shortcut",
        "message",
        "message_shortcut",
        "options",
        "shortcut",
        "view",
        "view_closed",
        "view_submission",
    }
)
# Listeners of these kinds always ack at once with nothing to say (Slack ignores what a button's ack says);
# commands hold their ack a moment for the answer (ack_answer.py); views choose their ack (errors, update),
# and Bolt acks events itself.
_ACKED_AT_ONCE = frozenset({"action", "block_action"})


class GuardedApp:
    """The Bolt app as the listener modules see it: whatever they register runs inside `guarded`.

    A registration may say how the listener's refusals are answered: `app.action("x", refusals=IN_PLACE)`.
    """

    def __init__(self, app: App) -> None:
        self.app = app

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.app, name)
        if name not in _REGISTERING:
            return attribute

        def registering(
            *args: Any, refusals: Refusals = ON_MESSAGE, **kwargs: Any
        ) -> Callable[[Listener], Any]:
            if name in _ACKED_AT_ONCE:
                kwargs["middleware"] = [ack_at_once, *(kwargs.get("middleware") or [])]
            elif name == "command":
                kwargs["middleware"] = [hold_ack_for_answer, *(kwargs.get("middleware") or [])]
            register = attribute(*args, **kwargs)
            return lambda listener: register(guarded(listener, refusals=refusals))

        return registering


def ack_at_once(ack: Ack, next: Callable[[], None]) -> None:
    """Acknowledge in the request's own thread, before the listener is queued for the pool."""
    # In production mode Bolt runs the listener, and so its ack(), in the listener pool: with every pool
    # thread busy on a slow Slack, the ack would wait for a free thread and miss Slack's 3 s.
    ack()
    next()


def hold_ack_for_answer(ack: Ack, context: BoltContext, next: Callable[[], None]) -> None:
    """Hold a command's ack open a moment for its answer, in the request's own thread (see ack_at_once)."""
    # The deadline starts here, before the listener is queued: however busy the pool, the ack is in time.
    open_answer_slot(context, ack=ack, seconds=request_context(context).answer_in_ack_seconds)
    next()


def guarded(listener: Listener, *, refusals: Refusals = ON_MESSAGE) -> Callable[[Args], Any]:
    """`listener` as Bolt calls it, except that what it raises is answered (and logged), never re-raised."""
    names = list(inspect.signature(listener).parameters)

    # Bolt reads a listener's argument names to choose what to pass: `args` asks for all of them, so the
    # guard has ack, respond and the body even when the listener itself does not take them.
    def run_guarded(args: Args) -> Any:
        try:
            try:
                return listener(**{name: _argument(args, name) for name in names})
            except REFUSALS as refusal:
                # The service said no (not found, not allowed, nothing changed, bad input): an answer.
                answer_refusal(args, refusal, how=refusals)
                return None
        except Exception as error:
            recover(error, args=args, listener_name=listener.__name__)
            return None
        finally:
            # A command that answered nothing (it posted in the channel, or opened a form) is acked now.
            close_answer_slot(args.context)
            # Said here, not read from Bolt's response: a listener that answers in its ack may be done before
            # Bolt's request thread has picked the ack up, and the log would then read "error".
            args.context.setdefault(OUTCOME_KEY, "ok")

    run_guarded.__name__ = listener.__name__
    run_guarded.__qualname__ = listener.__qualname__
    run_guarded.__doc__ = listener.__doc__
    run_guarded.__module__ = listener.__module__
    return run_guarded


def _argument(args: Args, name: str) -> Any:
    return request_context(args.context) if name == "ctx" else getattr(args, name)


def request_id(body: dict[str, Any]) -> str:
    """An id to find one request in the logs: Slack's event id or trigger id, else a fresh one."""
    for key in ("event_id", "trigger_id"):
        value = body.get(key)
        if isinstance(value, str) and value:
            return value
    return uuid.uuid4().hex[:16]


def recover(error: Exception, *, args: Args, listener_name: str) -> None:
    """Log the error, make sure Slack got its ack, and tell the person something short and true."""
    body = args.body if isinstance(args.body, dict) else {}
    rid = request_id(body)
    logger.error("listener %s failed (request %s)", listener_name, rid, exc_info=error)
    # The request's log line would read "ok": the listener returned, but it failed.
    args.context[OUTCOME_KEY] = "error"
    try:
        # An empty 200 whatever failed: Slack must hear from us, and never see a 404 or a 500. A command's
        # ack still open takes the apology itself.
        make_sure_acked(args.ack, args.context)
        tell(args, body=body, message=_apology_for(error))
    except Exception:  # the apology is best effort; the error itself is logged above
        logger.exception("could not tell the person about the failure (request %s)", rid)


def _apology_for(error: Exception) -> Message:
    if isinstance(error, SlackApiError) and error.response.get("error") == "expired_trigger_id":
        return too_slow_message(again=None)
    return internal_error_message()
