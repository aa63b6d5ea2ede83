"""`/milestone export` then `/milestone import`, through signed requests: how often each milestone repeats
and the one it comes after travel in the file's Repeats and After columns; a link that leaves the file, or a
Repeats cell that is no period of ours, is a problem in the preview and nothing is imported."""

from __future__ import annotations

import csv
import io

from sqlmodel import Session, select

from storage.models import Milestone
from tests.support.app import SlackApp
from tests.support.blocks import assert_valid_view, view_text
from tests.support.reading import fallbacks
from tests.support.slack_requests import answer_text


def build_linked_plan(app: SlackApp) -> None:
    """#1 Pay rent every month; #2 Launch after #1; #3 Press after #2."""
    app.requests.command("add Pay rent due 2026-12-01 every month")
    app.requests.command("add Launch due 2026-12-15")
    app.requests.command("add Press due 2026-12-20")
    app.requests.command("update 2 after 1")
    app.requests.command("update 3 after 2")


def exported_csv(app: SlackApp) -> bytes:
    app.requests.command("export csv")
    file_id = app.fake.last("files.completeUploadExternal").params["files"][0]["id"]
    return app.fake.uploads[file_id]


def preview_of(app: SlackApp, content: bytes, *, channel: str) -> dict:
    """Upload a file on `/milestone import`'s form in a channel: the preview view Slack is asked to show."""
    shared = app.fake.add_file("plan.csv", content, user="U1")
    app.requests.command("import", channel=channel)
    form = app.fake.last("views.open").params["view"]
    values = {"file": {"file": {"type": "file_input", "files": [shared]}}}
    reply = app.requests.view_submission(
        callback_id="import_upload", values=values, private_metadata=form["private_metadata"]
    ).json()
    assert reply["response_action"] == "update"
    assert_valid_view(reply["view"], kind="modal")
    return reply["view"]


def confirm(app: SlackApp, preview: dict) -> None:
    reply = app.requests.view_submission(
        callback_id="import_confirm", values={}, private_metadata=preview["private_metadata"]
    )
    assert reply.status == 200


def in_channel(app: SlackApp, channel_id: str) -> dict[str, Milestone]:
    with Session(app.engine) as session:
        found = session.exec(select(Milestone).where(Milestone.channel_id == channel_id)).all()
        return {m.title: m for m in found}


def test_the_export_writes_repeats_and_after_and_the_preview_of_its_import_says_them(
    slack_app: SlackApp,
) -> None:
    build_linked_plan(slack_app)

    content = exported_csv(slack_app)

    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert [(row["Number"], row["Milestone"], row["Repeats"], row["After"]) for row in rows] == [
        ("1", "Pay rent", "every month", ""),
        ("2", "Launch", "", "1"),
        ("3", "Press", "", "2"),
    ]
    preview = preview_of(slack_app, content, channel="C2")
    assert preview["callback_id"] == "import_confirm" and preview["submit"]["text"] == "Import 3"
    lines = view_text(preview)
    assert "*Pay rent* · due Tue Dec 1 · in 6 days · every month" in lines
    assert "*Launch* · due Tue Dec 15 · in 20 days · after Pay rent" in lines
    assert "*Press* · due Sun Dec 20 · in 25 days · after Launch" in lines


def test_how_often_each_repeats_survives_the_round_trip(slack_app: SlackApp) -> None:
    build_linked_plan(slack_app)
    preview = preview_of(slack_app, exported_csv(slack_app), channel="C2")

    confirm(slack_app, preview)

    copies = in_channel(slack_app, "C2")
    assert {title: m.recurrence for title, m in copies.items()} == {
        "Pay rent": "month",
        "Launch": None,
        "Press": None,
    }
    assert "imported 3 milestones (#4–#6)" in slack_app.fake.last("chat.postMessage").params["text"]


def test_the_one_each_comes_after_survives_the_round_trip(slack_app: SlackApp) -> None:
    build_linked_plan(slack_app)
    preview = preview_of(slack_app, exported_csv(slack_app), channel="C2")

    confirm(slack_app, preview)

    copies = in_channel(slack_app, "C2")
    title_of = {m.id: m.title for m in copies.values()}
    assert {title: title_of.get(m.after_id) for title, m in copies.items()} == {
        "Pay rent": None,
        "Launch": "Pay rent",
        "Press": "Launch",
    }
    slack_app.requests.command("show 5")
    assert "*Comes after*\\n#4 Pay rent (due Tue Dec 1)" in fallbacks(answer_text(slack_app.fake))


def test_an_after_outside_the_file_and_a_bad_repeats_cell_are_problems_and_nothing_is_imported(
    slack_app: SlackApp,
) -> None:
    plan = (
        b"Number,Milestone,End Date,Repeats,After\n"
        b"1,Kick-off,2026-12-01,every month,\n"
        b"2,Launch,2026-12-15,,7\n"
        b"3,Standup,2026-12-02,every day,\n"
    )

    preview = preview_of(slack_app, plan, channel="C2")

    assert "submit" not in preview
    shown = view_text(preview)
    assert "*2 problems* in the file, so nothing was imported." in shown
    assert (
        "*Line 3:* After 7: no row of this file is #7; clear the cell, and once imported, link it with "
        "`/milestone update N after 7`, N being its new number." in shown
    )
    assert (
        "*Line 4:* Repeats `every day` isn't a period I repeat by; write every week, every month or "
        "every quarter, or leave it empty." in shown
    )
    confirm(slack_app, preview)
    assert in_channel(slack_app, "C2") == {}


def test_the_export_names_the_one_it_comes_after_in_another_channel_too(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Contract signed due 2026-12-10", channel="C2")  # #1, in #ops
    slack_app.requests.command("add Launch due 2026-12-15")  # #2, here
    slack_app.requests.command("update 2 after 1")

    rows = list(csv.DictReader(io.StringIO(exported_csv(slack_app).decode("utf-8-sig"), newline="")))

    assert [(row["Number"], row["Milestone"], row["After"]) for row in rows] == [("2", "Launch", "1")]
