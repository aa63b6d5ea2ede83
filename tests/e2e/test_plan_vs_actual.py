"""Plan vs actual end to end: export, import, the Home tab, the monthly digest (report: its own module)."""

from __future__ import annotations

import json

from icalendar import Calendar
from sqlmodel import Session, select

from storage.models import Milestone
from tests.support.app import SlackApp
from tests.support.blocks import mrkdwn_texts
from tests.support.plans import build_plan
from tests.support.scheduler import ny, posts, tick


def test_export_csv_round_trips_through_import(slack_app: SlackApp) -> None:
    build_plan(slack_app)
    slack_app.requests.command("export csv")
    assert "milestones.csv" in slack_app.fake.last("response_url").params["text"]
    assert slack_app.fake.last("files.completeUploadExternal").params["channel_id"] == "DU1"
    [csv_bytes] = list(slack_app.fake.uploads.values())
    assert "<@U2|bob>" in csv_bytes.decode("utf-8-sig")  # the manager's name, and the id to import

    shared = slack_app.fake.add_file("plan.csv", csv_bytes, user="U1")
    slack_app.requests.command("import", channel="C2")
    view = slack_app.fake.last("views.open").params["view"]
    assert view["callback_id"] == "import_upload"
    values = {"file": {"file": {"type": "file_input", "files": [shared]}}}
    reply = slack_app.requests.view_submission(
        callback_id="import_upload", values=values, private_metadata=view["private_metadata"]
    )
    preview = reply.json()
    assert preview["response_action"] == "update" and preview["view"]["callback_id"] == "import_confirm"
    assert "No Slack member" not in json.dumps(preview["view"]["blocks"])
    reply = slack_app.requests.view_submission(
        callback_id="import_confirm", values={}, private_metadata=preview["view"]["private_metadata"]
    )
    assert reply.status == 200
    with Session(slack_app.engine) as session:
        imported = session.exec(select(Milestone).where(Milestone.channel_id == "C2")).all()
    assert sorted(m.title for m in imported) == ["Hire designer", "Launch beta", "Pricing page"]
    launch = next(m for m in imported if m.title == "Launch beta")
    assert (launch.budget_minor, launch.budget_currency, launch.department) == (500000, "USD", "Marketing")
    assert {m.title: m.owner_id for m in imported} == {
        "Launch beta": "U1",
        "Pricing page": "U2",
        "Hire designer": "U2",
    }
    assert "imported 3 milestones" in slack_app.fake.last("chat.postMessage").params["text"]


def test_bad_csv_imports_nothing(slack_app: SlackApp) -> None:
    bad = b"Milestone,End Date,Budget\nLaunch,2026-02-30,$5000\nPricing,2026-12-20,lots\n"
    shared = slack_app.fake.add_file("bad.csv", bad, user="U1")
    slack_app.requests.command("import")
    view = slack_app.fake.last("views.open").params["view"]
    values = {"file": {"file": {"type": "file_input", "files": [shared]}}}
    preview = slack_app.requests.view_submission(
        callback_id="import_upload", values=values, private_metadata=view["private_metadata"]
    ).json()
    shown = json.dumps(preview["view"]["blocks"])
    assert "Line 2" in shown and "Line 3" in shown
    assert "submit" not in preview["view"]
    reply = slack_app.requests.view_submission(
        callback_id="import_confirm", values={}, private_metadata=preview["view"]["private_metadata"]
    )
    assert reply.status == 200
    with Session(slack_app.engine) as session:
        assert session.exec(select(Milestone)).all() == []


def test_export_ics_parses_back_with_stable_uids(slack_app: SlackApp) -> None:
    build_plan(slack_app)
    slack_app.requests.command("export ics")
    slack_app.requests.command("export ics")
    first, second = list(slack_app.fake.uploads.values())
    assert first == second
    events = [c for c in Calendar.from_ical(first).walk("VEVENT")]
    assert len(events) == 3
    assert {str(e["SUMMARY"]).split(" ", 1)[0] for e in events} >= {"#2", "#3"}


def test_home_tab_lists_overdue_first_and_its_menu_marks_done(slack_app: SlackApp) -> None:
    build_plan(slack_app)
    slack_app.clock.now = ny("2026-12-21 10:00")  # #3 (Dec 20) is overdue, #2 (Jan 9) later
    slack_app.requests.event({"type": "app_home_opened", "user": "U2", "channel": "D1", "tab": "home"})
    view = slack_app.fake.last("views.publish").params["view"]
    text = json.dumps(view["blocks"])
    assert text.index("Hire designer") < text.index("Pricing page")
    slack_app.requests.block_action(
        action_id="home_milestone", value="", selected="done:3", user="U2", view=view
    )
    with Session(slack_app.engine) as session:
        assert session.exec(select(Milestone).where(Milestone.number == 3)).one().status == "done"
    assert "Hire designer" not in json.dumps(slack_app.fake.last("views.publish").params["view"]["blocks"])
    slack_app.requests.block_action(
        action_id="home_milestone", value="", selected="new_date:2", user="U2", view=view
    )
    assert slack_app.fake.last("views.open").params["view"]["callback_id"] == "new_date"


def test_first_checkin_of_the_month_carries_the_digest(slack_app: SlackApp) -> None:
    build_plan(slack_app)
    tick(slack_app, ny("2027-01-04 09:00"))  # the first Monday of January
    [checkin] = posts(slack_app, "C1", kind="checkin")[-1:]
    digest = "\n".join(mrkdwn_texts(checkin["blocks"][:3]))
    assert "December" in digest
    # December's: #1 (finished Dec 21) and #3 (due Dec 20, still open); #2 is due in January.
    assert "*On time so far:* 0 of 1 finished milestone (0%)" in digest
    assert "*Late:* 1 open past due · 1 finished late" in digest
    tick(slack_app, ny("2027-01-11 09:00"))
    assert "December" not in json.dumps(posts(slack_app, "C1", kind="checkin")[-1]["blocks"][:4])
