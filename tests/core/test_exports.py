"""Exporting a channel's milestones: a CSV for spreadsheets (and re-import) and an iCalendar feed."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.core.exports import (
    CSV_HEADER,
    ExportNames,
    counted,
    csv_header,
    export_file,
    milestones_csv,
    milestones_ics,
    people_named,
)
from bot.core.imports import read_plan_csv
from bot.core.money import Money
from storage.workspace import Workspace
from tests.support.factories import TODAY, make_milestone

BOM = b"\xef\xbb\xbf"
NEW_YORK = ZoneInfo("America/New_York")
NAMES = ExportNames(people={"U1": "Alice Smith", "U024BE7LH": "Bob Jones"}, channel="launch", zone=NEW_YORK)


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
    assert data.decode("utf-8-sig").splitlines()[0] == (
        "Number,Milestone,Start Date,End Date,Planned End Date,Budget,Budget Currency,Actual Cost,"
        "Actual Cost Currency,Manager,Department,Status,Completed On,Revisions,Channel,Created By,"
        "Created At (UTC),Repeats,After"
    )
    assert len(CSV_HEADER) == 19


def test_csv_names_people_and_the_channel_and_gives_times_in_the_channels_zone():
    row = csv_rows(milestones_csv(plan(), names=NAMES))[0]

    assert list(row) == csv_header(NEW_YORK)
    assert row["Manager"] == "<@U1|Alice Smith>"  # the name to read, the id the importer takes back
    assert row["Created By"] == "Alice Smith"
    assert row["Channel"] == "#launch"
    assert row["Created At (America/New_York)"] == "2026-11-03 05:00"  # 10:00 UTC, EST


def test_csv_creation_times_follow_daylight_saving_and_drop_seconds():
    items = [
        (make_milestone(created_at=datetime(2026, 10, 30, 14, 5, 59, 123456, tzinfo=UTC)), 0),
        (make_milestone(id=2, created_at=datetime(2026, 11, 2, 14, 5, tzinfo=UTC)), 0),
    ]

    rows = csv_rows(milestones_csv(items, names=NAMES))

    assert [row["Created At (America/New_York)"] for row in rows] == ["2026-10-30 10:05", "2026-11-02 09:05"]


def test_csv_keeps_ids_nobody_could_name():
    items = [(make_milestone(owner_id="U9", created_by="U8"), 0)]

    row = csv_rows(milestones_csv(items, names=NAMES))[0]

    assert (row["Manager"], row["Created By"]) == ("U9", "U8")


def test_csv_without_a_channel_name_gives_its_id():
    row = csv_rows(milestones_csv(plan(), names=ExportNames(people={"U1": "Alice"})))[0]

    assert (row["Channel"], row["Manager"], row["Created By"]) == ("C1", "<@U1|Alice>", "Alice")


def test_csv_keeps_a_mention_whole_whatever_the_name_holds():
    names = ExportNames(people={"U1": "Al <b>\n Smith|x"})

    row = csv_rows(milestones_csv([(make_milestone(), 0)], names=names))[0]

    assert row["Manager"] == "<@U1|Al b Smith|x>"
    preview = read_plan_csv(milestones_csv([(make_milestone(), 0)], names=names), today=TODAY)
    assert preview.rows[0].fields.owner_id == "U1"


def test_csv_defuses_a_name_a_spreadsheet_would_run():
    names = ExportNames(people={"U1": "=HYPERLINK(1)"})

    row = csv_rows(milestones_csv([(make_milestone(), 0)], names=names))[0]

    assert row["Created By"] == "'=HYPERLINK(1)"


def test_people_named_lists_owners_and_creators_once_each():
    items = [
        (make_milestone(owner_id="U2", created_by="U1"), 0),
        (make_milestone(id=2, owner_id=None, created_by="U2"), 0),
        (make_milestone(id=3, owner_id="U3", created_by="U1"), 0),
    ]

    assert people_named(items) == ["U2", "U1", "U3"]


@pytest.mark.parametrize("count, expected", [(0, "0 milestones"), (1, "1 milestone"), (3, "3 milestones")])
def test_counted_says_one_milestone_and_several_milestones(count: int, expected: str):
    assert counted(count, "milestone") == expected


def test_export_file_titles_the_file_with_the_channels_name_and_counts_right():
    workspace = Workspace(team_id="T1")

    one = export_file(plan()[:1], file_format="csv", workspace=workspace, names=NAMES)
    every = export_file(plan(), file_format="ics", workspace=workspace, names=NAMES)

    assert (one.filename, one.title, one.contents) == (
        "milestones.csv",
        "Milestones of #launch",
        "1 milestone",
    )
    assert every.filename == "milestones.ics"
    assert every.contents == "3 milestones with a due date (1 without one left out)"
    assert str(Calendar.from_ical(every.content)["X-WR-CALNAME"]) == "Milestones of #launch"
    assert export_file([], file_format="csv", workspace=workspace, names=ExportNames()).title == "Milestones"


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
        "Created At (UTC)": "2026-11-03 10:00",
        "Repeats": "",
        "After": "",
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


@pytest.mark.parametrize("names", [ExportNames(), NAMES], ids=["ids", "names"])
def test_csv_export_reads_back_through_the_importer(names: ExportNames):
    items = [*plan(), (make_milestone(id=5, number=16, title="=1+1 plan", owner_id=None), 0)]

    preview = read_plan_csv(milestones_csv(items, names=names), today=TODAY)

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


def test_ics_names_the_owner():
    found = events(milestones_ics(plan(), workspace_key="T1", calendar_name="Plan", names=NAMES))

    assert "Owner: Alice Smith" in str(found["milestone-1@T1.milestone-bot"]["DESCRIPTION"])
    assert "Owner: Bob Jones" in str(found["milestone-2@T1.milestone-bot"]["DESCRIPTION"])
    assert "U1" not in str(found["milestone-1@T1.milestone-bot"]["DESCRIPTION"])


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


def linked_plan() -> list:
    """#12 repeats every month; #13 comes after #12; #14 after #7, a milestone of another channel."""
    return [
        (make_milestone(id=1, number=12, title="Pay rent", recurrence="month"), 0),
        (make_milestone(id=2, number=13, title="Launch", due_date=date(2026, 12, 20), after_id=1), 0),
        (make_milestone(id=3, number=14, title="Press", due_date=date(2026, 12, 22), after_id=9), 0),
    ]


def test_csv_ends_with_how_often_each_repeats_and_the_number_it_comes_after():
    rows = csv_rows(milestones_csv(linked_plan()))

    assert [(row["Number"], row["Repeats"], row["After"]) for row in rows] == [
        ("12", "every month", ""),
        ("13", "", "12"),
        ("14", "", ""),  # outside the file, and nobody said its number
    ]
    assert list(rows[0])[-2:] == ["Repeats", "After"]


def test_csv_gives_the_number_of_one_outside_the_file_when_told_it():
    names = ExportNames(numbers={9: 7})

    rows = csv_rows(milestones_csv(linked_plan(), names=names))

    assert [row["After"] for row in rows] == ["", "12", "7"]


def test_csv_repeats_and_links_read_back_through_the_importer():
    items = linked_plan()[:2]

    preview = read_plan_csv(milestones_csv(items), today=TODAY)

    assert preview.ok, preview.errors
    assert [row.fields.recurrence for row in preview.rows] == ["month", None]
    assert [(row.number, row.after, row.after_row) for row in preview.rows] == [(12, None, None), (13, 12, 0)]


def test_ics_says_how_often_a_milestone_repeats():
    found = events(milestones_ics(linked_plan(), workspace_key="T1", calendar_name="Plan"))

    assert "Repeats: every month" in str(found["milestone-1@T1.milestone-bot"]["DESCRIPTION"])
    assert "Repeats" not in str(found["milestone-2@T1.milestone-bot"]["DESCRIPTION"])
