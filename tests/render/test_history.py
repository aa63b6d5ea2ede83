"""Revisions as sentences: each field of the vocabulary in words people read."""

from __future__ import annotations

from bot.core.vocabulary import Field
from bot.render.history import field_label


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
    }
