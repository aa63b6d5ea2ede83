"""A due date typed without a year that has passed this year is asked about, never guessed: two buttons,
this year's (already overdue) or the next one, and nothing is saved until one is pressed, once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from storage.models import Milestone
from tests.support.app import BOTH_MODES, SlackApp
from tests.support.blocks import action_elements, assert_valid_blocks, mrkdwn_texts
from tests.support.fake_slack import Call

# Monday Nov 30, 2026, 10:00 in New York, where U1 is.
NOV_30 = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


def milestones(app: SlackApp) -> list[Milestone]:
    with Session(app.engine) as session:
        return list(session.exec(select(Milestone).order_by(Milestone.number)).all())


def ask(app: SlackApp, text: str) -> Call:
    """Send the command at Nov 30; the answer it got (the question), checked as Slack would."""
    app.clock.now = NOV_30
    app.requests.command(text)
    question = app.fake.last("response_url")
    assert_valid_blocks(question.params["blocks"])
    return question


def buttons(question: Call) -> list[dict]:
    return action_elements(question.params["blocks"])


def press(app: SlackApp, button: dict) -> None:
    """Press a button of the ephemeral question, as Slack sends it."""
    ephemeral = {
        "type": "message",
        "message_ts": "1764514800.000100",
        "channel_id": "C1",
        "is_ephemeral": True,
    }
    app.requests.block_action(
        action_id=button["action_id"], value=button["value"], container=ephemeral, response_key="q1"
    )


def answers_after(app: SlackApp, question: Call) -> list[dict]:
    calls = app.fake.calls_to("response_url")
    return [call.params for call in calls[calls.index(question) + 1 :]]


def test_a_passed_date_is_asked_about_and_nothing_is_saved(slack_app: SlackApp) -> None:
    question = ask(slack_app, "add Register company due Nov 27")

    assert question.params.get("response_type", "ephemeral") == "ephemeral"
    said = list(mrkdwn_texts(question.params["blocks"]))
    assert said[0] == "*Nov 27* has already passed this year. Which do you mean?"
    assert said[-1] == "Nothing is saved until you choose."
    labels = [button["text"]["text"] for button in buttons(question)]
    assert labels == ["Nov 27, 2026 (already 3 days overdue)", "Nov 27, 2027"]
    assert milestones(slack_app) == []


@BOTH_MODES
def test_this_years_button_adds_it_already_overdue_and_takes_the_question_away(slack_app: SlackApp) -> None:
    question = ask(slack_app, "add Register company due Nov 27 owner <@U2|bob>")
    press(slack_app, buttons(question)[0])

    [added] = milestones(slack_app)
    assert (added.title, added.due_date, added.owner_id) == ("Register company", date(2026, 11, 27), "U2")
    confirmation, removal = answers_after(slack_app, question)
    assert confirmation["response_type"] == "in_channel"
    assert "Added *#1* Register company" in confirmation["text"]
    assert removal["delete_original"] is True


def test_next_years_button_adds_it_a_year_on(slack_app: SlackApp) -> None:
    question = ask(slack_app, "add Register company due Nov 27")
    press(slack_app, buttons(question)[1])

    [added] = milestones(slack_app)
    assert added.due_date == date(2027, 11, 27)
    assert "Added *#1* Register company" in answers_after(slack_app, question)[0]["text"]


def test_a_second_press_adds_nothing_more(slack_app: SlackApp) -> None:
    question = ask(slack_app, "add Register company due Nov 27")
    overdue, upcoming = buttons(question)
    press(slack_app, overdue)
    press(slack_app, overdue)
    press(slack_app, upcoming)

    [added] = milestones(slack_app)
    assert added.due_date == date(2026, 11, 27)
    stale = answers_after(slack_app, question)[-1]
    assert stale["replace_original"] is True
    assert stale["text"] == "That question was already answered; nothing more was saved."


def test_presses_at_the_same_moment_add_it_once(slack_app: SlackApp) -> None:
    question = ask(slack_app, "add Register company due Nov 27")
    overdue, upcoming = buttons(question)
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda button: press(slack_app, button), [overdue, upcoming, overdue, upcoming]))

    [added] = milestones(slack_app)
    assert added.due_date in (date(2026, 11, 27), date(2027, 11, 27))
    stale = [answer for answer in answers_after(slack_app, question) if answer.get("replace_original")]
    assert len(stale) == 3


def test_yesterday_is_one_day_overdue(slack_app: SlackApp) -> None:
    question = ask(slack_app, "add Register company due Nov 29")
    assert buttons(question)[0]["text"]["text"] == "Nov 29, 2026 (already 1 day overdue)"


def test_a_date_nearer_next_year_is_read_without_asking(slack_app: SlackApp) -> None:
    slack_app.clock.now = NOV_30
    slack_app.requests.command("add Kickoff due Jan 5")

    [added] = milestones(slack_app)
    assert added.due_date == date(2027, 1, 5)


def test_last_years_day_just_past_is_asked_about_across_new_year(slack_app: SlackApp) -> None:
    slack_app.clock.now = datetime(2027, 1, 2, 15, 0, tzinfo=UTC)
    slack_app.requests.command("add Close the books due Dec 31")
    question = slack_app.fake.last("response_url")

    said = list(mrkdwn_texts(question.params["blocks"]))
    assert said[0] == "*Dec 31, 2026* has already passed. Which do you mean?"
    labels = [button["text"]["text"] for button in buttons(question)]
    assert labels == ["Dec 31, 2026 (already 2 days overdue)", "Dec 31, 2027"]
    assert milestones(slack_app) == []

    press(slack_app, buttons(question)[0])
    assert milestones(slack_app)[0].due_date == date(2026, 12, 31)


def test_update_asks_too_and_the_choice_changes_the_due_date(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Register company due Dec 15")
    question = ask(slack_app, "update 1 due Nov 27 because the notary was booked")
    assert [b["text"]["text"] for b in buttons(question)][1] == "Nov 27, 2027"
    assert milestones(slack_app)[0].due_date == date(2026, 12, 15)

    press(slack_app, buttons(question)[0])
    assert milestones(slack_app)[0].due_date == date(2026, 11, 27)


def test_a_batch_asks_once_and_adds_every_line_on_the_choice(slack_app: SlackApp) -> None:
    text = "add Register company due Nov 27\nLaunch beta due Dec 15\nOpen office due Nov 20"
    question = ask(slack_app, text)

    said = list(mrkdwn_texts(question.params["blocks"]))
    assert said[0] == (
        "*Nov 27* (line 1) and *Nov 20* (line 3) have already passed this year. Which do you mean?"
    )
    labels = [button["text"]["text"] for button in buttons(question)]
    assert labels == ["All in 2026 (already overdue)", "All in 2027"]
    assert milestones(slack_app) == []

    press(slack_app, buttons(question)[1])
    dues = [(m.title, m.due_date) for m in milestones(slack_app)]
    assert dues == [
        ("Register company", date(2027, 11, 27)),
        ("Launch beta", date(2026, 12, 15)),
        ("Open office", date(2027, 11, 20)),
    ]


def test_a_batch_with_a_wrong_line_says_the_error_not_the_question(slack_app: SlackApp) -> None:
    answer = ask(slack_app, "add Register company due Nov 27\nLaunch beta due whenever")

    assert buttons(answer) == []
    assert "Line 2" in answer.params["text"]
    assert milestones(slack_app) == []


def test_done_on_a_past_day_keeps_meaning_this_year(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Register company due Dec 15")
    slack_app.clock.now = NOV_30
    slack_app.requests.command("done 1 on Nov 27")

    assert milestones(slack_app)[0].completed_on == date(2026, 11, 27)


def test_a_press_does_only_what_its_presser_may_do(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Register company due Dec 15", user="U1")
    forged = {
        "action_id": "past_date_overdue",
        "value": '{"q":"forged","c":"update 1 due 2026-11-27","o":["2026-11-27"]}',
    }
    slack_app.clock.now = NOV_30
    slack_app.requests.block_action(action_id=forged["action_id"], value=forged["value"], user="U3")

    assert milestones(slack_app)[0].due_date == date(2026, 12, 15)
    refusal = slack_app.fake.last("response_url").params
    assert refusal["replace_original"] is True
    assert "<@U1>" in refusal["text"]


def test_a_garbled_press_changes_nothing(slack_app: SlackApp) -> None:
    reply = slack_app.requests.block_action(action_id="past_date_next", value="add Launch due Dec 15")

    assert reply.status == 200
    assert milestones(slack_app) == []


def test_a_press_that_fails_can_be_pressed_again(slack_app: SlackApp) -> None:
    question = ask(slack_app, "add Register company due Nov 27")
    overdue, _ = buttons(question)

    def fail_adding(_conn, _cursor, statement: str, *_args: object) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO MILESTONE "):
            raise OperationalError(
                statement, {}, ConnectionError("server closed the connection unexpectedly")
            )

    event.listen(slack_app.engine, "before_cursor_execute", fail_adding)
    try:
        press(slack_app, overdue)
    finally:
        event.remove(slack_app.engine, "before_cursor_execute", fail_adding)
    assert milestones(slack_app) == []
    assert "went wrong" in answers_after(slack_app, question)[-1]["text"]

    # The choice came to nothing, so it is not "already answered": pressed again, it is saved.
    press(slack_app, overdue)
    [added] = milestones(slack_app)
    assert added.due_date == date(2026, 11, 27)
