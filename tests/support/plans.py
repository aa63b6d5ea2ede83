"""The small plan the plan-vs-actual e2e tests share: three milestones, one moved and finished late."""

from __future__ import annotations

from tests.support.app import SlackApp
from tests.support.scheduler import ny


def build_plan(app: SlackApp) -> None:
    """Three milestones on Nov 25; #1 moved on Dec 2 and finished on Dec 21, the day the tests look."""
    app.requests.command("add Launch beta due Dec 15 owner <@U1|alice> budget $5,000 dept Marketing")
    app.requests.command("add Pricing page due Jan 9 owner <@U2|bob> budget $2,000 dept Marketing")
    app.requests.command("add Hire designer due Dec 20 owner <@U2|bob> dept People")
    app.clock.now = ny("2026-12-02 10:00")
    app.requests.command("update 1 due Dec 22 because vendor slipped")
    app.requests.command("update 2 status at risk")  # bookkeeping: not a plan change
    app.clock.now = ny("2026-12-21 10:00")
    app.requests.command("done 1 cost $5,400")
