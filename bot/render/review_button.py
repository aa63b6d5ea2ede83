"""The weekly review's one button, the same in the channel message, the owners' DMs and the chase."""

from __future__ import annotations

from slack_sdk.models.blocks import ButtonElement, PlainTextObject

from bot.core.forms.buttons import Action, review_value

REVIEW_MINE_LABEL = "Review my milestones"


def review_mine_button(*, checkin_id: int) -> ButtonElement:
    """**Review my milestones**: opens the presser's review form for this check-in."""
    return ButtonElement(
        text=PlainTextObject(text=REVIEW_MINE_LABEL),
        action_id=Action.REVIEW_MINE,
        value=review_value(checkin_id=checkin_id),
        style="primary",
    )
