"""The time-zone menu: every IANA zone found by city, region or offset, labelled with its offset now."""

from __future__ import annotations

import functools
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.limits import known_timezones
from storage.channel_settings import get_channel_settings, workspace_timezones
from storage.workspace import Workspace

# Slack shows at most 100 options in an answer.
MENU_LIMIT = 100
# Zones most teams are in, offered before anything is typed, after the channel's and the person's own.
POPULAR = (
    "UTC",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "Africa/Lagos",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
)
# Old names kept by the zone database for compatibility (`US/Eastern`, `EST5EDT`): listed after the others.
_LEGACY_AREAS = frozenset({"Brazil", "Canada", "Chile", "Etc", "Mexico", "SystemV", "US"})
_OFFSET = re.compile(r"(?:utc|gmt)?\s*(?P<sign>[+\-−])\s*(?P<hours>[0-9]{1,2})(?::?(?P<minutes>[0-9]{2}))?")
_WORKSPACE_ZONES = 20


@functools.cache
def all_zones() -> tuple[str, ...]:
    """Every zone a channel may use, by its canonical name, sorted."""
    return tuple(sorted(known_timezones().values()))


def zone_label(name: str, *, at: datetime) -> str:
    """`America/New_York (UTC−05:00)`: the zone and its offset at that moment."""
    if name == "UTC":
        return name
    offset = at.astimezone(ZoneInfo(name)).utcoffset() or timedelta()
    return f"{name} ({_offset_text(offset)})"


def search_zones(typed: str, *, at: datetime) -> list[str]:
    """Zones whose name holds what was typed (`new york`, `berlin`, `europe/`) or at its offset (`UTC+1`)."""
    written = " ".join(typed.split()).lower()
    offset = _OFFSET.fullmatch(written)
    if offset is not None:
        wanted = _offset_of(offset)
        found = [name for name in all_zones() if at.astimezone(ZoneInfo(name)).utcoffset() == wanted]
        return sorted(found, key=lambda name: (_is_legacy(name), name))[:MENU_LIMIT]
    query = written.replace(" ", "_")
    squeezed = query.replace("_", "")
    found = [
        name
        for name in all_zones()
        if query in name.lower() or (squeezed and squeezed in name.lower().replace("_", ""))
    ]
    return sorted(found, key=lambda name: (_rank(name, query), _is_legacy(name), name))[:MENU_LIMIT]


def suggested_zones(*, first: list[str]) -> list[str]:
    """Before anything is typed: the zones given first (the channel's, the person's, the workspace's), then
    the popular ones, each once."""
    known = set(all_zones())
    return list(dict.fromkeys(name for name in [*first, *POPULAR] if name in known))[:MENU_LIMIT]


def zone_menu(
    *,
    engine: Engine,
    workspace: Workspace,
    channel_id: str | None,
    typed: str,
    mine: str | None,
    at: datetime,
) -> list[tuple[str, str]]:
    """The menu's (zone, label) pairs for what was typed; nothing typed: the channel's, yours, common ones."""
    if typed.strip():
        names = search_zones(typed, at=at)
    else:
        with Session(engine) as session:
            found = get_channel_settings(session=session, workspace=workspace, channel_id=channel_id or "")
            used = workspace_timezones(session=session, workspace=workspace, limit=_WORKSPACE_ZONES)
        current = [found.timezone] if found is not None else []
        names = suggested_zones(first=[*current, *([mine] if mine else []), *used])
    return [(name, zone_label(name, at=at)) for name in names]


def _rank(name: str, query: str) -> int:
    """0: the city starts with it; 1: a part of the name does; 2: it is inside the name."""
    parts = name.lower().split("/")
    if parts[-1].startswith(query):
        return 0
    return 1 if any(part.startswith(query) for part in parts) or name.lower().startswith(query) else 2


def _is_legacy(name: str) -> bool:
    return name != "UTC" and ("/" not in name or name.split("/", 1)[0] in _LEGACY_AREAS)


def _offset_of(match: re.Match[str]) -> timedelta:
    size = timedelta(hours=int(match["hours"]), minutes=int(match["minutes"] or 0))
    return -size if match["sign"] in "-−" else size


def _offset_text(offset: timedelta) -> str:
    """`UTC+05:30`, `UTC−05:00` (a true minus sign, as typeset)."""
    minutes = int(offset.total_seconds() // 60)
    sign = "−" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"
