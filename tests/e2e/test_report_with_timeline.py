"""`/milestone report` end to end: the headline, the groups, and the timeline pictures in the report."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session, select

from bot.listeners import report as report_listener
from storage.models import Milestone
from tests.support.app import SlackApp
from tests.support.blocks import mrkdwn_texts
from tests.support.plans import build_plan as build_shared_plan

HEADLINE = (
    "*On time so far:* 0 of 1 finished milestone (0%)\n"
    "*Late:* 1 open past due · 1 finished late\n"
    "*Budget vs actual:* $7,000 planned · $5,400 spent"
    " · $400 over budget (8%) on the 1 milestone with a cost so far"
)


def build_plan(app: SlackApp) -> None:
    """The shared plan, then a clean fake: what follows is the report's alone."""
    build_shared_plan(app)
    app.fake.clear()


def images(message: dict) -> list[dict]:
    return [block for block in message["blocks"] if block["type"] == "image"]


def text_of(message: dict) -> str:
    return "\n".join(mrkdwn_texts(message["blocks"]))


@pytest.fixture
def no_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_listener, "CHART_RETRY_WAIT_S", 0.01)


def test_report_leads_with_three_figures_then_the_groups_in_words(slack_app: SlackApp) -> None:
    build_plan(slack_app)
    slack_app.requests.command("report")
    answer = slack_app.fake.last("response_url").params
    assert answer["response_type"] == "ephemeral"
    assert answer["blocks"][0]["text"]["text"] == "Plan vs actual — #channel-c1"
    assert answer["blocks"][1]["text"]["text"] == HEADLINE
    body = text_of(answer)
    assert (
        "*Late* (open, past due) · 1 milestone\n*#3* Hire designer · <@U2> · People · due Sun Dec 20"
        " · 1 day past due" in body
    )
    assert (
        "*At risk* (open, flagged at risk or blocked, now due later than planned,"
        " or likely late by the team's record) · 1 milestone\n"
        "*#2* Pricing page · <@U2> · Marketing · due Sat Jan 9, 2027 · 🟡 At risk · $2,000 budget" in body
    )
    assert (
        "*Done* (finished) · 1 milestone\n*#1* Launch beta · <@U1> · Marketing"
        " · planned Tue Dec 15 → finished Mon Dec 21 · 6 days late · plan changed once"
        " · $5,000 budget, $5,400 spent ($400 over)" in body
    )
    assert "On plan" not in body  # an empty group is left out
    assert body.index("*Late*") < body.index("*At risk*") < body.index("*Done*")
    for jargon in ("revision", "slip", "+", "−"):
        assert jargon not in body


def test_report_shows_its_timeline_in_an_image_block_and_sends_nothing_to_a_dm(slack_app: SlackApp) -> None:
    build_plan(slack_app)
    slack_app.requests.command("report")
    answer = slack_app.fake.last("response_url").params
    upload = slack_app.fake.last("files.completeUploadExternal").params
    assert not upload.get("channel_id") and not upload.get("channels")  # shared with no conversation
    [uploaded] = upload["files"]
    [image] = images(answer)
    assert image["slack_file"] == {"id": uploaded["id"]}
    assert image["title"]["text"] == "Plan vs actual"
    assert slack_app.fake.files[uploaded["id"]]["channels"] == []
    assert slack_app.fake.uploads[uploaded["id"]].startswith(b"\x89PNG")
    assert not slack_app.fake.calls_to("conversations.open")
    assert not slack_app.fake.calls_to("chat.postMessage")  # the report is the asker's alone until shared
    # The picture sits after the groups, before the share button.
    kinds = [block["type"] for block in answer["blocks"]]
    assert kinds.index("image") > kinds.index("section") and kinds[-1] == "actions"


def test_share_posts_the_report_with_its_picture_in_the_channel(slack_app: SlackApp) -> None:
    build_plan(slack_app)
    shared = share(slack_app, "report dept marketing")
    assert shared["channel"] == "C1"
    assert "Shared by <@U1>" in text_of(shared)
    assert "Hire designer" not in text_of(shared)  # People, not Marketing
    [image] = images(shared)
    upload = slack_app.fake.last("files.completeUploadExternal").params
    assert not upload.get("channel_id")
    assert image["slack_file"] == {"id": upload["files"][0]["id"]}
    assert slack_app.fake.last("response_url").params["text"] == "📣 Shared in the channel."


def share(app: SlackApp, command: str = "report") -> dict:
    """Ask for a report and press its Share button; the message posted in the channel."""
    app.requests.command(command)
    return press_share(app)


def press_share(app: SlackApp) -> dict:
    """Press the Share button of the last report answered; the message posted in the channel."""
    value = next(
        element["value"]
        for block in app.fake.last("response_url").params["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    )
    app.requests.block_action(action_id="report_share", value=value, channel="C1")
    return app.fake.last("chat.postMessage").params


@pytest.mark.usefixtures("no_wait")
def test_a_shared_report_whose_picture_is_refused_twice_is_posted_without_it(slack_app: SlackApp) -> None:
    build_plan(slack_app)
    slack_app.fake.fail_next("chat.postMessage", status=200, error="invalid_blocks", times=2)
    shared = share(slack_app)
    posts = [call.params for call in slack_app.fake.calls_to("chat.postMessage")]
    assert [bool(images(post)) for post in posts] == [True, True, False]
    assert shared["channel"] == "C1" and shared["blocks"][1]["text"]["text"] == HEADLINE


def test_a_shared_report_goes_without_its_picture_when_the_upload_fails(slack_app: SlackApp) -> None:
    build_plan(slack_app)
    slack_app.requests.command("report")
    slack_app.fake.fail_next("files.completeUploadExternal", status=200, error="internal_error")
    shared = press_share(slack_app)
    assert images(shared) == [] and "Shared by <@U1>" in text_of(shared)


def test_report_goes_without_its_picture_when_the_upload_fails(slack_app: SlackApp) -> None:
    build_plan(slack_app)
    slack_app.fake.fail_next("files.getUploadURLExternal", status=200, error="internal_error")
    slack_app.requests.command("report")
    answer = slack_app.fake.last("response_url").params
    assert answer["blocks"][1]["text"]["text"] == HEADLINE
    assert images(answer) == []
    assert len(slack_app.fake.calls_to("response_url")) == 1


@pytest.mark.usefixtures("no_wait")
def test_a_picture_not_ready_yet_is_tried_once_more(slack_app: SlackApp) -> None:
    build_plan(slack_app)
    slack_app.fake.fail_next("response_url", status=400, error="invalid_blocks")
    slack_app.requests.command("report")
    first, second = slack_app.fake.calls_to("response_url")
    assert images(first.params) and images(second.params) == images(first.params)


@pytest.mark.usefixtures("no_wait")
def test_a_picture_refused_twice_leaves_the_report_without_it(slack_app: SlackApp) -> None:
    build_plan(slack_app)
    slack_app.fake.fail_next("response_url", status=400, error="invalid_blocks", times=2)
    slack_app.requests.command("report")
    answers = [call.params for call in slack_app.fake.calls_to("response_url")]
    assert [bool(images(answer)) for answer in answers] == [True, True, False]
    assert answers[-1]["blocks"][1]["text"]["text"] == HEADLINE


def test_departments_stored_in_any_case_are_one_department(slack_app: SlackApp) -> None:
    build_plan(slack_app)
    slack_app.requests.command("add Press kit due Jan 12 dept Marketing")
    with Session(slack_app.engine) as session:
        # As stored before departments had one spelling per workspace.
        for number, spelling in ((2, "marketing"), (4, "MARKETING")):
            milestone = session.exec(select(Milestone).where(Milestone.number == number)).one()
            milestone.department = spelling
            session.add(milestone)
        session.commit()
    slack_app.requests.command("report")
    body = text_of(slack_app.fake.last("response_url").params)
    assert "*By department:* Marketing — 3 milestones, 0 of 1 finished on time · People — 1 milestone" in body
    assert "marketing" not in body and "MARKETING" not in body


@pytest.mark.parametrize(
    ("command", "heading"),
    [
        ("report", "Plan vs actual — #channel-c1"),
        ("report owner <@U2|bob>", "Plan vs actual — bob"),
        ("report dept Marketing since Dec 1", "Plan vs actual — Marketing since Dec 1"),
        ("report dept MARKETING", "Plan vs actual — Marketing"),
        ("report all", "Plan vs actual — the whole workspace"),
    ],
)
def test_headings_name_the_channel_the_person_or_the_department(
    slack_app: SlackApp, command: str, heading: str
) -> None:
    build_plan(slack_app)
    slack_app.requests.command(command)
    answer = slack_app.fake.last("response_url").params
    assert answer["blocks"][0]["text"]["text"] == heading
    assert "U2" not in heading and "C1" not in heading


def test_a_report_of_a_direct_message_is_not_named_after_it(slack_app: SlackApp) -> None:
    slack_app.fake.channel_names["D1"] = "directmessage"
    slack_app.requests.command("add Launch beta due Dec 15", channel="D1")
    slack_app.requests.command("report", channel="D1")
    assert (
        slack_app.fake.last("response_url").params["blocks"][0]["text"]["text"]
        == "Plan vs actual — this channel"
    )


def test_the_fake_refuses_a_picture_of_a_file_it_never_saw(slack_app: SlackApp) -> None:
    """The retry tests above mean something only if an unknown file is refused, as Slack does."""
    unknown = {"type": "image", "slack_file": {"id": "F_NEVER_UPLOADED"}, "alt_text": "timeline"}
    client = WebClient(base_url=slack_app.fake.api_url, token="xoxb-test")
    with pytest.raises(SlackApiError) as refused:
        client.chat_postMessage(channel="C1", text="report", blocks=[unknown])
    assert refused.value.response["error"] == "invalid_blocks"
    assert slack_app.fake.invalid_payloads == ["chat.postMessage: invalid slack file F_NEVER_UPLOADED"]
    slack_app.fake.invalid_payloads.clear()  # refused on purpose: not the app's mistake


def test_a_date_or_budget_given_for_the_first_time_is_no_plan_change(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Brochure")
    slack_app.requests.command("update 1 due Dec 20")
    slack_app.requests.command("update 1 budget $900")
    slack_app.requests.command("add Flyer start Dec 1 due Dec 10")
    slack_app.requests.command("update 2 start Dec 3")
    slack_app.requests.command("report")
    lines = text_of(slack_app.fake.last("response_url").params).splitlines()
    assert "*#1* Brochure · due Sun Dec 20 · $900 budget" in lines
    assert "*#2* Flyer · due Thu Dec 10 · plan changed once" in lines
