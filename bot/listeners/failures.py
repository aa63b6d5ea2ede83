"""One wrapper for the ways a request is turned down: each is a short answer to the person, never an error.

The guard calls `answer_refusal` when a listener raises one of REFUSALS; how the answer reaches the person is
declared where the listener is registered (`refusals=`): in place of the pressed message, or on a form.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_bolt.kwargs_injection.args import Args

from bot.core.access import MilestoneNotFound, NotAllowed
from bot.core.command_types import CommandError, PastDateQuestion
from bot.core.forms.values import ModalErrors
from bot.core.milestones import NothingChanged
from bot.listeners.ack_answer import make_sure_acked
from bot.listeners.replies import tell
from bot.render import milestones as render
from bot.render.checkins import review_refusal_message
from bot.render.date_question import past_date_question
from bot.render.errors import error_message
from bot.render.message import Message

Refusal = MilestoneNotFound | NotAllowed | NothingChanged | CommandError | ModalErrors
REFUSALS = (MilestoneNotFound, NotAllowed, NothingChanged, CommandError, ModalErrors)


@dataclass(frozen=True)
class Refusals:
    """Where a listener's refusals are answered."""

    # The answer takes the place of the message whose button was pressed (the delete question).
    replace: bool = False
    # A form: the refusal shows under this block and the form stays open; None for buttons and commands.
    field: str | None = None
    # A form: bad input (CommandError) shows under this block instead, when it is about another field.
    invalid_field: str | None = None
    # A weekly review's button: everyone may still take part, so "not allowed" says how.
    on_review: bool = False


ON_MESSAGE = Refusals()
IN_PLACE = Refusals(replace=True)
ON_REVIEW = Refusals(on_review=True)


def on_form(field: str, *, invalid_field: str | None = None) -> Refusals:
    """Refusals of a form submission: shown on the form, under `field`."""
    return Refusals(field=field, invalid_field=invalid_field)


def answer_refusal(args: Args, refusal: Refusal, *, how: Refusals) -> None:
    """Answer the refusal where the person is: on the form still open, else in a message to them."""
    if how.field is not None and args.ack.response is None:
        errors = form_errors(refusal, how=how)
        if errors:
            args.ack(response_action="errors", errors=errors)
        else:
            args.ack()
        return
    make_sure_acked(args.ack, args.context)  # a command's open ack takes the answer itself
    body = args.body if isinstance(args.body, dict) else {}
    message = (
        review_refusal_message(m=refusal.milestone, action=refusal.action)
        if how.on_review and isinstance(refusal, NotAllowed)
        else explain(refusal)
    )
    tell(args, body=body, message=message, replace=how.replace)


def form_errors(refusal: Refusal, *, how: Refusals) -> dict[str, str]:
    """The form's errors for a refusal (block id → message); none when the form should just close."""
    field = how.field or ""
    match refusal:
        case ModalErrors(errors=errors):
            return errors
        case NothingChanged():
            # A form that changes nothing closes, as if saved.
            return {}
        case MilestoneNotFound(number=number):
            # The form was opened on it, so it can only have been deleted since.
            return {field: f"#{number} was deleted meanwhile."}
        case CommandError(message=message):
            return {how.invalid_field or field: message}
    return {field: explain(refusal).text}


def explain(refusal: Refusal) -> Message:
    """One short message saying why nothing was changed."""
    match refusal:
        case MilestoneNotFound(number=number):
            return render.not_found_message(number)
        case NotAllowed(milestone=milestone, action=action):
            return render.refused_message(action=action, m=milestone)
        case NothingChanged(milestone=milestone):
            return error_message(
                f"Nothing to change: *#{milestone.number}* already looks like that.",
                example=f"/milestone update {milestone.number} due next friday because vendor is late",
            )
        case PastDateQuestion():
            return past_date_question(refusal)
        case CommandError(message=message, example=example):
            return error_message(message, example=example)
    raise AssertionError(f"no answer for {refusal!r}")
