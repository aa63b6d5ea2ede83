"""The `/milestone list` answer: the milestones, cut with a hint when long, or what an empty list sought."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from datetime import date

from bot.core.command_types import ListCommand, ListScope
from bot.core.dates import format_weekday_date
from bot.core.listing import LIST_LIMIT, ChannelSummary, Listing, spans_workspace
from bot.core.recurrence import recurrence_words
from bot.core.text import escape_mrkdwn, excerpt
from bot.render.dates import done_words, due_words
from bot.render.history import user_mention
from bot.render.labels import status_label
from bot.render.message import (
    HEADER_CHARS,
    Message,
    build_message,
    header,
    packed_sections,
    section,
    section_json,
)
from storage.milestones import ListedMilestone
from storage.models import CLOSED_STATUSES

_NARROW_HINT = "Narrow it with `/milestone list mine`, `overdue` or `dept &lt;name&gt;`."
_ADD_EXAMPLE = "`/milestone add Launch beta due Dec 15 owner @alice`"
_NO_MILESTONES = f"No milestones in this channel yet. Add one: {_ADD_EXAMPLE}"
_NO_CHANNEL = ChannelSummary(milestones=0, open=0, done=0, overdue=0, next_due=None)
# What each list looked for, said first when it comes back empty; `owner` is a mention, `department` escaped.
_LOOKED_FOR: dict[ListScope, str] = {
    "channel": "Nothing open in this channel",
    "all": "Nothing in this channel",
    "done": "Nothing done yet",
    "overdue": "Nothing overdue 🎉",
    "upcoming": "Nothing due in the next 4 weeks",
    "mine": "Nothing of yours is open",
    "owner": "{owner} has nothing open",
    "dept": "Nothing open in {department}",
}


def list_message(listing: Listing, *, today: date, after: Mapping[int, int] | None = None) -> Message:
    """A header and the milestones, several lines per section; says how many more when cut, or why empty.

    `after` is the `#N` of each milestone id a listed one comes after.
    """
    milestones, heading, total = listing.milestones, listing.heading, listing.total
    if not milestones:
        empty = empty_list_text(listing.request, listing.channel or _NO_CHANNEL, today=today)
        return build_message(
            text=f"{escape_mrkdwn(heading)}: {empty}", blocks=[header(heading), section(empty)]
        )
    shown = milestones[:LIST_LIMIT]
    numbers = after or {}
    lines = (list_line(m, today=today, after=numbers.get(m.after_id or 0)) for m in shown)
    blocks = [_header_json(heading), *_sections(lines)]
    more = max(total, len(milestones)) - len(shown)
    if more:
        blocks.append(_context_json(f"…and {more} more. {_NARROW_HINT}"))
    count = f"{len(shown)} milestone" if len(shown) == 1 else f"{len(shown)} milestones"
    return Message(text=f"{escape_mrkdwn(heading)}: {count}", blocks=blocks)


# A list's blocks are written as the JSON slack_sdk's to_dict writes for header(), packed_sections() and
# context() (keys in its order), without its checks: those cost more than writing the hundred lines, and
# what they check holds by construction (packed_sections keeps sections within Slack's limits, header()'s
# excerpt keeps a header within its own).


def _header_json(heading: str) -> dict:
    text = excerpt(heading, limit=HEADER_CHARS)
    return {"text": {"emoji": True, "text": text, "type": "plain_text"}, "type": "header"}


def _sections(lines: Iterable[str]) -> list[dict]:
    """packed_sections' blocks as Slack's JSON."""
    return [section_json(block.text.text if block.text else "") for block in packed_sections(lines)]


def _context_json(text: str) -> dict:
    return {"elements": [{"text": text, "type": "mrkdwn"}], "type": "context"}


def list_line(m: ListedMilestone, *, today: date, after: int | None = None) -> str:
    """`milestone_line`'s line, `*#12* Launch beta · due Tue Dec 15 · in 15 days · <@U1> · 🟢 On track`.

    The same words, from phrases kept per process: a list shows the same dates, owners, departments and
    statuses on many lines, and writing them afresh was most of the cost of rendering a list.
    """
    parts = [f"*#{m.number}* {_escaped(m.title)}", _due(m.due_date, today, m.status in CLOSED_STATUSES)]
    if m.recurrence:
        parts.append(recurrence_words(m.recurrence))
    if after is not None:
        parts.append(f"after #{after}")
    parts.append(_owner(m.owner_id))
    if m.department:
        parts.append(_department(m.department))
    parts.append(_status(m.status, m.completed_on, today))
    return " · ".join(parts)


# What escape_mrkdwn changes: without any of these, a text is its own escape (most titles).
_TO_ESCAPE = re.compile(r"[&<>@]")


def _escaped(text: str) -> str:
    return escape_mrkdwn(text) if _TO_ESCAPE.search(text) else text


@functools.lru_cache(maxsize=4096)
def _due(day: date | None, today: date, closed: bool) -> str:
    return due_words(day, today=today, closed=closed)


@functools.lru_cache(maxsize=4096)
def _owner(owner_id: str | None) -> str:
    return user_mention(owner_id) if owner_id else "no owner"


@functools.lru_cache(maxsize=1024)
def _department(department: str) -> str:
    return escape_mrkdwn(department)


@functools.lru_cache(maxsize=1024)
def _status(status: str, completed_on: date | None, today: date) -> str:
    # As labels.status_text: a finished one says when.
    if status == "done" and completed_on is not None:
        return f"✅ {done_words(completed_on, today=today)}"
    return status_label(status)


def empty_list_text(request: ListCommand, channel: ChannelSummary, *, today: date) -> str:
    """What an empty list looked for and what the channel holds instead: `Nothing overdue 🎉 · 6 open, …`."""
    if channel.milestones == 0 and not spans_workspace(request.scope):
        return _NO_MILESTONES
    looked_for = _LOOKED_FOR[request.scope].format(
        owner=user_mention(request.owner_id or ""), department=escape_mrkdwn(request.department or "")
    )
    if channel.milestones == 0:
        return f"{looked_for} · this channel has no milestones yet. Add one: {_ADD_EXAMPLE}"
    return f"{looked_for} · {_instead(request.scope, channel, today=today)}"


def _instead(scope: ListScope, channel: ChannelSummary, *, today: date) -> str:
    if not channel.open:
        closed = ", ".join(
            f"{count} {word}"
            for count, word in ((channel.done, "done"), (channel.cancelled, "cancelled"))
            if count
        )
        # The channel's own open list has just said nothing is open; the others still need to.
        nothing_open = "" if scope == "channel" else "nothing open in this channel, "
        return f"{nothing_open}{closed}: `/milestone list all`"
    if spans_workspace(scope):
        return f"{channel.open} open in this channel: `/milestone list`"
    parts = [f"{channel.open} open"]
    if channel.overdue:
        parts.append(f"{channel.overdue} overdue")
    if channel.next_due:
        parts.append(f"next due {format_weekday_date(channel.next_due, today=today)}")
    return ", ".join(parts)
