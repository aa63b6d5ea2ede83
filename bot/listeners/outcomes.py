"""The answers for the ways a request on one milestone can be turned down."""

from __future__ import annotations

from bot.core import access, milestones
from bot.render import milestones as render
from bot.render.errors import error_message
from bot.render.message import Message

Failure = access.MilestoneNotFound | access.NotAllowed | milestones.NothingChanged


def explain_failure(failure: Failure) -> Message:
    """One short message saying why nothing was changed."""
    match failure:
        case access.MilestoneNotFound(number=number):
            return render.not_found_message(number)
        case access.NotAllowed(milestone=milestone, action=action):
            return render.refused_message(action=action, m=milestone)
        case milestones.NothingChanged(milestone=milestone):
            return error_message(
                f"Nothing to change: *#{milestone.number}* already looks like that.",
                example=f"/milestone update {milestone.number} due next friday because vendor is late",
            )
    raise AssertionError(f"unexpected failure {failure!r}")
