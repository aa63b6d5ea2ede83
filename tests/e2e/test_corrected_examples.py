"""Bad input over signed HTTP: a short answer to the person alone, with their own command put right."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select

from storage.models import Milestone
from tests.support.app import SlackApp
from tests.support.blocks import assert_valid_blocks, mrkdwn_texts


def asked(slack_app: SlackApp, text: str, *, user: str = "U1") -> dict[str, Any]:
    """The answer the person sees to `/milestone text`: in the acknowledgement if it is there, else later."""
    before = len(slack_app.fake.calls_to("response_url"))
    reply = slack_app.requests.command(text, user=user)
    assert reply.status == 200
    if reply.body.strip().startswith("{"):
        payload = reply.json()
        if payload.get("text") or payload.get("blocks"):
            return payload
    calls = slack_app.fake.calls_to("response_url")
    assert len(calls) > before, f"no answer to {text!r}"
    return calls[-1].params


def read(answer: dict[str, Any]) -> str:
    """The answer's text as a person reads it: its blocks' mrkdwn, checked as Slack would."""
    assert_valid_blocks(answer["blocks"])
    return "\n".join(mrkdwn_texts(answer["blocks"]))


def stored(slack_app: SlackApp) -> list[Milestone]:
    with Session(slack_app.engine) as session:
        return list(session.exec(select(Milestone).order_by(Milestone.number)).all())


@pytest.mark.parametrize(
    ("text", "says", "example"),
    [
        ("ad Website copy due friday", "did you mean `add`?", "/milestone add Website copy due friday"),
        ("add Launch owner alice", "pick the person from Slack's list", "/milestone add Launch owner @alice"),
        ("add Launch due whenever dept Sales", "`whenever`", "/milestone add Launch due Dec 2 dept Sales"),
    ],
)
def test_a_slip_in_an_add_is_answered_with_the_command_put_right(
    slack_app: SlackApp, text: str, says: str, example: str
) -> None:
    answer = asked(slack_app, text)
    shown = read(answer)
    assert answer.get("response_type", "ephemeral") == "ephemeral"
    assert says in shown
    assert f"Try: `{example}`" in shown
    assert len(shown) < 400
    assert stored(slack_app) == []


def test_slips_in_an_update_are_answered_with_the_command_put_right(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15")
    [before] = stored(slack_app)

    for text, example in [
        ("update 1 deu Dec 20", "/milestone update 1 due Dec 20"),
        ("update 1 status at-rsk", "/milestone update 1 status at-risk"),
        ("update #1x due Dec 20", "/milestone update #1 due Dec 20"),
        ("update 1 owner <@U2|bob> budget lots", "/milestone update 1 owner @bob budget $5,000"),
    ]:
        answer = asked(slack_app, text)
        assert answer.get("response_type", "ephemeral") == "ephemeral"
        assert f"Try: `{example}`" in read(answer), text

    [after] = stored(slack_app)
    assert (after.due_date, after.status, after.owner_id) == (before.due_date, before.status, before.owner_id)


def test_the_corrected_example_does_what_was_meant_when_sent(slack_app: SlackApp) -> None:
    example = read(asked(slack_app, "ad Website copy due friday")).split("Try: `")[1].split("`")[0]

    slack_app.requests.command(example.removeprefix("/milestone "))

    [milestone] = stored(slack_app)
    assert milestone.title == "Website copy"


def test_a_slip_with_no_correction_known_keeps_one_generic_example(slack_app: SlackApp) -> None:
    shown = read(asked(slack_app, "frobnicate everything"))
    assert "`/milestone help` lists what I do" in shown
    assert "Try: `/milestone help`" in shown


def test_show_of_a_missing_number_points_to_a_list_that_holds_every_number(slack_app: SlackApp) -> None:
    slack_app.requests.command("add Launch beta due Dec 15")
    slack_app.requests.command("add Hire designer due Dec 20")
    slack_app.requests.command("done 1")
    assert stored(slack_app)[0].status == "done"

    missing = asked(slack_app, "show 99")
    assert missing.get("response_type", "ephemeral") == "ephemeral"
    shown = read(missing)
    assert "no milestone *#99*" in shown
    assert "`/milestone list all`" in shown

    # The list it points to holds the done milestone's number too, not only the open ones.
    listed = read(asked(slack_app, "list all"))
    assert "#1" in listed and "Launch beta" in listed
    assert "#2" in listed and "Hire designer" in listed
