"""Whether a planned delivery is still wanted: its milestone, review or channel may have changed since."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.checkins import review_count
from bot.core.review_counts import ReviewCount
from bot.outbox.holds import workspace_of
from bot.outbox.timing import channel_schedule
from bot.slack.conversations import is_person
from storage.channel_settings import get_channel_settings
from storage.checkins import get_checkin
from storage.milestones import milestone_by_id
from storage.models import CLOSED_STATUSES, ChannelSettings, Delivery, DeliveryKind, Milestone

# The private prompts of a weekly review: they go to a person about a check-in.
REVIEW_PROMPTS = (DeliveryKind.REVIEW_DM, DeliveryKind.CHASE)


@dataclass(frozen=True)
class Verdict:
    """Post it, or not and why (the reason is kept on the skipped row)."""

    wanted: bool
    reason: str = ""


WANTED = Verdict(wanted=True)


def still_wanted(
    *,
    delivery: Delivery,
    milestone: Milestone | None,
    settings: ChannelSettings | None,
    review: ReviewCount | None = None,
) -> Verdict:
    """Wanted unless its channel is paused, its reminder's milestone moved on, or the person a review prompt
    goes to has nothing left to answer (`review`: the check-in's count now; None once it is gone)."""
    if settings is not None and settings.paused:
        return Verdict(wanted=False, reason="channel paused")
    if delivery.kind == DeliveryKind.REMINDER:
        return _reminder_wanted(delivery, milestone=milestone)
    if delivery.kind in REVIEW_PROMPTS:
        return _prompt_wanted(delivery, settings=settings, review=review)
    return WANTED


def _reminder_wanted(delivery: Delivery, *, milestone: Milestone | None) -> Verdict:
    if milestone is None:
        return Verdict(wanted=False, reason="milestone deleted")
    if milestone.status in CLOSED_STATUSES:
        return Verdict(wanted=False, reason=f"milestone {milestone.status}")
    if milestone.due_date != delivery.due_date:
        return Verdict(wanted=False, reason="due date changed")
    if is_person(delivery.channel_id) and milestone.owner_id != delivery.channel_id:
        return Verdict(wanted=False, reason="owner changed")
    return WANTED


def _prompt_wanted(
    delivery: Delivery, *, settings: ChannelSettings | None, review: ReviewCount | None
) -> Verdict:
    if settings is not None and delivery.kind == DeliveryKind.REVIEW_DM and not settings.review_dm:
        return Verdict(wanted=False, reason="review DMs off")
    if settings is not None and delivery.kind == DeliveryKind.CHASE and not settings.chase:
        return Verdict(wanted=False, reason="chase off")
    if review is None:
        return Verdict(wanted=False, reason="check-in gone")
    person = delivery.channel_id
    if person in review.away:
        return Verdict(wanted=False, reason="owner away")
    if person not in review.waiting:
        return Verdict(wanted=False, reason="nothing left to answer")
    return WANTED


def still_wanted_now(*, engine: Engine, delivery: Delivery, now: datetime) -> Verdict:
    """Read the delivery's milestone or check-in and its channel's settings as they are at `now`; judge it."""
    workspace = workspace_of(delivery)
    with Session(engine) as session:
        milestone = (
            milestone_by_id(session=session, milestone_id=delivery.milestone_id)
            if delivery.milestone_id
            else None
        )
        checkin = (
            get_checkin(session=session, workspace=workspace, checkin_id=delivery.checkin_id)
            if delivery.checkin_id and delivery.kind in REVIEW_PROMPTS
            else None
        )
        # A DM's settings are those of the channel it is about.
        home = milestone.channel_id if milestone else checkin.channel_id if checkin else delivery.channel_id
        settings = get_channel_settings(session=session, workspace=workspace, channel_id=home)
        review = None
        if checkin is not None:
            today = channel_schedule(settings, default_timezone="UTC").local_date(now)
            review = review_count(session, checkin=checkin, today=today)
        return still_wanted(delivery=delivery, milestone=milestone, settings=settings, review=review)
