"""Dependencies end to end: `update 5 after 3`, its refusals, show and list, and the notice when #3 slips."""

from __future__ import annotations

from sqlmodel import Session, select

from storage.models import CheckIn, CheckInAnswer, Milestone, Revision
from tests.support.app import SlackApp
from tests.support.blocks import mrkdwn_texts
from tests.support.factories import make_milestone
from tests.support.reading import fallbacks
from tests.support.scheduler import ny, tick
from tests.support.slack_requests import answer_text
from tests.support.view_state import submitted


def add_three(app: SlackApp) -> None:
    """#1 Draft docs due Dec 11 (bob's), #2 Ship docs due Dec 15 (carol's), #3 Launch due Dec 18."""
    app.requests.command("add Draft docs due 2026-12-11 owner <@U2|bob>")
    app.requests.command("add Ship docs due 2026-12-15 owner <@U3|carol>")
    app.requests.command("add Launch due 2026-12-18")


def milestone(app: SlackApp, number: int) -> Milestone:
    with Session(app.engine) as session:
        return session.exec(select(Milestone).where(Milestone.number == number)).one()


def answer(app: SlackApp) -> str:
    return fallbacks(answer_text(app.fake))


def test_update_after_links_them_and_keeps_it_in_the_history(slack_app: SlackApp) -> None:
    add_three(slack_app)
    slack_app.requests.command("update 2 after #1 because docs need a draft")

    assert "changed" not in answer(slack_app)
    assert "set comes after to #1" in answer(slack_app)
    assert milestone(slack_app, 2).after_id == milestone(slack_app, 1).id
    with Session(slack_app.engine) as session:
        revision = session.exec(select(Revision).where(Revision.field == "after")).one()
    assert (revision.old, revision.new, revision.reason) == (None, "1", "docs need a draft")


def test_show_says_what_it_comes_after_and_list_says_after(slack_app: SlackApp) -> None:
    add_three(slack_app)
    slack_app.requests.command("update 2 after 1")

    slack_app.requests.command("show 2")
    assert "*Comes after*\\n#1 Draft docs (due Fri Dec 11)" in answer(slack_app)
    assert "comes after to #1" in answer(slack_app)  # the history line

    slack_app.requests.command("list")
    lines = answer(slack_app)
    assert "*#2* Ship docs · due Tue Dec 15 · in 20 days · after #1 · <@U3>" in lines
    assert "*#1* Draft docs · due Fri Dec 11 · in 16 days · <@U2>" in lines


def test_after_none_clears_it(slack_app: SlackApp) -> None:
    add_three(slack_app)
    slack_app.requests.command("update 2 after 1")
    slack_app.requests.command("update 2 after none")

    assert "cleared comes after (was #1)" in answer(slack_app)
    assert milestone(slack_app, 2).after_id is None
    slack_app.requests.command("update 2 after none")
    assert "Nothing to change: *#2* already looks like that." in answer(slack_app)


def test_itself_a_circle_and_a_missing_number_are_refused(slack_app: SlackApp) -> None:
    add_three(slack_app)
    slack_app.requests.command("update 2 after 2")
    assert "#2 can't come after itself." in answer(slack_app)
    assert "/milestone update 2 after 1" in answer(slack_app)

    slack_app.requests.command("update 2 after 1")
    slack_app.requests.command("update 3 after 2")
    slack_app.requests.command("update 1 after 3")
    assert "#3 already comes after #1 (#3 → #2 → #1), so #1 can't come after #3." in answer(slack_app)
    assert "/milestone update 1 after none" in answer(slack_app)
    assert milestone(slack_app, 1).after_id is None

    slack_app.requests.command("update 2 after 40")
    assert "There's no milestone #40 in this workspace" in answer(slack_app)
    assert milestone(slack_app, 2).after_id == milestone(slack_app, 1).id


def test_a_milestone_of_another_workspace_is_not_found(slack_app: SlackApp) -> None:
    add_three(slack_app)
    with Session(slack_app.engine) as session:
        session.add(make_milestone(id=None, team_id="T2", number=9, channel_id="C9"))
        session.commit()

    slack_app.requests.command("update 2 after 9")

    assert "There's no milestone #9 in this workspace" in answer(slack_app)
    assert milestone(slack_app, 2).after_id is None


def test_a_date_before_the_one_it_comes_after_is_refused_naming_both(slack_app: SlackApp) -> None:
    add_three(slack_app)
    slack_app.requests.command("update 1 after 2")
    refused = "#1 would be due Fri Dec 11, before #2 Ship docs (due Tue Dec 15), which it comes after."
    assert refused in answer(slack_app)
    assert "/milestone update 1 due Dec 15" in answer(slack_app)
    assert milestone(slack_app, 1).after_id is None

    slack_app.requests.command("update 1 due Dec 16 after 2")
    assert milestone(slack_app, 1).after_id == milestone(slack_app, 2).id

    slack_app.requests.command("update 1 due Dec 14")
    assert "#1 would be due Mon Dec 14, before #2 Ship docs (due Tue Dec 15)" in answer(slack_app)
    assert str(milestone(slack_app, 1).due_date) == "2026-12-16"


def test_when_the_one_before_slips_the_later_ones_owner_is_told_in_the_channel(slack_app: SlackApp) -> None:
    add_three(slack_app)
    slack_app.requests.command("update 2 after 1")

    slack_app.requests.command("update 1 due 2026-12-18", user="U2")

    told = answer(slack_app)
    assert "✏️ Updated *#1* Draft docs: changed due date Fri Dec 11 → Fri Dec 18" in told
    assert (
        "⚠️ <@U3> *#2* Ship docs comes after #1, which moved to Fri Dec 18 — after #2's due date Tue Dec 15:"
        " `/milestone update 2 due Dec 18`"
    ) in told
    assert str(milestone(slack_app, 1).due_date) == "2026-12-18", "#1's owner may move it"

    slack_app.requests.command("update 1 due 2026-12-17", user="U2")
    assert "⚠️ <@U3> *#2* Ship docs" in answer(slack_app), "still behind: told again"
    slack_app.requests.command("update 1 due 2026-12-14", user="U2")
    assert "⚠️" not in answer(slack_app)


def test_bad_after_words_get_one_correct_example(slack_app: SlackApp) -> None:
    add_three(slack_app)
    slack_app.requests.command("update 2 after")
    assert "`after` needs the number of the milestone it comes after" in answer(slack_app)
    assert "/milestone update 2 after 3" in answer(slack_app)

    slack_app.requests.command("update 2 after 1 2")
    assert "isn't a milestone number" in answer(slack_app)
    assert milestone(slack_app, 2).after_id is None


def test_a_forecast_is_never_earlier_than_the_likely_date_of_the_one_before(slack_app: SlackApp) -> None:
    for n in range(1, 6):
        slack_app.requests.command(f"add Carol's {n} due Dec 1 owner <@U3|carol>")
        slack_app.requests.command(f"add Bob's {n} due Dec 1 owner <@U2|bob>")
    slack_app.clock.now = ny("2026-12-09 10:00")
    for n in range(1, 11, 2):
        slack_app.requests.command(f"done {n} on Dec 3")  # carol's: 2 days late
        slack_app.requests.command(f"done {n + 1} on Dec 1")  # bob's: on time
    slack_app.requests.command("add Ship docs due Dec 21 owner <@U3|carol>")  # #11: likely Dec 23
    slack_app.requests.command("add Announce due Dec 22 owner <@U2|bob>")  # #12: likely Dec 22

    slack_app.requests.command("show 12")
    assert "*Forecast:* likely Tue Dec 22" in answer(slack_app)

    slack_app.requests.command("update 12 after 11")
    slack_app.requests.command("show 12")
    assert "*Forecast:* likely Wed Dec 23 (1 day late)" in answer(slack_app)


def test_help_update_tells_of_after(slack_app: SlackApp) -> None:
    slack_app.requests.command("help update")
    assert "[every week|month|quarter|none] [after &lt;number&gt;|none]" in answer(slack_app)
    assert "`after 3`: it comes after #3, so it can't be due before #3" in answer(slack_app)


def edit_form(app: SlackApp, number: int) -> dict:
    app.requests.command(f"update {number}")
    return app.fake.last("views.open").params["view"]


def submit(app: SlackApp, view: dict, **changes: object) -> dict | None:
    reply = app.requests.view_submission(
        callback_id="milestone_update",
        values=submitted(view, **changes),
        private_metadata=view["private_metadata"],
    )
    return reply.json() if reply.body else None


def after_box(view: dict) -> dict:
    return next(block for block in view["blocks"] if block["block_id"] == "after")


def test_the_edit_form_shows_comes_after_and_sets_it(slack_app: SlackApp) -> None:
    add_three(slack_app)
    view = edit_form(slack_app, 2)
    assert after_box(view)["label"]["text"] == "Comes after"
    assert "initial_value" not in after_box(view)["element"]

    assert submit(slack_app, view, after="#1") is None
    assert milestone(slack_app, 2).after_id == milestone(slack_app, 1).id
    with Session(slack_app.engine) as session:
        revision = session.exec(select(Revision).where(Revision.field == "after")).one()
    assert (revision.new, revision.source) == ("1", "modal")

    view = edit_form(slack_app, 2)
    assert after_box(view)["element"]["initial_value"] == "#1"
    assert submit(slack_app, view, after=None) is None
    assert milestone(slack_app, 2).after_id is None


def test_the_edit_form_says_what_is_wrong_beside_the_box(slack_app: SlackApp) -> None:
    add_three(slack_app)
    slack_app.requests.command("update 2 after 1")

    view = edit_form(slack_app, 1)
    refused = submit(slack_app, view, after="2")
    assert refused == {
        "response_action": "errors",
        "errors": {"after": "#2 already comes after #1 (#2 → #1), so #1 can't come after #2."},
    }
    assert submit(slack_app, view, after="soon")["errors"] == {  # type: ignore[index]
        "after": "Give the number of the milestone it comes after, like 3, or leave it empty."
    }
    assert "There's no milestone #40" in submit(slack_app, view, after="40")["errors"]["after"]  # type: ignore[index]

    view = edit_form(slack_app, 2)
    refused = submit(slack_app, view, due="2026-12-09")
    assert refused is not None
    assert refused["errors"] == {
        "due": "#2 would be due Wed Dec 9, before #1 Draft docs (due Fri Dec 11), which it comes after."
    }
    assert milestone(slack_app, 1).after_id is None
    assert str(milestone(slack_app, 2).due_date) == "2026-12-15"


def test_moving_the_one_before_with_the_form_tells_the_later_ones_owner(slack_app: SlackApp) -> None:
    add_three(slack_app)
    slack_app.requests.command("update 2 after 1")

    submit(slack_app, edit_form(slack_app, 1), due="2026-12-18")

    posted = fallbacks(str(slack_app.fake.last("chat.postMessage").params["blocks"]))
    assert "⚠️ <@U3> *#2* Ship docs comes after #1, which moved to Fri Dec 18" in posted


def test_add_after_links_the_new_one_by_the_same_rules(slack_app: SlackApp) -> None:
    add_three(slack_app)
    slack_app.requests.command("add Announce due 2026-12-20 after #3 owner <@U2|bob>")
    assert "➕ Added *#4* Announce · due Sun Dec 20 · after #3 · <@U2> — by <@U1>" in answer(slack_app)
    assert milestone(slack_app, 4).after_id == milestone(slack_app, 3).id
    with Session(slack_app.engine) as session:
        assert (
            session.exec(select(Revision).where(Revision.milestone_id == milestone(slack_app, 4).id)).all()
            == []
        )

    # Refused, the new one is never saved: named by its title, and the example is the add put right (no
    # `update 5 …` pointing at a number it never got).
    slack_app.requests.command("add Teaser due 2026-12-16 after 3")
    assert answer(slack_app).startswith(
        "⚠️ Teaser would be due Wed Dec 16, before #3 Launch (due Fri Dec 18), which it comes after.\n"
        "Try: `/milestone add Teaser due Dec 18 after 3`"
    )
    slack_app.requests.command("add Teaser due 2026-12-17 after 40")
    assert answer(slack_app).startswith(
        "⚠️ There's no milestone #40 in this workspace; `/milestone list all` shows the numbers.\n"
        "Try: `/milestone add Teaser due Dec 17`"
    )
    with Session(slack_app.engine) as session:
        assert len(session.exec(select(Milestone)).all()) == 4, "nothing added when refused"
    slack_app.requests.command("add Teaser due 2026-12-21")
    assert milestone(slack_app, 5).title == "Teaser", "a refused add takes no number"


def test_a_list_of_milestones_added_at_once_takes_no_after(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Draft docs due 2026-12-11\nShip docs due 2026-12-15 after 1")
    assert "Line 2: add them first, then `/milestone update <n> after 1`. Nothing was added." in answer(
        slack_app
    )


def test_the_report_forecast_waits_on_the_one_before_too(slack_app: SlackApp) -> None:
    for n in range(1, 6):
        slack_app.requests.command(f"add Carol's {n} due Dec 1 owner <@U3|carol>")
        slack_app.requests.command(f"add Bob's {n} due Dec 1 owner <@U2|bob>")
    slack_app.clock.now = ny("2026-12-09 10:00")
    for n in range(1, 11, 2):
        slack_app.requests.command(f"done {n} on Dec 3")
        slack_app.requests.command(f"done {n + 1} on Dec 1")
    slack_app.requests.command("add Ship docs due Dec 21 owner <@U3|carol>")  # #11: likely Dec 23
    slack_app.requests.command("add Announce due Dec 22 owner <@U2|bob> after 11")  # #12: own likely Dec 22

    slack_app.fake.clear()
    slack_app.requests.command("report")
    body = fallbacks("\n".join(mrkdwn_texts(slack_app.fake.last("response_url").params["blocks"])))

    assert "*#12* Announce · <@U2> · due Tue Dec 22 · likely Wed Dec 23 (1 day late)" in body


def test_the_add_form_takes_comes_after_by_the_same_rules(slack_app: SlackApp) -> None:
    add_three(slack_app)
    slack_app.requests.command("add")
    view = slack_app.fake.last("views.open").params["view"]
    assert after_box(view)["label"]["text"] == "Comes after"
    metadata = view["private_metadata"]

    early = submitted(view, title="Teaser", due="2026-12-16", after="3")
    reply = slack_app.requests.view_submission(
        callback_id="milestone_add", values=early, private_metadata=metadata
    )
    assert reply.json() == {
        "response_action": "errors",
        "errors": {
            "due": "Teaser would be due Wed Dec 16, before #3 Launch (due Fri Dec 18), which it comes after."
        },
    }

    later = submitted(view, title="Teaser", due="2026-12-19", after="#3")
    slack_app.requests.view_submission(callback_id="milestone_add", values=later, private_metadata=metadata)
    assert milestone(slack_app, 4).after_id == milestone(slack_app, 3).id


def review_form_with_2_after_1(app: SlackApp, *, user: str) -> dict:
    """#2 comes after #1; Monday's review is posted and `user` opens their form (Slack's log cleared)."""
    add_three(app)
    app.requests.command("update 2 after 1")
    tick(app, ny("2026-11-30 09:00"))  # Monday: the weekly review is posted
    app.clock.now = ny("2026-11-30 10:00")
    with Session(app.engine) as session:
        review = session.exec(select(CheckIn).order_by(CheckIn.id)).first()
    assert review is not None
    [message] = [m for m in app.fake.messages("C1") if m["ts"] == review.message_ts]
    app.requests.block_action(action_id="review_mine", value=str(review.id), user=user, message=message)
    view = app.fake.last("views.open").params["view"]
    app.fake.clear()
    return view


def test_a_new_date_given_in_the_weekly_review_tells_the_later_ones_owner_too(slack_app: SlackApp) -> None:
    view = review_form_with_2_after_1(slack_app, user="U2")

    reply = slack_app.requests.view_submission(
        callback_id=view["callback_id"],
        values=submitted(view, status_1="on_track", due_1="2026-12-18", reason="Vendor late"),
        private_metadata=view["private_metadata"],
        user="U2",
    )

    assert reply.status == 200 and str(milestone(slack_app, 1).due_date) == "2026-12-18"
    posted = [fallbacks("\n".join(mrkdwn_texts(m["blocks"]))) for m in slack_app.fake.messages("C1")]
    told = [text for text in posted if "comes after #1" in text]
    assert told == [
        "⚠️ <@U3> *#2* Ship docs comes after #1, which moved to Fri Dec 18 — after #2's due date Tue Dec 15:"
        " `/milestone update 2 due Dec 18`"
    ]


def test_a_review_date_before_the_one_it_comes_after_is_refused_on_the_form(slack_app: SlackApp) -> None:
    view = review_form_with_2_after_1(slack_app, user="U3")
    with Session(slack_app.engine) as session:
        revisions_before = len(session.exec(select(Revision)).all())

    reply = slack_app.requests.view_submission(
        callback_id=view["callback_id"],
        values=submitted(view, status_2="on_track", due_2="2026-12-10", reason="Pulled in"),
        private_metadata=view["private_metadata"],
        user="U3",
    )

    # The form stays open with the reason under #2's date; nothing of it is saved, nothing is posted.
    assert reply.status == 200 and reply.json() == {
        "response_action": "errors",
        "errors": {
            "due_2": "#2 would be due Thu Dec 10, before #1 Draft docs (due Fri Dec 11),"
            " which it comes after."
        },
    }
    assert str(milestone(slack_app, 2).due_date) == "2026-12-15"
    with Session(slack_app.engine) as session:
        assert len(session.exec(select(Revision)).all()) == revisions_before
        assert session.exec(select(CheckInAnswer)).all() == []
    assert slack_app.fake.calls == []
