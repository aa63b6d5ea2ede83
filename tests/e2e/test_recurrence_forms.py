"""The add and edit forms' "Repeats" menu end to end, and the add confirmation saying `after #3`."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from storage.models import Milestone, Revision
from tests.support.app import SlackApp
from tests.support.blocks import assert_valid_blocks, assert_valid_view, mrkdwn_texts
from tests.support.reading import fallbacks
from tests.support.shortcuts import message_shortcut, user_message
from tests.support.slack_requests import Reply, answer_text
from tests.support.view_state import submitted

MONTHLY_CLOSE = "add Monthly close due 2026-12-31 every month"
FIRST_REVIEW = "🗓️ First weekly review:"


def milestones(app: SlackApp) -> list[Milestone]:
    with Session(app.engine) as session:
        return list(session.exec(select(Milestone).order_by(Milestone.number)).all())


def revisions(app: SlackApp) -> list[Revision]:
    with Session(app.engine) as session:
        return list(session.exec(select(Revision).order_by(Revision.id)).all())


def opened_form(app: SlackApp, text: str) -> dict:
    """The form `/milestone <text>` opened, valid by Slack's rules."""
    app.requests.command(text)
    view = app.fake.last("views.open").params["view"]
    assert_valid_view(view, kind="modal")
    return view


def repeats(view: dict) -> dict:
    return next(block for block in view["blocks"] if block.get("block_id") == "recurrence")["element"]


def submit(app: SlackApp, view: dict, **changes: object) -> Reply:
    return app.requests.view_submission(
        callback_id=view["callback_id"],
        values=submitted(view, **changes),
        private_metadata=view["private_metadata"],
    )


def closed(reply: Reply) -> bool:
    """The form closed: saved, or nothing to save."""
    return reply.status == 200 and reply.body in ("", "{}")


def posted_line(app: SlackApp, channel: str = "C1") -> str:
    """The last channel post's first line as a person reads it (date tokens as their fallbacks), blocks valid.

    An add's notification text is that line too.
    """
    params = app.fake.last("chat.postMessage").params
    assert params["channel"] == channel
    assert_valid_blocks(params["blocks"])
    line = fallbacks(next(mrkdwn_texts(params["blocks"])))
    assert not line.startswith("➕") or line == params["text"]
    return line


def shown(app: SlackApp, number: int) -> str:
    app.requests.command(f"show {number}")
    return json.dumps(app.fake.last("response_url").params["blocks"], ensure_ascii=False)


def test_the_add_form_with_every_month_adds_one_that_repeats(slack_app: SlackApp) -> None:
    view = opened_form(slack_app, "add")
    assert [option["text"]["text"] for option in repeats(view)["options"]] == [
        "Doesn't repeat",
        "Every week",
        "Every month",
        "Every quarter",
    ]
    assert "initial_option" not in repeats(view)

    assert closed(submit(slack_app, view, title="Monthly close", due="2026-12-31", recurrence="month"))

    assert posted_line(slack_app) == "➕ Added *#1* Monthly close · due Thu Dec 31 · every month — by <@U1>"
    [added] = milestones(slack_app)
    assert added.recurrence == "month"
    assert revisions(slack_app) == []
    assert "*Repeats*\\nevery month" in shown(slack_app, 1)
    slack_app.requests.command("done 1")
    assert [(m.number, m.status, str(m.due_date)) for m in milestones(slack_app)] == [
        (1, "done", "2026-12-31"),
        (2, "open", "2027-01-31"),
    ]


def test_the_add_form_left_alone_or_doesnt_repeat_adds_one_that_does_not(slack_app: SlackApp) -> None:
    view = opened_form(slack_app, "add")
    assert closed(submit(slack_app, view, title="Launch", due="2026-12-15"))
    assert closed(submit(slack_app, view, title="Teaser", due="2026-12-16", recurrence="none"))

    assert [(m.title, m.recurrence) for m in milestones(slack_app)] == [("Launch", None), ("Teaser", None)]
    assert posted_line(slack_app) == "➕ Added *#2* Teaser · due Wed Dec 16 — by <@U1>"
    assert "Repeats" not in shown(slack_app, 2)


def test_doesnt_repeat_on_the_edit_form_stops_it_and_the_history_says_so(slack_app: SlackApp) -> None:
    slack_app.requests.command(MONTHLY_CLOSE)
    view = opened_form(slack_app, "update 1")
    assert repeats(view)["initial_option"] == {
        "text": {"type": "plain_text", "text": "Every month"},
        "value": "month",
    }

    assert closed(submit(slack_app, view, recurrence="none", reason="A one-off from now on"))

    cleared = "✏️ Updated *#1* Monthly close: cleared repeats (was every month)"
    assert posted_line(slack_app).startswith(cleared)
    [revision] = revisions(slack_app)
    assert (revision.field, revision.old, revision.new) == ("recurrence", "month", None)
    assert (revision.source, revision.reason) == ("modal", "A one-off from now on")
    assert milestones(slack_app)[0].recurrence is None
    history = shown(slack_app, 1)
    assert "*Repeats*" not in history
    assert "cleared repeats (was every month)" in history
    assert repeats(opened_form(slack_app, "update 1"))["initial_option"]["value"] == "none"
    slack_app.requests.command("done 1")
    assert len(milestones(slack_app)) == 1, "no next one once it no longer repeats"


def test_a_new_period_on_the_edit_form_is_one_revision(slack_app: SlackApp) -> None:
    slack_app.requests.command(MONTHLY_CLOSE)
    assert closed(submit(slack_app, opened_form(slack_app, "update 1"), recurrence="quarter"))

    assert posted_line(slack_app).startswith(
        "✏️ Updated *#1* Monthly close: changed repeats every month → every quarter"
    )
    assert [(r.field, r.old, r.new) for r in revisions(slack_app)] == [("recurrence", "month", "quarter")]


def test_the_edit_form_saved_as_it_opened_writes_nothing(slack_app: SlackApp) -> None:
    slack_app.requests.command(MONTHLY_CLOSE)
    slack_app.requests.command("add Launch due 2026-12-15")
    for number in (1, 2):
        view = opened_form(slack_app, f"update {number}")
        slack_app.fake.clear()

        assert closed(submit(slack_app, view))

        assert slack_app.fake.calls_to("chat.postMessage") == []
    assert revisions(slack_app) == []
    assert [m.recurrence for m in milestones(slack_app)] == ["month", None]


def test_a_forged_repeats_value_is_refused_beside_the_menu_and_nothing_is_stored(slack_app: SlackApp) -> None:
    slack_app.requests.command(MONTHLY_CLOSE)
    refusal = {"response_action": "errors", "errors": {"recurrence": "Pick one of the listed choices."}}

    added = submit(slack_app, opened_form(slack_app, "add"), title="Daily standup", recurrence="daily")
    edited = submit(slack_app, opened_form(slack_app, "update 1"), recurrence={"value": ["month"]})

    assert (added.json(), edited.json()) == (refusal, refusal)
    assert [(m.title, m.recurrence) for m in milestones(slack_app)] == [("Monthly close", "month")]
    assert revisions(slack_app) == []


def test_the_add_confirmation_says_what_it_comes_after(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch due 2026-12-18")
    slack_app.requests.command("add Announce due 2026-12-20 after #1 every week owner <@U2|bob>")
    said = fallbacks(answer_text(slack_app.fake))
    assert "➕ Added *#2* Announce · due Sun Dec 20 · every week · after #1 · <@U2> — by <@U1>" in said

    view = opened_form(slack_app, "add")
    assert closed(submit(slack_app, view, title="Teaser", due="2026-12-21", after="2", recurrence="month"))
    teaser = "➕ Added *#3* Teaser · due Mon Dec 21 · every month · after #2 — by <@U1>"
    assert posted_line(slack_app) == teaser
    assert closed(submit(slack_app, view, title="Recap", due="2026-12-22"))
    assert "after" not in posted_line(slack_app)
    numbers = {m.id: m.number for m in milestones(slack_app)}
    assert [numbers.get(m.after_id) for m in milestones(slack_app)] == [None, 1, 2, None]


def test_make_a_milestone_opens_the_same_form_with_repeats(slack_app: SlackApp) -> None:
    message = user_message(text="Quarterly board pack", ts="1764000000.000100")
    assert message_shortcut(slack_app.requests, message=message, channel="C5").status == 200
    view = slack_app.fake.last("views.open").params["view"]
    assert_valid_view(view, kind="modal")
    assert "initial_option" not in repeats(view)

    assert closed(submit(slack_app, view, due="2026-12-31", recurrence="quarter"))

    [added] = milestones(slack_app)
    assert (added.channel_id, added.title, added.recurrence) == ("C5", "Quarterly board pack", "quarter")
    line = posted_line(slack_app, channel="C5")
    assert line == "➕ Added *#1* Quarterly board pack · due Thu Dec 31 · every quarter — by <@U1>"
    [revision] = revisions(slack_app)
    assert (revision.field, revision.source) == ("title", "shortcut")
    assert revision.reason is not None and revision.reason.startswith("it came up in https://")
