"""escalation: a channel's overdue milestones go to a person after so many working days without a new date

Two nullable columns on channel_settings: `escalate_days` (1 to 30 working days) and `escalate_to` (the
person's user id). Existing channels have escalation off (both empty). Going down drops both.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.table_copies import copying

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with copying(), op.batch_alter_table("channel_settings") as batch_op:
        batch_op.add_column(sa.Column("escalate_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("escalate_to", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with copying(), op.batch_alter_table("channel_settings") as batch_op:
        batch_op.drop_column("escalate_to")
        batch_op.drop_column("escalate_days")
