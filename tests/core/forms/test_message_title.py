"""A message's first line read as a milestone title: Slack's markup made readable, within the limit."""

from __future__ import annotations

import pytest

from bot.core.forms.message_title import first_line, mentioned_users, title_from_message
from bot.core.limits import TITLE_CHARS


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Launch beta", "Launch beta"),
        ("  Launch   beta  \nthe rest of the story", "Launch beta"),
        ("\n\n  \nLaunch beta", "Launch beta"),
        ("Ask <@U2> about it", "Ask @alice about it"),
        ("Ask <@U9> about it", "Ask @U9 about it"),
        ("Ask <@U9|bob> about it", "Ask @bob about it"),
        ("Post in <#C1|general>", "Post in #general"),
        ("Post in <#C1>", "Post in #channel"),
        ("Read <https://acme.example/plan|the plan>", "Read the plan"),
        ("Read <https://acme.example/plan>", "Read https://acme.example/plan"),
        ("Mail <mailto:a@acme.example>", "Mail a@acme.example"),
        ("<!here> standup moved", "@here standup moved"),
        ("<!subteam^S1|@design> review", "@design review"),
        ("Due <!date^1764000000^{date_short}|Nov 24, 2025>", "Due Nov 24, 2025"),
        ("R&amp;D &lt;budget&gt;", "R&D <budget>"),
        ("&amp;lt; stays as typed", "&lt; stays as typed"),
        ("*Bold* _italic_ stay as typed", "*Bold* _italic_ stay as typed"),
    ],
)
def test_the_first_line_is_the_title_as_a_reader_sees_it(text: str, title: str) -> None:
    assert title_from_message(text, names={"U2": "alice"}) == title


@pytest.mark.parametrize("text", [None, "", "   \n\t\n"])
def test_a_message_without_text_gives_no_title(text: str | None) -> None:
    assert title_from_message(text, names={}) is None


def test_a_long_line_is_cut_to_the_title_limit_with_an_ellipsis() -> None:
    title = title_from_message("x" * 400, names={})

    assert title is not None and len(title) == TITLE_CHARS and title.endswith("…")


def test_markup_is_read_before_the_cut_so_a_link_is_never_half_kept() -> None:
    title = title_from_message(f"<https://acme.example/{'p' * 300}|Plan>", names={})

    assert title == "Plan"


def test_only_unnamed_mentions_on_the_first_line_are_looked_up_once_each() -> None:
    text = "<@U1> and <@U2|bea> and <@U1> and <@W3>\n<@U4> later"

    assert mentioned_users(text) == ["U1", "W3"]


def test_first_line_skips_blank_lines() -> None:
    assert first_line("\n \nfirst\nsecond") == "first"
    assert first_line("") == ""
