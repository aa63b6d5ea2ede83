"""Every query the app runs is a named function in storage, keyword-only, whose docstring names its index."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import SQLModel

import storage
import storage.models

# Engines and migrations, not queries of the app's rows.
_INFRASTRUCTURE = {"storage.db"}
# What the bot may take from SQLAlchemy: an engine, session or connection to hand to storage, errors to catch.
_BOT_MAY_IMPORT = {"Engine", "Session", "Connection", "IntegrityError", "make_url", "ArgumentError"}
# Session calls that run a query: the bot leaves them to storage.
_QUERY_CALLS = {"get", "exec", "execute", "query", "scalar", "scalars"}
_BOT = Path(__file__).resolve().parents[2] / "bot"


def _named_queries() -> list[tuple[str, Callable[..., object]]]:
    """Storage's public functions that take a session or an engine: the queries the app can run."""
    found = []
    for module_info in pkgutil.iter_modules(storage.__path__):
        module = importlib.import_module(f"storage.{module_info.name}")
        if module.__name__ in _INFRASTRUCTURE:
            continue
        for name, function in inspect.getmembers(module, inspect.isfunction):
            parameters = set(inspect.signature(function).parameters)
            own = function.__module__ == module.__name__ and not name.startswith("_")
            if own and {"session", "engine"} & parameters:
                found.append((f"{module.__name__}.{name}", function))
    return found


def _index_names() -> set[str]:
    names = set()
    for table in SQLModel.metadata.tables.values():
        names |= {index.name for index in table.indexes if index.name}
        names |= {constraint.name for constraint in table.constraints if isinstance(constraint.name, str)}
    return names


QUERIES = _named_queries()


def test_storage_has_named_queries_to_check() -> None:
    assert len(QUERIES) > 40


@pytest.mark.parametrize(("name", "query"), QUERIES, ids=[name for name, _ in QUERIES])
def test_a_named_query_is_keyword_only_and_names_its_index(name: str, query: Callable[..., object]) -> None:
    parameters = inspect.signature(query).parameters.values()
    assert all(p.kind in (p.KEYWORD_ONLY, p.VAR_KEYWORD) for p in parameters), f"{name}: keyword-only"
    found = re.search(r"^Index: (.+)", inspect.getdoc(query) or "", re.MULTILINE | re.DOTALL)
    assert found, f"{name}: its docstring says which index serves it (`Index: …`)"
    said = found.group(1)
    named = {word for word in re.findall(r"\b(?:ix|uq)_\w+", said)}
    assert named <= _index_names(), (
        f"{name} names an index the models don't declare: {named - _index_names()}"
    )
    # An index by name, the primary key, or `none` with the reason a scan is cheap (a small table).
    assert named or "primary key" in said or said.startswith("none"), f"{name}: {said!r}"


def _builds_a_query(node: ast.AST) -> list[str]:
    """What in this node builds or runs a query: SQLAlchemy's query builders imported, a session queried."""
    if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("sqlalchemy", "sqlmodel"):
        return [f"imports {alias.name}" for alias in node.names if alias.name not in _BOT_MAY_IMPORT]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        receiver, attribute = node.func.value, node.func.attr
        if attribute in _QUERY_CALLS and isinstance(receiver, ast.Name) and receiver.id == "session":
            return [f"calls session.{attribute}"]
    return []


def test_the_bot_builds_no_query_of_its_own() -> None:
    found = []
    for path in sorted(_BOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            where = f"{path.relative_to(_BOT.parent)}:{getattr(node, 'lineno', 0)}"
            found += [f"{where} {what}" for what in _builds_a_query(node)]
    assert found == []
