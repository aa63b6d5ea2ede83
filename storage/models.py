"""SQLModel tables: milestones, their revisions, and per-channel settings."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

STATUSES = ("open", "on_track", "at_risk", "blocked", "done", "cancelled")
CLOSED_STATUSES = ("done", "cancelled")
# Listed rather than "not closed", so queries can range-scan the (status, due_date) index per status.
OPEN_STATUSES = tuple(status for status in STATUSES if status not in CLOSED_STATUSES)
# A new channel's reminder days, as channel settings store them (bot/core/limits reads the format).
DEFAULT_REMINDER_DAYS = "7,1,0"
# A new channel's working days, as channel settings store them (bot/core/limits reads the format).
DEFAULT_WORKDAYS = "mon,tue,wed,thu,fri"
# Where a channel's due-date reminders go: the channel, the owner's DM, or both.
REMINDERS_TO = ("channel", "owner", "both")


class Milestone(SQLModel, table=True):
    """One line of a business plan's milestone table, scoped to a workspace and a channel."""

    __table_args__ = (
        UniqueConstraint("enterprise_id", "team_id", "number", name="uq_milestone_workspace_number"),
        Index("ix_milestone_workspace_channel", "enterprise_id", "team_id", "channel_id"),
        # The scheduler asks "which open milestones fall due soon": status and due date.
        Index("ix_milestone_status_due", "status", "due_date"),
        # Departments are one spelling per workspace, matched without regard to case: `dept marketing`.
        Index("ix_milestone_workspace_department", "enterprise_id", "team_id", text("lower(department)")),
        # A recurring milestone is followed once: a second Done (or a race of two) cannot make a second next.
        UniqueConstraint("follows_id", name="uq_milestone_follows"),
        # "Which milestones come after this one": told when it slips.
        Index("ix_milestone_after", "after_id"),
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
    # When the due date was last set: reminders that fell due before it are not sent.
    due_changed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    # week, month or quarter (bot/core/recurrence.py): once done, the next one is created a period later.
    recurrence: str | None = Field(default=None, max_length=8)
    # The recurring milestone whose Done created this one.
    follows_id: int | None = Field(default=None, foreign_key="milestone.id", ondelete="SET NULL")
    # The milestone this one comes after (same workspace): it cannot be due before that one.
    after_id: int | None = Field(default=None, foreign_key="milestone.id", ondelete="SET NULL")


class WorkspaceCounter(SQLModel, table=True):
    """The highest `#N` handed out in a workspace, raised in the transaction that adds the milestones."""

    __tablename__ = "workspace_counter"

    enterprise_id: str = Field(default="", primary_key=True, max_length=32)
    team_id: str = Field(primary_key=True, max_length=32)
    last_number: int = Field(default=0)


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
    reminder_days: str = Field(default=DEFAULT_REMINDER_DAYS, max_length=64)
    reminder_time: str = Field(default="09:00", max_length=5)
    review_weekday: int = Field(default=0)  # Monday, as date.weekday()
    review_time: str = Field(default="09:00", max_length=5)
    paused: bool = Field(default=False)
    paused_reason: str | None = Field(default=None, max_length=200)
    workdays: str = Field(default=DEFAULT_WORKDAYS, max_length=32)
    holidays: str | None = Field(default=None, max_length=8)  # ISO country code, e.g. US; None: no holidays
    review_dm: bool = Field(default=True)  # owners get the weekly review by DM too
    chase: bool = Field(default=True)  # owners who have not answered get one DM the next working day
    reminders_to: str = Field(default="channel", max_length=8)  # one of REMINDERS_TO
    # The "overdue" nudge the working day after the due date, for milestones not done by then.
    overdue_nudge: bool = Field(default=True)
    # Overdue milestones escalated to a person after this many working days without a new date; None: off.
    escalate_days: int | None = None
    escalate_to: str | None = Field(default=None, max_length=32)  # their user id
    # The channel's date when its first milestone was added: its first review comes after that day.
    started_on: date | None = None
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class Away(SQLModel, table=True):
    """A person away up to and including `until`: not pinged, not waited on, not chased."""

    __tablename__ = "away"

    enterprise_id: str = Field(default="", primary_key=True, max_length=32)
    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    until: date
    set_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class DeliveryKind(StrEnum):
    """What a delivery carries: a milestone's reminder, a channel's weekly check-in, or a DM about it."""

    REMINDER = "reminder"
    CHECKIN = "checkin"
    REVIEW_DM = "review_dm"  # an owner's private prompt to answer the week's review
    CHASE = "chase"  # one reminder, the next working day, to an owner who has not answered


class DeliveryState(StrEnum):
    """Where a delivery stands: waiting, held by a claim, or finished one of three ways."""

    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


class Delivery(SQLModel, table=True):
    """The outbox: one message owed to a channel, posted at most once however many instances run."""

    __table_args__ = (
        UniqueConstraint("key", name="uq_delivery_key"),
        # Dispatch asks "what is pending and due, or claimed with an expired lease".
        Index("ix_delivery_state_not_before", "state", "not_before"),
        Index("ix_delivery_state_lease", "state", "lease_until"),  # claims whose lease lapsed
        Index("ix_delivery_channel", "enterprise_id", "team_id", "channel_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200)
    kind: str = Field(max_length=16)  # a DeliveryKind
    enterprise_id: str = Field(default="", max_length=32)
    team_id: str = Field(max_length=32)
    channel_id: str = Field(max_length=32)
    milestone_id: int | None = Field(default=None, foreign_key="milestone.id", ondelete="CASCADE")
    checkin_id: int | None = Field(default=None, foreign_key="checkin.id", ondelete="CASCADE")
    # A reminder's due date when planned: once the milestone is re-dated, the reminder is no longer wanted.
    due_date: date | None = None
    payload: str  # JSON {"text": …, "blocks": […]}
    not_before: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    state: str = Field(default=DeliveryState.PENDING, max_length=16)
    attempts: int = Field(default=0)
    lease_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    claimed_by: str | None = Field(default=None, max_length=64)
    message_ts: str | None = Field(default=None, max_length=32)
    last_error: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class CheckIn(SQLModel, table=True):
    """A channel's weekly review-and-revise message: one per channel and ISO week."""

    __tablename__ = "checkin"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "team_id", "channel_id", "week", name="uq_checkin_channel_week"),
    )

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: str = Field(default="", max_length=32)
    team_id: str = Field(max_length=32)
    channel_id: str = Field(max_length=32)
    week: str = Field(max_length=8)  # ISO week, e.g. 2026-W48
    milestone_ids: str = Field(default="[]")  # JSON list: the milestones the check-in asked about
    message_ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    posted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))


class CheckInAnswer(SQLModel, table=True):
    """Someone's button press on a check-in: what they said of one milestone."""

    __tablename__ = "checkin_answer"
    __table_args__ = (
        Index("ix_checkin_answer_checkin", "checkin_id"),
        Index("ix_checkin_answer_milestone", "milestone_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    checkin_id: int = Field(foreign_key="checkin.id", ondelete="CASCADE")
    milestone_id: int = Field(foreign_key="milestone.id", ondelete="CASCADE")
    user_id: str = Field(max_length=32)
    status: str = Field(max_length=16)  # on_track | at_risk | blocked | done | new_date
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    confidence: int | None = Field(default=None)  # 1 (unlikely) to 5 (certain); None when not given


class CheckInNote(SQLModel, table=True):
    """A thread reply to a check-in, kept on the milestones it names, its author's, or the check-in."""

    __tablename__ = "checkin_note"
    __table_args__ = (
        UniqueConstraint("checkin_id", "message_ts", "milestone_id", name="uq_checkin_note_message"),
        Index("ix_checkin_note_milestone", "milestone_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    checkin_id: int = Field(foreign_key="checkin.id", ondelete="CASCADE")
    milestone_id: int | None = Field(default=None, foreign_key="milestone.id", ondelete="CASCADE")
    user_id: str = Field(max_length=32)
    text: str = Field(max_length=4000)
    message_ts: str = Field(max_length=32)
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class ProcessedEvent(SQLModel, table=True):
    """Event ids already handled: Slack retries what it thinks failed, and a retry must change nothing."""

    __tablename__ = "processed_event"

    event_id: str = Field(primary_key=True, max_length=64)
    received_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
