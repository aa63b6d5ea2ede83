"""Export → import on a real database (SQLite and PostgreSQL): how often a milestone repeats and the one it
comes after survive the round trip, and a link that leaves the file is refused rather than lost."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.core import milestones
from bot.core.command_types import MilestoneFields
from bot.core.exports import ExportNames, milestones_csv, numbers_outside
from bot.core.imports import ImportPreview, read_plan_csv
from bot.core.report import channel_milestones
from storage.models import Milestone
from storage.workspace import Workspace
from tests.support.factories import TODAY, make_asker

ACME = Workspace(team_id="T1")


def add(engine: Engine, channel_id: str, *fields: MilestoneFields) -> list[int]:
    added = milestones.add_milestones(
        engine=engine, asker=make_asker(), channel_id=channel_id, fields=list(fields)
    )
    return [m.number for m in added.milestones]


def link(engine: Engine, number: int, *, after: int) -> None:
    milestones.update_milestone(
        engine=engine, asker=make_asker(), number=number, fields=MilestoneFields(), after=after
    )


def exported(engine: Engine, channel_id: str) -> bytes:
    """The channel's CSV as `/milestone export` makes it, numbers outside the channel looked up."""
    items = channel_milestones(engine=engine, workspace=ACME, channel_id=channel_id)
    names = ExportNames(numbers=numbers_outside(engine=engine, items=items))
    return milestones_csv(items, names=names)


def imported(engine: Engine, preview: ImportPreview, *, channel_id: str) -> dict[str, Milestone]:
    """The preview imported into a channel, its milestones by title (each with the one it comes after)."""
    assert preview.ok, (preview.errors, preview.header_problems)
    milestones.import_milestones(engine=engine, asker=make_asker(), channel_id=channel_id, rows=preview.rows)
    with Session(engine) as session:
        found = session.exec(select(Milestone).where(Milestone.channel_id == channel_id)).all()
        return {m.title: m for m in found}


def plan(engine: Engine) -> None:
    """#1 Kick-off every month; #2 Launch after #1; #3 Press after #2; #4 Retro, alone, every quarter."""
    add(
        engine,
        "C1",
        MilestoneFields(title="Kick-off", due=date(2026, 12, 1), recurrence="month"),
        MilestoneFields(title="Launch", due=date(2026, 12, 15)),
        MilestoneFields(title="Press", due=date(2026, 12, 20)),
        MilestoneFields(title="Retro", due=date(2027, 1, 10), recurrence="quarter"),
    )
    link(engine, 2, after=1)
    link(engine, 3, after=2)


def test_how_often_each_repeats_survives_an_export_and_an_import(engine: Engine) -> None:
    plan(engine)
    preview = read_plan_csv(exported(engine, "C1"), today=TODAY)

    copies = imported(engine, preview, channel_id="C2")

    assert {title: m.recurrence for title, m in copies.items()} == {
        "Kick-off": "month",
        "Launch": None,
        "Press": None,
        "Retro": "quarter",
    }


def test_the_one_each_comes_after_survives_an_export_and_an_import(engine: Engine) -> None:
    plan(engine)
    preview = read_plan_csv(exported(engine, "C1"), today=TODAY)

    copies = imported(engine, preview, channel_id="C2")

    by_id = {m.id: m.title for m in copies.values()}
    assert {title: by_id.get(m.after_id) for title, m in copies.items()} == {
        "Kick-off": None,
        "Launch": "Kick-off",
        "Press": "Launch",
        "Retro": None,
    }
    assert {m.number for m in copies.values()} == {5, 6, 7, 8}  # new numbers, linked as in the file


def test_the_file_names_one_of_another_channel_and_its_import_is_refused_saying_how_to_link(
    engine: Engine,
) -> None:
    plan(engine)
    [legal] = add(engine, "C3", MilestoneFields(title="Legal review", due=date(2026, 12, 5)))
    link(engine, 2, after=legal)

    data = exported(engine, "C1")
    preview = read_plan_csv(data, today=TODAY)

    assert "\r\n2,Launch," in data.decode("utf-8-sig")
    assert data.decode("utf-8-sig").split("\r\n")[2].endswith(",5")  # Launch's After: #5, in C3
    assert not preview.ok
    assert [(error.line, error.message) for error in preview.errors] == [
        (3, "After 5: no row of this file is #5; clear the cell, and once imported, link it with "
            "`/milestone update N after 5`, N being its new number."),
    ]  # fmt: skip
