"""channel working days, holidays, review DMs, chases, where reminders go, the day a channel started; away

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _settings_columns() -> list[sa.Column]:
    return [
        sa.Column("workdays", sa.String(length=32), nullable=False, server_default="mon,tue,wed,thu,fri"),
        sa.Column("holidays", sa.String(length=8), nullable=True),
        sa.Column("review_dm", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("chase", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("reminders_to", sa.String(length=8), nullable=False, server_default="channel"),
        # Left empty for channels that exist already: their reviews have been running.
        sa.Column("started_on", sa.Date(), nullable=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table("channel_settings") as batch_op:
        for column in _settings_columns():
            batch_op.add_column(column)
    # The defaults filled the existing rows; the models give new rows theirs.
    with op.batch_alter_table("channel_settings") as batch_op:
        for column in _settings_columns():
            if column.server_default is not None:
                batch_op.alter_column(column.name, server_default=None)
    op.create_table(
        "away",
        sa.Column("enterprise_id", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("set_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("enterprise_id", "team_id", "user_id"),
    )


def downgrade() -> None:
    op.drop_table("away")
    with op.batch_alter_table("channel_settings") as batch_op:
        for column in reversed(_settings_columns()):
            batch_op.drop_column(column.name)
