"""Dates as people read them, end to end: the weekday that shows a misread `next friday`, how far off a date
is in answers read at once, and Slack's date tokens in what the channel reads later."""

from __future__ import annotations

from sqlmodel import Session, select

from storage.models import Milestone
from tests.support.app import SlackApp
from tests.support.blocks import assert_valid_blocks, mrkdwn_texts
from tests.support.reading import fallbacks, tokens
from tests.support.scheduler import ny

MONDAY = "2026-11-30 10:00"  # Alice is in New York, as is the channel she starts


def in_channel(app: SlackApp) -> list[dict]:
    """The bot's answers the whole channel sees, oldest first."""
    return [
        call.params
        for call in app.fake.calls_to("response_url")
        if call.params.get("response_type") == "in_channel"
    ]


def ephemeral_lines(app: SlackApp, text: str) -> list[str]:
    """`/milestone <text>`, and the lines of its answer only the asker sees (its blocks checked valid)."""
    app.requests.command(text)
    answer = app.fake.last("response_url").params
    assert answer["response_type"] == "ephemeral"
    assert_valid_blocks(answer["blocks"])
    return [line for said in mrkdwn_texts(answer["blocks"]) for line in said.split("\n")]


def test_next_friday_typed_on_monday_echoes_the_weekday_so_a_misreading_shows(slack_app: SlackApp) -> None:
    slack_app.clock.now = ny(MONDAY)
    slack_app.requests.command("add Website copy due next friday")
    slack_app.requests.command("add Press kit due friday")
    first, second = in_channel(slack_app)

    # "next friday" on a Monday is the Friday of next week: the weekday and the date say so at once.
    assert first["text"] == "➕ Added *#1* Website copy · due Fri Dec 11 — by <@U1>"
    assert second["text"] == "➕ Added *#2* Press kit · due Fri Dec 4 — by <@U1>"
    assert_valid_blocks(first["blocks"])
    line = first["blocks"][0]["text"]["text"]
    # In the channel, read later by people anywhere: Slack's token, which each reader's Slack writes in their
    # own zone and language (`tomorrow`, `Friday, December 11th`); noon in New York so it is Dec 11 there.
    assert tokens(line) == [(int(ny("2026-12-11 12:00").timestamp()), "{date_long_pretty}", "Fri Dec 11")]
    assert fallbacks(line) == first["text"]
    [token] = tokens(second["blocks"][0]["text"]["text"])
    assert token == (int(ny("2026-12-04 12:00").timestamp()), "{date_long_pretty}", "Fri Dec 4")
    with Session(slack_app.engine) as session:
        due = [str(m.due_date) for m in session.exec(select(Milestone).order_by(Milestone.number))]
    assert due == ["2026-12-11", "2026-12-04"]


def test_the_list_says_today_tomorrow_in_n_days_and_how_overdue(slack_app: SlackApp) -> None:
    slack_app.clock.now = ny("2026-11-20 10:00")
    slack_app.requests.command("add Ship beta due Nov 27 owner <@U2|bob>")
    slack_app.requests.command("add Press kit due Dec 1")
    slack_app.requests.command("add Pricing page due Nov 30 owner me")
    slack_app.requests.command("add Launch due Jan 8 2027")
    slack_app.requests.command("add Hire designer due Nov 25")
    slack_app.clock.now = ny(MONDAY)
    slack_app.requests.command("done 5 on Nov 27")

    lines = ephemeral_lines(slack_app, "list")
    assert lines == [
        "*#1* Ship beta · due Fri Nov 27 · ⚠️ 3 days overdue · <@U2> · ⚪ Open",
        "*#3* Pricing page · due Mon Nov 30 · today · <@U1> · ⚪ Open",
        "*#2* Press kit · due Tue Dec 1 · tomorrow · no owner · ⚪ Open",
        "*#4* Launch · due Fri Jan 8, 2027 · in 39 days · no owner · ⚪ Open",
    ]
    # Done: when it was finished, and nothing relative about a date that no longer matters.
    assert "*#5* Hire designer · due Wed Nov 25 · no owner · ✅ done Fri Nov 27" in ephemeral_lines(
        slack_app, "list all"
    )
    assert ephemeral_lines(slack_app, "list overdue") == [
        "*#1* Ship beta · due Fri Nov 27 · ⚠️ 3 days overdue · <@U2> · ⚪ Open"
    ]


def test_show_says_how_far_off_the_due_date_is(slack_app: SlackApp) -> None:
    slack_app.clock.now = ny("2026-11-20 10:00")
    slack_app.requests.command("add Ship beta due Nov 27")
    slack_app.clock.now = ny("2026-11-29 10:00")

    lines = ephemeral_lines(slack_app, "show 1")
    assert "*Due*" in lines
    assert lines[lines.index("*Due*") + 1] == "Fri Nov 27 · ⚠️ 2 days overdue"
