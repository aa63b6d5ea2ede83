"""Forecasts in `/milestone report`: each open milestone's likely date from its owner's record, and what is
likely late named before it is late."""

from __future__ import annotations

from tests.support.app import SlackApp
from tests.support.blocks import mrkdwn_texts
from tests.support.scheduler import ny


def _carol_finished_five_late(app: SlackApp) -> None:
    """Five of carol's milestones due Dec 1, finished 1, 2, 2, 3 and 8 days late."""
    for n in range(1, 6):
        app.requests.command(f"add Task {n} due Dec 1 owner <@U3|carol>")
    for number, day in [(1, "12-02"), (2, "12-03"), (3, "12-03"), (4, "12-04"), (5, "12-09")]:
        app.clock.now = ny(f"2026-{day} 10:00")
        app.requests.command(f"done {number}")


def _report(app: SlackApp) -> str:
    app.fake.clear()
    app.requests.command("report")
    return "\n".join(mrkdwn_texts(app.fake.last("response_url").params["blocks"]))


def test_an_open_milestone_gets_a_likely_date_and_range_and_is_at_risk_when_likely_late(
    slack_app: SlackApp,
) -> None:
    _carol_finished_five_late(slack_app)
    slack_app.requests.command("add Ship docs due Dec 21 owner <@U3|carol>")  # #6
    slack_app.requests.command("add Print flyers due Dec 31 owner <@U4|dan>")  # #7: dan has no record

    body = _report(slack_app)

    # Carol's slips 1 2 2 3 8: likely 2 days late (the median), between 2 (20th percentile) and 4 (80th).
    assert (
        "*At risk* (open, flagged at risk or blocked, now due later than planned,"
        " or likely late by the team's record) · 2 milestones\n*#6* Ship docs · <@U3> · due Mon Dec 21"
        " · likely Wed Dec 23 (2 days late), between Wed Dec 23 and Fri Dec 25, from 5 past milestones"
        in body
    )
    # Dan has no record: his goes by the workspace's (carol's five are all of it), so the same slips — and
    # Sat Jan 2 is no working day: the likely date is the Monday (it read "likely Sat Jan 2").
    assert "*#7* Print flyers · <@U4> · due Thu Dec 31 · likely Mon Jan 4, 2027 (4 days late)," in body


def test_forecasts_fall_on_the_channels_working_days(slack_app: SlackApp) -> None:
    slack_app.requests.command("settings workdays sun-thu")
    _carol_finished_five_late(slack_app)
    slack_app.requests.command("add Ship docs due Dec 16 owner <@U3|carol>")  # #6: Wed; +2, +2, +4 days

    body = _report(slack_app)

    # Fri Dec 18 and Sat Dec 19 are days off in a Sunday-to-Thursday week: the range (Dec 18, 18, 20) moves to
    # working days, all Sunday Dec 20, so the line gives one date.
    line = "*#6* Ship docs · <@U3> · due Wed Dec 16 · likely Sun Dec 20 (4 days late), from 5 past milestones"
    assert line in body
    slack_app.requests.command("show 6")
    shown = "\n".join(mrkdwn_texts(slack_app.fake.last("response_url").params["blocks"]))
    assert "*Forecast:* likely Sun Dec 20 (4 days late), from 5 past milestones" in shown


def test_without_five_finished_milestones_no_forecast_is_made(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Task 1 due Dec 1 owner <@U3|carol>")
    slack_app.clock.now = ny("2026-12-09 10:00")
    slack_app.requests.command("done 1")
    slack_app.requests.command("add Ship docs due Dec 21 owner <@U3|carol>")

    body = _report(slack_app)

    assert "*#2* Ship docs · <@U3> · due Mon Dec 21\n" in body + "\n"
    assert "likely" not in body


def test_show_gives_an_open_milestone_its_forecast_and_a_finished_one_none(slack_app: SlackApp) -> None:
    _carol_finished_five_late(slack_app)
    slack_app.requests.command("add Ship docs due Dec 21 owner <@U3|carol>")  # #6

    slack_app.fake.clear()
    slack_app.requests.command("show 6")
    open_one = "\n".join(mrkdwn_texts(slack_app.fake.last("response_url").params["blocks"]))
    slack_app.fake.clear()
    slack_app.requests.command("show 5")
    finished = "\n".join(mrkdwn_texts(slack_app.fake.last("response_url").params["blocks"]))

    assert (
        "*Forecast:* likely Wed Dec 23 (2 days late), between Wed Dec 23 and Fri Dec 25,"
        " from 5 past milestones" in open_one
    )
    assert "Forecast" not in finished
