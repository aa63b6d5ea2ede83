"""The weekly review's private prompts: one DM per owner with open milestones in it who is not away."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.core.checkins import CheckInView
from bot.render.review_prompts import review_prompt_message
from storage import deliveries
from storage.models import CheckIn, DeliveryKind
from storage.workspace import Workspace


def review_dm_key(checkin_id: int, user_id: str) -> str:
    """One review prompt per check-in and owner."""
    return f"review_dm:{checkin_id}:{user_id}"


def plan_review_dms(session: Session, *, checkin: CheckIn, view: CheckInView, now: datetime) -> list[str]:
    """Plan the check-in's DM to each owner it waits on (the away are not asked); the keys this call added.

    `view` is the check-in as its channel message shows it: its count and milestones, read once for both.
    """
    count, today = view.count, view.today
    by_number = {item.milestone.number: item.milestone for item in view.items}
    workspace = Workspace(team_id=checkin.team_id, enterprise_id=checkin.enterprise_id)
    checkin_id = checkin.id or 0
    planned = []
    for user_id, numbers in count.owners.items():
        message = review_prompt_message(
            checkin_id=checkin_id,
            channel_id=checkin.channel_id,
            milestones=[by_number[n] for n in numbers if n in by_number],
            today=today,
            zone=view.zone,
            confidence_drops=view.confidence_drops,
        )
        key = review_dm_key(checkin_id, user_id)
        if deliveries.plan_delivery(
            session=session,
            key=key,
            kind=DeliveryKind.REVIEW_DM,
            workspace=workspace,
            channel_id=user_id,  # a person: the post goes to their DM with the bot
            payload={"text": message.text, "blocks": message.blocks},
            not_before=now,
            now=now,
            checkin_id=checkin_id,
        ):
            planned.append(key)
    return planned
