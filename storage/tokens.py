"""Tokens at rest in slack_sdk's installation tables, rewritten in place (re-encrypted under a new key)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import Engine, Table, select, update


def rewrite_secrets(
    *, engine: Engine, table: Table, columns: Sequence[str], rewrite: Callable[[str], str]
) -> int:
    """Rewrite every non-empty value of `columns` in `table`, in one transaction; how many rows changed.

    The table is slack_sdk's (installations or bots), passed in: storage never imports Slack's packages.
    Index: none; it reads the whole table, one row per installation, once per key rotation.
    """
    names = [name for name in columns if name in table.c]
    changed = 0
    with engine.begin() as connection:
        rows = connection.execute(select(table.c.id, *(table.c[name] for name in names))).mappings().all()
        for row in rows:
            values = {name: rewrite(row[name]) for name in names if row[name]}
            if values:
                connection.execute(update(table).where(table.c.id == row["id"]).values(**values))
                changed += 1
    return changed
