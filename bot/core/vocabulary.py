"""One name per milestone field, as the history stores it (`Revision.field`) and every layer speaks it."""

from __future__ import annotations

from enum import StrEnum


class Field(StrEnum):
    """A field of a milestone a person may set; the value is what `Revision.field` holds."""

    TITLE = "title"
    DUE = "due"
    START = "start"
    OWNER = "owner"
    BUDGET = "budget"
    DEPARTMENT = "department"
    STATUS = "status"
    COMPLETED_ON = "completed_on"
    ACTUAL_COST = "actual_cost"
    RECURRENCE = "recurrence"  # week, month or quarter: done, the next one is created
    AFTER = "after"  # the number of the milestone this one comes after: it cannot be due before that one
