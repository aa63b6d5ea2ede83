"""Departments, one spelling per workspace: `marketing` given where `Marketing` exists is `Marketing`."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.limits import LimitError, check_text
from storage.milestones import departments
from storage.workspace import Workspace

# The menu lists at most this many (Slack's limit on an options answer is 100).
MENU_LIMIT = 100


def department_key(name: str) -> str:
    """What makes two spellings one department: the case of any letter (Straße, STRASSE) and spaces."""
    return " ".join(name.split()).casefold()


class Spellings:
    """A workspace's department spellings by key; names given while adding become the spelling of theirs."""

    def __init__(self, names: list[str]) -> None:
        self._by_key: dict[str, str] = {}
        for name in names:  # most used first: it keeps the key
            self._by_key.setdefault(department_key(name), " ".join(name.split()))

    @classmethod
    def of(cls, session: Session, *, workspace: Workspace) -> Spellings:
        """The spellings the workspace's milestones use."""
        return cls(departments(session=session, workspace=workspace))

    def canonical(self, typed: str) -> str:
        """The workspace's spelling of the department `typed` names; a new one is kept as typed."""
        return self._by_key.setdefault(department_key(typed), " ".join(typed.split()))

    def names(self) -> list[str]:
        """Every department, alphabetically without regard to case."""
        return sorted(self._by_key.values(), key=str.lower)


def canonical_department(session: Session, *, workspace: Workspace, typed: str) -> str:
    """The workspace's spelling of a department, matched without regard to case or extra spaces."""
    return Spellings.of(session, workspace=workspace).canonical(typed)


def department_choices(*, engine: Engine, workspace: Workspace, typed: str) -> tuple[list[str], str | None]:
    """The menu: the workspace's departments containing what was typed, and the typed one if it is new."""
    with Session(engine) as session:
        spellings = Spellings.of(session, workspace=workspace)
    key = department_key(typed)
    found = [name for name in spellings.names() if key in department_key(name)]
    # Those starting with what was typed first: `mar` lists Marketing before Summary.
    found.sort(key=lambda name: not department_key(name).startswith(key))
    new = None
    if key and all(department_key(name) != key for name in found):
        try:
            new = check_text(typed, field="department")
        except LimitError:
            new = None  # too long or garbled: nothing new to offer
    # Room for the new one and "No department" beside those found.
    return found[: MENU_LIMIT - 2], new
