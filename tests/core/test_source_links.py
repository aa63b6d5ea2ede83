"""The message a milestone came from, kept as the first line of its history."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, event
from sqlmodel import Session, select

from bot.core.access import Actor, Asker
from bot.core.command_types import MilestoneFields
from bot.core.milestones import add_milestones
from bot.core.source_links import source_reason
from storage.models import Milestone, Revision
from storage.workspace import Workspace
from tests.support.app import DEFAULT_NOW

LINK = "https://acme.slack.com/archives/C1/p1764000000000100?thread_ts=1764000000.000001&cid=C1"


def asker() -> Asker:
    workspace = Workspace(team_id="T1")
    return Asker(
        workspace=workspace, actor=Actor(user_id="U1", is_admin=False), now=DEFAULT_NOW, timezone="UTC"
    )


def revisions(engine: Engine) -> list[Revision]:
    with Session(engine) as session:
        return list(session.exec(select(Revision)).all())


def test_the_link_is_kept_whole_as_the_reason_of_the_titles_first_revision(engine: Engine) -> None:
    [milestone] = add_milestones(
        engine=engine,
        asker=asker(),
        channel_id="C1",
        fields=[MilestoneFields(title="Launch beta")],
        source_link=LINK,
    ).milestones

    [revision] = revisions(engine)
    assert (revision.milestone_id, revision.field, revision.old, revision.new) == (
        milestone.id,
        "title",
        None,
        "Launch beta",
    )
    assert (revision.by, revision.source, revision.reason) == ("U1", "shortcut", f"it came up in {LINK}")


def test_a_milestone_is_never_kept_without_its_link_nor_a_link_without_its_milestone(engine: Engine) -> None:
    def refuse(*_: object) -> None:
        raise OSError("the database went away while the link was written")

    # The link's row fails as it is written: the milestone, in the same transaction, is not kept either.
    event.listen(Revision, "before_insert", refuse)
    try:
        with pytest.raises(OSError):
            add_milestones(
                engine=engine,
                asker=asker(),
                channel_id="C1",
                fields=[MilestoneFields(title="Launch beta")],
                source_link=LINK,
            )
    finally:
        event.remove(Revision, "before_insert", refuse)
    with Session(engine) as session:
        assert session.exec(select(Milestone)).all() == []
    assert revisions(engine) == []


def test_a_link_too_long_to_keep_whole_adds_the_milestone_without_it(engine: Engine) -> None:
    added = add_milestones(
        engine=engine,
        asker=asker(),
        channel_id="C1",
        fields=[MilestoneFields(title="Launch beta")],
        source_link="https://acme.slack.com/" + "x" * 500,
    )

    assert [m.title for m in added.milestones] == ["Launch beta"]
    assert revisions(engine) == []


def test_only_one_milestone_is_made_from_a_message(engine: Engine) -> None:
    with pytest.raises(ValueError, match="single"):
        add_milestones(
            engine=engine,
            asker=asker(),
            channel_id="C1",
            fields=[MilestoneFields(title="One"), MilestoneFields(title="Two")],
            source_link=LINK,
        )


def test_a_link_too_long_to_keep_whole_is_not_kept_cut() -> None:
    assert source_reason("https://acme.slack.com/" + "x" * 500) is None
    assert source_reason(LINK) == f"it came up in {LINK}"
