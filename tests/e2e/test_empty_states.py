"""An empty `/milestone list …` says what it looked for and what the channel holds instead, end to end."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.support.app import SlackApp
from tests.support.blocks import assert_valid_blocks, mrkdwn_texts

ADD_EXAMPLE = "`/milestone add Launch beta due Dec 15 owner @alice`"
# Added on Wednesday Nov 25 by Alice (New York), all owned by Bob: the soonest is due Friday Dec 4.
SIX_OPEN = [
    "add Launch beta due Dec 4 owner <@U2|bob> dept Engineering",
    "add Press kit due Dec 8 owner <@U2|bob> dept Engineering",
    "add Pricing page due Dec 10 owner <@U2|bob> dept Engineering",
    "add Beta invites due Dec 15 owner <@U2|bob> dept Engineering",
    "add Launch post due Dec 18 owner <@U2|bob> dept Engineering",
    "add Retro due Jan 12 owner <@U2|bob> dept Engineering",
]


def list_answer(slack_app: SlackApp, scope: str, *, user: str = "U1", channel: str = "C1") -> str:
    """`/milestone list <scope>`, and the answer's body as the asker reads it (checked valid, ephemeral)."""
    slack_app.requests.command(f"list {scope}".strip(), user=user, channel=channel)
    answer = slack_app.fake.last("response_url").params
    assert answer["response_type"] == "ephemeral"
    assert_valid_blocks(answer["blocks"])
    [header, body] = answer["blocks"]
    assert header["type"] == "header"
    [said] = mrkdwn_texts(body)
    assert said in answer["text"]  # the notification's fallback says the same
    return said


@pytest.fixture
def six_open(slack_app: SlackApp) -> SlackApp:
    for command in SIX_OPEN:
        slack_app.requests.command(command)
    return slack_app


@pytest.mark.parametrize(
    ("scope", "user", "said"),
    [
        ("overdue", "U1", "Nothing overdue 🎉 · 6 open, next due Fri Dec 4"),
        ("done", "U1", "Nothing done yet · 6 open, next due Fri Dec 4"),
        ("mine", "U3", "Nothing of yours is open · 6 open in this channel: `/milestone list`"),
        ("<@U3|carol>", "U1", "<@U3> has nothing open · 6 open in this channel: `/milestone list`"),
        ("dept Marketing", "U1", "Nothing open in Marketing · 6 open in this channel: `/milestone list`"),
    ],
)
def test_an_empty_list_says_what_it_looked_for_and_what_is_open_instead(
    six_open: SlackApp, scope: str, user: str, said: str
) -> None:
    assert list_answer(six_open, scope, user=user) == said


def test_nothing_due_in_four_weeks_names_the_next_due_date_and_its_year(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Retro due Jan 8 2027")
    slack_app.requests.command("add Kickoff 2027 due Feb 1 2027")
    said = list_answer(slack_app, "upcoming")

    assert said == "Nothing due in the next 4 weeks · 2 open, next due Fri Jan 8, 2027"


def test_a_list_of_what_is_done_counts_what_is_overdue_too(slack_app: SlackApp) -> None:
    now = slack_app.clock.now
    slack_app.clock.now = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)
    slack_app.requests.command("add Press kit due Nov 20")
    slack_app.clock.now = now
    slack_app.requests.command("add Launch beta due Dec 4")

    assert list_answer(slack_app, "done") == "Nothing done yet · 2 open, 1 overdue, next due Fri Dec 4"


def test_a_channel_with_nothing_open_points_to_what_was_closed(slack_app: SlackApp) -> None:
    for command in ("add Launch beta due Dec 4", "add Press kit due Dec 8", "add Retro due Dec 10"):
        slack_app.requests.command(command)
    for number in (1, 2, 3):
        slack_app.requests.command(f"done {number}")

    assert list_answer(slack_app, "") == "Nothing open in this channel · 3 done: `/milestone list all`"
    assert list_answer(slack_app, "overdue") == (
        "Nothing overdue 🎉 · nothing open in this channel, 3 done: `/milestone list all`"
    )


@pytest.mark.parametrize("scope", ["", "all", "overdue", "upcoming", "done"])
def test_only_a_channel_without_milestones_invites_the_first_one(slack_app: SlackApp, scope: str) -> None:
    slack_app.requests.command("add Elsewhere due Dec 4", channel="C2")

    assert list_answer(slack_app, scope) == f"No milestones in this channel yet. Add one: {ADD_EXAMPLE}"


def test_a_persons_empty_list_in_an_empty_channel_says_both(slack_app: SlackApp) -> None:
    assert list_answer(slack_app, "mine") == (
        f"Nothing of yours is open · this channel has no milestones yet. Add one: {ADD_EXAMPLE}"
    )


def test_nothing_is_overdue_until_the_day_ends_in_the_channels_zone(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 4")
    # 23:30 on Friday Dec 4 in New York, already Saturday in UTC: the milestone is due today, not late.
    slack_app.clock.now = datetime(2026, 12, 5, 4, 30, tzinfo=UTC)

    assert list_answer(slack_app, "overdue") == "Nothing overdue 🎉 · 1 open, next due Fri Dec 4"


def test_a_list_with_milestones_is_unchanged(six_open: SlackApp) -> None:
    six_open.requests.command("list upcoming")

    answer = six_open.fake.last("response_url").params
    assert answer["text"] == "Due in the next 4 weeks in this channel: 5 milestones"
    assert "Nothing" not in str(answer["blocks"])
