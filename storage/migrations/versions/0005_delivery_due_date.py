"""delivery.due_date: a reminder's due date as a column, so "still wanted" compares dates, not key text

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_DELIVERY = sa.table(
    "delivery",
    sa.column("id", sa.Integer()),
    sa.column("key", sa.String()),
    sa.column("kind", sa.String()),
    sa.column("due_date", sa.Date()),
)


def upgrade() -> None:
    with op.batch_alter_table("delivery") as batch_op:
        batch_op.add_column(sa.Column("due_date", sa.Date(), nullable=True))
    _backfill_reminder_due_dates()


def downgrade() -> None:
    with op.batch_alter_table("delivery") as batch_op:
        batch_op.drop_column("due_date")


def _backfill_reminder_due_dates() -> None:
    """Reminders planned before this column carry their due date only in their key."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_DELIVERY.c.id, _DELIVERY.c.key).where(_DELIVERY.c.kind == "reminder")
    )
    for delivery_id, key in rows.all():
        due = _due_date_in(key)
        if due is not None:
            connection.execute(_DELIVERY.update().where(_DELIVERY.c.id == delivery_id).values(due_date=due))


def _due_date_in(key: str) -> date | None:
    # The planner's format, part of the external contract: reminder:{milestone id}:{due date}:{offset}.
    parts = key.split(":")
    try:
        return date.fromisoformat(parts[2]) if len(parts) == 4 else None
    except ValueError:
        return None
