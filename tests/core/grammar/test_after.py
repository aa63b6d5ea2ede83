"""`update <n> after <m>`: the milestone it comes after, `#m` or `m`, cleared with `after none`."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.core.command_types import AddCommand, CommandError, UpdateCommand
from bot.core.grammar.command import parse_command
from bot.core.vocabulary import Field

NOW = datetime(2026, 11, 25, 15, tzinfo=UTC)


def parsed(text: str) -> UpdateCommand:
    command = parse_command(text, now=NOW, user_id="U1")
    assert isinstance(command, UpdateCommand)
    return command


@pytest.mark.parametrize("text", ["update 5 after 3", "update 5 after #3", "update #5 AFTER #03"])
def test_after_takes_a_number_with_or_without_hash(text: str) -> None:
    command = parsed(text)
    assert (command.number, command.after, command.cleared) == (5, 3, frozenset())
    assert not command.is_empty()


def test_after_none_clears_it() -> None:
    command = parsed("update 5 after none")
    assert (command.after, command.cleared) == (None, frozenset({Field.AFTER}))
    assert not command.is_empty()


def test_after_goes_with_other_changes_and_a_reason() -> None:
    command = parsed("update 5 due Dec 20 after 3 because docs first")
    assert (command.after, command.fields.due, command.reason) == (3, date(2026, 12, 20), "docs first")


def test_after_in_a_title_stays_a_word() -> None:
    command = parsed("update 5 title Party after launch")
    assert (command.fields.title, command.after) == ("Party after launch", None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("update 5 after", "`after` needs the number of the milestone it comes after"),
        ("update 5 after soon", "`after` needs the number of the milestone it comes after"),
        ("update 5 after 3 4", "`3 4` isn't a milestone number; say `after 3`, or `after none` to clear it."),
        ("update 5 after 0", "`0` isn't a milestone number"),
    ],
)
def test_bad_after_is_refused_with_an_example(text: str, message: str) -> None:
    with pytest.raises(CommandError) as refused:
        parse_command(text, now=NOW, user_id="U1")
    assert message in refused.value.message
    assert refused.value.example == "/milestone update 5 after 3"


def test_after_twice_is_refused() -> None:
    with pytest.raises(CommandError, match="given twice"):
        parse_command("update 5 after 3 after 4", now=NOW, user_id="U1")


def test_add_takes_after_too_and_a_title_keeps_its_words() -> None:
    added = parse_command("add Ship docs due Dec 15 after #3 owner <@U2>", now=NOW, user_id="U1")
    assert isinstance(added, AddCommand)
    assert (added.fields.title, added.fields.owner_id, added.after) == ("Ship docs", "U2", 3)
    plain = parse_command("add Meet after lunch", now=NOW, user_id="U1")
    assert isinstance(plain, AddCommand)
    assert (plain.fields.title, plain.after) == ("Meet after lunch", None)


def test_add_after_words_that_are_no_number_hint_at_quoting_the_title() -> None:
    with pytest.raises(CommandError) as refused:
        parse_command("add Retro after 3 sprints due Dec 20", now=NOW, user_id="U1")
    assert "(If `after` is part of the title, put the title in quotes.)" in refused.value.message
