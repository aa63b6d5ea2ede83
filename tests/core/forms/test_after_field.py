"""The edit form's "Comes after" box read back: a number, `#3`, emptied, unchanged, or not a number."""

from __future__ import annotations

import pytest

from bot.core.forms.milestone import ModalInput, read_milestone_modal
from bot.core.forms.values import ModalErrors
from bot.core.vocabulary import Field
from bot.render.modals import milestone_modal
from tests.support.factories import NOW, TODAY, make_milestone
from tests.support.view_state import submitted

MILESTONE = make_milestone()


def read(*, shown: int | None, typed: str | None) -> ModalInput:
    view = milestone_modal(mode="update", channel_id="C1", milestone=MILESTONE, today=TODAY, after=shown)
    values = submitted(view, after=typed)
    return read_milestone_modal(values, now=NOW, mode="update", current=MILESTONE, current_after=shown)


@pytest.mark.parametrize("typed", ["3", "#3", " #03 "])
def test_a_number_is_taken_with_or_without_hash(typed: str) -> None:
    form = read(shown=None, typed=typed)
    assert (form.after, form.cleared) == (3, frozenset())


def test_emptied_clears_it_and_unchanged_changes_nothing() -> None:
    assert read(shown=3, typed=None).cleared == frozenset({Field.AFTER})
    unchanged = read(shown=3, typed="#3")
    assert (unchanged.after, unchanged.cleared) == (None, frozenset())
    assert read(shown=None, typed=None).cleared == frozenset()


@pytest.mark.parametrize("typed", ["soon", "3 4", "0", "-2"])
def test_anything_else_is_an_error_beside_the_box(typed: str) -> None:
    with pytest.raises(ModalErrors) as refused:
        read(shown=None, typed=typed)
    assert refused.value.errors == {
        "after": "Give the number of the milestone it comes after, like 3, or leave it empty."
    }
