"""Whether a planned delivery is still wanted at its turn: its milestone or channel may have changed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from bot.outbox.holds import workspace_of
from storage.channel_settings import get_channel_settings
from storage.milestones import milestone_by_id
from storage.models import CLOSED_STATUSES, ChannelSettings, Delivery, DeliveryKind, Milestone


@dataclass(frozen=True)
class Verdict:
    """Post it, or not and why (the reason is kept on the skipped row)."""

    wanted: bool
    reason: str = ""


WANTED = Verdict(wanted=True)


def still_wanted(
    *, delivery: Delivery, milestone: Milestone | None, settings: ChannelSettings | None
) -> Verdict:
    """A delivery stays wanted unless its channel is paused or its reminder's milestone moved on."""
    if settings is not None and settings.paused:
        return Verdict(wanted=False, reason="channel paused")
    if delivery.kind != DeliveryKind.REMINDER:
        return WANTED
    if milestone is None:
        return Verdict(wanted=False, reason="milestone deleted")
    if milestone.status in CLOSED_STATUSES:
        return Verdict(wanted=False, reason=f"milestone {milestone.status}")
    if milestone.due_date != delivery.due_date:
        return Verdict(wanted=False, reason="due date changed")
    return WANTED


def still_wanted_now(*, engine: Engine, delivery: Delivery) -> Verdict:
    """Read the delivery's milestone and channel settings as they are now, and judge it."""
    with Session(engine) as session:
        settings = get_channel_settings(
            session=session, workspace=workspace_of(delivery), channel_id=delivery.channel_id
        )
        milestone = (
            milestone_by_id(session=session, milestone_id=delivery.milestone_id)
            if delivery.milestone_id
            else None
        )
        return still_wanted(delivery=delivery, milestone=milestone, settings=settings)
