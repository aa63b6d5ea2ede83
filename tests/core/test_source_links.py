"""The message a milestone came from, kept as the first line of its history."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.core.access import Actor, Asker
from bot.core.command_types import MilestoneFields
from bot.core.milestones import add_milestone
from bot.core.source_links import keep_source_link, source_reason
from storage.models import Revision
from storage.workspace import Workspace
from tests.support.app import DEFAULT_NOW

LINK = "https://acme.slack.com/archives/C1/p1764000000000100?thread_ts=1764000000.000001&cid=C1"


def asker() -> Asker:
    workspace = Workspace(team_id="T1")
    return Asker(
        workspace=workspace, actor=Actor(user_id="U1", is_admin=False), now=DEFAULT_NOW, timezone="UTC"
    )


def test_the_link_is_kept_whole_as_the_reason_of_the_titles_first_revision(engine: Engine) -> None:
    milestone = add_milestone(
        engine=engine, asker=asker(), channel_id="C1", fields=MilestoneFields(title="Launch beta")
    )

    keep_source_link(engine=engine, asker=asker(), milestone=milestone, link=LINK)

    with Session(engine) as session:
        [revision] = session.exec(select(Revision)).all()
    assert (revision.milestone_id, revision.field, revision.old, revision.new) == (
        milestone.id,
        "title",
        None,
        "Launch beta",
    )
    assert (revision.by, revision.source, revision.reason) == ("U1", "shortcut", f"it came up in {LINK}")


def test_a_link_too_long_to_keep_whole_is_not_kept_cut() -> None:
    assert source_reason("https://acme.slack.com/" + "x" * 500) is None
    assert source_reason(LINK) == f"it came up in {LINK}"
