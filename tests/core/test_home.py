"""Home's split: what a person owns, what they added for others, and how urgent each is."""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.home import by_urgency, split_by_owner
from tests.support.factories import TODAY, make_milestone

# TODAY is Friday, Nov 20, 2026: this ISO week ends on Sunday, Nov 22.


def test_owned_is_whatever_you_own_whoever_added_it() -> None:
    split = split_by_owner(
        [
            make_milestone(id=1, number=1, owner_id="U1", created_by="U2"),
            make_milestone(id=2, number=2, owner_id="U1", created_by="U1"),
            make_milestone(id=3, number=3, owner_id="U2", created_by="U1"),
            make_milestone(id=4, number=4, owner_id=None, created_by="U1"),
            make_milestone(id=5, number=5, owner_id="U1", status="done"),
        ],
        user_id="U1",
    )
    assert [m.number for m in split.owned] == [1, 2]
    assert [m.number for m in split.added_for_others] == [3, 4]


def test_added_for_others_comes_soonest_due_first_undated_last() -> None:
    split = split_by_owner(
        [
            make_milestone(id=1, number=1, owner_id="U2", due_date=None),
            make_milestone(id=2, number=2, owner_id="U2", due_date=TODAY + timedelta(days=9)),
            make_milestone(id=3, number=3, owner_id="U3", due_date=TODAY - timedelta(days=2)),
        ],
        user_id="U1",
    )
    assert [m.number for m in split.added_for_others] == [3, 2, 1]


def test_urgency_is_overdue_this_week_to_sunday_later_and_undated() -> None:
    groups = by_urgency(
        [
            make_milestone(id=1, number=1, due_date=date(2026, 11, 23)),  # Monday: next week
            make_milestone(id=2, number=2, due_date=date(2026, 11, 22)),  # Sunday: this week
            make_milestone(id=3, number=3, due_date=TODAY),
            make_milestone(id=4, number=4, due_date=TODAY - timedelta(days=1)),
            make_milestone(id=5, number=5, due_date=None),
        ],
        today=TODAY,
    )
    assert [m.number for m in groups.overdue] == [4]
    assert [m.number for m in groups.this_week] == [3, 2]
    assert [m.number for m in groups.later] == [1]
    assert [m.number for m in groups.undated] == [5]
