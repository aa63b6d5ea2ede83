"""A list answer from plain rows says, byte for byte, what slack_sdk's builders and milestone_line say."""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta

import pytest

from bot.core.command_types import ListCommand
from bot.core.listing import LIST_LIMIT, Listing
from bot.core.text import escape_mrkdwn
from bot.render.lists import list_line, list_message
from bot.render.message import build_message, context, header, packed_sections
from bot.render.milestones import milestone_line
from storage.milestones import ListedMilestone
from storage.models import STATUSES, Milestone
from tests.support.blocks import assert_valid
from tests.support.factories import HOSTILE, TODAY, make_milestone

TITLES = ["Launch beta", HOSTILE, "R&D <review> @Here @everyone", "@channelx me@here", "é" * 150, "&" * 150]
DAYS = [None, TODAY, TODAY - timedelta(days=1), TODAY + timedelta(days=1), TODAY + timedelta(days=40),
        TODAY - timedelta(days=400), date(TODAY.year + 1, 1, 8)]  # fmt: skip
OWNERS = [None, "U1", "W0AB12", "not-a-user", HOSTILE]
DEPARTMENTS = [None, "", "Marketing", f"R&D {HOSTILE}"]
COMPLETED = [None, TODAY, date(TODAY.year - 1, 12, 30)]


def listed(m: Milestone) -> ListedMilestone:
    """The row a list reads of `m`."""
    return ListedMilestone(**{name: getattr(m, name) for name in ListedMilestone._fields})


@pytest.mark.parametrize("status", [*STATUSES, "on_hold"])
def test_each_line_is_milestone_lines_own(status: str) -> None:
    for title, day, owner, department, completed in itertools.product(
        TITLES, DAYS, OWNERS, DEPARTMENTS, COMPLETED
    ):
        fields = dict(title=title, due_date=day, owner_id=owner, department=department, status=status)
        fields["completed_on"] = completed
        m = make_milestone(**fields)
        # Twice: the second line comes from the phrases the first one kept.
        lines = {list_line(listed(m), today=TODAY) for _ in range(2)}
        assert lines == {milestone_line(m, today=TODAY)}, fields


def builders_message(listing: Listing, *, today: date) -> dict:
    """The answer as slack_sdk's builders write it, through milestone_line: what list_message replaced."""
    shown = listing.milestones[:LIST_LIMIT]
    blocks = [header(listing.heading), *packed_sections(milestone_line(m, today=today) for m in shown)]
    more = max(listing.total, len(listing.milestones)) - len(shown)
    if more:
        hint = "Narrow it with `/milestone list mine`, `overdue` or `dept &lt;name&gt;`."
        blocks.append(context(f"…and {more} more. {hint}"))
    count = f"{len(shown)} milestone" if len(shown) == 1 else f"{len(shown)} milestones"
    message = build_message(text=f"{escape_mrkdwn(listing.heading)}: {count}", blocks=blocks)
    return {"text": message.text, "blocks": message.blocks}


@pytest.mark.parametrize("count", [1, 9, 10, 11, 100, 250])
@pytest.mark.parametrize("title", ["Milestone {n} of the plan", "{n} " + "&" * 140, HOSTILE])
@pytest.mark.parametrize("heading", [f"Open milestones {HOSTILE}", "Open in dept " + "é&" * 100])
def test_a_list_answer_is_the_builders_json_byte_for_byte(count: int, title: str, heading: str) -> None:
    rows = [
        dict(number=n, title=title.format(n=n), due_date=TODAY + timedelta(days=n % 50 - 10),
             owner_id=f"U{n % 7 + 1}", department=("Sales", None, "R&D")[n % 3],
             status=STATUSES[n % len(STATUSES)], completed_on=TODAY if n % 4 == 0 else None)
        for n in range(1, count + 1)
    ]  # fmt: skip
    total = count + 7
    orm = Listing(milestones=[make_milestone(**r) for r in rows], total=total, heading=heading,
                  request=ListCommand())  # fmt: skip
    plain = Listing(
        milestones=[listed(m) for m in orm.milestones], total=total, heading=heading, request=ListCommand()
    )

    message = list_message(plain, today=TODAY)

    assert_valid(message)
    expected = json.dumps(builders_message(orm, today=TODAY), ensure_ascii=False)
    assert json.dumps({"text": message.text, "blocks": message.blocks}, ensure_ascii=False) == expected
