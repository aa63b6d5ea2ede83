"""an index on delivery (state, lease_until): the claim finds lapsed claims without reading the outbox

A tick claims what is pending and due, or claimed with a lapsed lease. The second half had only the state
prefix of (state, not_before) to go on; with a sent history behind it, SQLite's planner read the whole table.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_delivery_state_lease", "delivery", ["state", "lease_until"])


def downgrade() -> None:
    op.drop_index("ix_delivery_state_lease", table_name="delivery")
