"""dependencies: the milestone one comes after

`after_id` points at a milestone of the same workspace that this one comes after (it cannot be due before
it); deleting that one clears the link. `ix_milestone_after` finds the ones that come after a milestone,
told when it slips. Going down drops both.

SQLite alters a table by copying it, and the copy can't carry the expression index on lower(department)
(SQLAlchemy does not reflect it): it is made again after each change, as 0009 does.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.table_copies import copying, keep_department_index

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with copying(), op.batch_alter_table("milestone") as batch_op:
        batch_op.add_column(sa.Column("after_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_milestone_after_id_milestone", "milestone", ["after_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_index("ix_milestone_after", ["after_id"])
    keep_department_index()


def downgrade() -> None:
    with copying(), op.batch_alter_table("milestone") as batch_op:
        batch_op.drop_index("ix_milestone_after")
        batch_op.drop_constraint("fk_milestone_after_id_milestone", type_="foreignkey")
        batch_op.drop_column("after_id")
    keep_department_index()
