"""The App Home tab: what the person owns by urgency, what they added for others, their channels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

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
from bot.core.home import by_urgency, split_by_owner
from bot.core.text import escape_mrkdwn
from bot.render.history import user_mention
from bot.render.labels import due_on, status_label
from bot.render.message import SECTION_CHARS, context, header, section
from bot.render.milestones import title_ref
from storage.models import Milestone

MAX_BLOCKS = 100  # Slack's hard limit for a Home tab
MAX_MILESTONE_SECTIONS = 60  # milestones with their own section and menu; the rest are packed lines
MAX_CHANNEL_LINES = 40
LINES_PER_SECTION = 10
KEPT_FOR_OTHERS = 10  # however much a person owns, the first few they added for others still show
# `open` is what every milestone starts as: on Home it would only repeat itself on each line.
_TELLING_STATUSES = frozenset({"on_track", "at_risk", "blocked"})
_MINE_HINT = "`/milestone list mine`"
_OTHERS_HINT = "`/milestone list @name` shows one person's"
_EMPTY = (
    "Nothing on your plate yet. 🎉\n"
    "Add your first milestone with the button above, or type this in any channel:\n"
    "`/milestone add Launch beta due Dec 15 owner me`\n"
    "It will show up here, and the channel gets reminders before it is due."
)
_NONE_OWNED = "Nothing owned by you is open · Add one: `/milestone add Launch beta due Dec 15 owner me`"
_NONE_FOR_OTHERS = (
    "Nothing you added for someone else is open · Ask someone for one: "
    "`/milestone add Website copy due Dec 15 owner @name`"
)


@dataclass(frozen=True)
class _Group:
    """Milestones under one heading (`⚠️ Overdue (3)`, or none) and how their `…and N more` line reads."""

    heading: str | None
    more: str  # `{count} more {more}`
    milestones: list[Milestone]
    owned: bool


@dataclass(frozen=True)
class _Part:
    """`Owned by you` or `Added by you for others`: opening blocks, then groups (or an empty state)."""

    opening: list[Block]
    groups: list[_Group]
    kept: int = 0  # milestones with a menu kept for this part however many the parts above it have


def home_view(
    *, user_id: str, mine: list[Milestone], channel_counts: list[tuple[str, int, int]], today: date
) -> dict:
    """The Home tab for `user_id`: what they own by urgency, then what they added for others."""
    split = split_by_owner(mine, user_id=user_id)
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
    channels = _channel_blocks(channel_counts)
    if not split.owned and not split.added_for_others:
        return View(type="home", blocks=[*blocks, section(_EMPTY), *channels]).to_dict()
    parts = [_owned_part(split.owned, today=today), _others_part(split.added_for_others)]
    # Each part's opening and each group's heading and `…and N more` line are kept; the rest is shared.
    fixed = sum(len(p.opening) + sum(2 if g.heading else 1 for g in p.groups) for p in parts)
    room = MAX_BLOCKS - len(blocks) - len(channels) - fixed
    sections_left = MAX_MILESTONE_SECTIONS
    for index, part in enumerate(parts):
        blocks.extend(part.opening)
        held = sum(later.kept for later in parts[index + 1 :])
        for group in part.groups:
            shown, with_menus, used = _group_blocks(
                group, today=today, room=room - held, sections=sections_left - held
            )
            blocks.extend(shown)
            room -= used
            sections_left -= with_menus
    blocks.extend(channels)
    return View(type="home", blocks=blocks).to_dict()


def _owned_part(owned: list[Milestone], *, today: date) -> _Part:
    """`Owned by you (N)`: overdue, due this week, later, no due date; or how to add one."""
    opening: list[Block] = [header(f"Owned by you ({len(owned)})")]
    if not owned:
        return _Part(opening=[*opening, section(_NONE_OWNED)], groups=[])
    urgency = by_urgency(owned, today=today)
    groups = [
        _Group("⚠️ Overdue", "overdue", urgency.overdue, owned=True),
        _Group("📅 Due this week", "due this week", urgency.this_week, owned=True),
        _Group("Later", "later", urgency.later, owned=True),
        _Group("No due date", "with no due date", urgency.undated, owned=True),
    ]
    return _Part(opening=opening, groups=[group for group in groups if group.milestones])


def _others_part(added: list[Milestone]) -> _Part:
    """`Added by you for others (N)`, soonest due first, each with its owner; or a line saying none."""
    opening: list[Block] = [DividerBlock(), header(f"Added by you for others ({len(added)})")]
    if not added:
        return _Part(opening=[*opening, context(_NONE_FOR_OTHERS)], groups=[])
    group = _Group(None, "added for others", added, owned=False)
    return _Part(opening=opening, groups=[group], kept=min(len(added), KEPT_FOR_OTHERS))


def _group_blocks(group: _Group, *, today: date, room: int, sections: int) -> tuple[list[Block], int, int]:
    """A group's heading, first milestones with menus, the rest packed, `…and N more`; menus and room used."""
    blocks: list[Block] = [section(f"*{group.heading} ({len(group.milestones)})*")] if group.heading else []
    own = group.milestones[: max(min(sections, room), 0)]
    blocks.extend(_milestone_section(m, owned=group.owned, today=today) for m in own)
    rest = [_line(m, owned=group.owned, today=today) for m in group.milestones[len(own) :]]
    packed, used = _pack(rest, room=room - len(own))
    blocks.extend(packed)
    if used < len(rest):
        hint = _MINE_HINT if group.owned else _OTHERS_HINT
        blocks.append(context(f"…and {len(rest) - used} more {group.more}: {hint}"))
    return blocks, len(own), len(own) + len(packed)


def _line(m: Milestone, *, owned: bool, today: date) -> str:
    """`*#12* Launch beta · due Tue Dec 15 · in 15 days · 🟡 At risk · <#C1>`: the owner only when not you."""
    parts = [title_ref(m)]
    if not owned:
        parts.append(f"for {user_mention(m.owner_id)}" if m.owner_id else "no owner yet")
    parts.append(due_on(m, today=today))
    if m.department:
        parts.append(escape_mrkdwn(m.department))
    if m.status in _TELLING_STATUSES:
        parts.append(status_label(m.status))
    parts.append(f"<#{m.channel_id}>")  # Home gathers milestones from every channel
    return " · ".join(parts)


def _milestone_section(m: Milestone, *, owned: bool, today: date) -> SectionBlock:
    """One milestone with a small menu: Mark done, or New date… (its owner and its creator may do both)."""
    menu = OverflowMenuElement(
        action_id=Action.HOME_MILESTONE,
        options=[
            Option(text="Mark done", value=home_value(choice=HOME_DONE, number=m.number)),
            Option(text="New date…", value=home_value(choice=HOME_NEW_DATE, number=m.number)),
        ],
    )
    return SectionBlock(text=MarkdownTextObject(text=_line(m, owned=owned, today=today)), accessory=menu)


def _pack(lines: Sequence[str], *, room: int) -> tuple[list[SectionBlock], int]:
    """At most `room` sections of several lines each, and how many of the lines they hold."""
    chunks: list[list[str]] = []
    size = 0
    for used, line in enumerate(lines):
        if chunks and len(chunks[-1]) < LINES_PER_SECTION and size + 1 + len(line) <= SECTION_CHARS:
            chunks[-1].append(line)
            size += 1 + len(line)
            continue
        if len(chunks) >= room:
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
