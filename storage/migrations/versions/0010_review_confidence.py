"""review confidence: an owner's answer on a milestone may say how sure they are, from 1 to 5

`checkin_answer.confidence` is nullable: answers given before, and answers without one, have none.
`ix_checkin_answer_milestone` finds a milestone's answers across reviews (its trend). Going down drops both.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.table_copies import copying

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("checkin_answer") as batch_op:
        batch_op.add_column(sa.Column("confidence", sa.Integer(), nullable=True))
        batch_op.create_index("ix_checkin_answer_milestone", ["milestone_id"])


def downgrade() -> None:
    with copying(), op.batch_alter_table("checkin_answer") as batch_op:
        batch_op.drop_index("ix_checkin_answer_milestone")
        batch_op.drop_column("confidence")
