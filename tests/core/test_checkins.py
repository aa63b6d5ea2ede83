"""The weekly review's use cases: frozen rows, the latest answer per milestone, the form, form notes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot.core import milestones
from bot.core.access import Actor, NotAllowed
from bot.core.checkins import checkin_view, open_checkin
from bot.core.command_types import MilestoneFields
from bot.core.review_answers import (
    MilestoneAnswer,
    answer_review,
    keep_form_note,
    record_answer,
    review_form,
)
from bot.core.vocabulary import Field
from storage.models import CheckIn
from storage.workspace import Workspace
from tests.support.databases import recorded_statements
from tests.support.factories import make_asker

ACME = Workspace(team_id="T1")
NOW = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
TODAY = date(2026, 11, 30)


def asker(user: str, *, at: datetime = NOW):
    return make_asker(workspace=ACME, actor=Actor(user_id=user), now=at)


def add(engine: Engine, title: str, due: date, owner: str | None) -> None:
    """Added by U1 from New York: the channel's first milestone gives the channel that zone."""
    fields = MilestoneFields(title=title, due=due, owner_id=owner)
    adder = make_asker(workspace=ACME, actor=Actor(user_id="U1"), now=NOW, timezone="America/New_York")
    milestones.add_milestone(engine=engine, asker=adder, channel_id="C1", fields=fields)


@pytest.fixture
def checkin(engine: Engine) -> CheckIn:
    """#1 alice's (Dec 15), #2 bob's (Jan 9), #3 bob's (Dec 20), #4 nobody's (Dec 18); this week's review."""
    add(engine, "Launch beta", date(2026, 12, 15), "U1")
    add(engine, "Pricing page", date(2027, 1, 9), "U2")
    add(engine, "Hire designer", date(2026, 12, 20), "U2")
    add(engine, "Press kit", date(2026, 12, 18), None)
    with Session(engine) as session:
        opened = open_checkin(session, workspace=ACME, channel_id="C1", week="2026-W49", now=NOW)
        assert opened is not None
        session.commit()
        session.refresh(opened)
        session.expunge(opened)
    return opened


def numbers(engine: Engine, checkin: CheckIn) -> list[int]:
    with Session(engine) as session:
        return [item.milestone.number for item in checkin_view(session, checkin=checkin, now=NOW).items]


def test_rows_are_frozen_soonest_due_first_when_the_review_opens(engine: Engine, checkin: CheckIn) -> None:
    assert numbers(engine, checkin) == [1, 4, 3, 2]
    record_answer(
        engine=engine,
        asker=asker("U1"),
        checkin_id=checkin.id or 0,
        given=MilestoneAnswer(number=1, status=None, new_due=date(2027, 2, 1)),
        reason="Vendor late",
        completed_on=TODAY,
    )
    assert numbers(engine, checkin) == [1, 4, 3, 2], "a new date moves no row"


def test_the_latest_answer_on_a_milestone_is_the_one_shown(engine: Engine, checkin: CheckIn) -> None:
    for answer, minute in (("at_risk", 1), ("blocked", 2)):
        record_answer(
            engine=engine,
            asker=asker("U1", at=NOW.replace(minute=minute)),
            checkin_id=checkin.id or 0,
            given=MilestoneAnswer(number=1, status=answer),
            completed_on=TODAY,
        )
    with Session(engine) as session:
        view = checkin_view(session, checkin=checkin, now=NOW)
    first = view.items[0]
    assert first.answer is not None and first.answer.status == "blocked"
    assert first.answered_on == TODAY
    assert view.summary() == {"blocked": 1, "not_answered": 3}
    assert (view.count.answered, view.count.expected, view.count.ownerless) == (1, 3, [4])


def test_record_answer_returns_the_change_or_none_when_nothing_changed(
    engine: Engine, checkin: CheckIn
) -> None:
    given = {"engine": engine, "asker": asker("U1"), "checkin_id": checkin.id or 0, "completed_on": TODAY}
    on_track = MilestoneAnswer(number=1, status="on_track")
    change = record_answer(**given, given=on_track)
    assert change is not None and change.milestone.status == "on_track"
    assert record_answer(**given, given=on_track) is None


def test_the_form_offers_the_pressers_open_milestones_not_yet_answered_first(
    engine: Engine, checkin: CheckIn
) -> None:
    checkin_id = checkin.id or 0
    record_answer(
        engine=engine,
        asker=asker("U2"),
        checkin_id=checkin_id,
        given=MilestoneAnswer(number=3, status="at_risk"),
        completed_on=TODAY,
    )
    form = review_form(engine=engine, workspace=ACME, checkin_id=checkin_id, user_id="U2")
    assert form is not None and form.channel_id == "C1"
    assert [m.number for m in form.mine] == [2, 3]
    assert [m.number for m in form.open_items] == [1, 4, 3, 2]
    nobody = review_form(engine=engine, workspace=ACME, checkin_id=checkin_id, user_id="U9")
    assert nobody is not None and nobody.mine == []
    assert (
        review_form(engine=engine, workspace=Workspace(team_id="T2"), checkin_id=checkin_id, user_id="U2")
        is None
    )


def test_answering_the_form_sets_status_dates_and_done(engine: Engine, checkin: CheckIn) -> None:
    answers = [
        MilestoneAnswer(number=3, status="done"),
        MilestoneAnswer(number=2, status="at_risk", new_due=date(2027, 2, 1)),
        MilestoneAnswer(number=1, status=None),
    ]
    changes = answer_review(
        engine=engine,
        asker=asker("U2"),
        checkin_id=checkin.id or 0,
        answers=answers,
        reason="Copy late",
        completed_on=TODAY,
    )
    assert [(c.milestone.number, c.milestone.status) for c in changes] == [(3, "done"), (2, "at_risk")]
    assert changes[0].milestone.completed_on == TODAY
    assert [r.reason for r in changes[1].revisions if r.field == Field.DUE] == ["Copy late"]


def test_the_form_cannot_answer_someone_elses_milestone(engine: Engine, checkin: CheckIn) -> None:
    with pytest.raises(NotAllowed):
        answer_review(
            engine=engine,
            asker=asker("U3"),
            checkin_id=checkin.id or 0,
            answers=[MilestoneAnswer(number=1, status="done")],
            reason=None,
            completed_on=TODAY,
        )


def test_a_refused_answer_keeps_none_of_the_forms_answers(engine: Engine, checkin: CheckIn) -> None:
    # #3 is bob's, #1 alice's: the form is one answer, so the refusal on #1 leaves #3 as it was.
    with pytest.raises(NotAllowed):
        answer_review(
            engine=engine,
            asker=asker("U2"),
            checkin_id=checkin.id or 0,
            answers=[MilestoneAnswer(number=3, status="done"), MilestoneAnswer(number=1, status="done")],
            reason=None,
            completed_on=TODAY,
        )
    with Session(engine) as session:
        view = checkin_view(session, checkin=checkin, now=NOW)
    assert {item.milestone.number: item.milestone.status for item in view.items}[3] == "open"
    assert all(item.answer is None for item in view.items)


def test_a_form_note_goes_on_the_milestones_it_names_and_is_kept_once(
    engine: Engine, checkin: CheckIn
) -> None:
    given = {"engine": engine, "asker": asker("U3"), "checkin_id": checkin.id or 0, "form_id": "V1"}
    kept = keep_form_note(**given, numbers=[1], text="Venue for #3 is late", kind="risk")
    assert kept is not None and [m.number for m in kept.on] == [3]
    assert kept.channel_id == "C1"
    assert keep_form_note(**given, numbers=[1], text="Venue for #3 is late", kind="risk") is None
    other = keep_form_note(**{**given, "form_id": "V2"}, numbers=[1], text="Looks fine", kind="note")
    assert other is not None and [m.number for m in other.on] == [1]


def test_when_an_answer_was_given_is_the_channels_date(engine: Engine, checkin: CheckIn) -> None:
    late_evening = datetime(2026, 12, 1, 3, 30, tzinfo=UTC)  # Mon Nov 30, 22:30 in New York
    record_answer(
        engine=engine,
        asker=asker("U1", at=late_evening),
        checkin_id=checkin.id or 0,
        given=MilestoneAnswer(number=1, status="at_risk"),
        completed_on=TODAY,
    )
    with Session(engine) as session:
        view = checkin_view(session, checkin=checkin, now=NOW)
    assert view.items[0].answered_on == date(2026, 11, 30)


def test_the_view_reads_the_reviews_milestones_and_answers_once(engine: Engine, checkin: CheckIn) -> None:
    with Session(engine) as session, recorded_statements(engine) as statements:
        view = checkin_view(session, checkin=checkin, now=NOW)
    assert view.count.expected == 3
    reads = [
        s for s in statements if "FROM checkin_answer" in s or "FROM milestone \nWHERE milestone.id IN" in s
    ]
    # The milestones, this review's answers, and the confidences given in the reviews before it.
    assert len(reads) == 3, reads
    assert len([s for s in reads if "checkin_answer.confidence IS NOT NULL" in s]) == 1
