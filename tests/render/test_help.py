from __future__ import annotations

import pytest

from bot.render.help import help_message
from tests.support.blocks import all_mrkdwn, assert_valid

VERBS = [
    "add",
    "list",
    "show",
    "update",
    "done",
    "delete",
    "review",
    "settings",
    "report",
    "export",
    "import",
]


def test_overview_gives_one_example_per_verb():
    message = help_message(None)

    assert_valid(message)
    text = all_mrkdwn(message)
    for verb in VERBS:
        assert f"*{verb}* `/milestone {verb}" in text
    assert "Coming soon" not in text


@pytest.mark.parametrize("topic", [*VERBS, "dates", "budget", "status"])
def test_each_topic_has_its_own_page_with_an_example(topic):
    message = help_message(topic)

    assert_valid(message)
    assert message.text != help_message(None).text
    assert "Example: `/milestone " in all_mrkdwn(message)


def test_dates_help_lists_the_forms_accepted():
    text = all_mrkdwn(help_message("dates"))

    for form in [
        "2026-12-15",
        "Dec 15",
        "15 Dec 2026",
        "tomorrow",
        "next friday",
        "in 3 weeks",
        "end of month",
    ]:
        assert f"`{form}`" in text


@pytest.mark.parametrize(
    ("alias", "topic"), [("Date", "dates"), (" money ", "budget"), ("statuses", "status")]
)
def test_topic_aliases_and_case_do_not_matter(alias, topic):
    assert help_message(alias) == help_message(topic)


@pytest.mark.parametrize("topic", ["", "frobnicate", "<!channel>"])
def test_unknown_topic_gets_the_overview(topic):
    assert help_message(topic) == help_message(None)


def test_placeholders_are_escaped_so_slack_shows_them():
    text = all_mrkdwn(help_message("update"))

    assert "<date>" not in text
    assert "due &lt;date&gt;" in text
