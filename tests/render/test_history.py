"""Revisions as sentences: each field of the vocabulary in words people read."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot.core.vocabulary import Field
from bot.render.history import field_label, revision_line
from tests.support.factories import make_revision


def test_every_field_has_words_in_the_history() -> None:
    assert {field: field_label(field) for field in Field} == {
        Field.TITLE: "title",
        Field.DUE: "due date",
        Field.START: "start",
        Field.OWNER: "owner",
        Field.BUDGET: "budget",
        Field.DEPARTMENT: "department",
        Field.STATUS: "status",
        Field.COMPLETED_ON: "completed on",
        Field.ACTUAL_COST: "actual cost",
        Field.RECURRENCE: "repeats",
        Field.AFTER: "comes after",
    }


def test_an_undone_done_says_so_in_the_history() -> None:
    undo = make_revision(field="status", old="done", new="at_risk", reason=None, source="undo")
    line = revision_line(undo, today=date(2026, 11, 30), tz=ZoneInfo("America/New_York"))
    assert line == "Nov 25 · <@U1> changed status ✅ Done → 🟡 At risk (undo)"
