"""Confidence in the weekly review: how sure an owner is that a milestone lands (1 to 5), and its trend."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

# Highest first, as the form offers them.
CONFIDENCE_LEVELS = (5, 4, 3, 2, 1)
CONFIDENCE_WORDS = {5: "certain", 4: "likely", 3: "maybe", 2: "doubtful", 1: "unlikely"}
# A fall this big between two reviews is called out in the next one.
NOTABLE_DROP = 2


@dataclass(frozen=True, kw_only=True)
class ConfidenceAnswer:
    """One answer's confidence on a milestone, and the review (its ISO week) it was given on."""

    week: str
    at: datetime
    confidence: int


@dataclass(frozen=True)
class ConfidenceTrend:
    """A milestone's confidence, one value per review that had one, oldest first (never empty)."""

    values: tuple[int, ...]

    @property
    def latest(self) -> int:
        """The confidence of the last review that gave one."""
        return self.values[-1]

    @property
    def previous(self) -> int | None:
        """The confidence of the review before that, if any."""
        return self.values[-2] if len(self.values) > 1 else None

    @property
    def change(self) -> int | None:
        """Latest minus previous: negative when it fell; None with a single review."""
        return None if self.previous is None else self.latest - self.previous

    @property
    def dropped(self) -> bool:
        """True when it fell by NOTABLE_DROP or more between the last two reviews."""
        return self.change is not None and self.change <= -NOTABLE_DROP


def confidence_trend(answers: Iterable[ConfidenceAnswer]) -> ConfidenceTrend | None:
    """The trend of a milestone's confidences: per review the latest answer counts; None without any."""
    latest: dict[str, ConfidenceAnswer] = {}
    for answer in answers:
        kept = latest.get(answer.week)
        if kept is None or answer.at >= kept.at:
            latest[answer.week] = answer
    if not latest:
        return None
    return ConfidenceTrend(tuple(latest[week].confidence for week in sorted(latest)))
