"""What became of each delivery a dispatch pass claimed."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Outcome(StrEnum):
    """The outcome of one claim, as logged and counted."""

    SENT = "sent"
    RECOVERED = "recovered"  # an earlier claim's post was found in the channel and recorded
    RETRYING = "retrying"
    HELD = "held"  # its workspace's token is refused: it waits with the workspace's other deliveries
    FAILED = "failed"
    SKIPPED = "skipped"
    # Posted by another claim while ours was slow: our copy deleted, or our claim given up before posting.
    DEDUPLICATED = "deduplicated"
    HANDED_OVER = "handed_over"


@dataclass
class Dispatched:
    """What one dispatch pass did: the delivery keys by outcome, in the order they were met."""

    keys: dict[Outcome, list[str]] = field(default_factory=lambda: {outcome: [] for outcome in Outcome})

    def add(self, outcome: Outcome, key: str) -> None:
        """Count one delivery's outcome."""
        self.keys[outcome].append(key)

    def __getitem__(self, outcome: Outcome) -> list[str]:
        return self.keys[outcome]

    def counts(self) -> dict[Outcome, int]:
        """How many deliveries met each outcome."""
        return {outcome: len(keys) for outcome, keys in self.keys.items()}
