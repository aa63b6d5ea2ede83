"""The App Home tab: the person's open milestones by urgency, an Add button, and their channels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DividerBlock,
    MarkdownTextObject,
    Option,
    OverflowMenuElement,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.core.forms.buttons import HOME_DONE, HOME_NEW_DATE, Action, home_value
from bot.render.message import SECTION_CHARS, context, header, section
from bot.render.milestones import milestone_line
from storage.models import CLOSED_STATUSES, Milestone

MAX_BLOCKS = 100  # Slack's hard limit for a Home tab
MAX_MILESTONE_SECTIONS = 60  # milestones with their own section and menu; the rest are packed lines
MAX_CHANNEL_LINES = 40
LINES_PER_SECTION = 10
_LIST_HINT = "`/milestone list mine`"
_EMPTY = (
    "Nothing on your plate yet. 🎉\n"
    "Add your first milestone with the button above, or type this in any channel:\n"
    "`/milestone add Launch beta due Dec 15`\n"
    "It will show up here, and the channel gets reminders before it is due."
)


@dataclass(frozen=True)
class _Group:
    """Milestones under one heading: `⚠️ Overdue (3)`; `name` is how the `…and N more` line calls them."""

    heading: str
    name: str
    milestones: list[Milestone]


def home_view(
    *, user_id: str, mine: list[Milestone], channel_counts: list[tuple[str, int, int]], today: date
) -> dict:
    """The Home tab for `user_id`: their open milestones, most urgent first, in at most 100 blocks."""
    groups = [group for group in _groups(mine, today=today) if group.milestones]
    channels = _channel_blocks(channel_counts)
    blocks: list[Block] = [
        header("Your milestones"),
        context(f"<@{user_id}> · open milestones you own or added, in every channel."),
        ActionsBlock(
            elements=[
                ButtonElement(
                    text=PlainTextObject(text="Add a milestone"), action_id=Action.HOME_ADD, style="primary"
                )
            ]
        ),
    ]
    if not groups:
        blocks.append(section(_EMPTY))
    # Each group needs its heading and may need one `…and N more` line; the rest of the room is shared.
    room = MAX_BLOCKS - len(blocks) - len(channels) - 2 * len(groups)
    sections_left = MAX_MILESTONE_SECTIONS
    for group in groups:
        blocks.append(section(f"*{group.heading} ({len(group.milestones)})*"))
        own = group.milestones[: min(sections_left, room)]
        blocks.extend(_milestone_section(m, today=today) for m in own)
        sections_left -= len(own)
        room -= len(own)
        rest = [_line(m, today=today) for m in group.milestones[len(own) :]]
        packed, used = _pack(rest, room=room)
        blocks.extend(packed)
        room -= len(packed)
        if used < len(rest):
            blocks.append(context(f"…and {len(rest) - used} more {group.name}: {_LIST_HINT}"))
    blocks.extend(channels)
    return View(type="home", blocks=blocks).to_dict()


def _groups(mine: Sequence[Milestone], *, today: date) -> list[_Group]:
    """Overdue, due this week (to Sunday), later and undated; soonest due first, then by number."""
    week_end = today + timedelta(days=6 - today.weekday())
    overdue, this_week, later, undated = [], [], [], []
    for m in sorted(mine, key=lambda each: (each.due_date or date.max, each.number)):
        if m.status in CLOSED_STATUSES:
            continue
        if m.due_date is None:
            undated.append(m)
        elif m.due_date < today:
            overdue.append(m)
        elif m.due_date <= week_end:
            this_week.append(m)
        else:
            later.append(m)
    return [
        _Group("⚠️ Overdue", "overdue", overdue),
        _Group("📅 Due this week", "due this week", this_week),
        _Group("Later", "later", later),
        _Group("No due date", "with no due date", undated),
    ]


def _line(m: Milestone, *, today: date) -> str:
    """A milestone's list line and its channel: Home gathers milestones from every channel."""
    return f"{milestone_line(m, today=today)} · <#{m.channel_id}>"


def _milestone_section(m: Milestone, *, today: date) -> SectionBlock:
    """One milestone with a small menu: Mark done, or New date…."""
    menu = OverflowMenuElement(
        action_id=Action.HOME_MILESTONE,
        options=[
            Option(text="Mark done", value=home_value(choice=HOME_DONE, number=m.number)),
            Option(text="New date…", value=home_value(choice=HOME_NEW_DATE, number=m.number)),
        ],
    )
    return SectionBlock(text=MarkdownTextObject(text=_line(m, today=today)), accessory=menu)


def _pack(lines: Sequence[str], *, room: int) -> tuple[list[SectionBlock], int]:
    """At most `room` sections of several lines each, and how many of the lines they hold."""
    chunks: list[list[str]] = []
    size = 0
    for used, line in enumerate(lines):
        if chunks and len(chunks[-1]) < LINES_PER_SECTION and size + 1 + len(line) <= SECTION_CHARS:
            chunks[-1].append(line)
            size += 1 + len(line)
            continue
        if len(chunks) == room:
            return [section("\n".join(chunk)) for chunk in chunks], used
        chunks.append([line])
        size = len(line)
    return [section("\n".join(chunk)) for chunk in chunks], len(lines)


def _channel_blocks(channel_counts: Sequence[tuple[str, int, int]]) -> list[Block]:
    """`By channel`: open and overdue counts per channel, most overdue first; empty when there are none."""
    counted = sorted(
        (count for count in channel_counts if count[1] > 0),
        key=lambda count: (-count[2], -count[1], count[0]),
    )
    if not counted:
        return []
    lines = [_channel_line(*count) for count in counted[:MAX_CHANNEL_LINES]]
    if len(counted) > MAX_CHANNEL_LINES:
        lines.append(f"…and {len(counted) - MAX_CHANNEL_LINES} more channels.")
    return [DividerBlock(), section("*By channel*\n" + "\n".join(lines))]


def _channel_line(channel_id: str, open_count: int, overdue_count: int) -> str:
    """`<#C1> — 4 open, 1 overdue`; the overdue part only when there are some."""
    overdue = f", {overdue_count} overdue" if overdue_count else ""
    return f"<#{channel_id}> — {open_count} open{overdue}"
