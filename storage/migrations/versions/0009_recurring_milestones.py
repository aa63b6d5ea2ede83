"""recurring milestones: what a milestone repeats by, and the one whose Done created it

`recurrence` is week, month or quarter (none for existing milestones). `follows_id` links a milestone created
by a Done to the one done; it is unique, so a second Done, or two at once, cannot create a second next one.
Deleting the one done leaves the next one standing. Going down drops both.

SQLite alters a table by copying it, and the copy can't carry the expression index on lower(department)
(SQLAlchemy does not reflect it): it is made again after each change where it went missing.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.table_copies import copying, keep_department_index

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with copying(), op.batch_alter_table("milestone") as batch_op:
        batch_op.add_column(sa.Column("recurrence", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("follows_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_milestone_follows_id_milestone", "milestone", ["follows_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_unique_constraint("uq_milestone_follows", ["follows_id"])
    keep_department_index()


def downgrade() -> None:
    with copying(), op.batch_alter_table("milestone") as batch_op:
        batch_op.drop_constraint("uq_milestone_follows", type_="unique")
        batch_op.drop_constraint("fk_milestone_follows_id_milestone", type_="foreignkey")
        batch_op.drop_column("follows_id")
        batch_op.drop_column("recurrence")
    keep_department_index()
