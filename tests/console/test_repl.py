"""`python -m bot console` fed through a pipe: the transcript reads as the channel would."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[2]
ZONE = ZoneInfo("America/New_York")  # the console's own people live here


def console(tmp_path: Path, *lines: str) -> subprocess.CompletedProcess[str]:
    """Run the console with `lines` piped in, no Slack variables at all, in its own folder."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("SLACK_")}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "bot", "console", "--db", f"sqlite:///{tmp_path / 'c.db'}"],
        input="".join(line + "\n" for line in lines),
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def after(transcript: str, typed: str) -> str:
    """What the console printed after the prompt where `typed` was typed, up to the next prompt."""
    _, found, rest = transcript.partition(f"you in #general> {typed}\n")
    assert found, f"{typed!r} was never typed:\n{transcript}"
    return rest.split("\nyou in #general> ")[0]


def next_monday(day: date) -> date:
    return day + timedelta(days=7 - day.weekday())


def test_a_milestone_its_reminder_the_weekly_review_and_an_answer_by_number(tmp_path: Path) -> None:
    # The console starts at the wall clock: every date is chosen from today, in the console's zone.
    today = datetime.now(ZONE).date()
    due = today + timedelta(days=10)
    reminded = due - timedelta(days=7)
    monday = next_monday(reminded)

    ran = console(
        tmp_path,
        f"/milestone add Launch beta due {due.isoformat()} owner @alice",
        "list",
        f":time {reminded.isoformat()} 09:30",
        f":time {monday.isoformat()} 09:30",
        "1",
        "1",
        "2",
        "the venue is not booked",
        ":reply 1 the vendor is late, #1 may slip",
        "show 1",
        ":quit",
    )

    transcript = ran.stdout
    assert ran.returncode == 0, ran.stderr
    assert "Traceback" not in transcript + ran.stderr
    assert "\x1b[" not in transcript  # a pipe gets plain text
    assert transcript.startswith("Milestone Bot console")
    added = after(transcript, f"/milestone add Launch beta due {due.isoformat()} owner @alice")
    assert added.startswith("#general · Milestone Bot\n  ➕ Added #1 Launch beta · due ")
    assert "· @alice — by @you" in added
    assert "#1 Launch beta · due " in after(transcript, "list")
    reminder = after(transcript, f":time {reminded.isoformat()} 09:30")
    assert reminder.startswith(f"🕘 {reminded.strftime('%a %b %d %Y')}, 09:30 ")
    assert "  ⏰ #1 Launch beta is due in 7 days (" in reminder
    assert ") — @alice" in reminder
    review = after(transcript, f":time {monday.isoformat()} 09:30")
    assert (
        f"#general · Milestone Bot · {monday:%a %b %d}, 09:00\n  Weekly review: 1 milestone in flight"
        in review
    )
    assert "  0 of 1 answered · waiting on @alice (#1)" in review
    assert "  [1] Review my milestones" in review
    form = after(transcript, "1")
    assert form.startswith("form · Add a note\n  You own none of this week's milestones.")
    flagged = transcript.partition("Note: the venue is not booked\n")[2]
    assert flagged.startswith(
        "#general · in the thread · Milestone Bot\n  ⚠️ @you flags a risk on #1 Launch beta — @alice: "
        "the venue is not booked"
    )
    replied = after(transcript, ":reply 1 the vendor is late, #1 may slip")
    assert replied.startswith(f"💬 you replied in the thread of the message posted {monday:%a %b %d}, 09:00")
    assert "Milestone Bot reacted\n  ✅ on a message" in replied
    assert "  Owner: @alice" in after(transcript, "show 1")
    assert "@you: the vendor is late, #1 may slip" in after(transcript, "show 1")


def test_mistakes_are_one_line_each_and_the_console_goes_on(tmp_path: Path) -> None:
    later = datetime.now(ZONE).date() + timedelta(days=30)
    ran = console(
        tmp_path,
        ":as carol",
        ":time yesterday",
        "7",
        ":nope",
        "add",
        "",
        "Pricing page",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "update 1",
        *["", "", "2000-01-01", "", "", "", "", "", "", "the launch moved"],
        later.isoformat(),
        "update 1",
        "Pricing page v2",
        ":as bob",
        ":cancel",
        "import",
        ":help",
    )

    transcript = ran.stdout
    assert ran.returncode == 0, ran.stderr
    assert "Traceback" not in transcript + ran.stderr
    assert "⚠️ no one called @carol here" in after(transcript, ":as carol")
    assert after(transcript, ":time yesterday") == "⚠️ 'yesterday' is not a time; try 2026-12-14 09:00 or +3d"
    assert after(transcript, "7") == "There is no [7]: choices are none on the screen yet."
    assert after(transcript, ":nope") == "There is no :nope; :help lists what there is."
    form = after(transcript, "add")
    assert form.startswith("form · New milestone\nTitle: \n⚠️ Title is required.\nTitle: Pricing page\n")
    assert "Added #1 Pricing page" in form
    refused, edit = (
        part.split("\nyou in #general> ")[0] for part in transcript.split("you in #general> update 1\n")[1:3]
    )
    assert "the form was not saved\n  ⚠️ That date has passed; pick today or later.\n" in refused
    # Only the refused field is asked again, with what was typed; the rest is kept.
    assert refused.count("Title [Pricing page]: ") == 1
    assert (
        f"Due date (a date like 2026-12-15 or next friday), optional [2000-01-01]: {later.isoformat()}"
        in refused
    )
    assert "✏️ Updated #1 Pricing page" in refused
    assert "Answer the question first, or :cancel to close the form." in edit
    assert edit.endswith("Form closed; nothing was saved.")
    assert after(transcript, "import").endswith(
        "The console can't fill in CSV file (a file upload); the form is closed."
    )
    assert ":time 2026-12-14 09:00" in after(transcript, ":help")


def test_the_menus_that_load_as_one_types_are_filled_from_what_the_app_offers(tmp_path: Path) -> None:
    ran = console(
        tmp_path,
        "add Launch beta dept Marketing",
        "settings",
        *["tokyo", "", "", "1,2", "", "", "", "", "", ""],
        "add",
        *["Pricing page", "", "", "", "", "marketing", "", ""],
        "add",
        *["Press kit", "", "", "", "", "Design", "", ""],
        "list dept marketing",
        ":quit",
    )

    transcript = ran.stdout
    assert ran.returncode == 0, ran.stderr
    assert "Traceback" not in transcript + ran.stderr
    form = after(transcript, "settings")
    assert "Time zone (type to search) [America/New_York (UTC−05:00)]: tokyo\n" in form
    assert "  [1] 1 week before  [2] 1 day before  [3] On the day  [4] The day after, if not done\n" in form
    assert "time zone Asia/Tokyo · reminders 1 week and 1 day before at 09:00" in form
    assert "Added #2 Pricing page" in after(transcript, "add")
    listed = after(transcript, "list dept marketing")
    assert "Launch beta" in listed and "Pricing page" in listed and "Press kit" not in listed
