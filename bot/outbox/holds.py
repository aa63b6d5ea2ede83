"""What a dispatch pass leaves alone: channels Slack rate-limited and workspaces whose token it refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.outbox.outcomes import Outcome
from storage.models import Delivery
from storage.workspace import Channel, Workspace


def workspace_of(delivery: Delivery) -> Workspace:
    """The workspace a delivery is owed to."""
    return Workspace(team_id=delivery.team_id, enterprise_id=delivery.enterprise_id)


def channel_of(delivery: Delivery) -> Channel:
    """The channel a delivery is owed to, told apart across workspaces."""
    return (delivery.enterprise_id, delivery.team_id, delivery.channel_id)


@dataclass
class Holds:
    """Until when this pass skips a channel or a workspace, as the retry policy decided."""

    channels: dict[Channel, datetime] = field(default_factory=dict)
    workspaces: dict[Workspace, datetime] = field(default_factory=dict)

    def hold_channel(self, delivery: Delivery, *, until: datetime) -> None:
        """Leave the delivery's channel alone until `until`."""
        self.channels[channel_of(delivery)] = until

    def hold_workspace(self, delivery: Delivery, *, until: datetime) -> None:
        """Leave every channel of the delivery's workspace alone until `until`."""
        self.workspaces[workspace_of(delivery)] = until

    def held(self, delivery: Delivery, *, now: datetime) -> tuple[datetime, Outcome] | None:
        """Until when the delivery waits, and the outcome to count, if its workspace or channel is held."""
        for until, outcome in (
            (self.workspaces.get(workspace_of(delivery)), Outcome.HELD),
            (self.channels.get(channel_of(delivery)), Outcome.RETRYING),
        ):
            if until is not None and until > now:
                return until, outcome
        return None
