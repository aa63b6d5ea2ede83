"""ConsoleSession drives the real app: commands, presses, forms, Home, and the scheduler on its own clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.console.outputs import Choice, Output
from bot.console.session import ConsoleSession

NEW_YORK = ZoneInfo("America/New_York")
# 10:00 in New York on Wednesday 25 November 2026.
START = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


@pytest.fixture
def session(tmp_path: Path) -> Iterator[ConsoleSession]:
    console = ConsoleSession(
        database_url=f"sqlite:///{tmp_path / 'console.db'}", now=START, files_dir=tmp_path / "files"
    )
    try:
        yield console
    finally:
        console.close()


def choices(output: Output) -> list[Choice]:
    """The buttons and overflow options in an output, as a person would be offered them."""
    found = []
    for block in output.blocks:
        elements = [*block.get("elements", []), *([block["accessory"]] if "accessory" in block else [])]
        for element in elements:
            block_id = block.get("block_id", "")
            if element.get("type") == "button":
                label = element["text"]["text"]
                found.append(
                    Choice(label, element["action_id"], block_id, element.get("value"), output, "button")
                )
            for option in element.get("options", []) if element.get("type") == "overflow" else []:
                label, value = option["text"]["text"], option["value"]
                found.append(Choice(label, element["action_id"], block_id, value, output, "overflow", option))
    return found


def choice(output: Output, label: str) -> Choice:
    """The one choice with this label."""
    [found] = [offered for offered in choices(output) if offered.label == label]
    return found


def text_of(output: Output) -> str:
    """The fallback text and every block, for looking things up."""
    return output.text + "\n" + "\n".join(str(block) for block in output.blocks)


def add_launch_beta(session: ConsoleSession) -> Output:
    [added] = session.run_command("/milestone add Launch beta due 2026-12-04 owner @alice")
    return added


def test_an_added_milestone_is_posted_in_the_channel_with_the_owner_mentioned(
    session: ConsoleSession,
) -> None:
    added = add_launch_beta(session)

    assert (added.kind, added.channel) == ("message", "#general")
    assert "Launch beta" in added.text and "<@U0ALICE>" in added.text
    assert added.ts is not None


def test_list_without_the_leading_command_answers_only_the_asker(session: ConsoleSession) -> None:
    add_launch_beta(session)

    [listed] = session.run_command("list")

    assert (listed.kind, listed.user, listed.channel) == ("ephemeral", "U0YOU", "#general")
    assert "Launch beta" in text_of(listed)


def test_mark_done_pressed_on_show_tells_the_channel(session: ConsoleSession) -> None:
    add_launch_beta(session)
    [shown] = session.run_command("show 1")

    [done] = session.press(choice(shown, "Mark done"))

    assert (done.kind, done.channel) == ("message", "#general")
    assert "Launch beta" in done.text and "✅" in text_of(done)


def test_moving_the_clock_posts_the_reminder_at_nine_in_new_york_and_not_before(
    session: ConsoleSession,
) -> None:
    add_launch_beta(session)

    assert session.move_clock(datetime(2026, 11, 27, 8, 59, tzinfo=NEW_YORK)) == []
    [reminder] = session.move_clock(datetime(2026, 11, 27, 9, 0, tzinfo=NEW_YORK))

    assert (reminder.kind, reminder.channel) == ("message", "#general")
    assert "due in 7 days" in reminder.text and "<@U0ALICE>" in reminder.text
    assert session.now == datetime(2026, 11, 27, 14, 0, tzinfo=UTC)


def channel_review(outputs: list[Output]) -> Output:
    """The review posted in the channel, among the owners' DMs."""
    [review] = [o for o in outputs if o.channel == "#general" and o.text.startswith("Weekly review")]
    return review


def test_the_weekly_review_comes_on_monday_and_its_owner_answers_in_the_form(session: ConsoleSession) -> None:
    add_launch_beta(session)
    session.move_clock(datetime(2026, 11, 29, 12, 0, tzinfo=NEW_YORK))

    review = channel_review(session.move_clock(datetime(2026, 11, 30, 9, 0, tzinfo=NEW_YORK)))
    assert review.kind == "message"
    assert [c.label for c in choices(review)] == ["Review my milestones"]

    session.switch_user("alice")
    [form] = session.press(choice(review, "Review my milestones"))
    assert form.kind == "modal"
    on_track = {"type": "static_select", "selected_option": {"value": "on_track"}}
    outputs = session.submit(form, {"status_1": {"status_1": on_track}})

    [answered] = [o for o in outputs if o.kind == "update"]
    assert answered.ts == review.ts
    assert "🟢 On track — <@U0ALICE>, <!date^" in text_of(answered)  # the day: Slack's token (`today`)


def test_a_reply_in_the_review_thread_is_kept_with_a_tick(session: ConsoleSession) -> None:
    add_launch_beta(session)
    review = channel_review(session.move_clock(datetime(2026, 11, 30, 9, 0, tzinfo=NEW_YORK)))
    assert session.move_clock(datetime(2026, 11, 30, 9, 0, tzinfo=NEW_YORK)) == []

    [tick] = session.reply_in_thread("#1 going well", thread_ts=review.ts or "")
    assert tick.kind == "reaction" and tick.channel == "#general"


def test_home_lists_my_milestones_and_its_menu_marks_one_done(session: ConsoleSession) -> None:
    session.run_command("/milestone add Ship the console due 2026-12-04 owner @you")

    [home] = session.open_home()
    assert (home.kind, home.user) == ("home", "U0YOU")
    assert "Ship the console" in text_of(home)

    line, redrawn = session.press(choice(home, "Mark done"))
    assert (line.kind, line.channel) == ("message", "#general")
    assert line.text.startswith("✅ #1 Ship the console done by <@U0YOU>")
    assert redrawn.kind == "home" and "Ship the console" not in text_of(redrawn)


def test_the_add_form_refuses_an_empty_title_then_adds(session: ConsoleSession) -> None:
    [form] = session.run_command("add")
    assert form.kind == "modal" and form.view_id

    [refused] = session.submit(form, {"title": {"title": {"type": "plain_text_input", "value": ""}}})
    assert refused.kind == "form_errors" and set(refused.errors or {}) == {"title"}

    values = {
        "title": {"title": {"type": "plain_text_input", "value": "From the form"}},
        "due": {"due": {"type": "datepicker", "selected_date": "2026-12-24"}},
    }
    [added] = session.submit(form, values)
    assert added.kind == "message" and "From the form" in added.text


def test_delete_asks_only_the_asker_and_confirming_replaces_the_question(session: ConsoleSession) -> None:
    add_launch_beta(session)
    [question] = session.run_command("delete 1")
    assert question.kind == "ephemeral"

    [answer] = session.press(choice(question, "Delete #1"))

    assert (answer.kind, answer.ts, answer.user) == ("update", question.ts, "U0YOU")
    assert "deleted" in answer.text.lower()


def test_switching_who_types_and_where(session: ConsoleSession) -> None:
    session.switch_user("@alice")
    session.switch_channel("#ops")
    [added] = session.run_command("add Ops review due 2026-12-10 owner @bob")

    assert added.channel == "#ops" and "<@U0BOB>" in added.text
    with pytest.raises(ValueError):
        session.switch_user("carol")
    with pytest.raises(ValueError):
        session.switch_channel("#random")


def test_mentions_are_escaped_as_slack_sends_them(session: ConsoleSession) -> None:
    escaped = session.escape("owner @alice in #ops, not @carol or a@b.c; ask @bob.")

    assert escaped == "owner <@U0ALICE> in <#C0OPS|ops>, not @carol or a@b.c; ask <@U0BOB>."
    assert (session.user_name("U0BOB"), session.channel_name("C0GENERAL")) == ("bob", "general")


def test_the_clock_only_moves_forward(session: ConsoleSession) -> None:
    with pytest.raises(ValueError):
        session.move_clock(datetime(2026, 11, 1, tzinfo=UTC))
