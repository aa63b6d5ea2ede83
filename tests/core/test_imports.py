"""Reading a business plan's milestone table from CSV: loose headers, Excel's quirks, problems by line."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.imports import MAX_ROWS, ImportPreview, read_plan_csv
from bot.core.money import Money
from tests.support.factories import TODAY

HEADER = "Milestone,Start Date,End Date,Budget,Manager,Department\n"
SYNONYM_VALUES = {"title": "Launch", "start": "2026-11-01", "due": "2026-12-15", "budget": "$5",
                  "owner_id": "U1", "department": "Ops"}  # fmt: skip


def read(text: str, **options) -> ImportPreview:
    return read_plan_csv(text.encode("utf-8"), today=TODAY, **options)


def messages(preview: ImportPreview) -> list[tuple[int, str]]:
    return [(error.line, error.message) for error in preview.errors]


def test_reads_a_plan_table_with_every_column():
    preview = read(HEADER + 'Launch beta,2026-11-01,2026-12-15,"$5,000",U024BE7LH,Marketing\n')

    assert preview.ok
    (row,) = preview.rows
    assert row.line == 2
    assert row.fields.title == "Launch beta"
    assert row.fields.start == date(2026, 11, 1)
    assert row.fields.due == date(2026, 12, 15)
    assert row.fields.budget == Money(500000, "USD")
    assert row.fields.owner_id == "U024BE7LH"
    assert row.fields.department == "Marketing"
    assert (row.owner_name, row.status, row.completed_on, row.actual_cost) == (None, None, None, None)


def test_matches_headers_loosely_with_semicolons_and_a_bom():
    text = '"Milestone ";start date;END-DATE;budget ($);Manager;Dept.\nLaunch beta;Nov 1;Dec 15;5000;U1;Ops\n'

    preview = read_plan_csv(b"\xef\xbb\xbf" + text.encode("utf-8"), today=TODAY)

    assert preview.ok, preview
    fields = preview.rows[0].fields
    assert (fields.title, fields.start, fields.due) == ("Launch beta", date(2026, 11, 1), date(2026, 12, 15))
    assert (fields.budget, fields.owner_id, fields.department) == (Money(500000, "USD"), "U1", "Ops")


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Title", "title"),
        ("Name", "title"),
        ("TASK", "title"),
        ("Begin", "start"),
        ("Due", "due"),
        ("Due Date", "due"),
        ("Deadline", "due"),
        ("Finish", "due"),
        ("Cost Planned", "budget"),
        ("Owner", "owner_id"),
        ("Responsible", "owner_id"),
        ("Team", "department"),
    ],
)
def test_reads_synonyms_of_the_plan_columns(header: str, field: str):
    cell = SYNONYM_VALUES[field]
    text = f"{header}\n{cell}\n" if field == "title" else f"Milestone,{header}\nLaunch,{cell}\n"

    preview = read(text)

    assert preview.ok, preview
    assert getattr(preview.rows[0].fields, field) is not None


def test_planned_end_date_is_the_due_date_only_without_an_end_date():
    alone = read("Milestone,Planned End Date\nLaunch,2026-12-15\n").rows[0]
    both = read("Milestone,Planned End Date,End Date\nLaunch,2026-12-15,2026-12-20\n").rows[0]

    assert (alone.fields.due, alone.planned_due) == (date(2026, 12, 15), None)
    assert (both.fields.due, both.planned_due) == (date(2026, 12, 20), date(2026, 12, 15))


def test_ignores_extra_columns():
    preview = read("Number,Milestone,Revisions,Channel,Notes\n7,Launch,3,#general,whatever\n")

    assert preview.ok
    assert preview.rows[0].fields.title == "Launch"


def test_reads_excel_quoting_and_skips_blank_lines_keeping_line_numbers():
    text = HEADER + '\n"Hire a ""rockstar"", CTO",,2026-12-15,,,\n\n"Two\nlines",,,,,\nBad,,2026-02-30,,,\n'

    preview = read(text)

    assert [(row.line, row.fields.title) for row in preview.rows] == [
        (3, 'Hire a "rockstar", CTO'),
        (5, "Two lines"),
    ]
    assert messages(preview) == [(7, "End Date: `2026-02-30` isn't a real date.")]


def test_reports_each_bad_row_with_its_line_and_column():
    text = HEADER + (
        "Good,2026-11-01,2026-12-15,$5,,\n"
        "Impossible date,,2026-02-30,,,\n"
        "Bad amount,,,lots,,\n"
        ",2026-11-01,2026-12-15,,,\n"
        "Backwards,2026-12-20,2026-12-15,,,\n"
    )

    preview = read(text)

    assert [row.fields.title for row in preview.rows] == ["Good"]
    assert messages(preview) == [
        (3, "End Date: `2026-02-30` isn't a real date."),
        (4, "Budget: I can't read `lots` as an amount; try `$5,000`, `5000 EUR` or `€3k`."),
        (5, "Milestone is empty; every milestone needs a name."),
        (6, "Start Date: The start (Dec 20) is after the due date (Dec 15)."),
    ]
    assert not preview.ok


def test_reports_every_problem_of_one_row():
    preview = read(HEADER + "x" * 151 + ",someday,2026-13-01,€5.001,,\n")

    assert [line for line, _ in messages(preview)] == [2, 2, 2, 2]
    assert [message.split(":")[0] for _, message in messages(preview)] == [
        "Milestone",
        "Start Date",
        "End Date",
        "Budget",
    ]


def test_messages_never_carry_raw_angle_brackets():
    preview = read(HEADER + "<!channel>,<@U1>,<b>,<script>,,\n")

    assert preview.errors
    for error in preview.errors:
        assert "<" not in error.message and ">" not in error.message


def test_a_file_without_a_title_column_is_a_header_problem():
    preview = read("Start Date,End Date\n2026-11-01,2026-12-15\n")

    assert preview.rows == [] and preview.errors == []
    (problem,) = preview.header_problems
    assert all(name in problem for name in ("Milestone", "Title", "Name", "Task"))
    assert "`Start Date`" in problem


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "empty"),
        (b"\n\n", "empty"),
        (HEADER.encode(), "no milestones"),
        (b"Milestone\n" + b"x\n" * (MAX_ROWS + 1), f"more than {MAX_ROWS}"),
        (b"Milestone\n" + b"x" * 1_000_001, "over 1 MB"),
        (b"\x00\x01\x02Milestone", "isn't a text file"),
    ],
)
def test_files_that_cannot_be_imported_say_why(data: bytes, expected: str):
    preview = read_plan_csv(data, today=TODAY)

    assert preview.rows == [] and not preview.ok
    assert expected in preview.header_problems[0]


def test_reads_exactly_the_maximum_number_of_rows():
    preview = read_plan_csv(b"Milestone\n" + b"x\n" * MAX_ROWS, today=TODAY)

    assert preview.ok and len(preview.rows) == MAX_ROWS


def test_reads_windows_excel_files_that_are_not_utf8():
    preview = read_plan_csv("Milestone;Department\nCafé launch;Ventes\n".encode("cp1252"), today=TODAY)

    assert preview.rows[0].fields.title == "Café launch"


def test_reads_excels_unicode_text_export():
    data = "Milestone\tEnd Date\nLaunch beta\t2026-12-15\n".encode("utf-16")

    preview = read_plan_csv(data, today=TODAY)

    assert [(row.fields.title, row.fields.due) for row in preview.rows] == [
        ("Launch beta", date(2026, 12, 15))
    ]


def test_currency_column_applies_to_amounts_without_their_own():
    text = "Milestone,Budget,Actual Cost,Currency\nA,5000,4500.50,eur\nB,$100,,EUR\nC,1,,XYZ\n"

    preview = read(text)

    a, b = preview.rows
    assert (a.fields.budget, a.actual_cost) == (Money(500000, "EUR"), Money(450050, "EUR"))
    assert b.fields.budget == Money(10000, "USD")
    assert messages(preview) == [(4, "Currency `XYZ` isn't a code I know; use one like USD, EUR or GBP.")]


@pytest.mark.parametrize(
    ("header", "currency"), [("Budget (€)", "EUR"), ("Budget [GBP]", "GBP"), ("Budget USD", "USD")]
)
def test_a_currency_in_the_budget_header_applies_to_its_amounts(header: str, currency: str):
    preview = read(f"Milestone,{header}\nLaunch,5000\n", default_currency="JPY")

    assert preview.rows[0].fields.budget == Money(500000, currency)


def test_default_currency_applies_when_nothing_names_one():
    preview = read("Milestone,Budget\nLaunch,5000\n", default_currency="EUR")

    assert preview.rows[0].fields.budget == Money(500000, "EUR")


@pytest.mark.parametrize(
    ("cell", "owner_id", "owner_name"),
    [
        ("U024BE7LH", "U024BE7LH", None),
        ("W0123ABC", "W0123ABC", None),
        ("<@U024BE7LH>", "U024BE7LH", None),
        ("<@U024BE7LH|alice>", "U024BE7LH", None),
        ("Alice Smith", None, "Alice Smith"),
        ("@alice", None, "alice"),
        ("alice@example.com", None, "alice@example.com"),
        ("USA Team", None, "USA Team"),
    ],
)
def test_manager_is_a_slack_user_or_a_name_for_the_caller_to_resolve(cell, owner_id, owner_name):
    preview = read(f"Milestone,Manager\nLaunch,{cell}\n")

    assert preview.ok
    row = preview.rows[0]
    assert (row.fields.owner_id, row.owner_name) == (owner_id, owner_name)


@pytest.mark.parametrize(
    ("cell", "status"),
    [
        ("On track", "on_track"),
        ("on-track", "on_track"),
        ("At risk", "at_risk"),
        ("Amber", "at_risk"),
        ("BLOCKED", "blocked"),
        ("Complete", "done"),
        ("Canceled", "cancelled"),
        ("Not started", "open"),
        ("🟢 On track", "on_track"),
    ],
)
def test_status_is_read_however_the_plan_writes_it(cell: str, status: str):
    assert read(f"Milestone,Status\nLaunch,{cell}\n").rows[0].status == status


def test_a_completion_date_means_done_and_contradicting_it_is_a_problem():
    preview = read("Milestone,Status,Completed On,Actual Cost\nA,,2026-11-10,$4500\nB,At risk,2026-11-10,\n")

    (done,) = preview.rows
    assert (done.status, done.completed_on, done.actual_cost) == (
        "done",
        date(2026, 11, 10),
        Money(450000, "USD"),
    )
    assert messages(preview) == [
        (3, "Status `At risk` doesn't fit a completion date; make it Done or clear the date."),
    ]


def test_an_unknown_status_is_a_problem():
    assert messages(read("Milestone,Status\nLaunch,Maybe\n")) == [
        (2, "Status `Maybe` isn't one of Open, On track, At risk, Blocked, Done, Cancelled."),
    ]


def test_reads_back_cells_the_export_defused():
    preview = read("Milestone,Department\n'=1+1,'-ops\n")

    assert (preview.rows[0].fields.title, preview.rows[0].fields.department) == ("=1+1", "-ops")


def test_dates_without_a_year_are_read_in_the_current_year():
    preview = read("Milestone,Start,End\nLaunch,Jan 5,Dec 15\n")

    assert (preview.rows[0].fields.start, preview.rows[0].fields.due) == (
        date(2026, 1, 5),
        date(2026, 12, 15),
    )


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data: bytes):
    preview = read_plan_csv(data, today=TODAY)

    assert preview.ok or preview.errors or preview.header_problems


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list(",;\t\"'\n\r =+-@<>`$€£UW0123456789-/.:()aeiouMmilestonEndDtBudg"))
        | st.characters(codec="utf-8"),
        max_size=600,
    )
)
def test_arbitrary_text_never_raises(text: str):
    preview = read_plan_csv(
        ("Milestone,Start,End,Budget,Manager,Dept,Status,Currency\n" + text).encode(), today=TODAY
    )

    assert preview.ok or preview.errors or preview.header_problems
    for error in preview.errors:
        assert "<" not in error.message and ">" not in error.message


@pytest.mark.parametrize("header", ["Repeats", "Recurrence", "repeat", "Every", "Repeats every"])
@pytest.mark.parametrize(
    ("cell", "recurrence"),
    [
        ("every month", "month"),
        ("Every Week", "week"),
        ("monthly", "month"),
        ("Quarterly", "quarter"),
        ("weekly", "week"),
        ("month", "month"),
        ("quarter", "quarter"),
        ("", None),
        ("none", None),
        ("Never", None),
    ],
)
def test_repeats_is_read_however_the_plan_writes_it(header: str, cell: str, recurrence: str | None):
    preview = read(f"Milestone,End Date,{header}\nPay rent,2026-12-01,{cell}\n")

    assert preview.ok, preview
    assert preview.rows[0].fields.recurrence == recurrence


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (
            "fortnightly",
            "Repeats `fortnightly` isn't a period I repeat by; "
            "write every week, every month or every quarter, or leave it empty.",
        ),
        (
            "every 2 weeks",
            "Repeats `every 2 weeks` isn't a period I repeat by; write every week, every month "
            "or every quarter, or leave it empty.",
        ),
        ("every mnth", "Repeats `every mnth` isn't a period I repeat by; did you mean every month?"),
    ],
)
def test_a_repeats_cell_that_is_no_period_of_ours_is_a_row_error(cell: str, message: str):
    preview = read(f"Milestone,End Date,Repeats\nGood,2026-12-01,every week\nPay rent,2026-12-01,{cell}\n")

    assert not preview.ok
    assert messages(preview) == [(3, message)]
    assert [row.fields.title for row in preview.rows] == ["Good"]
