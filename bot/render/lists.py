"""The `/milestone list` answer: the milestones, cut with a hint when long, or what an empty list sought."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import Block

from bot.core.command_types import ListCommand, ListScope
from bot.core.dates import format_weekday_date
from bot.core.listing import LIST_LIMIT, ChannelSummary, Listing, spans_workspace
from bot.core.text import escape_mrkdwn
from bot.render.history import user_mention
from bot.render.message import Message, build_message, context, header, packed_sections, section
from bot.render.milestones import milestone_line

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


def list_message(listing: Listing, *, today: date) -> Message:
    """A header and the milestones, several lines per section; says how many more when cut, or why empty."""
    milestones, heading, total = listing.milestones, listing.heading, listing.total
    if not milestones:
        empty = empty_list_text(listing.request, listing.channel or _NO_CHANNEL, today=today)
        return build_message(
            text=f"{escape_mrkdwn(heading)}: {empty}", blocks=[header(heading), section(empty)]
        )
    shown = milestones[:LIST_LIMIT]
    blocks: list[Block] = [header(heading), *packed_sections(milestone_line(m, today=today) for m in shown)]
    more = max(total, len(milestones)) - len(shown)
    if more:
        blocks.append(context(f"…and {more} more. {_NARROW_HINT}"))
    count = f"{len(shown)} milestone" if len(shown) == 1 else f"{len(shown)} milestones"
    return build_message(text=f"{escape_mrkdwn(heading)}: {count}", blocks=blocks)


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
