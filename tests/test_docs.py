"""The docs name only what exists: every path, module and function written in backticks is in the tree."""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = ("README.md", "ARCHITECTURE.md")

_CODE_SPAN = re.compile(r"`([^`\n]+)`")
# A path (`bot/outbox/planner.py`, `tests/faults/`) or a definition in one (`bot/core/clock.py:wall_clock`).
_PATH = re.compile(r"^((?:bot|storage|tests|bench)/[\w/.-]*?)(?::([\w.]+))?$")
# `python -m bot.slack.installations`, `bot.core`: dotted names are modules.
_MODULE = re.compile(r"(?<![\w.])((?:bot|storage)(?:\.\w+)+)")


# A bare name that reads as code (`claim_due`, `RequestContext`, `Revision.field`, `channel_today(channel)`).
_NAME = re.compile(r"^([A-Za-z_]\w*(?:\.\w+)*)(?:\(.*\))?$")
_CODE_LOOKING = re.compile(r"_|[A-Z][a-z]")


def _spans(doc: str) -> list[str]:
    text = (REPO / doc).read_text(encoding="utf-8")
    return [span.strip() for span in _CODE_SPAN.findall(text)]


def _paths(doc: str) -> list[tuple[str, str | None]]:
    return [(match[1], match[2]) for span in _spans(doc) if (match := _PATH.match(span))]


def _modules(doc: str) -> list[str]:
    return [name for span in _spans(doc) for name in _MODULE.findall(span)]


def _names_in_code(doc: str) -> list[str]:
    found = [match[1] for span in _spans(doc) if (match := _NAME.match(span))]
    return [name for name in found if _CODE_LOOKING.search(name)]


def _everything_defined() -> set[str]:
    """Every name defined anywhere in `bot/` and `storage/`, at any depth (methods, fields, members)."""
    names: set[str] = set()
    for path in [*REPO.glob("bot/**/*.py"), *REPO.glob("storage/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.stmt):
                names |= _names(node)
    return names


def _defined(path: Path, dotted: str) -> bool:
    """True when the file defines `dotted` (a function, class or assignment; `Class.method` for a method)."""
    scope: list[ast.stmt] = ast.parse(path.read_text(encoding="utf-8")).body
    for name in dotted.split("."):
        found = [node for node in scope if name in _names(node)]
        if not found:
            return False
        scope = getattr(found[0], "body", [])
    return True


def _names(node: ast.stmt) -> set[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {node.name}
    if isinstance(node, ast.Assign):
        return {target.id for target in node.targets if isinstance(target, ast.Name)}
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return {node.target.id}
    return set()


@pytest.mark.parametrize("doc", DOCS)
def test_every_path_the_docs_name_exists(doc: str) -> None:
    missing = [path for path, _ in _paths(doc) if not (REPO / path).exists()]
    assert not missing, f"{doc} names paths that are not in the tree: {missing}"


@pytest.mark.parametrize("doc", DOCS)
def test_every_function_the_docs_name_is_defined_where_they_say(doc: str) -> None:
    named = [(path, name) for path, name in _paths(doc) if name and (REPO / path).is_file()]
    missing = [f"{path}:{name}" for path, name in named if not _defined(REPO / path, name)]
    assert not missing, f"{doc} names definitions that are not there: {missing}"


@pytest.mark.parametrize("doc", DOCS)
def test_every_module_the_docs_name_can_be_imported(doc: str) -> None:
    missing = [name for name in _modules(doc) if importlib.util.find_spec(name) is None]
    assert not missing, f"{doc} names modules that do not exist: {missing}"


def test_every_name_the_architecture_gives_is_defined_in_the_code() -> None:
    defined = _everything_defined()
    missing = [
        name
        for name in _names_in_code("ARCHITECTURE.md")
        if not all(part in defined for part in name.split("."))
        and importlib.util.find_spec(name.split(".")[0]) is None
    ]
    assert not missing, f"ARCHITECTURE.md names what the code no longer defines: {missing}"


def test_the_docs_name_paths_at_all() -> None:
    # Guards the guard: a pattern that matched nothing would pass every test above.
    assert len(_paths("ARCHITECTURE.md")) > 40
    assert any(name for _, name in _paths("ARCHITECTURE.md"))
    assert "bot.slack.installations" in _modules("README.md")
    assert {"mark_sent", "RequestContext", "Revision.field"} <= set(_names_in_code("ARCHITECTURE.md"))
