"""The console's text: real messages and forms from the app's renderers, read as a person reads them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.console.outputs import Output
from bot.console.text import (
    AnswerError,
    Question,
    ask_line,
    confirmation,
    questions,
    readable,
    render,
    render_screen,
    state_of,
    state_values,
)
from bot.core.checkins import CheckInItem, CheckInView
from bot.core.forms.milestone import read_milestone_modal
from bot.core.forms.settings import read_settings_modal
from bot.core.review_counts import count_answers
from bot.render.checkins import checkin_message
from bot.render.home import home_view
from bot.render.message import Message
from bot.render.milestones import delete_confirm_message, show_message
from bot.render.modals import milestone_modal
from bot.render.reminders import OVERDUE, reminder_message
from bot.render.settings import settings_modal
from tests.support.factories import HOSTILE, make_milestone, make_settings
from tests.support.view_state import submitted

PEOPLE = {"U0YOU": "you", "U0ALICE": "alice", "U0BOB": "bob"}
CHANNELS = {"C0GENERAL": "general", "C0OPS": "ops"}
NOW = datetime(2026, 12, 8, 9, 0, tzinfo=ZoneInfo("America/New_York"))


class Workspace:
    """The console's pretend people and channels, both ways."""

    def user_name(self, user_id: str) -> str:
        return PEOPLE.get(user_id, user_id)

    def channel_name(self, channel_id: str) -> str:
        return CHANNELS.get(channel_id, channel_id)

    def user_id(self, name: str) -> str:
        wanted = name.removeprefix("@")
        for user_id, known in PEOPLE.items():
            if known == wanted:
                return user_id
        raise ValueError(f"no one is called @{wanted}")

    def channel_id(self, name: str) -> str:
        return {known: channel_id for channel_id, known in CHANNELS.items()}[name.removeprefix("#")]

    def suggestions(self, question: Question, typed: str) -> list[dict]:
        # What the app would offer in the department menu: the typed name as a new department.
        return [
            {"text": {"type": "plain_text", "text": f"New department: {typed}"}, "value": f"dept:{typed}"}
        ]


NAMES = Workspace()


def posted(message: Message, *, kind: str = "message", channel: str = "#general") -> Output:
    return Output(kind=kind, text=message.text, blocks=tuple(message.blocks), channel=channel, ts="1.000100")


def alice_milestone(**overrides):
    return make_milestone(owner_id="U0ALICE", created_by="U0YOU", channel_id="C0GENERAL", **overrides)


def test_a_reminder_reads_as_a_sentence_with_the_date_and_the_owner_by_name() -> None:
    message = reminder_message(alice_milestone(), offset=7, today=date(2026, 12, 8))

    text, choices = render(posted(message), names=NAMES)

    # The date token reads as its fallback, the weekday date.
    assert text == (
        "#general · Milestone Bot\n  ⏰ #12 Launch beta is due in 7 days (Tue Dec 15) — @alice\n"
        "  [1] Remind me tomorrow  [2] Next week"
    )
    assert [choice.action_id for choice in choices] == ["snooze_tomorrow", "snooze_next_week"]


def test_the_overdue_nudge_numbers_its_buttons_and_pressing_one_carries_what_slack_would_send() -> None:
    message = reminder_message(alice_milestone(), offset=OVERDUE, today=date(2026, 12, 16))

    text, choices = render(posted(message), names=NAMES)

    assert "⚠️ #12 Launch beta was due yesterday (Tue Dec 15) and isn't marked done — @alice" in text
    assert text.endswith("[1] Done  [2] New date…  [3] Remind me tomorrow  [4] Next week")
    done = choices[0]
    assert (done.label, done.action_id, done.value, done.element_type) == (
        "Done",
        "reminder_done",
        "12",
        "button",
    )
    assert done.block_id == "reminder:12"
    assert done.source.ts == "1.000100"


def review_view(items: list[CheckInItem]) -> CheckInView:
    milestones = [item.milestone for item in items]
    return CheckInView(
        checkin_id=7,
        week="2026-W50",
        channel_id="C0GENERAL",
        items=items,
        count=count_answers(milestones, answered_ids=set(), away={}),
        today=NOW.date(),
    )


def test_the_weekly_review_reads_as_lines_with_one_button() -> None:
    items = [
        CheckInItem(milestone=alice_milestone()),
        CheckInItem(milestone=alice_milestone(id=2, number=13, title="Pricing page")),
    ]

    text, choices = render(posted(checkin_message(review_view(items))), names=NAMES)

    assert "Weekly review: 2 milestones in flight" in text
    assert "0 of 2 answered · waiting on @alice (#12, #13)" in text
    assert "#13 Pricing page · due " in text
    assert "[1] Review my milestones" in text
    assert "Reply in the thread to add a note — mention #12 to attach it to a milestone." in text
    [review] = choices
    assert (review.label, review.action_id, review.value) == ("Review my milestones", "review_mine", "7")


def test_numbers_continue_across_one_screen() -> None:
    nudge = posted(reminder_message(alice_milestone(), offset=OVERDUE, today=date(2026, 12, 16)))

    text, choices = render_screen([nudge, nudge], names=NAMES)

    assert "[5] Done  [6] New date…  [7] Remind me tomorrow  [8] Next week" in text
    assert len(choices) == 8 and text.count("#general · Milestone Bot") == 2


def test_show_lays_its_fields_out_as_name_and_value() -> None:
    message = show_message(alice_milestone(), [], today=NOW.date(), tz=ZoneInfo("America/New_York"))

    text, choices = render(posted(message, kind="ephemeral"), names=NAMES)

    lines = text.split("\n")
    assert lines[0] == "#general · only you see this"
    assert lines[1] == "  #12 Launch beta"
    assert "  Owner: @alice" in lines
    assert any(line.startswith("  Due: Tue Dec 15 · in ") for line in lines)
    assert "Added by @you on Tue Nov 3" in text
    assert "*" not in text
    assert [choice.label for choice in choices] == ["Mark done", "Edit"]


def test_a_title_people_typed_shows_as_typed() -> None:
    message = reminder_message(alice_milestone(title=HOSTILE), offset=1, today=date(2026, 12, 14))

    text, _ = render(posted(message), names=NAMES)

    assert "#12 <!channel> & <@U999> @\u2060here is due tomorrow (Tue Dec 15)" in text


def test_home_shows_channels_by_name_and_each_menu_option_as_a_choice() -> None:
    view = home_view(
        user_id="U0YOU", mine=[alice_milestone()], channel_counts=[("C0GENERAL", 1, 0)], today=NOW.date()
    )

    text, choices = render(Output(kind="home", view=view, user="U0YOU"), names=NAMES)

    assert text.startswith("Home tab · @you\n  Your milestones\n  @you · open milestones you own or added")
    assert "[1] Add a milestone" in text
    assert "#12 Launch beta" in text and "· #general" in text
    assert "[2] Mark done  [3] New date…" in text
    assert "#general — 1 open" in text
    assert choices[1].element_type == "overflow"
    assert choices[1].option is not None and choices[1].option["value"] == "done:12"
    assert choices[1].value == "done:12"


def test_a_button_that_asks_first_says_what_slack_would_ask() -> None:
    message = delete_confirm_message(alice_milestone(), today=NOW.date())

    text, choices = render(posted(message, kind="ephemeral"), names=NAMES)

    assert "[1] Delete #12  [2] Cancel" in text
    assert (
        confirmation(choices[0])
        == "Delete #12?: #12 and its history will be gone for everyone in this workspace."
    )
    assert confirmation(choices[1]) is None


@pytest.mark.parametrize(
    ("mrkdwn", "read"),
    [
        ("*#12* Launch beta", "#12 Launch beta"),
        ("_soon_ and ~gone~", "soon and gone"),
        ("<@U0BOB> in <#C0OPS|ops> and <#C0GENERAL>", "@bob in #ops and #general"),
        ("<!date^1765800000^{date_short}|Dec 15>", "Dec 15"),
        ("<https://slack.com/archives/C1/p1|answer there>", "answer there"),
        ("`reminder_done` stays *as typed*", "`reminder_done` stays as typed"),
        ("&lt;b&gt; &amp; 5 * 3 * 2", "<b> & 5 * 3 * 2"),
    ],
)
def test_mrkdwn_reads_plainly_on_a_pipe(mrkdwn: str, read: str) -> None:
    assert readable(mrkdwn, names=NAMES) == read


def test_a_terminal_gets_bold_and_dim_text_and_a_pipe_none() -> None:
    message = posted(checkin_message(review_view([CheckInItem(milestone=alice_milestone())])))

    assert "\x1b[" not in render(message, names=NAMES)[0]
    assert "\x1b[1mWeekly review: 1 milestone in flight\x1b[0m" in render(message, names=NAMES, ansi=True)[0]


def test_a_file_and_form_errors_read_as_one_line_each() -> None:
    chart = Output(kind="file", text="chart", path="milestone-console-files/report.png")
    errors = Output(kind="form_errors", errors={"due": "Pick a due date after the start date."})

    assert render(chart, names=NAMES)[0] == "📎 saved chart to milestone-console-files/report.png"
    assert (
        render(errors, names=NAMES)[0] == "the form was not saved\n  ⚠️ Pick a due date after the start date."
    )


def test_the_add_form_becomes_questions_and_typed_answers_become_what_slack_submits() -> None:
    view = milestone_modal(mode="add", channel_id="C0GENERAL", milestone=None, today=NOW.date())
    asked = questions(view, names=NAMES)
    answers = {"title": "Launch beta", "due": "2026-12-15", "owner": "@alice", "budget": "$5,000"}

    values = state_values(asked, answers, ids=NAMES, now=NOW)

    assert [(q.label, q.kind, q.optional) for q in asked] == [
        ("Title", "plain_text_input", False),
        ("Due date", "datepicker", True),
        ("Start date", "datepicker", True),
        ("Owner", "users_select", True),
        ("Budget", "plain_text_input", True),
        ("Department", "external_select", True),
        ("Repeats", "static_select", True),
        ("Comes after", "plain_text_input", True),
    ]
    assert values == submitted(view, title="Launch beta", due="2026-12-15", owner="U0ALICE", budget="$5,000")
    read = read_milestone_modal(values, now=NOW, mode="add")
    assert (read.fields.title, read.fields.owner_id, read.fields.due) == (
        "Launch beta",
        "U0ALICE",
        date(2026, 12, 15),
    )


def test_the_edit_form_offers_what_the_milestone_holds_and_enter_keeps_it() -> None:
    m = alice_milestone(department="Marketing")
    view = milestone_modal(mode="update", channel_id="C0GENERAL", milestone=m, today=NOW.date())
    asked = questions(view, names=NAMES)
    kept = {q.block_id: q.initial or "" for q in asked}

    assert {q.block_id: q.initial for q in asked if q.initial} == {
        "title": "Launch beta",
        "status": "🟢 On track",
        "due": "2026-12-15",
        "owner": "@alice",
        "dept": "Marketing",
        "recurrence": "Doesn't repeat",
    }
    assert state_values(asked, kept, ids=NAMES, now=NOW) == submitted(view)
    status = next(q for q in asked if q.block_id == "status")
    assert ask_line(status).endswith("Status (a number), optional [🟢 On track]: ")
    assert "  [1] ⚪ Open  [2] 🟢 On track  [3] 🟡 At risk  [4] 🔴 Blocked\n" in ask_line(status)


def test_a_menu_that_loads_as_one_types_takes_what_the_app_offers() -> None:
    view = milestone_modal(mode="add", channel_id="C0GENERAL", milestone=None, today=NOW.date())
    department = next(q for q in questions(view, names=NAMES) if q.block_id == "dept")

    assert ask_line(department).endswith("\nDepartment (type to search), optional: ")
    assert state_of(department, "Design", ids=NAMES, now=NOW)["selected_option"]["value"] == "dept:Design"
    assert state_of(department, "", ids=NAMES, now=NOW) == {
        "type": "external_select",
        "selected_option": None,
    }


def test_the_settings_form_takes_times_days_and_boxes() -> None:
    view = settings_modal(s=make_settings(channel_id="C0GENERAL"), failed=[], show_failed=False)
    asked = {q.block_id: q for q in questions(view, names=NAMES)}
    answers = {q.block_id: q.initial or "" for q in asked.values()}
    answers |= {"reminder_time": "8:15", "review_weekday": "1", "paused": "1", "reminder_days": "2, 4"}

    values = state_values(list(asked.values()), answers, ids=NAMES, now=NOW)

    change = read_settings_modal(values)
    assert (change.reminder_time.isoformat(), change.review_weekday, change.paused) == ("08:15:00", 0, True)
    assert (change.timezone, change.reminder_days, change.overdue_nudge) == ("Europe/Berlin", (1,), True)
    # Enter keeps the ticked boxes, a label with a comma in it too.
    kept = state_values(
        list(asked.values()), {q.block_id: q.initial or "" for q in asked.values()}, ids=NAMES, now=NOW
    )
    assert read_settings_modal(kept).overdue_nudge is True


@pytest.mark.parametrize(
    ("block_id", "typed", "message"),
    [
        ("title", "", "Title is required."),
        ("due", "someday maybe", "A date picker takes 2026-12-15."),
        ("owner", "@carol", "no one is called @carol"),
    ],
)
def test_an_answer_that_does_not_fit_says_why(block_id: str, typed: str, message: str) -> None:
    view = milestone_modal(mode="add", channel_id="C0GENERAL", milestone=None, today=NOW.date())
    question = next(q for q in questions(view, names=NAMES) if q.block_id == block_id)

    with pytest.raises(AnswerError, match=message):
        state_of(question, typed, ids=NAMES, now=NOW)


def test_a_date_may_be_typed_as_people_say_it() -> None:
    view = milestone_modal(mode="add", channel_id="C0GENERAL", milestone=None, today=NOW.date())
    due = next(q for q in questions(view, names=NAMES) if q.block_id == "due")

    assert state_of(due, "next friday", ids=NAMES, now=NOW)["selected_date"] == "2026-12-18"
    assert UTC  # the console clock is aware; forms read dates in the person's own zone


def test_after_a_clock_move_each_post_says_when_it_was_posted() -> None:
    message = reminder_message(alice_milestone(), offset=7, today=date(2026, 12, 8))
    at_nine = Output(
        kind="message",
        text=message.text,
        blocks=tuple(message.blocks),
        channel="#general",
        ts="1796738400.000100",
    )

    text, _ = render(at_nine, names=NAMES, zone=ZoneInfo("America/New_York"))

    assert text.startswith("#general · Milestone Bot · Tue Dec 08, 09:00\n")


def test_radio_buttons_are_asked_by_number_and_submitted_as_slack_does() -> None:
    options = [
        {"text": {"type": "plain_text", "text": "On track"}, "value": "on_track"},
        {"text": {"type": "plain_text", "text": "At risk"}, "value": "at_risk"},
    ]
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Review"},
        "blocks": [
            {
                "type": "input",
                "block_id": "status:4",
                "label": {"type": "plain_text", "text": "#4 Launch beta"},
                "element": {
                    "type": "radio_buttons",
                    "action_id": "status",
                    "options": options,
                    "initial_option": options[0],
                },
            }
        ],
    }
    [asked] = questions(view, names=NAMES)
    assert ask_line(asked).endswith("#4 Launch beta (a number) [On track]: ")
    values = state_values([asked], {"status:4": "2"}, ids=NAMES, now=NOW)
    assert values == {"status:4": {"status": {"type": "radio_buttons", "selected_option": options[1]}}}
    shown, _ = render(Output(kind="reaction", text="✅ on a message", channel="#general"), names=NAMES)
    assert shown.splitlines() == ["#general · Milestone Bot reacted", "  ✅ on a message"]


def test_a_direct_message_says_whose_it_is() -> None:
    dm = Output(kind="message", text="1 of your milestones needs a review", channel="DM", user="U0ALICE")
    shown, _ = render(dm, names=NAMES)
    assert shown.splitlines()[0] == "DM to @alice · Milestone Bot"
