"""Lists of values as one parameter on PostgreSQL: a statement then reads the same for any number of them,
so it is compiled, parsed and prepared once rather than once per length."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, any_, bindparam
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import TypeEngine


def array_of(name: str, values: Collection[Any], *, element_type: TypeEngine[Any]) -> BindParameter[Any]:
    """`values` as one PostgreSQL array parameter."""
    return bindparam(name, list(values), type_=postgresql.ARRAY(element_type))


def one_of(
    column: ColumnElement[Any], values: Collection[Any], *, dialect: str, element_type: TypeEngine[Any]
) -> ColumnElement[bool]:
    """`column IN values`: on PostgreSQL `column = ANY(array)`, elsewhere an IN list."""
    if dialect == "postgresql":
        return column == any_(array_of(f"{column.key}_values", values, element_type=element_type))
    return column.in_(list(values))
