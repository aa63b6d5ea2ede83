"""`/milestone export` names people and counts right: what a person reads in the file Slack hands them."""

from __future__ import annotations

import csv
import io

from icalendar import Calendar

from tests.support.app import SlackApp
from tests.support.scheduler import ny

CREATED_AT = "Created At (America/New_York)"


def name_people(app: SlackApp) -> None:
    """U2 shows as Alice Smith; U4 has no display name, only a real name; U9 is nobody Slack knows."""
    app.fake.add_user("U2", tz="Europe/Berlin", name="Alice Smith")
    dana = app.fake.add_user("U4", tz="UTC", name="dana")
    dana["profile"] |= {"display_name": "", "real_name": "Dana Reyes"}
    dana["real_name"] = "Dana Reyes"


def build_plan(app: SlackApp) -> None:
    """Three milestones added by U1 (New York), one before the clocks went back and two after."""
    app.clock.now = ny("2026-10-30 09:41")  # EDT
    app.requests.command("add Launch beta due Dec 15 owner <@U2|alice> dept Marketing")
    app.clock.now = ny("2026-11-30 15:04")  # EST
    app.requests.command("add Pricing page due Jan 9 owner <@U4|dana>")
    app.requests.command("add Hire designer owner <@U9|ghost>")


def uploaded(app: SlackApp) -> tuple[bytes, dict]:
    """The last file the app uploaded, and Slack's record of it (title, channel, comment)."""
    file_id = app.fake.last("files.completeUploadExternal").params["files"][0]["id"]
    return app.fake.uploads[file_id], app.fake.files[file_id]


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_csv_names_managers_and_creators_with_times_to_the_minute_in_the_channels_zone(
    slack_app: SlackApp,
) -> None:
    name_people(slack_app)
    build_plan(slack_app)

    slack_app.requests.command("export csv")

    content, file = uploaded(slack_app)
    rows = {row["Milestone"]: row for row in csv_rows(content)}
    assert rows["Launch beta"]["Manager"] == "<@U2|Alice Smith>"
    assert rows["Pricing page"]["Manager"] == "<@U4|Dana Reyes>"  # no display name: the real name
    assert rows["Hire designer"]["Manager"] == "U9"  # nobody Slack knows: the id, which re-imports
    assert {row["Created By"] for row in rows.values()} == {"alice"}
    assert rows["Launch beta"][CREATED_AT] == "2026-10-30 09:41"
    assert rows["Pricing page"][CREATED_AT] == "2026-11-30 15:04"
    assert "C1" not in file["title"] and file["title"].startswith("Milestones")
    assert file["channels"] == ["DU1"]
    assert file["initial_comment"] == "📎 3 milestones from <#C1>"
    answer = slack_app.fake.last("response_url").params
    assert answer["text"] == "📎 Sent you `milestones.csv` with 3 milestones from <#C1> in a direct message."


def test_each_person_is_looked_up_once_per_export_and_an_unknown_one_does_not_fail_it(
    slack_app: SlackApp,
) -> None:
    name_people(slack_app)
    build_plan(slack_app)
    slack_app.requests.command("add Brief agency due Dec 1 owner <@U9|ghost>")
    slack_app.fake.clear()

    slack_app.requests.command("export csv")

    looked_up = [call.params["user"] for call in slack_app.fake.calls_to("users.info")]
    assert looked_up.count("U9") == 1  # two milestones, one look-up; Slack doesn't know U9
    assert len(looked_up) == len(set(looked_up))
    content, _ = uploaded(slack_app)
    assert [row["Manager"] for row in csv_rows(content)].count("U9") == 2


def test_a_name_look_up_that_fails_leaves_the_id_and_the_file_still_comes(slack_app: SlackApp) -> None:
    build_plan(slack_app)
    slack_app.fake.clear()
    slack_app.fake.fail_next("users.info", status=200, error="ratelimited")

    slack_app.requests.command("export csv")

    content, _ = uploaded(slack_app)
    managers = {row["Milestone"]: row["Manager"] for row in csv_rows(content)}
    assert managers["Launch beta"] == "U2"  # U2's look-up (the first) was refused
    assert (
        "📎 Sent you `milestones.csv` with 3 milestones" in slack_app.fake.last("response_url").params["text"]
    )

    slack_app.requests.command("export csv")  # a refusal is not remembered: the next export asks again

    content, _ = uploaded(slack_app)
    assert csv_rows(content)[0]["Manager"] == "<@U2|bob>"


def test_one_milestone_is_one_milestone(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15 owner <@U2|bob>")

    slack_app.requests.command("export csv")

    _, file = uploaded(slack_app)
    assert file["initial_comment"] == "📎 1 milestone from <#C1>"
    text = slack_app.fake.last("response_url").params["text"]
    assert "with 1 milestone from <#C1>" in text


def test_ics_names_the_owner_and_says_which_milestones_it_left_out(slack_app: SlackApp) -> None:
    name_people(slack_app)
    build_plan(slack_app)

    slack_app.requests.command("export ics")

    content, file = uploaded(slack_app)
    descriptions = {
        str(event["SUMMARY"]): str(event["DESCRIPTION"])
        for event in Calendar.from_ical(content).walk("VEVENT")
    }
    assert "Owner: Alice Smith" in descriptions["#1 Launch beta"]
    assert "Owner: Dana Reyes" in descriptions["#2 Pricing page"]
    assert "U2" not in descriptions["#1 Launch beta"]
    assert file["initial_comment"] == "📎 2 milestones with a due date (1 without one left out) from <#C1>"
    assert (
        "with 2 milestones with a due date (1 without one left out)"
        in (slack_app.fake.last("response_url").params["text"])
    )


def test_an_empty_channel_says_there_is_nothing_to_export_and_sends_no_file(slack_app: SlackApp) -> None:
    slack_app.requests.command("export csv")

    text = slack_app.fake.last("response_url").params["text"]
    assert text == (
        "Nothing to export: <#C1> has no milestones yet. Add one: `/milestone add Launch beta due Dec 15`"
    )
    assert slack_app.fake.calls_to("files.completeUploadExternal") == []


def test_the_file_and_its_channel_column_name_the_channel_as_slack_sent_it(slack_app: SlackApp) -> None:
    slack_app.fake.channel_names["C1"] = "launch"
    build_plan(slack_app)

    slack_app.requests.command("export csv")

    content, file = uploaded(slack_app)
    assert file["title"] == "Milestones of #launch"
    assert {row["Channel"] for row in csv_rows(content)} == {"#launch"}
