"""workspace counter: milestone numbers taken from one row per workspace

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workspace_counter",
        sa.Column("enterprise_id", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("enterprise_id", "team_id"),
    )
    # Each workspace counts on from its highest number so far, so no existing `#N` is handed out again.
    op.execute(
        "INSERT INTO workspace_counter (enterprise_id, team_id, last_number) "
        "SELECT enterprise_id, team_id, MAX(number) FROM milestone GROUP BY enterprise_id, team_id"
    )


def downgrade() -> None:
    op.drop_table("workspace_counter")
