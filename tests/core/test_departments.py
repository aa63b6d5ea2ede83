"""Departments, one spelling per workspace, on a real database: add, bulk add, update, import, the menu."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core import access, milestones
from bot.core.command_types import MilestoneFields
from bot.core.departments import MENU_LIMIT, Spellings, canonical_department, department_choices
from bot.core.imports import read_plan_csv
from storage.milestones import departments
from storage.workspace import Workspace
from tests.support.factories import make_asker

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
ACME = Workspace(team_id="T1")
OTHER = Workspace(team_id="T2")


def asker(workspace: Workspace = ACME) -> access.Asker:
    return make_asker(workspace=workspace, actor=access.Actor(user_id="U1"), now=NOW, timezone="UTC")


def add(engine: Engine, *departments: str | None, workspace: Workspace = ACME) -> list[str | None]:
    fields = [MilestoneFields(title=f"M{n}", department=name) for n, name in enumerate(departments)]
    added = milestones.add_milestones(engine=engine, asker=asker(workspace), channel_id="C1", fields=fields)
    return [milestone.department for milestone in added.milestones]


def test_a_department_in_another_case_or_spacing_takes_the_workspaces_spelling(engine: Engine) -> None:
    add(engine, "Marketing")

    assert add(engine, "marketing", "  MARKETING ", "Sales", "sales") == [
        "Marketing",
        "Marketing",
        "Sales",
        "Sales",
    ]
    assert add(engine, "marketing", workspace=OTHER) == ["marketing"]


def test_an_update_takes_the_workspaces_spelling(engine: Engine) -> None:
    add(engine, "Marketing", None)

    change = milestones.update_milestone(
        engine=engine, asker=asker(), number=2, fields=MilestoneFields(department="MARKETING")
    )

    assert change.milestone.department == "Marketing"
    assert [(r.field, r.new) for r in change.revisions] == [("department", "Marketing")]


def test_an_import_takes_the_workspaces_spelling(engine: Engine) -> None:
    add(engine, "Marketing")
    plan = b"Milestone,Department\nLaunch,marketing\nAds,Design\nPress,DESIGN\n"
    preview = read_plan_csv(plan, today=NOW.date())

    added = milestones.import_milestones(engine=engine, asker=asker(), channel_id="C1", rows=preview.rows)

    assert [m.department for m in added.milestones] == ["Marketing", "Design", "Design"]


def test_the_most_used_spelling_leads_when_variants_exist(engine: Engine) -> None:
    with Session(engine) as session:
        assert departments(session=session, workspace=ACME) == []
    add(engine, "Sales")
    with Session(engine) as session:
        assert canonical_department(session, workspace=ACME, typed=" sALes ") == "Sales"
    assert Spellings(["sales", "Sales", "sales"]).canonical("SALES") == "sales"


def test_the_menu_lists_departments_holding_what_was_typed_and_offers_a_new_one(engine: Engine) -> None:
    add(engine, "Marketing", "Sales", "Summary marketing", "design")

    assert department_choices(engine=engine, workspace=ACME, typed="") == (
        ["design", "Marketing", "Sales", "Summary marketing"],
        None,
    )
    assert department_choices(engine=engine, workspace=ACME, typed="mark") == (
        ["Marketing", "Summary marketing"],
        "mark",
    )
    assert department_choices(engine=engine, workspace=ACME, typed=" SALES ") == (["Sales"], None)
    assert department_choices(engine=engine, workspace=ACME, typed="x" * 81) == ([], None)
    assert department_choices(engine=engine, workspace=OTHER, typed="") == ([], None)


def test_the_menu_leaves_room_for_the_new_one_and_no_department(engine: Engine) -> None:
    add(engine, *(f"Team {n:03d}" for n in range(120)))

    found, new = department_choices(engine=engine, workspace=ACME, typed="team")

    assert (len(found), new) == (MENU_LIMIT - 2, "team")
