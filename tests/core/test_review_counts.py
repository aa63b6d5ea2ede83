"""Counting a review per owned milestone: answered, waited on, away, ownerless, closed."""

from __future__ import annotations

from datetime import date

from bot.core.review_counts import count_answers
from tests.support.factories import make_milestone


def test_counts_per_owned_milestone_not_per_person() -> None:
    milestones = [
        make_milestone(id=1, number=1, owner_id="UA"),
        make_milestone(id=2, number=2, owner_id="UA"),
        make_milestone(id=3, number=3, owner_id="UB"),
        make_milestone(id=4, number=4, owner_id="UC", status="done"),
        make_milestone(id=5, number=5, owner_id=None),
        make_milestone(id=6, number=6, owner_id="UD"),
    ]
    count = count_answers(milestones, answered_ids={1}, away={"UD": date(2026, 12, 20)})
    assert (count.answered, count.expected) == (2, 4), "#1 answered and #4 closed; UD is away"
    assert count.waiting == {"UA": [2], "UB": [3]}
    assert count.away == {"UD": date(2026, 12, 20)}
    assert count.ownerless == [5]
    assert count.owners == {"UA": [1, 2], "UB": [3]}
    assert not count.complete


def test_complete_when_every_present_owner_answered() -> None:
    milestones = [
        make_milestone(id=1, number=1, owner_id="UA"),
        make_milestone(id=2, number=2, owner_id=None),
    ]
    count = count_answers(milestones, answered_ids={1}, away={})
    assert count.complete and (count.answered, count.expected) == (1, 1)
