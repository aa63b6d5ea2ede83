"""Whether a planned delivery is still wanted: its milestone, review or channel may have changed since."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.checkins import review_count
from bot.core.escalation import is_escalation_key
from bot.core.review_counts import ReviewCount
from bot.outbox.timing import channel_schedule
from bot.slack.conversations import is_person
from storage.delivery_context import checkins_by_id, milestones_by_id, settings_of_channels
from storage.models import CLOSED_STATUSES, ChannelSettings, CheckIn, Delivery, DeliveryKind, Milestone
from storage.workspace import Channel

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
        return _reminder_wanted(delivery, milestone=milestone, settings=settings)
    if delivery.kind in REVIEW_PROMPTS:
        return _prompt_wanted(delivery, settings=settings, review=review)
    return WANTED


def _reminder_wanted(
    delivery: Delivery, *, milestone: Milestone | None, settings: ChannelSettings | None
) -> Verdict:
    if milestone is None:
        return Verdict(wanted=False, reason="milestone deleted")
    if milestone.status in CLOSED_STATUSES:
        return Verdict(wanted=False, reason=f"milestone {milestone.status}")
    if milestone.due_date != delivery.due_date:
        return Verdict(wanted=False, reason="due date changed")
    if is_escalation_key(delivery.key):
        return _escalation_wanted(delivery, settings=settings)
    if is_person(delivery.channel_id) and milestone.owner_id != delivery.channel_id:
        return Verdict(wanted=False, reason="owner changed")
    return WANTED


def _escalation_wanted(delivery: Delivery, *, settings: ChannelSettings | None) -> Verdict:
    """An escalation's DM goes to the person named in settings, not the owner: wanted while they still are.

    The channel's line names that person (`escalated to @maya`): wanted while it still tells the truth.
    """
    if settings is None or not settings.escalate_to:
        return Verdict(wanted=False, reason="escalation off")
    person = settings.escalate_to
    if is_person(delivery.channel_id):
        names_them = delivery.channel_id == person
    else:
        # The line's one mention is the person escalated to (titles are escaped): it must still be them.
        names_them = f"<@{person}>" in delivery.payload
    if not names_them:
        return Verdict(wanted=False, reason="escalation goes to someone else")
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
    return still_wanted_many(engine=engine, deliveries=[delivery], now=now)[0]


def still_wanted_many(*, engine: Engine, deliveries: Sequence[Delivery], now: datetime) -> list[Verdict]:
    """still_wanted_now for many deliveries, their milestones, check-ins and settings read once for all."""
    milestone_ids = {d.milestone_id for d in deliveries if d.milestone_id}
    checkin_ids = {d.checkin_id for d in deliveries if d.checkin_id and d.kind in REVIEW_PROMPTS}
    with Session(engine) as session:
        milestones = milestones_by_id(session=session, ids=milestone_ids)
        checkins = checkins_by_id(session=session, ids=checkin_ids)
        found = [
            (d, milestones.get(d.milestone_id) if d.milestone_id else None, _checkin_of(d, checkins=checkins))
            for d in deliveries
        ]
        homes = [_home(d, milestone=m, checkin=c) for d, m, c in found]
        settings = settings_of_channels(session=session, channels=set(homes))
        verdicts = []
        for (delivery, milestone, checkin), home in zip(found, homes, strict=True):
            review = None
            if checkin is not None:
                today = channel_schedule(settings.get(home), default_timezone="UTC").local_date(now)
                review = review_count(session, checkin=checkin, today=today)
            verdicts.append(
                still_wanted(
                    delivery=delivery, milestone=milestone, settings=settings.get(home), review=review
                )
            )
        return verdicts


def _checkin_of(delivery: Delivery, *, checkins: dict[int, CheckIn]) -> CheckIn | None:
    """The review prompt's check-in, if it is still there and of the delivery's own workspace."""
    if not delivery.checkin_id or delivery.kind not in REVIEW_PROMPTS:
        return None
    checkin = checkins.get(delivery.checkin_id)
    if checkin is None or (checkin.team_id, checkin.enterprise_id) != (
        delivery.team_id,
        delivery.enterprise_id,
    ):
        return None
    return checkin


def _home(delivery: Delivery, *, milestone: Milestone | None, checkin: CheckIn | None) -> Channel:
    """The channel whose settings rule the delivery: a DM's are those of the channel it is about."""
    home = milestone.channel_id if milestone else checkin.channel_id if checkin else delivery.channel_id
    return (delivery.enterprise_id, delivery.team_id, home)
