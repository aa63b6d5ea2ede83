"""delivery outbox, check-ins, answers, notes, processed events

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checkin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column("milestone_ids", sa.String(), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("posted_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("enterprise_id", "team_id", "channel_id", "week", name="uq_checkin_channel_week"),
    )
    op.create_table(
        "processed_event",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_table(
        "checkin_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checkin_id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["checkin_id"], ["checkin.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["milestone_id"], ["milestone.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("checkin_answer", schema=None) as batch_op:
        batch_op.create_index("ix_checkin_answer_checkin", ["checkin_id"], unique=False)

    op.create_table(
        "checkin_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checkin_id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("text", sa.String(length=4000), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["checkin_id"], ["checkin.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["milestone_id"], ["milestone.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("checkin_id", "message_ts", "milestone_id", name="uq_checkin_note_message"),
    )
    with op.batch_alter_table("checkin_note", schema=None) as batch_op:
        batch_op.create_index("ix_checkin_note_milestone", ["milestone_id"], unique=False)

    op.create_table(
        "delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("enterprise_id", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=True),
        sa.Column("checkin_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.String(), nullable=False),
        sa.Column("not_before", UTCDateTime(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_until", UTCDateTime(), nullable=True),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["checkin_id"], ["checkin.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["milestone_id"], ["milestone.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key", name="uq_delivery_key"),
    )
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.create_index("ix_delivery_channel", ["enterprise_id", "team_id", "channel_id"], unique=False)
        batch_op.create_index("ix_delivery_state_not_before", ["state", "not_before"], unique=False)

    with op.batch_alter_table("channel_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paused_reason", sa.String(length=200), nullable=True))

    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_changed_at", UTCDateTime(), nullable=True))
    # Existing due dates count as set at the last change, so no stale reminder goes out after the upgrade.
    op.execute("UPDATE milestone SET due_changed_at = updated_at WHERE due_date IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.drop_column("due_changed_at")

    with op.batch_alter_table("channel_settings", schema=None) as batch_op:
        batch_op.drop_column("paused_reason")

    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_index("ix_delivery_state_not_before")
        batch_op.drop_index("ix_delivery_channel")

    op.drop_table("delivery")
    with op.batch_alter_table("checkin_note", schema=None) as batch_op:
        batch_op.drop_index("ix_checkin_note_milestone")

    op.drop_table("checkin_note")
    with op.batch_alter_table("checkin_answer", schema=None) as batch_op:
        batch_op.drop_index("ix_checkin_answer_checkin")

    op.drop_table("checkin_answer")
    op.drop_table("processed_event")
    op.drop_table("checkin")
