"""One name per milestone field: what the history stores and every layer speaks."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.core.command_types import MilestoneFields
from bot.core.money import Money
from bot.core.revisions import apply_changes
from bot.core.vocabulary import Field
from tests.support.factories import make_milestone

AT = datetime(2026, 11, 25, 10, tzinfo=UTC)


def test_field_names_are_what_the_history_has_always_stored() -> None:
    assert [field.value for field in Field] == [
        "title", "due", "start", "owner", "budget", "department", "status", "completed_on", "actual_cost",
        "recurrence", "after",
    ]  # fmt: skip


def test_every_field_is_revised_under_its_name() -> None:
    milestone = make_milestone(owner_id=None, department=None, budget_minor=None, budget_currency=None)
    changes = {
        Field.TITLE: "Renamed",
        Field.DUE: date(2027, 1, 20),
        Field.START: date(2026, 12, 1),
        Field.OWNER: "U2",
        Field.BUDGET: Money(100, "USD"),
        Field.DEPARTMENT: "Ops",
        Field.STATUS: "at_risk",
        Field.COMPLETED_ON: date(2026, 11, 24),
        Field.ACTUAL_COST: Money(90, "USD"),
        Field.RECURRENCE: "month",
    }

    revisions = apply_changes(milestone, changes, by="U1", at=AT, reason=None, source="command")

    assert [revision.field for revision in revisions] == [field.value for field in changes]
    assert type(revisions[0].field) is str


def test_milestone_fields_speak_the_vocabulary() -> None:
    fields = MilestoneFields.of({Field.TITLE: "Launch", Field.OWNER: "U1"})

    assert fields == MilestoneFields(title="Launch", owner_id="U1")
    assert fields.by_field() == {
        Field.TITLE: "Launch",
        Field.DUE: None,
        Field.START: None,
        Field.OWNER: "U1",
        Field.BUDGET: None,
        Field.DEPARTMENT: None,
        Field.RECURRENCE: None,
    }
