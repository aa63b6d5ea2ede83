"""The Home tab end to end: what you own by urgency, apart from what you added for others."""

from __future__ import annotations

import itertools

from tests.support.app import SlackApp
from tests.support.blocks import assert_valid_view
from tests.support.home_tab import home_page
from tests.support.scheduler import ny

_EVENT_IDS = itertools.count(1)


def open_home(app: SlackApp, user: str) -> list[str]:
    """Open `user`'s Home tab as Slack does; what the published view says, checked valid."""
    app.requests.event(
        {"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"},
        event_id=f"EvHome{next(_EVENT_IDS)}",
    )
    published = app.fake.last("views.publish").params
    assert published["user_id"] == user
    assert_valid_view(published["view"], kind="home")
    return home_page(published["view"])


def build_alices_plan(app: SlackApp) -> None:
    """Wed Nov 25 in New York: Alice (U1) owns three milestones (one Bob added) and added two for others."""
    app.requests.command("add Pricing page due Dec 15 owner me")
    app.requests.command("add Ship beta due Nov 27 owner me")
    app.requests.command("update 2 status at-risk")
    app.requests.command("add Hire designer due Dec 4 owner <@U2|bob>")
    app.requests.command("add Legal review")
    app.requests.command("add Press kit due Dec 1 owner <@U1|alice>", user="U2", channel="C2")
    app.requests.command("add Bob's own due Dec 1 owner me", user="U2", channel="C2")


def test_home_shows_what_you_own_apart_from_what_you_added_for_others(slack_app: SlackApp) -> None:
    build_alices_plan(slack_app)
    assert open_home(slack_app, "U1") == [
        "Your milestones",
        "<@U1> · open milestones you own or added, in every channel.",
        "[Add a milestone]",
        "Owned by you (3)",
        "*📅 Due this week (1)*",
        "*#2* Ship beta · due Fri Nov 27 · in 2 days · 🟡 At risk · <#C1>",
        "*Later (2)*",
        "*#5* Press kit · due Tue Dec 1 · in 6 days · <#C2>",
        "*#1* Pricing page · due Tue Dec 15 · in 20 days · <#C1>",
        "---",
        "Added by you for others (2)",
        "*#3* Hire designer · for <@U2> · due Fri Dec 4 · in 9 days · <#C1>",
        "*#4* Legal review · no owner yet · no due date · <#C1>",
        "---",
        "*By channel*",
        "<#C1> — 4 open",
        "<#C2> — 1 open",
    ]


def test_an_overdue_milestone_comes_first_and_says_how_late(slack_app: SlackApp) -> None:
    build_alices_plan(slack_app)
    slack_app.clock.now = ny("2026-11-30 10:00")  # Monday: Ship beta (Fri Nov 27) is 3 days overdue
    page = open_home(slack_app, "U1")
    assert page[page.index("Owned by you (3)") + 1 : page.index("Added by you for others (2)") - 1] == [
        "*⚠️ Overdue (1)*",
        "*#2* Ship beta · due Fri Nov 27 · ⚠️ 3 days overdue · 🟡 At risk · <#C1>",
        "*📅 Due this week (1)*",
        "*#5* Press kit · due Tue Dec 1 · tomorrow · <#C2>",
        "*Later (1)*",
        "*#1* Pricing page · due Tue Dec 15 · in 15 days · <#C1>",
    ]
    assert "<#C1> — 4 open, 1 overdue" in page


def test_someone_with_nothing_yet_is_shown_how_to_add_the_first(slack_app: SlackApp) -> None:
    assert open_home(slack_app, "U3")[3:] == [
        "Nothing on your plate yet. 🎉",
        "Add your first milestone with the button above, or type this in any channel:",
        "`/milestone add Launch beta due Dec 15 owner me`",
        "It will show up here, and the channel gets reminders before it is due.",
    ]


def test_owning_nothing_says_so_above_what_you_added_for_others(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Hire designer due Dec 4 owner <@U2|bob>", user="U3")
    page = open_home(slack_app, "U3")
    assert page[3:8] == [
        "Owned by you (0)",
        "Nothing owned by you is open · Add one: `/milestone add Launch beta due Dec 15 owner me`",
        "---",
        "Added by you for others (1)",
        "*#1* Hire designer · for <@U2> · due Fri Dec 4 · in 8 days · <#C1>",
    ]


def test_done_on_a_milestone_added_for_someone_else_tells_the_channel_and_redraws(
    slack_app: SlackApp,
) -> None:
    slack_app.requests.command("add Pricing page due Dec 15 owner me")
    slack_app.requests.command("add Hire designer due Dec 4 owner <@U2|bob>")
    open_home(slack_app, "U1")
    view = slack_app.fake.last("views.publish").params["view"]
    slack_app.requests.block_action(
        action_id="home_milestone", value="", selected="done:2", view={**view, "id": "VHOME"}
    )
    posted = [call.params["text"] for call in slack_app.fake.calls_to("chat.postMessage")]
    assert any(text.startswith("✅ #2 Hire designer done by <@U1>") for text in posted)
    redrawn = slack_app.fake.last("views.publish").params["view"]
    assert_valid_view(redrawn, kind="home")
    page = home_page(redrawn)
    assert page[page.index("Added by you for others (0)") + 1] == (
        "Nothing you added for someone else is open · Ask someone for one: "
        "`/milestone add Website copy due Dec 15 owner @name`"
    )
    assert "*#1* Pricing page · due Tue Dec 15 · in 20 days · <#C1>" in page


def test_a_full_plate_stays_within_slacks_100_blocks_and_says_where_the_rest_are(slack_app: SlackApp) -> None:
    for batch in range(8):
        lines = "\n".join(f"Task {batch * 50 + n} due Dec {1 + n % 28} owner me" for n in range(50))
        slack_app.requests.command(f"add {lines}")
    lines = "\n".join(f"Ask {n} due Dec {1 + n % 28} owner <@U2|bob>" for n in range(50))
    slack_app.requests.command(f"add {lines}")
    page = open_home(slack_app, "U1")
    view = slack_app.fake.last("views.publish").params["view"]
    assert len(view["blocks"]) <= 100
    assert "Owned by you (400)" in page and "Added by you for others (50)" in page
    assert "*#1* Task 0 · due Tue Dec 1 · in 6 days · <#C1>" in page
    assert "*#401* Ask 0 · for <@U2> · due Tue Dec 1 · in 6 days · <#C1>" in page
    hints = [line for line in page if line.startswith("…and")]
    assert len(hints) == 2
    assert hints[0].endswith(" more later: `/milestone list mine`")
    assert hints[1].endswith(" more added for others: `/milestone list @name` shows one person's")
    assert "<#C1> — 450 open" in page
