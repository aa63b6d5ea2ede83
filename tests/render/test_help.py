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
    "away",
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
    ("alias", "topic"),
    [
        ("Date", "dates"),
        (" money ", "budget"),
        ("statuses", "status"),
        ("workdays", "settings"),
        ("holidays", "settings"),
        ("vacation", "away"),
    ],
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


def test_settings_help_gives_every_setting_with_its_words():
    text = all_mrkdwn(help_message("settings"))

    for words in [
        "`timezone Europe/Berlin`",
        "`reminders 7,1,0 at 09:30`",
        "`review fri 16:00`",
        "`workdays mon-fri`",
        "`sun-thu`",
        "`holidays US`",
        "`none`",
        "`review dm on|off`",
        "`chase on|off`",
        "`reminders to channel|owner|both`",
        "`pause`",
        "`resume`",
    ]:
        assert words in text
    assert "Nothing is posted on a day off" in text
    assert "Example: `/milestone settings workdays sun-thu holidays IL reminders to both`" in text


def test_away_help_says_what_away_means_and_how_to_come_back():
    message = help_message("away")

    assert_valid(message)
    text = all_mrkdwn(message)
    assert "`/milestone away until &lt;date&gt;`" in text
    assert "don't ping you, reviews don't wait for you or DM you" in text
    assert "`/milestone away off`" in text
    assert "Example: `/milestone away until Dec 20`" in text


def test_the_overview_points_to_the_new_topics():
    text = all_mrkdwn(help_message(None))

    assert "*away* `/milestone away until Dec 20`" in text
    assert "working days, holidays" in text
    assert "`help away`" in text


def test_review_help_tells_of_the_one_button_the_dms_and_the_chase():
    text = all_mrkdwn(help_message("review"))

    assert "*Review my milestones*" in text
    assert "`settings review dm off`" in text and "`settings chase off`" in text
    assert "away are skipped" in text


def test_show_and_report_help_tell_of_forecasts():
    show, report = all_mrkdwn(help_message("show")), all_mrkdwn(help_message("report"))

    assert "likely Jan 9, between Jan 4 and Jan 20, from 14 past milestones" in show
    assert "likely late is under At risk before it is late" in report


def test_add_help_tells_of_the_shortcuts():
    text = all_mrkdwn(help_message("add"))

    assert "*Make a milestone*" in text and "*New milestone*" in text


def test_review_and_settings_help_tell_of_confidence_and_snooze():
    assert "how sure you are, 5 (certain) to 1 (unlikely)" in all_mrkdwn(help_message("review"))
    assert "*Remind me tomorrow* and *Next week*" in all_mrkdwn(help_message("settings"))
