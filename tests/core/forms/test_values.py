"""What every form reader shares: one input's state, the private_metadata, and a due date given anew."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.forms.values import (
    GarbledMetadata,
    ModalErrors,
    entry,
    metadata_field,
    past_due_error,
    read_metadata,
)
from tests.support.factories import TODAY


@pytest.mark.parametrize(
    "values",
    [{}, {"title": None}, {"title": "x"}, {"title": {"title": None}}, {"title": {"other": {"value": "x"}}}],
)
def test_a_missing_or_odd_input_reads_as_empty(values):
    assert entry(values, "title") == {}


def test_an_input_reads_under_its_block_and_action_id():
    assert entry({"title": {"title": {"value": "Ship"}}}, "title") == {"value": "Ship"}


@pytest.mark.parametrize("metadata", ["", "not json", "[1, 2]", "null", "42"])
def test_metadata_that_is_no_json_object_is_garbled(metadata):
    with pytest.raises(GarbledMetadata):
        read_metadata(metadata)


def test_metadata_fields_are_checked_by_kind():
    data = read_metadata('{"channel_id": "C1", "number": true, "checkin_id": null}')

    assert metadata_field(data, "channel_id", str, required=True) == "C1"
    assert metadata_field(data, "checkin_id", int) is None
    with pytest.raises(GarbledMetadata):
        metadata_field(data, "number", int)  # a bool is no number here
    with pytest.raises(GarbledMetadata):
        metadata_field(data, "message_ts", str, required=True)


def test_modal_errors_name_every_field():
    errors = ModalErrors({"title": "Give the milestone a title.", "due": "Pick a date from the calendar."})

    assert errors.errors == {"title": "Give the milestone a title.", "due": "Pick a date from the calendar."}
    assert str(errors) == "title: Give the milestone a title.; due: Pick a date from the calendar."


def test_a_new_due_date_may_be_today_but_not_before():
    assert past_due_error(TODAY, today=TODAY) is None
    assert past_due_error(TODAY + timedelta(days=1), today=TODAY) is None
    assert (
        past_due_error(TODAY - timedelta(days=1), today=TODAY) == "That date has passed; pick today or later."
    )
