"""The message a milestone was made from: its permalink, kept in the milestone's history."""

from __future__ import annotations

from bot.core.access import Asker
from bot.core.limits import REASON_CHARS
from bot.core.vocabulary import Field
from storage.models import Milestone, Revision

# How the history tells a milestone made from a message from one typed or added in a form.
SOURCE = "shortcut"
# The history reads "set title to Launch beta — because it came up in https://…".
_REASON = "it came up in {link}"


def source_reason(link: str) -> str | None:
    """The history's reason that keeps `link`; None when the link would not fit whole (a cut link is none)."""
    reason = _REASON.format(link=link)
    return reason if len(reason) <= REASON_CHARS else None


def source_revision(*, asker: Asker, milestone: Milestone, link: str) -> Revision | None:
    """The milestone's first history line: its title, set from the message at `link` (None: too long to keep).

    Added in the milestone's own transaction: a milestone made from a message never lacks its link.
    """
    reason = source_reason(link)
    if reason is None:
        return None
    return Revision(
        milestone_id=milestone.id or 0,
        field=Field.TITLE,
        old=None,
        new=milestone.title,
        by=asker.actor.user_id,
        at=asker.now,
        reason=reason,
        source=SOURCE,
    )
