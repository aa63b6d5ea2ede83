"""`add` with a milestone on each line: read line by line, all or none."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.core.command_types import CommandError
from bot.core.grammar.bulk_add import MAX_BULK_LINES, read_add_lines

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def test_add_lines_reads_every_line_or_names_the_wrong_one() -> None:
    text = "add Launch beta due Dec 15 owner <@U2|bob>\n\nWrite docs due Dec 18\n  Ship  "
    lines = read_add_lines(text, now=NOW, user_id="U1")
    assert lines is not None
    assert [(line.title, line.due, line.owner_id) for line in lines] == [
        ("Launch beta", date(2026, 12, 15), "U2"),
        ("Write docs", date(2026, 12, 18), None),
        ("Ship", None, None),
    ]
    assert read_add_lines("add Launch beta due Dec 15", now=NOW, user_id="U1") is None
    assert read_add_lines("update 1\ndue Dec 15", now=NOW, user_id="U1") is None
    with pytest.raises(CommandError, match=r"^Line 2: .*Nothing was added\."):
        read_add_lines("add One due Dec 15\nTwo due Feb 30\nThree", now=NOW, user_id="U1")
    with pytest.raises(CommandError, match=r"^Line 2: Give the milestone a title first"):
        read_add_lines("add One\ndue Dec 15", now=NOW, user_id="U1")


def test_more_lines_than_one_add_takes_are_refused() -> None:
    text = "add " + "\n".join(f"Task {n}" for n in range(MAX_BULK_LINES + 1))
    with pytest.raises(CommandError, match=r"add at most 50 at once"):
        read_add_lines(text, now=NOW, user_id="U1")
