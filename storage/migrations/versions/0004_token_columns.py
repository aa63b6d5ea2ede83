"""slack tokens in TEXT columns: an encrypted rotating token outgrows slack_sdk's VARCHAR(200)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# A rotating token (xoxe.xoxb-…) is ~150 characters; Fernet makes that ~300 (TOKEN_ENCRYPTION_KEY).
TOKEN_COLUMNS = {
    "slack_installations": ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token"),
    "slack_bots": ("bot_token", "bot_refresh_token"),
}


def _retype(*, old: sa.types.TypeEngine, new: sa.types.TypeEngine) -> None:
    # SQLite does not enforce VARCHAR lengths: only PostgreSQL needs the change.
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, columns in TOKEN_COLUMNS.items():
        for column in columns:
            op.alter_column(table, column, type_=new, existing_type=old, existing_nullable=True)


def upgrade() -> None:
    _retype(old=sa.String(length=200), new=sa.Text())


def downgrade() -> None:
    _retype(old=sa.Text(), new=sa.String(length=200))
