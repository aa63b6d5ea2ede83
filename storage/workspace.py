"""The scope every query runs in: one Slack workspace (and its Enterprise Grid org, where there is one)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Workspace:
    """A Slack workspace; `enterprise_id` is "" outside Enterprise Grid."""

    team_id: str
    enterprise_id: str = ""


# A channel (or a person, for a DM), told apart across workspaces: (enterprise_id, team_id, channel_id).
Channel = tuple[str, str, str]
