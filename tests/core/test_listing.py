"""Which date a list is read on, and what an empty list learns about its channel."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine

from bot.core import milestones
from bot.core.command_types import ListCommand, ListScope, MilestoneFields
from bot.core.listing import ChannelSummary, Listing, list_milestones, listing_today
from storage.db import session_scope
from storage.milestones import get_milestone
from storage.workspace import Workspace
from tests.support.databases import recorded_statements
from tests.support.factories import make_asker

ASKER = date(2026, 11, 21)  # already Saturday where the asker is
CHANNEL = date(2026, 11, 20)  # still Friday in the channel's zone
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
TODAY = date(2026, 11, 25)
ACME = Workspace(team_id="T1")
OTHER = Workspace(team_id="T2")


@pytest.mark.parametrize("scope", ["mine", "owner", "dept"])
def test_a_persons_or_a_departments_list_is_read_on_the_askers_date(scope: ListScope):
    assert listing_today(scope, asker_today=ASKER, channel_today=CHANNEL) == ASKER


@pytest.mark.parametrize("scope", ["channel", "all", "done", "overdue", "upcoming"])
def test_a_channels_list_is_read_on_the_channels_date(scope: ListScope):
    assert listing_today(scope, asker_today=ASKER, channel_today=CHANNEL) == CHANNEL


def add(engine: Engine, title: str, *, workspace: Workspace = ACME, channel_id: str = "C1", **fields) -> None:
    milestones.add_milestone(
        engine=engine,
        asker=make_asker(workspace=workspace, now=NOW, timezone="America/New_York"),
        channel_id=channel_id,
        fields=MilestoneFields(title=title, **fields),
    )


def listed(engine: Engine, request: ListCommand, *, channel_id: str = "C1", user_id: str = "U1") -> Listing:
    return list_milestones(
        engine=engine,
        workspace=ACME,
        channel_id=channel_id,
        user_id=user_id,
        request=request,
        today=TODAY,
    )


def test_an_empty_list_says_what_the_channel_holds_instead(engine: Engine) -> None:
    add(engine, "Late", due=TODAY - timedelta(days=3))
    add(engine, "Today", due=TODAY)
    add(engine, "Later", due=TODAY + timedelta(days=40))
    add(engine, "Undated")
    add(engine, "Shipped", due=TODAY - timedelta(days=1))
    add(engine, "Dropped", due=TODAY + timedelta(days=1))
    add(engine, "Other channel", channel_id="C2", due=TODAY + timedelta(days=1))
    add(engine, "Other workspace", workspace=OTHER, due=TODAY + timedelta(days=1))
    milestones.complete_milestone(
        engine=engine, asker=make_asker(now=NOW), number=5, completed_on=TODAY, cost=None
    )
    with session_scope(engine) as session:
        dropped = get_milestone(session=session, workspace=ACME, number=6)
        assert dropped is not None
        dropped.status = "cancelled"

    listing = listed(engine, ListCommand(scope="dept", department="Marketing"))

    assert listing.milestones == [] and listing.request == ListCommand(scope="dept", department="Marketing")
    # The overdue one is counted but is not "next": that is the soonest due from today on.
    assert listing.channel == ChannelSummary(milestones=6, open=4, done=1, overdue=1, next_due=TODAY)
    assert listing.channel.cancelled == 1


def test_a_channel_without_milestones_has_an_empty_summary(engine: Engine) -> None:
    add(engine, "Elsewhere", channel_id="C2", due=TODAY)

    listing = listed(engine, ListCommand(scope="overdue"))

    assert listing.channel == ChannelSummary(milestones=0, open=0, done=0, overdue=0, next_due=None)


def test_only_an_empty_list_reads_the_channel_summary_and_with_one_query(engine: Engine) -> None:
    add(engine, "Soon", due=TODAY + timedelta(days=2))

    with recorded_statements(engine) as full:
        found = listed(engine, ListCommand())
    with recorded_statements(engine) as empty:
        nothing = listed(engine, ListCommand(scope="overdue"))

    assert [m.title for m in found.milestones] == ["Soon"] and found.channel is None
    assert nothing.channel is not None and nothing.channel.open == 1
    assert len(empty) == len(full) + 1


@pytest.mark.parametrize("typed", ["Équipe", "équipe", "ÉQUIPE", "  équipe  "])
def test_a_department_is_found_in_any_case_of_any_letter_on_either_database(
    engine: Engine, typed: str
) -> None:
    # SQLite's lower() changes only ASCII letters: `list dept équipe` found nothing where Équipe was stored.
    add(engine, "Brief", department="Équipe", due=TODAY + timedelta(days=1))
    add(engine, "Debrief", department="équipe", due=TODAY + timedelta(days=2))  # kept as Équipe
    add(engine, "Ledger", department="Finance", due=TODAY + timedelta(days=3))

    listing = listed(engine, ListCommand(scope="dept", department=typed))

    assert [(m.title, m.department) for m in listing.milestones] == [
        ("Brief", "Équipe"),
        ("Debrief", "Équipe"),
    ]
    assert listing.heading == "Open milestones in Équipe"


def test_a_department_spelt_with_sharp_s_or_ss_is_one(engine: Engine) -> None:
    add(engine, "Permit", department="STRASSE", due=TODAY + timedelta(days=1))

    listing = listed(engine, ListCommand(scope="dept", department="Straße"))

    assert [m.title for m in listing.milestones] == [
        "Permit"
    ] and listing.heading == "Open milestones in STRASSE"
