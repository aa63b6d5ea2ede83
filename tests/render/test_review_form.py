"""The forms Review my milestones opens: the owner's statuses and dates, anyone's note, and their caps."""

from __future__ import annotations

import json

from bot.core.forms.review import read_review_context
from bot.core.review_answers import ReviewForm
from bot.render.review_form import review_modal
from tests.support.blocks import assert_valid_view, view_text
from tests.support.factories import HOSTILE, TODAY, make_milestone


def form(*, mine: int | list = 0, others: int = 0, **overrides) -> ReviewForm:
    """A form for U1 owning `mine` milestones (a count, or the milestones), U2 owning `others`."""
    if isinstance(mine, list):
        owned = mine
    else:
        owned = [make_milestone(id=n, number=n, title=f"Step {n}", status="open") for n in range(1, mine + 1)]
    theirs = [
        make_milestone(id=100 + n, number=100 + n, title=f"Theirs {n}", owner_id="U2") for n in range(others)
    ]
    values = {"checkin_id": 7, "channel_id": "C1", "mine": owned, "open_items": owned + theirs}
    values.update(overrides)
    return ReviewForm(**values)


def inputs(view: dict) -> list[dict]:
    return [block for block in view["blocks"] if block["type"] == "input"]


def test_an_owner_gets_a_status_a_confidence_and_a_new_date_per_milestone_a_reason_and_a_note():
    at_risk = make_milestone(id=1, number=4, title="Launch beta", status="at_risk")
    fresh = make_milestone(id=2, number=6, title="Pricing page", status="open", due_date=None)
    view = review_modal(form(mine=[at_risk, fresh]), today=TODAY)

    assert_valid_view(view, kind="modal")
    assert (view["callback_id"], view["title"]["text"], view["submit"]["text"]) == (
        "review_mine",
        "Review my milestones",
        "Save",
    )
    blocks = inputs(view)
    assert [b["block_id"] for b in blocks] == [
        "status_4",
        "confidence_4",
        "due_4",
        "status_6",
        "confidence_6",
        "due_6",
        "reason",
        "note",
    ]
    assert [b["label"]["text"] for b in blocks] == [
        "#4 Launch beta",
        "Confidence in #4",
        "New date for #4",
        "#6 Pricing page",
        "Confidence in #6",
        "New date for #6",
        "Why the new date?",
        "Note",
    ]
    assert blocks[0]["hint"]["text"] == "due Tue Dec 15 · in 25 days"  # plain text: no date token
    assert blocks[3]["hint"]["text"] == "no due date"
    options = [o["text"]["text"] for o in blocks[0]["element"]["options"]]
    assert options == ["🟢 On track", "🟡 At risk", "🔴 Blocked", "✅ Done"]
    assert blocks[0]["element"]["initial_option"]["value"] == "at_risk"
    assert "initial_option" not in blocks[3]["element"], "open is not a review answer: nothing is preset"
    levels = [(o["value"], o["text"]["text"]) for o in blocks[1]["element"]["options"]]
    assert levels == [
        ("5", "5 — certain"),
        ("4", "4 — likely"),
        ("3", "3 — maybe"),
        ("2", "2 — doubtful"),
        ("1", "1 — unlikely"),
    ]
    assert "initial_option" not in blocks[1]["element"], "a confidence is never preset: it is this week's"
    assert all(b["optional"] for b in blocks)
    assert json.loads(view["private_metadata"]) == {"checkin_id": 7, "channel_id": "C1", "numbers": [4, 6]}
    assert read_review_context(view["private_metadata"]).numbers == [4, 6]


def test_an_owner_of_many_answers_thirty_and_is_told_where_the_rest_are():
    view = review_modal(form(mine=45), today=TODAY)

    assert_valid_view(view, kind="modal")
    assert len(view["blocks"]) <= 100
    assert len([b for b in inputs(view) if b["block_id"].startswith("status_")]) == 30
    assert len([b for b in inputs(view) if b["block_id"].startswith("confidence_")]) == 30
    assert (
        "You own 15 more in this review: save these, then press *Review my milestones* again for the rest."
        in (view_text(view))
    )
    assert len(json.loads(view["private_metadata"])["numbers"]) == 30


def test_someone_who_owns_none_gets_a_note_or_risk_on_any_of_them():
    view = review_modal(form(others=3), today=TODAY)

    assert_valid_view(view, kind="modal")
    assert (view["callback_id"], view["title"]["text"], view["submit"]["text"]) == (
        "review_note",
        "Add a note",
        "Post",
    )
    assert "it goes to the review's thread and mentions the owner" in view_text(view)
    milestone, kind, text = inputs(view)
    assert [o["text"]["text"] for o in milestone["element"]["options"]] == [
        "#100 Theirs 0",
        "#101 Theirs 1",
        "#102 Theirs 2",
    ]
    assert [o["value"] for o in kind["element"]["options"]] == ["note", "risk"]
    assert kind["element"]["initial_option"]["value"] == "note"
    assert not text["optional"]


def test_a_note_form_offers_at_most_a_hundred_milestones_with_short_names():
    view = review_modal(form(others=150), today=TODAY)

    assert_valid_view(view, kind="modal")
    options = inputs(view)[0]["element"]["options"]
    assert len(options) == 100


def test_long_and_hostile_titles_stay_within_the_fields():
    long = make_milestone(id=1, number=1, title="x" * 150)
    hostile = make_milestone(id=2, number=2, title=HOSTILE)
    for given in (form(mine=[long, hostile]), form(open_items=[long, hostile])):
        assert_valid_view(review_modal(given, today=TODAY), kind="modal")


def test_a_review_with_nothing_open_says_so_and_has_nothing_to_submit():
    view = review_modal(form(), today=TODAY)

    assert_valid_view(view, kind="modal")
    assert "submit" not in view
    assert "Nothing left to review" in view_text(view)
