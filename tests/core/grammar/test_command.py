"""Reading `/milestone` text, as Slack sends it, into commands, and explaining bad input."""

from __future__ import annotations

import contextlib
import re
import time
import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.command_types import (
    AddCommand,
    Command,
    CommandError,
    DeleteCommand,
    DoneCommand,
    ExportCommand,
    HelpCommand,
    ImportCommand,
    ListCommand,
    MilestoneFields,
    ReportCommand,
    ReviewCommand,
    SettingsChange,
    SettingsCommand,
    ShowCommand,
    UpdateCommand,
)
from bot.core.grammar.command import parse_command
from bot.core.money import Money
from tests.support.commands import ME, NEW_YORK, NOW, error_of, parse


def fields_of(text: str) -> MilestoneFields:
    command = parse(text)
    assert isinstance(command, AddCommand)
    return command.fields


# help and verbs


@pytest.mark.parametrize("text", ["", "   ", "\n", "help", "HELP", "help please"])
def test_empty_text_and_plain_help_ask_for_general_help(text: str) -> None:
    assert parse(text) == HelpCommand()


@pytest.mark.parametrize(
    ("text", "topic"),
    [("help add", "add"), ("Help UPDATE", "update"), ("help dates", "dates"), ("help date", "dates")],
)
def test_help_with_a_topic_asks_for_that_topic(text: str, topic: str) -> None:
    assert parse(text) == HelpCommand(topic)


def test_leading_spaces_and_line_breaks_are_ignored() -> None:
    assert parse(" " * 50 + "show 3") == ShowCommand(3)
    assert parse("\n  delete   #4 \n") == DeleteCommand(4)


def test_verbs_are_case_insensitive() -> None:
    assert parse("SHOW 12") == ShowCommand(12)
    assert parse("List Mine") == ListCommand("mine")


def test_settings_and_review_are_read_as_their_own_commands() -> None:
    assert parse("settings") == SettingsCommand(SettingsChange())
    assert parse("settings pause") == SettingsCommand(SettingsChange(paused=True))
    assert parse("review") == ReviewCommand()


@pytest.mark.parametrize(
    ("text", "suggested"),
    [
        ("ad Launch", "add"),
        ("lsit", "list"),
        ("updte 12", "update"),
        ("remove 3", "delete"),
        ("create x", "add"),
        ("setings tz UTC", "settings"),
        ("reveiw", "review"),
        ("reprot all", "report"),
        ("exprot csv", "export"),
        ("imprt", "import"),
    ],
)
def test_an_unknown_verb_is_named_and_the_closest_verb_suggested(text: str, suggested: str) -> None:
    error = error_of(text)
    assert f"`{text.split()[0]}`" in error.message
    assert f"did you mean `{suggested}`?" in error.message
    assert error.example.startswith(f"/milestone {suggested}")


def test_an_unknown_verb_with_nothing_close_points_to_help() -> None:
    error = error_of("frobnicate everything")
    assert "`frobnicate`" in error.message
    assert error.example == "/milestone help"


# add


def test_add_reads_every_field_of_the_design_example() -> None:
    text = "add Launch beta due Dec 15 owner <@U123ABC|alice> budget $5,000 dept Marketing"
    assert fields_of(text) == MilestoneFields(
        title="Launch beta",
        due=date(2026, 12, 15),
        owner_id="U123ABC",
        budget=Money(500000, "USD"),
        department="Marketing",
    )


def test_add_alone_opens_the_modal() -> None:
    assert parse("add") == AddCommand(MilestoneFields())


def test_add_reads_clauses_in_any_order() -> None:
    fields = fields_of("add Launch beta dept Marketing budget €3k start Dec 1 by Dec 15")
    assert fields == MilestoneFields(
        title="Launch beta",
        due=date(2026, 12, 15),
        start=date(2026, 12, 1),
        budget=Money(300000, "EUR"),
        department="Marketing",
    )


def test_add_reads_due_by_and_due_on_as_one_clause() -> None:
    assert fields_of("add Launch due by Dec 15").due == date(2026, 12, 15)
    assert fields_of("add Launch due on Dec 15 start on monday").start == date(2026, 11, 23)


def test_add_reads_owner_from_bare_mention() -> None:
    assert fields_of("add Launch beta <@U123ABC> due Dec 15").owner_id == "U123ABC"


def test_add_reads_owner_me_as_the_sender() -> None:
    assert fields_of("add Launch beta owner me").owner_id == ME


@pytest.mark.parametrize(
    ("text", "budget"),
    [
        ("add Launch beta due Dec 15 $5,000", Money(500000, "USD")),
        ("add Launch beta due Dec 15 5000 EUR", Money(500000, "EUR")),
        ("add Launch beta due Dec 15 2026 EUR 5000", Money(500000, "EUR")),
        ("add Launch beta <@U1> £1.2m", Money(120000000, "GBP")),
        ("add Launch beta budget 5k", Money(500000, "USD")),
        ("add Launch beta budget 5000 usd dept Sales", Money(500000, "USD")),
    ],
)
def test_add_reads_budget_from_an_amount_with_a_currency_after_the_title(text: str, budget: Money) -> None:
    assert fields_of(text).budget == budget


def test_add_keeps_amounts_inside_an_unquoted_title() -> None:
    fields = fields_of("add Raise $2m seed round due Dec 15")
    assert fields.title == "Raise $2m seed round"
    assert fields.budget is None


def test_add_uses_the_default_currency_for_a_bare_number_budget() -> None:
    command = parse_command("add Launch budget 5k", now=NOW, user_id=ME, default_currency="EUR")
    assert isinstance(command, AddCommand)
    assert command.fields.budget == Money(500000, "EUR")


@pytest.mark.parametrize(
    "text",
    [
        'add "Launch due diligence by owner" due Dec 15',
        "add 'Launch due diligence by owner' due Dec 15",
        "add “Launch due diligence by owner” due Dec 15",
        "add ‘Launch due diligence by owner’ due Dec 15",
    ],
)
def test_add_ignores_keywords_inside_a_quoted_title(text: str) -> None:
    fields = fields_of(text)
    assert fields.title == "Launch due diligence by owner"
    assert fields.due == date(2026, 12, 15)


def test_add_keeps_apostrophes_in_titles() -> None:
    assert fields_of("add Bob's launch due friday").title == "Bob's launch"
    assert fields_of("add 'Bob's launch' due friday").title == "Bob's launch"


def test_add_cleans_the_title() -> None:
    assert fields_of("add   Launch \t  beta   due Dec 15").title == "Launch beta"
    assert fields_of("add R&amp;D kickoff &lt;v2&gt; due Dec 15").title == "R&D kickoff <v2>"


def test_add_turns_markup_in_a_quoted_title_into_plain_text() -> None:
    text = 'add "Demo <@U1|bob> <@U2> in <#C1|general> <!here> <!subteam^S1|@eng> see <https://x.y|a doc>"'
    assert fields_of(text) == MilestoneFields(title="Demo @bob @U2 in #general @here @eng see a doc")


def test_add_turns_links_and_channels_in_an_unquoted_title_into_plain_text() -> None:
    fields = fields_of("add Post in <#C1|general> <https://x.y> due Dec 15")
    assert fields.title == "Post in #general https://x.y"


def test_add_accepts_a_title_of_150_characters_but_not_151() -> None:
    assert fields_of("add " + "x" * 150).title == "x" * 150
    assert "151 characters" in error_of("add " + "x" * 151).message


def test_add_refuses_a_line_break_inside_the_title() -> None:
    assert "line break" in error_of("add Launch\nbeta due Dec 15").message


def test_add_allows_a_line_break_between_clauses() -> None:
    assert fields_of("add Launch beta\ndue Dec 15").due == date(2026, 12, 15)


def test_add_strips_commas_between_clauses() -> None:
    fields = fields_of("add Launch beta, due Dec 15, owner <@U1>, budget $5k")
    assert fields == MilestoneFields(
        title="Launch beta", due=date(2026, 12, 15), owner_id="U1", budget=Money(500000, "USD")
    )


def test_add_reads_department_with_either_keyword_and_cleans_it() -> None:
    assert fields_of("add Launch dept R&amp;D").department == "R&D"
    assert fields_of("add Launch department Sales and Marketing").department == "Sales and Marketing"
    assert "keep it to 80" in error_of("add Launch dept " + "x" * 81).message


def test_add_reads_start_in_the_current_period() -> None:
    assert fields_of("add Launch start Jan 5").start == date(2026, 1, 5)


def test_add_without_a_title_asks_for_one() -> None:
    error = error_of("add due Dec 15")
    assert error.message.startswith("Give the milestone a title")
    assert error.example.startswith("/milestone add ")


@pytest.mark.parametrize("text", ["add owner alice", "add owner @alice", "add Launch owner alice"])
def test_add_refuses_an_owner_that_is_not_a_real_mention(text: str) -> None:
    error = error_of(text)
    assert "pick" in error.message or "title" in error.message


def test_add_explains_how_to_pick_an_owner_from_autocomplete() -> None:
    error = error_of("add Launch beta owner @alice")
    assert "I can't tell who `@alice` is" in error.message
    assert "Slack's list" in error.message
    assert error.example == "/milestone add Launch beta owner @alice"


@pytest.mark.parametrize("owner", ["<#C1|general>", "<!here>", "<!subteam^S1|@eng>"])
def test_add_refuses_an_owner_that_is_not_a_person(owner: str) -> None:
    error = error_of(f"add Launch owner {owner}")
    assert "isn't a person" in error.message
    assert "<" not in error.message


def test_add_hints_at_quoting_when_a_keyword_may_be_part_of_the_title() -> None:
    error = error_of("add Meet the owner of the building due Dec 15")
    assert "If `owner` is part of the title, put the title in quotes" in error.message


def test_add_refuses_a_field_given_twice() -> None:
    assert "due date is given twice" in error_of("add Launch due Dec 15 by Dec 16").message
    assert "owner is given twice" in error_of("add Launch owner <@U1> <@U2>").message
    assert "budget is given twice" in error_of("add Launch budget $5 €3k").message


def test_add_names_a_date_it_cannot_read() -> None:
    error = error_of("add Launch due whenever")
    assert "`whenever`" in error.message
    # Their own command, with a date that reads in place of theirs: a week from Wednesday, Nov 25.
    assert error.example == "/milestone add Launch due Dec 2"


def test_add_refuses_a_due_date_in_the_past() -> None:
    error = error_of("add Launch due Dec 1 2025")
    assert error.message.startswith("Dec 1, 2025 is in the past")


def test_add_refuses_an_impossible_due_date() -> None:
    assert "isn't a real date" in error_of("add Launch due Feb 30").message


def test_add_refuses_a_start_after_the_due_date() -> None:
    assert (
        "start (Dec 20) is after the due date (Dec 15)"
        in error_of("add Launch start Dec 20 due Dec 15").message
    )


def test_add_refuses_an_empty_clause() -> None:
    assert "`due` needs a date" in error_of("add Launch due").message
    assert "`budget` needs an amount" in error_of("add Launch budget dept Sales").message


def test_add_refuses_words_after_a_bare_mention() -> None:
    error = error_of("add Launch <@U1|bob> beta due Dec 15")
    assert "`beta`" in error.message
    assert "@bob" in error.message


def test_add_refuses_an_unclosed_quote() -> None:
    error = error_of('add "Launch beta due Dec 15')
    assert "never closed" in error.message
    assert error.example.startswith("/milestone add")


def test_add_reads_today_in_the_users_zone_near_midnight() -> None:
    late_evening = datetime(2026, 11, 25, 23, 30, tzinfo=NEW_YORK)  # already Nov 26 in UTC
    command = parse("add Launch due Nov 25", now=late_evening)
    assert isinstance(command, AddCommand)
    assert command.fields.due == date(2026, 11, 25)
    assert "in the past" in error_of("add Launch due Nov 24 2026", now=late_evening).message


def test_add_reads_tomorrow_in_the_users_zone() -> None:
    instant = datetime(2026, 11, 25, 20, 0, tzinfo=ZoneInfo("UTC"))
    in_auckland = parse("add Launch due tomorrow", now=instant.astimezone(ZoneInfo("Pacific/Auckland")))
    in_los_angeles = parse("add Launch due tomorrow", now=instant.astimezone(ZoneInfo("America/Los_Angeles")))
    assert isinstance(in_auckland, AddCommand)
    assert isinstance(in_los_angeles, AddCommand)
    assert in_auckland.fields.due == date(2026, 11, 27)
    assert in_los_angeles.fields.due == date(2026, 11, 26)


# list


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("list", ListCommand()),
        ("list mine", ListCommand("mine")),
        ("list me", ListCommand("mine")),
        ("list overdue", ListCommand("overdue")),
        ("list upcoming", ListCommand("upcoming")),
        ("list done", ListCommand("done")),
        ("list all", ListCommand("all")),
        ("list <@U123|alice>", ListCommand("owner", owner_id="U123")),
        ("list dept Sales &amp; Marketing", ListCommand("dept", department="Sales & Marketing")),
        ("list department R&amp;D", ListCommand("dept", department="R&D")),
    ],
)
def test_list_reads_its_filter(text: str, expected: ListCommand) -> None:
    assert parse(text) == expected


def test_list_refuses_a_person_typed_without_autocomplete() -> None:
    assert "I can't tell who `@alice` is" in error_of("list @alice").message


def test_list_suggests_the_closest_filter() -> None:
    error = error_of("list overdu")
    assert "did you mean `overdue`?" in error.message
    assert error.example.startswith("/milestone list")


def test_list_refuses_two_filters_and_an_empty_department() -> None:
    assert "one filter" in error_of("list mine overdue").message
    assert error_of("list dept").example == "/milestone list dept Marketing"


# show and delete


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("show 12", ShowCommand(12)),
        ("show #12", ShowCommand(12)),
        ("delete 7", DeleteCommand(7)),
        ("delete #007", DeleteCommand(7)),
        ("show 999999999", ShowCommand(999999999)),
    ],
)
def test_show_and_delete_read_a_milestone_number(text: str, expected: Command) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("show", "Which milestone?"),
        ("delete", "Which milestone?"),
        ("show abc", "`abc` isn't a milestone number"),
        ("show -3", "isn't a milestone number"),
        ("show 1.5", "isn't a milestone number"),
        ('show "12"', "isn't a milestone number"),
        ("show 0", "start at 1"),
        ("show #0", "start at 1"),
        ("show 1000000000", "too big"),
        ("show 12 13", "takes just a milestone number"),
        ("delete 12 now", "takes just a milestone number"),
    ],
)
def test_show_and_delete_refuse_anything_but_one_number(text: str, says: str) -> None:
    error = error_of(text)
    assert says in error.message
    assert error.example == f"/milestone {text.split()[0]} 12"


# update


def test_update_alone_opens_the_modal() -> None:
    command = parse("update #12")
    assert command == UpdateCommand(12, MilestoneFields())
    assert isinstance(command, UpdateCommand)
    assert command.is_empty()


def test_update_reads_every_field() -> None:
    text = (
        "update 12 title Launch beta v2 due Jan 20 start Dec 1 owner <@U9> budget $6,000 dept Sales "
        "status at risk because the vendor slipped by two weeks"
    )
    assert parse(text) == UpdateCommand(
        12,
        MilestoneFields(
            title="Launch beta v2",
            due=date(2027, 1, 20),
            start=date(2026, 12, 1),
            owner_id="U9",
            budget=Money(600000, "USD"),
            department="Sales",
        ),
        status="at_risk",
        reason="the vendor slipped by two weeks",
    )


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("on track", "on_track"),
        ("on-track", "on_track"),
        ("on_track", "on_track"),
        ("ontrack", "on_track"),
        ("On Track", "on_track"),
        ("at risk", "at_risk"),
        ("at-risk", "at_risk"),
        ("blocked", "blocked"),
        ("open", "open"),
    ],
)
def test_update_reads_status_however_it_is_written(written: str, status: str) -> None:
    assert parse(f"update 12 status {written}") == UpdateCommand(12, MilestoneFields(), status=status)


def test_update_status_done_points_to_the_done_command() -> None:
    error = error_of("update 12 status done")
    assert "`/milestone done 12`" in error.message
    assert error.example.startswith("/milestone done 12")


def test_update_refuses_an_unknown_status() -> None:
    assert "isn't a status" in error_of("update 12 status cancelled").message


def test_update_with_only_a_reason_asks_what_changes() -> None:
    error = error_of("update 12 because the vendor slipped")
    assert "Say what changes" in error.message
    assert "because" in error.example


def test_update_reason_takes_the_rest_of_the_text() -> None:
    command = parse("update 12 status blocked because the owner left, due to budget cuts")
    assert isinstance(command, UpdateCommand)
    assert command.reason == "the owner left, due to budget cuts"
    assert command.fields == MilestoneFields()


def test_update_reason_on_two_lines_reads_as_one_line_as_in_the_forms() -> None:
    command = parse("update 12 due Dec 20 because the vendor\nslipped")

    assert isinstance(command, UpdateCommand)
    assert command.reason == "the vendor slipped"


def test_update_title_with_a_line_break_is_refused() -> None:
    assert "line break" in error_of('update 12 title "Launch\nbeta"').message


def test_update_keeps_by_inside_a_new_title() -> None:
    command = parse("update 1 title Renamed by admin due Jan 5")
    assert command == UpdateCommand(1, MilestoneFields(title="Renamed by admin", due=date(2027, 1, 5)))


def test_update_keeps_amounts_inside_a_new_title() -> None:
    command = parse("update 12 title Raise $2m seed")
    assert command == UpdateCommand(12, MilestoneFields(title="Raise $2m seed"))


def test_update_refuses_words_that_are_not_a_clause() -> None:
    error = error_of("update 12 Launch beta")
    assert "say what to change" in error.message
    assert "`Launch beta`" in error.message


def test_update_needs_a_number_first() -> None:
    assert "isn't a milestone number" in error_of("update due Dec 15").message
    assert "Which milestone?" in error_of("update").message


def test_update_examples_use_the_milestone_number() -> None:
    assert error_of("update 31 due whenever").example == "/milestone update 31 due Dec 2"
    assert error_of("update 31 budget lots").example == "/milestone update 31 budget $5,000"


# done


def test_done_alone_means_done_today() -> None:
    assert parse("done 12") == DoneCommand(12)


def test_done_reads_date_and_cost() -> None:
    assert parse("done #12 on Nov 20 cost $4,500") == DoneCommand(
        12, date(2026, 11, 20), Money(450000, "USD")
    )
    assert parse("done 12 cost 4500 EUR on yesterday") == DoneCommand(
        12, date(2026, 11, 24), Money(450000, "EUR")
    )


def test_done_reads_a_bare_amount_as_the_cost() -> None:
    assert parse("done 12 $400") == DoneCommand(12, cost=Money(40000, "USD"))


def test_done_reads_dates_without_a_year_in_the_past() -> None:
    assert parse("done 12 on Dec 3") == DoneCommand(12, date(2025, 12, 3))
    assert parse("done 12 on friday") == DoneCommand(12, date(2026, 11, 20))


def test_done_refuses_a_future_date() -> None:
    error = error_of("done 12 on tomorrow")
    assert "Nov 26 hasn't come yet" in error.message
    assert error.example.startswith("/milestone done 12 on")


def test_done_refuses_other_words() -> None:
    assert "give `on Dec 3` or `cost $4,500`" in error_of("done 12 yesterday").message


# report


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("report", ReportCommand()),
        ("REPORT", ReportCommand()),
        ("report channel", ReportCommand()),
        ("report all", ReportCommand("all")),
        ("Report ALL", ReportCommand("all")),
        ("report dept Marketing", ReportCommand("dept", department="Marketing")),
        ("report department Sales &amp;  Marketing", ReportCommand("dept", department="Sales & Marketing")),
        ('report dept "Sales since 2020"', ReportCommand("dept", department="Sales since 2020")),
        ("report owner <@U123|alice>", ReportCommand("owner", owner_id="U123")),
        ("report <@U123|alice>", ReportCommand("owner", owner_id="U123")),
        ("report owner me", ReportCommand("owner", owner_id=ME)),
        ("report mine", ReportCommand("owner", owner_id=ME)),
    ],
)
def test_report_reads_its_scope(text: str, expected: ReportCommand) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("report since Jan 1", ReportCommand(since=date(2026, 1, 1))),
        ("report all since Jan 1", ReportCommand("all", since=date(2026, 1, 1))),
        (
            "report dept Marketing since Jan 1",
            ReportCommand("dept", department="Marketing", since=date(2026, 1, 1)),
        ),
        (
            "report since Jan 1 dept Marketing",
            ReportCommand("dept", department="Marketing", since=date(2026, 1, 1)),
        ),
        ("report <@U1> since last monday", ReportCommand("owner", owner_id="U1", since=date(2026, 11, 16))),
        ("report since Jan 1 owner me", ReportCommand("owner", owner_id=ME, since=date(2026, 1, 1))),
        ("report since today", ReportCommand(since=date(2026, 11, 25))),
    ],
)
def test_report_reads_since_before_or_after_its_scope(text: str, expected: ReportCommand) -> None:
    assert parse(text) == expected


def test_report_reads_since_dates_without_a_year_in_the_past() -> None:
    assert parse("report since Dec 1") == ReportCommand(since=date(2025, 12, 1))


def test_report_refuses_a_since_date_still_to_come() -> None:
    error = error_of("report since tomorrow")
    assert "Nov 26 hasn't come yet" in error.message
    assert error.example == "/milestone report since Jan 1"
    assert "hasn't come yet" in error_of("report all since 2027-01-01").message


REPORT_EXAMPLE = "/milestone report dept Marketing since Jan 1"


@pytest.mark.parametrize(
    ("text", "says", "example"),
    [
        ("report foo", "I don't know what `foo` means in a report", REPORT_EXAMPLE),
        ("report al", "did you mean `all`?", "/milestone report all"),
        ("report all quarter", "I don't know what `quarter` means after `all`", REPORT_EXAMPLE),
        ("report <@U1|bob> quarterly", "`quarterly`", REPORT_EXAMPLE),
        ("report since", "`since` needs a date", "/milestone report since Jan 1"),
        ("report since whenever", "I can't read `whenever` as a date", "/milestone report since Nov 1"),
        ("report dept", "`dept` needs a name", "/milestone report dept Marketing"),
        ("report owner", "`owner` needs a person", "/milestone report owner @alice"),
        ("report @alice", "I can't tell who `@alice` is", "/milestone report @alice"),
        ("report owner <#C1|general>", "isn't a person", "/milestone report owner @alice"),
        ("report dept " + "x" * 81, "keep it to 80", "/milestone report dept Marketing"),
    ],
)
def test_report_explains_words_it_does_not_know(text: str, says: str, example: str) -> None:
    error = error_of(text)
    assert says in error.message
    assert error.example == example


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("report all dept Sales", "not `all` and `dept`"),
        ("report dept Sales owner me", "not `dept` and `owner`"),
        ("report mine <@U1>", "not `mine` and `owner`"),
        ("report <@U1> <@U2>", "The owner is given twice"),
        ("report since Jan 1 since Feb 1", "The `since` date is given twice"),
        ("report dept A dept B", "The department is given twice"),
    ],
)
def test_report_refuses_two_scopes_or_a_clause_given_twice(text: str, says: str) -> None:
    assert says in error_of(text).message


# export and import


@pytest.mark.parametrize(
    ("text", "format_"),
    [
        ("export csv", "csv"),
        ("export CSV", "csv"),
        ("Export Csv", "csv"),
        ("export ics", "ics"),
        ("export ICS", "ics"),
        ("export ical", "ics"),
        ("export iCal", "ics"),
        ("export calendar", "ics"),
    ],
)
def test_export_reads_its_format(text: str, format_: str) -> None:
    assert parse(text) == ExportCommand(format_)


@pytest.mark.parametrize(
    "text", ["export", "export pdf", "export csv ics", 'export "csv"', "export csv please"]
)
def test_export_without_a_known_format_asks_which(text: str) -> None:
    error = error_of(text)
    assert "Say which format: `/milestone export csv` or `/milestone export ics`" in error.message
    assert error.example == "/milestone export csv"


def test_export_names_the_format_it_cannot_make() -> None:
    assert error_of("export pdf").message.startswith("I can't export `pdf`.")


def test_import_opens_the_import_form() -> None:
    assert parse("import") == ImportCommand()
    assert parse("IMPORT ") == ImportCommand()


def test_import_takes_nothing_more() -> None:
    error = error_of("import plan.csv now")
    assert "takes nothing more, not `plan.csv now`" in error.message
    assert error.example == "/milestone import"


def test_help_covers_report_export_and_import() -> None:
    assert parse("help report") == HelpCommand("report")
    assert parse("help export") == HelpCommand("export")
    assert parse("help import") == HelpCommand("import")


# bad input of any kind


def test_huge_input_is_refused_quickly() -> None:
    started = time.perf_counter()
    error = error_of("add " + "x" * 100_000)
    assert time.perf_counter() - started < 0.1
    assert "keep it under 4,000" in error.message


@pytest.mark.parametrize(
    "text",
    ["add " + "<" * 3990, "add " + '"a ' * 1300, "add x " + "$5 " * 1300, "add x " + "due " * 990,
     "update 1 title " + "a " * 1990, "add x due " + "dec 15 " * 560, "settings tz " + "europe/b" * 495,
     "settings reminders " + "1 2 3 4 5 6 7 " * 284, "settings " + "review mon " * 398,
     "settings review " + "9 " * 1990, "review " + "x " * 1995, "report " + "since " * 660,
     "report dept " + "x " * 1990, "report " + "<@U1> " * 660, "report since " + "jan 1 " * 660,
     "export " + "csv " * 990, "import " + "x " * 1990],
)  # fmt: skip
def test_long_awkward_input_is_answered_quickly(text: str) -> None:
    started = time.perf_counter()
    with pytest.raises(CommandError):
        parse(text)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(
    "text", ["add Launch\x00", "add Launch\x1b[31m", "add \u202eLaunch", "add Launch\ud800"]
)
def test_control_characters_are_refused(text: str) -> None:
    assert "control character" in error_of(text).message


def test_errors_quote_at_most_sixty_characters_of_user_text() -> None:
    error = error_of("add Launch due " + "whenever " * 20)
    quoted = re.findall(r"`([^`]*)`", error.message)
    assert quoted
    assert all(len(excerpt) <= 60 for excerpt in quoted)
    assert "…" in error.message


def test_errors_show_mentions_as_plain_text() -> None:
    error = error_of("add Launch <@U1|bob> <#C2|general> due Dec 15")
    assert "<" not in error.message
    assert "#general" in error.message


# properties

WORDS = [
    "add", "update", "done", "list", "show", "delete", "help", "due", "by", "start", "owner", "budget",
    "dept", "department", "title", "status", "because", "on", "cost", "me", "mine", "12", "#3", "0",
    "$5,000", "€3k", "5000 EUR", "EUR", "5k", "-5", "Dec 15", "tomorrow", "next friday", "Feb 30", "03/04",
    "at risk", "done", "<@U123|bob>", "<@W9>", "<#C1|gen>", "<!here>", "<!subteam^S1|@t>",
    "<https://x.y|a b>", "&amp;", "&lt;", "&gt;", '"', "'", "“", "”", "‘", "’", "\n", "\t", ",", "Launch",
    "beta", "report", "export", "import", "since", "all", "channel", "csv", "ics", "ical", "calendar",
]  # fmt: skip
SETTINGS_WORDS = [
    "settings", "review", "timezone", "tz", "reminders", "pause", "resume", "at", "Europe/Berlin", "utc",
    "7,1,0", "14,", "61", "off", "fri", "monday", "9:30", "9am", "pm", "noon", "16:00", "25:00",
]  # fmt: skip
texts = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=20).map(" ".join)
LED_VERBS = ["settings", "review", "report", "export", "import", "Settings", "REVIEW", "Report", "EXPORT"]
verb_led = st.tuples(
    st.sampled_from(LED_VERBS),
    st.lists(st.one_of(st.sampled_from(SETTINGS_WORDS + WORDS), st.text(max_size=6)), max_size=12),
).map(lambda verb_and_words: " ".join([verb_and_words[0], *verb_and_words[1]]))
commands = st.one_of(texts, verb_led)
slack_texts = st.tuples(
    st.sampled_from(["", "settings", "review", "report", "export", "import"]),
    st.lists(
        st.one_of(
            st.sampled_from([word for word in WORDS + SETTINGS_WORDS if word not in ("&lt;", "&gt;")]),
            st.text(st.characters(blacklist_characters="<>&", blacklist_categories=("Cs",)), max_size=6),
        ),
        max_size=20,
    ),
).map(lambda prefix_and_words: " ".join([prefix_and_words[0], *prefix_and_words[1]]))
title_text = st.text(
    st.characters(whitelist_categories=("L", "N", "Zs", "P", "S"), blacklist_characters="\"'“”‘’„<>&`"),
    min_size=1,
    max_size=150,
).filter(lambda title: title.strip())


@settings(max_examples=300, deadline=None)
@given(commands)
def test_any_text_gives_a_command_or_a_command_error_and_never_half_parses(text: str) -> None:
    try:
        command = parse(text)
    except CommandError as error:
        assert 0 < len(error.message) <= 300
        assert "\n" not in error.message
        assert error.example.startswith("/milestone ")
        assert all(len(quoted) <= 60 for quoted in re.findall(r"`([^`]*)`", error.message))
        return
    if isinstance(command, AddCommand) and not command.fields.is_empty():
        title = command.fields.title
        assert title
        assert title == title.strip()
        assert len(title) <= 150
        assert not any(unicodedata.category(character) == "Cc" for character in title)
    if isinstance(command, ReportCommand):
        assert (command.scope == "dept") == (command.department is not None)
        assert (command.scope == "owner") == (command.owner_id is not None)
        assert command.since is None or command.since <= NOW.date()
    if isinstance(command, ExportCommand):
        assert command.format in ("csv", "ics")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_unicode_gives_a_command_or_a_command_error(text: str) -> None:
    for prefix in ("", "add ", "update 3 ", "done 3 ", "list ", "review ", "settings ", "settings tz ",
                   "settings reminders ", "settings review ", "report ", "report dept ", "report since ",
                   "report all ", "export ", "import "):  # fmt: skip
        with contextlib.suppress(CommandError):
            parse(prefix + text)


@settings(max_examples=300, deadline=None)
@given(slack_texts)
def test_error_messages_never_echo_slack_markup(text: str) -> None:
    try:
        parse(text)
    except CommandError as error:
        assert "<" not in error.message
        assert ">" not in error.message


@settings(max_examples=300, deadline=None)
@given(title_text)
def test_a_quoted_title_reads_back_as_typed_with_spaces_collapsed(title: str) -> None:
    fields = fields_of(f'add "{title}" due Dec 15')
    assert fields.title == " ".join(title.split())
    assert fields.due == date(2026, 12, 15)
