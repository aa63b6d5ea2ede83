"""The App Home tab: what you own by urgency, what you added for others, within Slack's limits."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from bot.render.home import MAX_MILESTONE_SECTIONS, home_view
from storage.models import Milestone
from tests.support.blocks import assert_defused, assert_valid_view, mrkdwn_texts, view_text
from tests.support.factories import HOSTILE, TODAY, make_milestone
from tests.support.home_tab import home_page as page

# TODAY is Friday, Nov 20, 2026: this ISO week ends on Sunday, Nov 22.
SUNDAY = date(2026, 11, 22)
ME = "U1"


def view_of(
    mine: list[Milestone], *, channel_counts: list[tuple[str, int, int]] | None = None, today: date = TODAY
) -> dict:
    view = home_view(user_id=ME, mine=mine, channel_counts=channel_counts or [], today=today)
    assert_valid_view(view, kind="home")
    return view


def milestones(count: int, *, first_due: date, **overrides) -> list[Milestone]:
    return [
        make_milestone(id=n, number=n, due_date=first_due + timedelta(days=n), **overrides)
        for n in range(1, count + 1)
    ]


def section_texts(view: dict) -> list[str]:
    return [block["text"]["text"] for block in view["blocks"] if block["type"] == "section"]


def headings(view: dict) -> list[str]:
    return [text for text in section_texts(view) if re.fullmatch(r"\*[^*]+ \([0-9]+\)\*", text)]


def menus(view: dict) -> list[dict]:
    return [block["accessory"] for block in view["blocks"] if "accessory" in block]


def numbers_in_order(view: dict) -> list[int]:
    return [int(number) for text in section_texts(view) for number in re.findall(r"\*#([0-9]+)\*", text)]


def more_counts(view: dict) -> int:
    return sum(
        int(count)
        for text in mrkdwn_texts(view["blocks"])
        for count in re.findall(r"…and ([0-9]+) more", text)
    )


def test_home_starts_with_a_header_and_an_add_button() -> None:
    view = view_of([make_milestone()])
    first, _, actions = view["blocks"][:3]
    assert first["type"] == "header"
    assert first["text"]["text"] == "Your milestones"
    (button,) = actions["elements"]
    assert button["text"]["text"] == "Add a milestone"
    assert button["action_id"] == "home_add"
    assert button["style"] == "primary"


def test_home_with_no_milestones_explains_how_to_add_the_first() -> None:
    view = view_of([])
    assert headings(view) == []
    assert menus(view) == []
    assert page(view)[3:] == [
        "Nothing on your plate yet. 🎉",
        "Add your first milestone with the button above, or type this in any channel:",
        "`/milestone add Launch beta due Dec 15 owner me`",
        "It will show up here, and the channel gets reminders before it is due.",
    ]


def test_what_you_own_and_what_you_added_for_others_are_apart_and_read_plainly() -> None:
    view = view_of(
        [
            make_milestone(id=1, number=1, title="Pricing page", status="open", channel_id="C7"),
            make_milestone(id=2, number=2, title="Hire designer", owner_id="U2", status="at_risk"),
            make_milestone(id=3, number=3, title="Legal review", owner_id=None, due_date=None, status="open"),
            make_milestone(
                id=4, number=4, title="Ship", due_date=TODAY - timedelta(days=3), status="blocked"
            ),
            make_milestone(id=5, number=5, title="Not mine", owner_id="U2", created_by="U2"),
        ],
        channel_counts=[("C1", 3, 1), ("C7", 1, 0)],
    )
    assert page(view) == [
        "Your milestones",
        f"<@{ME}> · open milestones you own or added, in every channel.",
        "[Add a milestone]",
        "Owned by you (2)",
        "*⚠️ Overdue (1)*",
        "*#4* Ship · due Tue Nov 17 · ⚠️ 3 days overdue · 🔴 Blocked · <#C1>",
        "*Later (1)*",
        "*#1* Pricing page · due Tue Dec 15 · in 25 days · <#C7>",
        "---",
        "Added by you for others (2)",
        "*#2* Hire designer · for <@U2> · due Tue Dec 15 · in 25 days · 🟡 At risk · <#C1>",
        "*#3* Legal review · no owner yet · no due date · <#C1>",
        "---",
        "*By channel*",
        "<#C1> — 3 open, 1 overdue",
        "<#C7> — 1 open",
    ]
    assert len(menus(view)) == 4


def test_your_own_mention_and_open_are_never_repeated_on_a_line() -> None:
    view = view_of(
        [*milestones(5, first_due=TODAY, status="open"), make_milestone(id=9, number=9, owner_id="U2")]
    )
    lines = [line for line in page(view) if line.startswith("*#")]
    assert len(lines) == 6
    assert not any(f"<@{ME}>" in line or "Open" in line for line in lines)


def test_on_track_is_said_because_it_is_an_answer() -> None:
    view = view_of([make_milestone(status="on_track")])
    assert "*#12* Launch beta · due Tue Dec 15 · in 25 days · 🟢 On track · <#C1>" in page(view)


def test_owning_nothing_says_so_and_how_to_add_one() -> None:
    view = view_of([make_milestone(owner_id="U2")])
    text = page(view)
    assert text[3:5] == [
        "Owned by you (0)",
        "Nothing owned by you is open · Add one: `/milestone add Launch beta due Dec 15 owner me`",
    ]
    assert "*#12* Launch beta · for <@U2> · due Tue Dec 15 · in 25 days · 🟢 On track · <#C1>" in text


def test_adding_nothing_for_others_says_so_in_one_grey_line() -> None:
    view = view_of([make_milestone()])
    text = page(view)
    after = text[text.index("Added by you for others (0)") + 1]
    assert after == (
        "Nothing you added for someone else is open · Ask someone for one: "
        "`/milestone add Website copy due Dec 15 owner @name`"
    )
    assert view["blocks"][-1]["type"] == "context"


def test_home_with_one_milestone_shows_it_with_its_menu() -> None:
    view = view_of([make_milestone()])  # due Dec 15: later than this week
    assert headings(view) == ["*Later (1)*"]
    (menu,) = menus(view)
    assert menu["type"] == "overflow"
    assert menu["action_id"] == "home_milestone"
    options = [(option["text"]["text"], option["value"]) for option in menu["options"]]
    assert options == [("Mark done", "done:12"), ("New date…", "new_date:12")]


def test_owned_milestones_group_overdue_then_due_this_week_then_later_then_undated() -> None:
    mine = [
        make_milestone(id=1, number=1, due_date=date(2026, 12, 30)),
        make_milestone(id=2, number=2, due_date=None),
        make_milestone(id=3, number=3, due_date=SUNDAY),
        make_milestone(id=4, number=4, due_date=TODAY),
        make_milestone(id=5, number=5, due_date=TODAY - timedelta(days=1)),
        make_milestone(id=6, number=6, due_date=SUNDAY + timedelta(days=1)),
        make_milestone(id=7, number=7, due_date=date(2026, 10, 1)),
        make_milestone(id=8, number=8, due_date=None),
        make_milestone(id=9, number=9, due_date=TODAY + timedelta(days=1)),
        make_milestone(id=10, number=10, due_date=date(2027, 3, 1)),
    ]
    view = view_of(mine)
    assert headings(view) == [
        "*⚠️ Overdue (2)*",
        "*📅 Due this week (3)*",
        "*Later (3)*",
        "*No due date (2)*",
    ]
    assert numbers_in_order(view) == [7, 5, 4, 9, 3, 6, 1, 10, 2, 8]
    assert len(menus(view)) == 10


def test_added_for_others_reads_soonest_first_with_the_overdue_said() -> None:
    view = view_of(
        [
            make_milestone(id=1, number=1, owner_id="U2", due_date=None),
            make_milestone(id=2, number=2, owner_id="U3", due_date=TODAY - timedelta(days=1)),
            make_milestone(id=3, number=3, owner_id="U2", due_date=TODAY),
        ]
    )
    assert numbers_in_order(view) == [2, 3, 1]
    assert "*#2* Launch beta · for <@U3> · due Thu Nov 19 · ⚠️ 1 day overdue · 🟢 On track · <#C1>" in page(
        view
    )
    assert "*#3* Launch beta · for <@U2> · due Fri Nov 20 · today · 🟢 On track · <#C1>" in page(view)


def test_due_this_week_ends_on_sunday() -> None:
    sunday = SUNDAY
    view = view_of(
        [
            make_milestone(id=1, number=1, due_date=sunday),
            make_milestone(id=2, number=2, due_date=sunday + timedelta(days=1)),
        ],
        today=sunday,
    )
    assert headings(view) == ["*📅 Due this week (1)*", "*Later (1)*"]


def test_home_leaves_out_empty_groups_and_closed_milestones() -> None:
    view = view_of(
        [
            make_milestone(id=1, number=1, due_date=TODAY - timedelta(days=3), status="done"),
            make_milestone(id=2, number=2, due_date=TODAY - timedelta(days=3), status="cancelled"),
            make_milestone(id=3, number=3, due_date=None, status="blocked"),
        ]
    )
    assert headings(view) == ["*No due date (1)*"]
    assert numbers_in_order(view) == [3]


def test_by_channel_lists_open_and_overdue_counts_most_overdue_first() -> None:
    view = view_of([make_milestone()], channel_counts=[("C1", 4, 0), ("C2", 2, 1), ("C3", 0, 0)])
    by_channel = section_texts(view)[-1]
    assert by_channel == "*By channel*\n<#C2> — 2 open, 1 overdue\n<#C1> — 4 open"
    assert view["blocks"][-2]["type"] == "divider"


def test_by_channel_stays_within_one_section_however_many_channels() -> None:
    view = view_of([make_milestone()], channel_counts=[(f"C{n:010d}", 999, 999) for n in range(500)])
    by_channel = section_texts(view)[-1]
    assert by_channel.startswith("*By channel*")
    assert by_channel.endswith("…and 460 more channels.")


def test_home_escapes_hostile_titles_and_departments() -> None:
    view = view_of(
        [
            make_milestone(title=HOSTILE, department=HOSTILE, due_date=TODAY - timedelta(days=2)),
            make_milestone(id=2, number=2, title=HOSTILE, department=HOSTILE, owner_id="U2"),
        ],
        channel_counts=[("C1", 1, 1)],
    )
    assert_defused(view_text(view))


@pytest.mark.parametrize("count", [0, 1, 10, 500])
@pytest.mark.parametrize("owner", [ME, "U2"])
def test_home_keeps_within_slacks_limits_however_many_milestones(count: int, owner: str) -> None:
    mine = milestones(count, first_due=TODAY - timedelta(days=count // 2), owner_id=owner)
    view = view_of(mine, channel_counts=[("C1", count, count // 2)])
    assert len(view["blocks"]) <= 100
    assert len(menus(view)) == min(count, MAX_MILESTONE_SECTIONS)
    assert len(numbers_in_order(view)) + more_counts(view) == count


def test_home_with_500_milestones_keeps_menus_for_the_most_urgent_and_counts_the_rest() -> None:
    mine = milestones(500, first_due=TODAY - timedelta(days=100))  # 99 overdue, 401 due this week or later
    view = view_of(mine)
    shown = numbers_in_order(view)
    assert shown == sorted(shown)
    assert shown[:MAX_MILESTONE_SECTIONS] == list(range(1, MAX_MILESTONE_SECTIONS + 1))
    assert all(menu["options"][0]["value"].startswith("done:") for menu in menus(view))
    hints = [text for text in mrkdwn_texts(view["blocks"]) if "more later" in text]
    assert hints == [f"…and {500 - len(shown)} more later: `/milestone list mine`"]


def test_many_of_both_kinds_share_the_room_and_say_where_the_rest_are() -> None:
    owned = milestones(400, first_due=TODAY + timedelta(days=10))
    others = [
        make_milestone(id=1000 + n, number=1000 + n, owner_id="U2", due_date=TODAY + timedelta(days=n))
        for n in range(1, 201)
    ]
    view = view_of(owned + others)
    assert len(view["blocks"]) <= 100
    text = page(view)
    assert "Owned by you (400)" in text and "Added by you for others (200)" in text
    assert len(numbers_in_order(view)) + more_counts(view) == 600
    assert "*#1001* Launch beta · for <@U2> · due Sat Nov 21 · tomorrow · 🟢 On track · <#C1>" in text
    assert len(menus(view)) == MAX_MILESTONE_SECTIONS
    hints = [line for line in text if line.startswith("…and")]
    assert [re.sub(r"[0-9]+", "N", hint) for hint in hints] == [
        "…and N more later: `/milestone list mine`",
        "…and N more added for others: `/milestone list @name` shows one person's",
    ]


def test_home_with_long_hostile_titles_stays_within_limits() -> None:
    # `&` escapes to `&amp;`: a 150-character title becomes 750 characters of mrkdwn.
    mine = milestones(300, first_due=TODAY, title="&" * 150, department="<" * 80)
    view = view_of(mine)
    assert len(numbers_in_order(view)) + more_counts(view) == 300
