"""Exporting a channel's milestones: a CSV for spreadsheets (and re-import) and an iCalendar feed."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar

from bot.core.exports import CSV_HEADER, milestones_csv, milestones_ics
from bot.core.imports import read_plan_csv
from bot.core.money import Money
from tests.support.factories import TODAY, make_milestone

BOM = b"\xef\xbb\xbf"


def plan() -> list:
    """A plan as the export takes it: (milestone, revision count)."""
    return [
        (
            make_milestone(
                start_date=date(2026, 11, 1),
                due_date=date(2026, 12, 20),
                baseline_due_date=date(2026, 12, 15),
                budget_minor=500000,
                budget_currency="USD",
                department="Marketing",
                updated_at=datetime(2026, 11, 25, 12, 0, tzinfo=UTC),
            ),
            3,
        ),
        (
            make_milestone(
                id=2,
                number=13,
                title="Hire a CTO",
                owner_id="U024BE7LH",
                due_date=date(2027, 1, 10),
                baseline_due_date=date(2027, 1, 10),
                budget_minor=300000,
                budget_currency="EUR",
                department="Ops",
                status="done",
                completed_on=date(2027, 1, 8),
                actual_cost_minor=320050,
                actual_cost_currency="EUR",
            ),
            0,
        ),
        (make_milestone(id=3, number=14, title="Someday", due_date=None, baseline_due_date=None), 0),
        (make_milestone(id=4, number=15, title="Dropped idea", status="cancelled"), 1),
    ]


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def events(data: bytes) -> dict[str, object]:
    """The VEVENTs of an exported calendar, parsed back by icalendar, by UID."""
    return {str(event["UID"]): event for event in Calendar.from_ical(data).walk("VEVENT")}


def test_csv_starts_with_a_bom_so_excel_reads_utf8():
    data = milestones_csv(plan())

    assert data.startswith(BOM)
    assert data.decode("utf-8-sig").splitlines()[0] == ",".join(CSV_HEADER)


def test_csv_holds_every_field_of_a_milestone():
    row = csv_rows(milestones_csv(plan()))[0]

    assert row == {
        "Number": "12",
        "Milestone": "Launch beta",
        "Start Date": "2026-11-01",
        "End Date": "2026-12-20",
        "Planned End Date": "2026-12-15",
        "Budget": "5000.00",
        "Budget Currency": "USD",
        "Actual Cost": "",
        "Actual Cost Currency": "",
        "Manager": "U1",
        "Department": "Marketing",
        "Status": "On track",
        "Completed On": "",
        "Revisions": "3",
        "Channel": "C1",
        "Created By": "U1",
        "Created At": "2026-11-03T10:00:00+00:00",
    }


def test_csv_writes_amounts_with_each_currencys_own_decimals():
    items = [
        (make_milestone(budget_minor=500000, budget_currency="JPY"), 0),
        (
            make_milestone(
                budget_minor=1234, budget_currency="KWD", actual_cost_minor=5, actual_cost_currency="USD"
            ),
            0,
        ),
    ]

    rows = csv_rows(milestones_csv(items))

    assert [(row["Budget"], row["Budget Currency"]) for row in rows] == [("500000", "JPY"), ("1.234", "KWD")]
    assert (rows[1]["Actual Cost"], rows[1]["Actual Cost Currency"]) == ("0.05", "USD")


@pytest.mark.parametrize("title", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"])
def test_csv_defuses_cells_a_spreadsheet_would_run_as_formulas(title: str):
    items = [(make_milestone(title=title, department="=cmd|' /C calc'!A0"), 0)]

    row = csv_rows(milestones_csv(items))[0]

    assert row["Milestone"] == f"'{title}"
    assert row["Department"] == "'=cmd|' /C calc'!A0"


def test_csv_export_reads_back_through_the_importer():
    items = [*plan(), (make_milestone(id=5, number=16, title="=1+1 plan", owner_id=None), 0)]

    preview = read_plan_csv(milestones_csv(items), today=TODAY)

    assert preview.ok, (preview.errors, preview.header_problems)
    exported = [milestone for milestone, _ in items]
    assert [row.fields.title for row in preview.rows] == [m.title for m in exported]
    assert [row.fields.due for row in preview.rows] == [m.due_date for m in exported]
    assert [row.fields.start for row in preview.rows] == [m.start_date for m in exported]
    assert [row.fields.department for row in preview.rows] == [m.department for m in exported]
    assert [row.fields.owner_id for row in preview.rows] == [m.owner_id for m in exported]
    assert [row.status for row in preview.rows] == [m.status for m in exported]
    assert [row.planned_due for row in preview.rows] == [m.baseline_due_date for m in exported]
    assert preview.rows[0].fields.budget == Money(500000, "USD")
    assert preview.rows[1].fields.budget == Money(300000, "EUR")
    assert preview.rows[1].actual_cost == Money(320050, "EUR")
    assert preview.rows[1].completed_on == date(2027, 1, 8)
    assert all(row.owner_name is None for row in preview.rows)


def test_ics_parses_back_with_one_all_day_event_per_dated_milestone():
    data = milestones_ics(plan(), workspace_key="T1", calendar_name="Launch plan")

    calendar = Calendar.from_ical(data)
    assert str(calendar["PRODID"]) == "-//Milestone Bot//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "Launch plan"
    found = events(data)
    assert sorted(found) == [
        "milestone-1@T1.milestone-bot",
        "milestone-2@T1.milestone-bot",
        "milestone-4@T1.milestone-bot",
    ]
    beta = found["milestone-1@T1.milestone-bot"]
    assert beta["DTSTART"].dt == date(2026, 12, 20)
    assert beta["DTEND"].dt == date(2026, 12, 21)
    assert beta["DTSTART"].params.get("VALUE") == "DATE"
    assert str(beta["SUMMARY"]) == "#12 Launch beta"
    assert str(beta["STATUS"]) == "CONFIRMED"


def test_ics_describes_owner_department_budget_status_and_plan():
    data = milestones_ics(plan(), workspace_key="T1", calendar_name="Plan")

    description = str(events(data)["milestone-1@T1.milestone-bot"]["DESCRIPTION"])

    for expected in ("Owner: U1", "Department: Marketing", "Budget: $5,000", "Status: On track",
                     "Planned due date: 2026-12-15"):  # fmt: skip
        assert expected in description


def test_ics_marks_done_milestones_and_cancels_cancelled_ones():
    found = events(milestones_ics(plan(), workspace_key="T1", calendar_name="Plan"))

    done = found["milestone-2@T1.milestone-bot"]
    assert str(done["SUMMARY"]) == "✅ #13 Hire a CTO"
    assert "Completed on: 2027-01-08" in str(done["DESCRIPTION"])
    assert str(found["milestone-4@T1.milestone-bot"]["STATUS"]) == "CANCELLED"


def test_ics_sequence_counts_revisions_and_stamp_comes_from_the_milestone():
    beta = events(milestones_ics(plan(), workspace_key="T1", calendar_name="Plan"))[
        "milestone-1@T1.milestone-bot"
    ]

    assert int(beta["SEQUENCE"]) == 3
    assert beta["DTSTAMP"].dt == datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_ics_exports_twice_alike_so_calendars_update_rather_than_duplicate():
    first = milestones_ics(plan(), workspace_key="T1", calendar_name="Plan")
    second = milestones_ics(plan(), workspace_key="T1", calendar_name="Plan")

    assert first == second
    assert sorted(events(first)) == sorted(events(second))


def test_ics_leaves_out_milestones_without_a_due_date():
    items = [(make_milestone(due_date=None, baseline_due_date=None), 0)]

    data = milestones_ics(items, workspace_key="T1", calendar_name="Plan")

    assert events(data) == {}
    assert str(Calendar.from_ical(data)["X-WR-CALNAME"]) == "Plan"
