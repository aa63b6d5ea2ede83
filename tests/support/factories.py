"""Rows built in memory for tests: a milestone, a revision, a delivery, channel settings, and an asker."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from bot.core.access import Actor, Asker
from storage.models import ChannelSettings, Delivery, Milestone, Revision
from storage.workspace import Workspace

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
# A title a hostile or careless person might type: it must show as typed and ping no one.
HOSTILE = "<!channel> & <@U999> @here"
# When the milestone (and the channel's settings) were made.
CREATED = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)


def make_asker(
    *,
    workspace: Workspace | None = None,
    actor: Actor | None = None,
    now: datetime = NOW,
    timezone: str = "UTC",
) -> Asker:
    """U1 asking in workspace T1 at NOW, from UTC; override any of them."""
    workspace, actor = workspace or Workspace(team_id="T1"), actor or Actor(user_id="U1")
    return Asker(workspace=workspace, actor=actor, now=now, timezone=timezone)


def make_milestone(**overrides: Any) -> Milestone:
    """A milestone like `/milestone add Launch beta due Dec 15 owner @U1` made; override any field."""
    values: dict[str, Any] = {
        "id": 1,
        "team_id": "T1",
        "number": 12,
        "channel_id": "C1",
        "title": "Launch beta",
        "owner_id": "U1",
        "created_by": "U1",
        "created_at": CREATED,
        "updated_at": CREATED,
        "due_date": date(2026, 12, 15),
        "baseline_due_date": date(2026, 12, 15),
        "status": "on_track",
    }
    values.update(overrides)
    return Milestone(**values)


def make_revision(**overrides: Any) -> Revision:
    """A due-date change by U1, with a reason; override any field."""
    values: dict[str, Any] = {
        "milestone_id": 1,
        "field": "due",
        "old": "2026-12-15",
        "new": "2026-12-20",
        "by": "U1",
        "at": datetime(2026, 11, 25, 12, 0, tzinfo=UTC),
        "reason": "vendor late",
        "source": "command",
    }
    values.update(overrides)
    return Revision(**values)


def make_delivery(**overrides: Any) -> Delivery:
    """The 1-day reminder planned for milestone 1 due Dec 15 in C1, not yet sent; override any field."""
    values: dict[str, Any] = {
        "key": "reminder:1:2026-12-15:1d",
        "kind": "reminder",
        "team_id": "T1",
        "channel_id": "C1",
        "milestone_id": 1,
        "due_date": date(2026, 12, 15),
        "payload": "{}",
        "not_before": NOW,
        "created_at": NOW,
        "updated_at": NOW,
    }
    values.update(overrides)
    return Delivery(**values)


def make_settings(**overrides: Any) -> ChannelSettings:
    """Berlin time, reminders 7, 1 and 0 days before at 09:30, review Fridays at 16:00; override any field."""
    values: dict[str, Any] = {
        "team_id": "T1",
        "channel_id": "C1",
        "timezone": "Europe/Berlin",
        "reminder_days": "7,1,0",
        "reminder_time": "09:30",
        "review_weekday": 4,
        "review_time": "16:00",
        "created_at": CREATED,
        "updated_at": CREATED,
    }
    return ChannelSettings(**(values | overrides))
