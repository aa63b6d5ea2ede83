"""one spelling per department in a workspace (matched without regard to case); the overdue nudge optional

Existing spellings of one department (`Marketing`, `marketing `, `MARKETING`) become the most used one in
their workspace (ties: the first given). An index on (workspace, lower(department)) serves the filters.
Existing channels keep the overdue nudge on, as before. Going down keeps the unified spellings.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_BATCH = 500  # ids in one UPDATE: well under SQLite's limit on bound parameters

_MILESTONE = sa.table(
    "milestone",
    sa.column("id", sa.Integer()),
    sa.column("enterprise_id", sa.String()),
    sa.column("team_id", sa.String()),
    sa.column("department", sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table("channel_settings") as batch_op:
        batch_op.add_column(
            sa.Column("overdue_nudge", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    # The default filled the existing rows; the model gives new rows theirs.
    with op.batch_alter_table("channel_settings") as batch_op:
        batch_op.alter_column("overdue_nudge", server_default=None)
    _unify_departments()
    op.create_index(
        "ix_milestone_workspace_department",
        "milestone",
        ["enterprise_id", "team_id", sa.text("lower(department)")],
    )


def downgrade() -> None:
    op.drop_index("ix_milestone_workspace_department", table_name="milestone")
    with op.batch_alter_table("channel_settings") as batch_op:
        batch_op.drop_column("overdue_nudge")


def department_key(name: str) -> str:
    """What makes two spellings one department: case and runs of spaces do not count."""
    return " ".join(name.split()).lower()


def _unify_departments() -> None:
    """Every milestone's department in its workspace's most used spelling (ties: the first given)."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_MILESTONE.c.id, _MILESTONE.c.enterprise_id, _MILESTONE.c.team_id, _MILESTONE.c.department)
        .where(_MILESTONE.c.department.is_not(None))
        .order_by(_MILESTONE.c.id)
    ).all()
    groups: dict[tuple[str, str, str], list[tuple[int, str]]] = {}
    for milestone_id, enterprise_id, team_id, department in rows:
        key = (enterprise_id, team_id, department_key(department))
        groups.setdefault(key, []).append((milestone_id, department))
    for members in groups.values():
        # Counted tidied, so `Marketing ` and `Marketing` are one spelling, as the bot counts them.
        counts = Counter(" ".join(department.split()) for _, department in members)
        # Counter keeps first-seen order (rows come in id order), so max() breaks a tie by the first given.
        chosen = max(counts, key=lambda spelling: counts[spelling]) or None  # only spaces: no department
        changed = [milestone_id for milestone_id, department in members if department != chosen]
        # One statement per department, not per milestone: a big workspace upgrades in a few round trips.
        for start in range(0, len(changed), _BATCH):
            batch = changed[start : start + _BATCH]
            connection.execute(
                _MILESTONE.update().where(_MILESTONE.c.id.in_(batch)).values(department=chosen)
            )
