"""SQLModel tables: milestones, their revisions, and per-channel settings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

STATUSES = ("open", "on_track", "at_risk", "blocked", "done", "cancelled")
CLOSED_STATUSES = ("done", "cancelled")


class Milestone(SQLModel, table=True):
    """One line of a business plan's milestone table, scoped to a workspace and a channel."""

    __table_args__ = (
        UniqueConstraint("enterprise_id", "team_id", "number", name="uq_milestone_workspace_number"),
        Index("ix_milestone_workspace_channel", "enterprise_id", "team_id", "channel_id"),
        # The scheduler asks "which open milestones fall due soon": status and due date.
        Index("ix_milestone_status_due", "status", "due_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: str = Field(default="", max_length=32)
    team_id: str = Field(max_length=32)
    number: int
    channel_id: str = Field(max_length=32)
    title: str = Field(max_length=150)
    owner_id: str | None = Field(default=None, max_length=32)
    department: str | None = Field(default=None, max_length=80)
    start_date: date | None = None
    due_date: date | None = None
    baseline_due_date: date | None = None
    budget_minor: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    budget_currency: str | None = Field(default=None, max_length=3)
    actual_cost_minor: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    actual_cost_currency: str | None = Field(default=None, max_length=3)
    status: str = Field(default="open", max_length=16)
    completed_on: date | None = None
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class Revision(SQLModel, table=True):
    """One change to one field of a milestone: old → new, who, when, why, and from where."""

    __table_args__ = (Index("ix_revision_milestone_at", "milestone_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    milestone_id: int = Field(foreign_key="milestone.id", ondelete="CASCADE")
    field: str = Field(max_length=32)
    old: str | None = Field(default=None, max_length=200)
    new: str | None = Field(default=None, max_length=200)
    by: str = Field(max_length=32)
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    reason: str | None = Field(default=None, max_length=500)
    source: str = Field(default="command", max_length=16)


class ChannelSettings(SQLModel, table=True):
    """How and when a channel hears from the bot."""

    __tablename__ = "channel_settings"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "team_id", "channel_id", name="uq_channel_settings_channel"),
    )

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: str = Field(default="", max_length=32)
    team_id: str = Field(max_length=32)
    channel_id: str = Field(max_length=32)
    timezone: str = Field(max_length=64)
    reminder_days: str = Field(default="7,1,0", max_length=64)
    reminder_time: str = Field(default="09:00", max_length=5)
    review_weekday: int = Field(default=0)  # Monday, as date.weekday()
    review_time: str = Field(default="09:00", max_length=5)
    paused: bool = Field(default=False)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
