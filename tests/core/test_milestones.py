"""Services on a real database: numbering, permissions, revision history, workspace scoping."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine

from bot.core import access, milestones
from bot.core.channel_settings import change_settings
from bot.core.command_types import CommandError, ListCommand, MilestoneFields, SettingsChange
from bot.core.done import UndoTooLate, undo_done
from bot.core.listing import list_milestones
from bot.core.milestone_history import milestone_history
from bot.core.money import Money
from bot.core.schedule import due_review, schedule_of
from storage import channel_settings
from storage.db import session_scope
from storage.workspace import Workspace
from tests.support.factories import make_asker

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
ACME = Workspace(team_id="T1")
OTHER = Workspace(team_id="T2")
ALICE = access.Actor(user_id="U1")
BOB = access.Actor(user_id="U2")
ADMIN = access.Actor(user_id="UADMIN", is_admin=True)


def add(engine: Engine, title: str = "Launch beta", *, workspace: Workspace = ACME, actor=ALICE, **fields):
    return milestones.add_milestone(
        engine=engine,
        asker=make_asker(workspace=workspace, actor=actor, now=NOW, timezone="America/New_York"),
        channel_id=fields.pop("channel_id", "C1"),
        fields=MilestoneFields(title=title, **fields),
    )


def test_numbers_count_up_per_workspace(engine: Engine) -> None:
    assert [add(engine).number, add(engine).number] == [1, 2]
    assert add(engine, workspace=OTHER).number == 1


def test_first_milestone_sets_the_channel_time_zone(engine: Engine) -> None:
    add(engine)
    milestones.add_milestone(
        engine=engine,
        asker=make_asker(actor=BOB, now=NOW, timezone="Europe/Berlin"),
        channel_id="C1",
        fields=MilestoneFields(title="Second"),
    )
    with session_scope(engine) as session:
        settings = channel_settings.get_channel_settings(session=session, workspace=ACME, channel_id="C1")
    assert settings is not None and settings.timezone == "America/New_York"


def test_due_date_revision_keeps_baseline_and_records_reason(engine: Engine) -> None:
    add(engine, due=date(2026, 12, 15))
    change = milestones.update_milestone(
        engine=engine,
        asker=make_asker(now=NOW),
        number=1,
        fields=MilestoneFields(due=date(2026, 12, 20)),
        reason="vendor late",
    )
    assert change.milestone.due_date == date(2026, 12, 20)
    assert change.milestone.baseline_due_date == date(2026, 12, 15)
    [revision] = change.revisions
    assert (revision.field, revision.old, revision.new, revision.by, revision.reason) == (
        "due",
        "2026-12-15",
        "2026-12-20",
        "U1",
        "vendor late",
    )
    milestones.update_milestone(
        engine=engine, asker=make_asker(now=NOW), number=1, fields=MilestoneFields(due=date(2027, 1, 5))
    )
    history = milestone_history(engine=engine, workspace=ACME, number=1)
    milestone, revisions, total = history.milestone, history.revisions, history.total
    assert milestone.baseline_due_date == date(2026, 12, 15)
    assert total == 2 and [r.new for r in revisions] == ["2027-01-05", "2026-12-20"]


def test_first_due_date_given_later_becomes_the_baseline(engine: Engine) -> None:
    add(engine)
    change = milestones.update_milestone(
        engine=engine, asker=make_asker(now=NOW), number=1, fields=MilestoneFields(due=date(2026, 12, 1))
    )
    assert change.milestone.baseline_due_date == date(2026, 12, 1)


def test_only_owner_creator_or_admin_may_change(engine: Engine) -> None:
    add(engine, owner_id="U3")
    change = MilestoneFields(title="Renamed")
    with pytest.raises(access.NotAllowed):
        milestones.update_milestone(
            engine=engine, asker=make_asker(actor=BOB, now=NOW), number=1, fields=change
        )
    for actor in (ALICE, access.Actor(user_id="U3"), ADMIN):
        milestones.update_milestone(
            engine=engine,
            asker=make_asker(actor=actor, now=NOW),
            number=1,
            fields=MilestoneFields(title=f"By {actor.user_id}"),
        )
    with pytest.raises(access.NotAllowed):
        milestones.delete_milestone(engine=engine, asker=make_asker(actor=BOB), number=1)


def test_refused_change_writes_nothing(engine: Engine) -> None:
    add(engine)
    with pytest.raises(access.NotAllowed):
        milestones.complete_milestone(
            engine=engine, asker=make_asker(actor=BOB, now=NOW), number=1, completed_on=NOW.date(), cost=None
        )
    history = milestone_history(engine=engine, workspace=ACME, number=1)
    milestone, revisions = history.milestone, history.revisions
    assert milestone.status == "open" and revisions == []


def test_done_records_actual_date_and_cost(engine: Engine) -> None:
    add(engine, budget=Money(500000, "USD"), due=date(2026, 12, 15))
    change = milestones.complete_milestone(
        engine=engine,
        asker=make_asker(now=NOW),
        number=1,
        completed_on=date(2026, 11, 20),
        cost=Money(420000, "USD"),
    )
    milestone = change.milestone
    assert (milestone.status, milestone.completed_on) == ("done", date(2026, 11, 20))
    assert (milestone.actual_cost_minor, milestone.actual_cost_currency) == (420000, "USD")
    assert {r.field for r in change.revisions} == {"status", "completed_on", "actual_cost"}
    with pytest.raises(milestones.NothingChanged):
        milestones.complete_milestone(
            engine=engine, asker=make_asker(now=NOW), number=1, completed_on=date(2026, 11, 20), cost=None
        )


def test_one_workspace_never_sees_another(engine: Engine) -> None:
    add(engine, "Acme secret")
    with pytest.raises(access.MilestoneNotFound):
        access.get_milestone(engine=engine, workspace=OTHER, number=1)
    with pytest.raises(access.MilestoneNotFound):
        milestones.delete_milestone(engine=engine, asker=make_asker(workspace=OTHER, actor=ADMIN), number=1)
    listing = list_milestones(
        engine=engine, workspace=OTHER, channel_id="C1", user_id="U1", request=ListCommand(), today=NOW.date()
    )
    assert listing.total == 0
    grid = Workspace(team_id="T1", enterprise_id="E1")
    with pytest.raises(access.MilestoneNotFound):
        access.get_milestone(engine=engine, workspace=grid, number=1)


def test_delete_removes_milestone_and_history(engine: Engine) -> None:
    add(engine)
    milestones.update_milestone(
        engine=engine, asker=make_asker(now=NOW), number=1, fields=MilestoneFields(title="New")
    )
    milestones.delete_milestone(engine=engine, asker=make_asker(), number=1)
    with pytest.raises(access.MilestoneNotFound):
        access.get_milestone(engine=engine, workspace=ACME, number=1)


def test_list_scopes(engine: Engine) -> None:
    today = NOW.date()
    add(engine, "Overdue", due=today - timedelta(days=2))
    add(engine, "Soon", due=today + timedelta(days=3), owner_id="U2", department="Marketing")
    add(engine, "Later", due=today + timedelta(days=60))
    add(engine, "Elsewhere", channel_id="C2", owner_id="U2")
    milestones.complete_milestone(
        engine=engine, asker=make_asker(now=NOW), number=3, completed_on=today, cost=None
    )

    def titles(request: ListCommand, user_id: str = "U1") -> list[str]:
        listing = list_milestones(
            engine=engine, workspace=ACME, channel_id="C1", user_id=user_id, request=request, today=today
        )
        return [m.title for m in listing.milestones]

    assert titles(ListCommand()) == ["Overdue", "Soon"]
    assert titles(ListCommand(scope="all")) == ["Overdue", "Soon", "Later"]
    assert titles(ListCommand(scope="overdue")) == ["Overdue"]
    assert titles(ListCommand(scope="upcoming")) == ["Soon"]
    assert titles(ListCommand(scope="done")) == ["Later"]
    assert titles(ListCommand(scope="owner", owner_id="U2")) == ["Soon", "Elsewhere"]
    assert titles(ListCommand(scope="dept", department="marketing")) == ["Soon"]
    assert titles(ListCommand(scope="mine"), user_id="U2") == ["Soon", "Elsewhere"]
    assert titles(ListCommand(scope="mine")) == ["Overdue"]


def test_start_after_the_stored_due_date_is_refused_and_nothing_changes(engine: Engine) -> None:

    add(engine, due=date(2026, 12, 15))
    # One rule, one wording: the grammar, the forms and an update all say it through bot/core/limits.py.
    refusal = r"^The start \(Jan 1, 2027\) is after the due date \(Dec 15\)\.$"
    with pytest.raises(CommandError, match=refusal) as refused:
        milestones.update_milestone(
            engine=engine, asker=make_asker(now=NOW), number=1, fields=MilestoneFields(start=date(2027, 1, 1))
        )
    assert refused.value.example == "/milestone update 1 start 2026-12-15"
    history = milestone_history(engine=engine, workspace=ACME, number=1)
    milestone, revisions = history.milestone, history.revisions
    assert milestone.start_date is None and revisions == []


def test_reminder_days_are_stored_furthest_first_once_each(engine: Engine) -> None:
    settings = change_settings(
        engine=engine,
        workspace=ACME,
        channel_id="C1",
        change=SettingsChange(reminder_days=(0, 7, 1, 7)),
        timezone="UTC",
        now=NOW,
    )
    assert settings.reminder_days == "7,1,0"


def test_the_channels_first_add_says_when_its_first_review_is(engine: Engine) -> None:
    monday_ten = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # Mon Nov 30, 10:00 in New York
    asker = make_asker(now=monday_ten, timezone="America/New_York")
    first = milestones.add_milestones(
        engine=engine, asker=asker, channel_id="C1", fields=[MilestoneFields(title="Launch beta")]
    )
    second = milestones.add_milestones(
        engine=engine, asker=asker, channel_id="C1", fields=[MilestoneFields(title="Docs")]
    )
    assert first.first_review is not None
    # Never on the day the channel started: the Monday after, at 09:00 in the channel's zone.
    assert (first.first_review.date(), first.first_review.strftime("%H:%M")) == (date(2026, 12, 7), "09:00")
    assert str(first.first_review.tzinfo) == "America/New_York"
    assert second.first_review is None


def test_undo_reopens_a_done_milestone_as_it_was_within_ten_minutes(engine: Engine) -> None:
    add(engine, due=date(2026, 12, 15))
    milestones.update_milestone(
        engine=engine, asker=make_asker(now=NOW), number=1, fields=MilestoneFields(), status="at_risk"
    )
    done_at = NOW + timedelta(hours=1)
    milestones.complete_milestone(
        engine=engine,
        asker=make_asker(now=done_at),
        number=1,
        completed_on=date(2026, 11, 25),
        cost=Money(450000, "USD"),
        source="button",
    )
    change = undo_done(engine=engine, asker=make_asker(now=done_at + timedelta(minutes=10)), number=1)
    reopened = change.milestone
    assert (reopened.status, reopened.completed_on, reopened.actual_cost_minor) == ("at_risk", None, None)
    assert sorted((r.field, r.new, r.source) for r in change.revisions) == [
        ("actual_cost", None, "undo"),
        ("completed_on", None, "undo"),
        ("status", "at_risk", "undo"),
    ]
    with pytest.raises(milestones.NothingChanged):
        undo_done(engine=engine, asker=make_asker(now=done_at + timedelta(minutes=11)), number=1)


def test_undo_after_ten_minutes_or_by_someone_else_changes_nothing(engine: Engine) -> None:
    add(engine, due=date(2026, 12, 15))
    milestones.complete_milestone(
        engine=engine, asker=make_asker(now=NOW), number=1, completed_on=date(2026, 11, 25), cost=None
    )
    with pytest.raises(access.NotAllowed):
        undo_done(engine=engine, asker=make_asker(actor=BOB, now=NOW), number=1)
    with pytest.raises(UndoTooLate):
        undo_done(engine=engine, asker=make_asker(now=NOW + timedelta(minutes=10, seconds=1)), number=1)
    assert access.get_milestone(engine=engine, workspace=ACME, number=1).status == "done"


def test_a_channel_older_than_the_first_review_rule_keeps_its_monday_review(engine: Engine) -> None:
    # Upgraded from before the rule: settings and a milestone, no start day (the migration leaves it empty).
    monday_eight = datetime(2026, 11, 30, 13, 0, tzinfo=UTC)  # Mon Nov 30, 08:00 in New York
    asker = make_asker(now=monday_eight - timedelta(days=30), timezone="America/New_York")
    milestones.add_milestones(
        engine=engine, asker=asker, channel_id="C1", fields=[MilestoneFields(title="Old")]
    )
    with session_scope(engine) as session:
        settings = channel_settings.get_channel_settings(session=session, workspace=ACME, channel_id="C1")
        assert settings is not None
        settings.started_on = None
        session.add(settings)

    asker = make_asker(now=monday_eight, timezone="America/New_York")
    added = milestones.add_milestones(
        engine=engine, asker=asker, channel_id="C1", fields=[MilestoneFields(title="Docs")]
    )
    assert added.first_review is None, "not the channel's first milestone"
    with session_scope(engine) as session:
        settings = channel_settings.get_channel_settings(session=session, workspace=ACME, channel_id="C1")
        assert settings is not None
        schedule = schedule_of(settings)
    review = due_review(schedule=schedule, now=monday_eight + timedelta(hours=1))
    assert review is not None and review.week == "2026-W49"
