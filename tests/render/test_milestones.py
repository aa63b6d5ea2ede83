from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.command_types import ListCommand
from bot.core.listing import ChannelSummary, Listing
from bot.render.lists import empty_list_text, list_message
from bot.render.milestones import (
    added_message,
    bulk_added_message,
    delete_cancelled_message,
    delete_confirm_message,
    deleted_message,
    milestone_line,
    not_found_message,
    refused_message,
    show_message,
    status_label,
    updated_message,
)
from storage.models import Milestone
from tests.support.blocks import action_elements, all_mrkdwn, assert_defused, assert_valid, mrkdwn_texts
from tests.support.factories import HOSTILE, TODAY, make_milestone, make_revision
from tests.support.reading import fallbacks

TZ = ZoneInfo("America/Los_Angeles")
NEW_YORK = ZoneInfo("America/New_York")
ADD_EXAMPLE = "`/milestone add Launch beta due Dec 15 owner @alice`"
NO_MILESTONES = f"No milestones in this channel yet. Add one: {ADD_EXAMPLE}"
NO_CHANNEL = ChannelSummary(milestones=0, open=0, done=0, overdue=0, next_due=None)
SIX_OPEN = ChannelSummary(milestones=9, open=6, done=3, overdue=0, next_due=date(2026, 12, 4))


def listing(
    milestones: list[Milestone],
    *,
    heading: str = "Open milestones",
    total: int | None = None,
    request: ListCommand | None = None,
    channel: ChannelSummary | None = None,
) -> Listing:
    """A list's findings as core hands them to render."""
    return Listing(
        milestones=milestones,
        total=len(milestones) if total is None else total,
        heading=heading,
        request=request or ListCommand(),
        channel=channel,
    )


@pytest.mark.parametrize(
    ("status", "label"),
    [
        ("open", "⚪ Open"),
        ("on_track", "🟢 On track"),
        ("at_risk", "🟡 At risk"),
        ("blocked", "🔴 Blocked"),
        ("done", "✅ Done"),
        ("cancelled", "⚫ Cancelled"),
    ],
)
def test_status_label_has_emoji_and_words(status, label):
    assert status_label(status) == label


def test_milestone_line_reads_number_title_due_with_weekday_and_how_far_owner_status():
    line = milestone_line(make_milestone(), today=TODAY)

    assert line == "*#12* Launch beta · due Tue Dec 15 · in 25 days · <@U1> · 🟢 On track"


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2026, 12, 14), "due Tue Dec 15 · tomorrow"),
        (date(2026, 12, 15), "due Tue Dec 15 · today"),
        (date(2026, 12, 16), "due Tue Dec 15 · ⚠️ 1 day overdue"),
        (date(2026, 12, 18), "due Tue Dec 15 · ⚠️ 3 days overdue"),
    ],
)
def test_milestone_line_says_tomorrow_today_and_how_overdue_an_open_milestone_is(today, due):
    line = milestone_line(make_milestone(), today=today)

    assert line == f"*#12* Launch beta · {due} · <@U1> · 🟢 On track"


def test_milestone_line_done_is_never_overdue_and_says_when_it_was_done():
    line = milestone_line(
        make_milestone(status="done", completed_on=date(2026, 12, 17)), today=date(2026, 12, 18)
    )

    assert line == "*#12* Launch beta · due Tue Dec 15 · <@U1> · ✅ done Thu Dec 17"


def test_milestone_line_is_terse_about_missing_date_and_owner():
    line = milestone_line(make_milestone(due_date=None, owner_id=None, status="open"), today=TODAY)

    assert line == "*#12* Launch beta · no due date · no owner · ⚪ Open"


def test_milestone_line_escapes_title_and_department():
    line = milestone_line(make_milestone(title=HOSTILE, department=f"R&D {HOSTILE}"), today=TODAY)

    assert_defused(line)
    assert "R&amp;D" in line
    assert "<@U1>" in line  # the owner is a real mention, on purpose


@pytest.mark.parametrize("count", [0, 1, 10, 60, 250])
def test_list_stays_within_slack_limits_and_says_how_many_more(count):
    milestones = [make_milestone(number=n, title=f"Milestone {n} " + "&" * 130) for n in range(1, count + 1)]

    message = list_message(listing(milestones, channel=None if count else NO_CHANNEL), today=TODAY)

    assert_valid(message)
    text = all_mrkdwn(message)
    assert text.count("*#") == min(count, 100)
    if count == 0:
        assert NO_MILESTONES in text
    if count > 100:
        assert f"…and {count - 100} more." in text
        assert "`/milestone list mine`" in text
    else:
        assert "more." not in text


def test_list_packs_several_milestones_per_section():
    milestones = [make_milestone(number=n) for n in range(1, 61)]

    message = list_message(listing(milestones), today=TODAY)

    sections = [block for block in message.blocks if block["type"] == "section"]
    assert len(sections) == 6
    assert message.blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Open milestones", "emoji": True},
    }


def test_list_counts_milestones_the_caller_did_not_load():
    milestones = [make_milestone(number=n) for n in range(1, 101)]

    message = list_message(listing(milestones, heading="All milestones", total=250), today=TODAY)

    assert "…and 150 more." in all_mrkdwn(message)


def test_list_escapes_user_text_in_lines_and_fallback():
    milestones = [make_milestone(title=HOSTILE, department=HOSTILE)]

    message = list_message(listing(milestones, heading=f"Dept {HOSTILE}"), today=TODAY)

    assert_valid(message)
    assert_defused(all_mrkdwn(message))


@pytest.mark.parametrize(
    ("request_", "said"),
    [
        (ListCommand(scope="overdue"), "Nothing overdue 🎉 · 6 open, next due Fri Dec 4"),
        (ListCommand(scope="done"), "Nothing done yet · 6 open, next due Fri Dec 4"),
        (ListCommand(scope="upcoming"), "Nothing due in the next 4 weeks · 6 open, next due Fri Dec 4"),
        (ListCommand(scope="mine"), "Nothing of yours is open · 6 open in this channel: `/milestone list`"),
        (
            ListCommand(scope="owner", owner_id="U2"),
            "<@U2> has nothing open · 6 open in this channel: `/milestone list`",
        ),
        (
            ListCommand(scope="dept", department="Marketing"),
            "Nothing open in Marketing · 6 open in this channel: `/milestone list`",
        ),
    ],
)
def test_an_empty_list_says_what_it_looked_for_and_what_is_open_instead(request_: ListCommand, said: str):
    message = list_message(listing([], heading="Some list", request=request_, channel=SIX_OPEN), today=TODAY)

    assert_valid(message)
    assert [block["type"] for block in message.blocks] == ["header", "section"]
    assert list(mrkdwn_texts(message.blocks)) == [said]
    assert message.text == f"Some list: {said}"


def test_the_next_due_date_of_another_year_names_the_year_and_overdue_ones_are_counted():
    channel = ChannelSummary(milestones=3, open=3, done=0, overdue=1, next_due=date(2027, 1, 8))

    said = empty_list_text(ListCommand(scope="upcoming"), channel, today=TODAY)

    assert said == "Nothing due in the next 4 weeks · 3 open, 1 overdue, next due Fri Jan 8, 2027"


def test_open_milestones_without_a_due_date_are_only_counted():
    channel = ChannelSummary(milestones=2, open=2, done=0, overdue=0, next_due=None)

    said = empty_list_text(ListCommand(scope="overdue"), channel, today=TODAY)

    assert said == "Nothing overdue 🎉 · 2 open"


def test_a_channel_with_nothing_open_points_to_what_was_done_or_cancelled():
    closed = ChannelSummary(milestones=3, open=0, done=2, overdue=0, next_due=None)
    cancelled = ChannelSummary(milestones=1, open=0, done=0, overdue=0, next_due=None)

    assert empty_list_text(ListCommand(), closed, today=TODAY) == (
        "Nothing open in this channel · 2 done, 1 cancelled: `/milestone list all`"
    )
    assert empty_list_text(ListCommand(scope="done"), cancelled, today=TODAY) == (
        "Nothing done yet · nothing open in this channel, 1 cancelled: `/milestone list all`"
    )
    assert empty_list_text(ListCommand(scope="mine"), closed, today=TODAY) == (
        "Nothing of yours is open · nothing open in this channel, 2 done, 1 cancelled: `/milestone list all`"
    )


@pytest.mark.parametrize("scope", ["channel", "all", "done", "overdue", "upcoming"])
def test_only_a_channel_without_milestones_invites_the_first_one(scope):
    assert empty_list_text(ListCommand(scope=scope), NO_CHANNEL, today=TODAY) == NO_MILESTONES


def test_an_empty_department_list_escapes_the_department_and_mentions_only_real_people():
    dept = empty_list_text(ListCommand(scope="dept", department=HOSTILE), NO_CHANNEL, today=TODAY)
    owner = empty_list_text(ListCommand(scope="owner", owner_id=HOSTILE), SIX_OPEN, today=TODAY)

    assert_defused(dept)
    assert_defused(owner)
    assert dept.endswith(f"· this channel has no milestones yet. Add one: {ADD_EXAMPLE}")


def test_show_has_every_field_and_the_slip_against_the_plan():
    milestone = make_milestone(
        due_date=date(2026, 12, 20),
        start_date=date(2026, 11, 1),
        department="Marketing",
        budget_minor=500000,
        budget_currency="USD",
    )

    message = show_message(milestone, [], today=TODAY, tz=TZ)

    assert_valid(message)
    assert message.blocks[0]["text"]["text"] == "#12 Launch beta"
    fields = {
        field["text"].split("\n")[0]: field["text"].split("\n")[1] for field in message.blocks[1]["fields"]
    }
    assert fields == {
        "*Status*": "🟢 On track",
        "*Due*": "Sun Dec 20 · in 30 days (planned Tue Dec 15, slipped 5 days)",
        "*Start*": "Sun Nov 1",
        "*Owner*": "<@U1>",
        "*Department*": "Marketing",
        "*Budget*": "$5,000",
        "*Channel*": "<#C1>",
    }
    assert "no changes since it was added" in all_mrkdwn(message)


def test_show_done_milestone_has_actual_cost_variance_and_no_done_button():
    milestone = make_milestone(
        status="done",
        completed_on=date(2026, 12, 18),
        budget_minor=500000,
        budget_currency="USD",
        actual_cost_minor=550000,
        actual_cost_currency="USD",
    )

    message = show_message(milestone, [], today=date(2026, 12, 20), tz=TZ)

    assert_valid(message)
    text = all_mrkdwn(message)
    assert "*Actual cost*\n$5,500 — $500 over budget" in text
    assert "*Completed on*\nFri Dec 18 (3 days late)" in text
    assert "*Due*\nTue Dec 15\n" in text + "\n"  # done: nothing relative
    assert [button["action_id"] for button in action_elements(message.blocks)] == ["milestone_edit"]


def test_show_lists_last_ten_changes_newest_first_in_the_channel_time_zone():
    start = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    revisions = [
        make_revision(
            old=f"2026-12-{n:02d}", new=f"2026-12-{n + 1:02d}", at=start + timedelta(days=n), reason=None
        )
        for n in range(1, 26)
    ]

    message = show_message(make_milestone(), revisions, today=TODAY, tz=TZ)

    assert_valid(message)
    text = all_mrkdwn(message)
    history = [line for line in text.split("\n") if " changed due date " in line]
    assert len(history) == 10
    assert history[0] == "Nov 26 · <@U1> changed due date Fri Dec 25 → Sat Dec 26"
    assert history[-1] == "Nov 17 · <@U1> changed due date Wed Dec 16 → Thu Dec 17"
    assert "…and 15 earlier changes." in text


def test_show_counts_changes_the_caller_did_not_load():
    revisions = [make_revision(reason=None) for _ in range(10)]

    message = show_message(make_milestone(), revisions, today=TODAY, tz=TZ, total_revisions=42)

    assert "…and 32 earlier changes." in all_mrkdwn(message)


def test_show_dates_a_change_by_the_day_it_was_in_the_time_zone():
    late_evening_in_la = make_revision(at=datetime(2026, 11, 26, 2, 0, tzinfo=UTC))

    message = show_message(make_milestone(), [late_evening_in_la], today=TODAY, tz=TZ)

    assert "Nov 25 · <@U1> changed due date Tue Dec 15 → Sun Dec 20 — _because vendor late_" in all_mrkdwn(
        message
    )


@pytest.mark.parametrize(
    ("field", "old", "new", "expected"),
    [
        ("budget", "500000 USD", "750000 USD", "changed budget $5,000 → $7,500"),
        ("status", "on_track", "at_risk", "changed status 🟢 On track → 🟡 At risk"),
        ("owner", "U1", "U2", "changed owner <@U1> → <@U2>"),
        ("start", None, "2026-11-01", "set start to Sun Nov 1"),
        ("department", "Sales", None, "cleared department (was Sales)"),
        ("title", "Beta", "Launch beta", "changed title Beta → Launch beta"),
        ("actual_cost", None, "550000 USD", "set actual cost to $5,500"),
    ],
)
def test_show_describes_each_kind_of_change(field, old, new, expected):
    revision = make_revision(field=field, old=old, new=new, reason="because the board asked")

    message = show_message(make_milestone(), [revision], today=TODAY, tz=TZ)

    assert f"{expected} — _because the board asked_" in all_mrkdwn(message)


def test_show_escapes_every_user_typed_value():
    milestone = make_milestone(title=HOSTILE, department=HOSTILE)
    revisions = [
        make_revision(field="title", old=HOSTILE, new="Launch beta", reason=HOSTILE),
        make_revision(field="owner", old="<!channel>", new="U2"),
    ]

    message = show_message(milestone, revisions, today=TODAY, tz=TZ)

    assert_valid(message)
    assert_defused(all_mrkdwn(message))
    assert message.blocks[0]["type"] == "header"  # plain text: shows as typed, pings no one


def test_show_buttons_carry_the_milestone_number():
    message = show_message(make_milestone(), [], today=TODAY, tz=TZ)

    buttons = action_elements(message.blocks)
    assert [(b["action_id"], b["value"], b["text"]["text"]) for b in buttons] == [
        ("milestone_done", "12", "Mark done"),
        ("milestone_edit", "12", "Edit"),
    ]


def test_added_message_is_one_line_with_no_tips():
    milestone = make_milestone(
        due_date=date(2026, 12, 11), owner_id="U2", budget_minor=500000, budget_currency="USD"
    )

    message = added_message(milestone, by="U1", today=TODAY, zone=NEW_YORK)

    assert_valid(message)
    [line] = mrkdwn_texts(message.blocks)
    # The channel reads it later, each reader in their zone: Slack's token, noon in New York on Dec 11.
    token = "<!date^1797008400^{date_long_pretty}|Fri Dec 11>"
    assert line == f"➕ Added *#12* Launch beta · due {token} · <@U2> · $5,000 — by <@U1>"
    assert "/milestone" not in all_mrkdwn(message)
    assert message.text == "➕ Added *#12* Launch beta · due Fri Dec 11 · <@U2> · $5,000 — by <@U1>"
    assert fallbacks(line) == message.text


def test_added_message_of_an_overdue_date_says_overdue_without_a_count_that_would_go_stale():
    message = added_message(make_milestone(due_date=date(2026, 11, 18)), by="U1", today=TODAY)

    assert message.text == "➕ Added *#12* Launch beta · due Wed Nov 18 · ⚠️ overdue · <@U1> — by <@U1>"
    # No zone known: noon UTC, the same day from UTC−12 to UTC+11.
    assert (
        f"<!date^{int(datetime(2026, 11, 18, 12, tzinfo=UTC).timestamp())}^"
        in message.blocks[0]["text"]["text"]
    )


def test_added_message_of_a_channels_first_milestone_says_when_its_first_review_is():
    first_review = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("America/New_York"))

    message = added_message(make_milestone(), by="U1", today=TODAY, first_review=first_review)

    assert_valid(message)
    *_, review = mrkdwn_texts(message.blocks)
    unix = int(first_review.timestamp())
    assert (
        review == f"🗓️ First weekly review: <!date^{unix}^{{date_long_pretty}} at {{time}}|Mon Dec 7, 09:00>"
    )
    # The first review carries the channel's zone: the due date's token is noon there.
    noon_ny = int(datetime(2026, 12, 15, 12, tzinfo=NEW_YORK).timestamp())
    assert f"<!date^{noon_ny}^" in message.blocks[0]["text"]["text"]


def test_added_message_escapes_the_title():
    message = added_message(make_milestone(title=HOSTILE, owner_id=None, due_date=None), by="U1", today=TODAY)

    assert_defused(all_mrkdwn(message))
    assert "no due date — by <@U1>" in all_mrkdwn(message)


def test_bulk_added_message_is_one_summary_within_limits():
    added = [make_milestone(number=12 + n, title=f"Step {n}", due_date=date(2026, 12, 11)) for n in range(25)]

    message = bulk_added_message(added, by="U1", today=TODAY)

    assert_valid(message)
    [line] = mrkdwn_texts(message.blocks)
    assert fallbacks(line).startswith(
        "➕ 25 milestones added by <@U1>: *#12* Step 0 (Fri Dec 11), *#13* Step 1 (Fri Dec 11)"
    )
    assert fallbacks(line).endswith("*#21* Step 9 (Fri Dec 11), …and 15 more")
    assert line.count("<!date^") == 10
    assert message.text == "➕ 25 milestones added by <@U1>"


def test_updated_message_is_one_line_old_to_new_with_the_reason_and_who():
    milestone = make_milestone(due_date=date(2026, 12, 20))
    changes = [make_revision(), make_revision(field="owner", old="U1", new="U2")]

    message = updated_message(milestone, changes, by="U3", today=TODAY)

    assert_valid(message)
    [line] = mrkdwn_texts(message.blocks)
    assert line == (
        "✏️ Updated *#12* Launch beta: changed due date Tue Dec 15 → Sun Dec 20, changed owner <@U1> → <@U2>"
        " _because vendor late_ — by <@U3>"
    )


def test_updated_message_without_changes_says_nothing_changed():
    message = updated_message(make_milestone(), [], by="U1", today=TODAY)

    assert_valid(message)
    assert message.text.startswith("Nothing to change on *#12*")


def test_delete_confirm_asks_with_a_danger_button_and_a_cancel():
    message = delete_confirm_message(make_milestone(title=HOSTILE), today=TODAY)

    assert_valid(message)
    assert_defused(all_mrkdwn(message))
    delete, cancel = action_elements(message.blocks)
    assert (delete["action_id"], delete["value"], delete["style"]) == ("delete_confirm", "12", "danger")
    assert delete["text"]["text"] == "Delete #12"
    assert delete["confirm"]["title"]["text"] == "Delete #12?"
    assert (cancel["action_id"], cancel["value"]) == ("delete_cancel", "12")


def test_delete_outcomes_name_the_milestone():
    milestone = make_milestone(title=HOSTILE)

    for message in (deleted_message(milestone), delete_cancelled_message(milestone)):
        assert_valid(message)
        assert_defused(all_mrkdwn(message))
    assert deleted_message(make_milestone()).text == "🗑️ Deleted *#12* Launch beta."


def test_not_found_points_to_the_list():
    message = not_found_message(99)

    assert_valid(message)
    assert "*#99*" in message.text
    assert "`/milestone list all`" in message.text


def test_refused_names_owner_and_creator_once_each():
    same = refused_message(action="delete", m=make_milestone(owner_id="U1", created_by="U1"))
    both = refused_message(action="update", m=make_milestone(owner_id="U2", created_by="U1"))
    nobody = refused_message(action="delete", m=make_milestone(owner_id=None, created_by="U1"))

    assert same.text == "🔒 Only <@U1> or a workspace admin can delete *#12*."
    assert both.text == "🔒 Only <@U2>, <@U1> or a workspace admin can update *#12*."
    assert nobody.text == same.text
    assert_valid(both)
