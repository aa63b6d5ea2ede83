"""Reading back the forms Review my milestones opens: an owner's answers, and anyone's note or risk."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from bot.core.confidence import CONFIDENCE_LEVELS
from bot.core.forms.values import (
    GarbledMetadata,
    ModalErrors,
    entry,
    metadata_field,
    past_due_error,
    read_date,
    read_metadata,
    read_text,
)
from bot.core.limits import LimitError, check_note
from bot.core.review_answers import MilestoneAnswer
from storage.models import Milestone

OWNER_CALLBACK = "review_mine"
NOTE_CALLBACK = "review_note"
# Three inputs per milestone: 30 of them, the intro, the "more" line, reason and note stay under 100 blocks.
FORM_LIMIT = 30
# Options a select may hold (Slack's cap).
PICK_LIMIT = 100
STATUS_CHOICES = ("on_track", "at_risk", "blocked", "done")
NOTE_KINDS = ("note", "risk")
CONFIDENCE_CHOICES = tuple(str(level) for level in CONFIDENCE_LEVELS)
_NO_REASON = "Say why the date moves; it is kept in the history."
_CONFIDENCE_ALONE = "Say how it is going too (like On track): the confidence goes with that answer."


class ReviewBlock:
    """The review forms' inputs; each block's action_id is its block_id."""

    REASON = "reason"
    NOTE = "note"
    MILESTONE = "milestone"
    KIND = "kind"
    TEXT = "text"

    @staticmethod
    def status(number: int) -> str:
        """The status choice of milestone #number."""
        return f"status_{number}"

    @staticmethod
    def due(number: int) -> str:
        """The new date picker of milestone #number."""
        return f"due_{number}"

    @staticmethod
    def confidence(number: int) -> str:
        """The confidence choice (1 to 5) of milestone #number."""
        return f"confidence_{number}"


@dataclass(frozen=True)
class ReviewContext:
    """What a review form carries in private_metadata: the check-in, its channel, the milestones shown."""

    checkin_id: int
    channel_id: str
    numbers: list[int] = field(default_factory=list)

    def to_metadata(self) -> str:
        """The private_metadata the form carries; `read_review_context` reads it back."""
        return json.dumps(asdict(self))


@dataclass(frozen=True)
class OwnerAnswers:
    """An owner's submitted review: an answer per milestone answered, the reason for new dates, a note."""

    answers: list[MilestoneAnswer]
    reason: str | None
    note: str | None

    def note_on(self, *, shown: list[int]) -> list[int]:
        """The milestones the note is on (unless it names others): those answered, else all it showed."""
        return [answer.number for answer in self.answers] or shown


@dataclass(frozen=True)
class NoteAnswer:
    """Anyone's note or risk on one milestone of the review."""

    number: int
    kind: str  # note | risk
    text: str


def read_review_context(private_metadata: str) -> ReviewContext:
    """The check-in, channel and milestones a submitted review form was opened for."""
    data = read_metadata(private_metadata)
    numbers = metadata_field(data, "numbers", list) or []
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers):
        raise GarbledMetadata("private_metadata numbers are not milestone numbers")
    return ReviewContext(
        checkin_id=metadata_field(data, "checkin_id", int, required=True),
        channel_id=metadata_field(data, "channel_id", str, required=True),
        numbers=numbers,
    )


def read_owner_form(values: dict[str, Any], *, shown: list[Milestone], today: date) -> OwnerAnswers:
    """Check the owner's form; raise ModalErrors naming every bad field, or return what to record."""
    errors: dict[str, str] = {}
    answers = [_read_answer(values, m, today=today, errors=errors) for m in shown]
    reason = read_text(values, ReviewBlock.REASON, field="reason", errors=errors)
    moved = [a for a in answers if a.new_due and ReviewBlock.due(a.number) not in errors]
    if reason is None and moved and ReviewBlock.REASON not in errors:
        errors[ReviewBlock.REASON] = _NO_REASON
    note = read_note(values, ReviewBlock.NOTE, errors=errors)
    if errors:
        raise ModalErrors(errors)
    return OwnerAnswers(
        answers=[a for a in answers if a.status or a.new_due], reason=reason if reason else None, note=note
    )


def _read_answer(
    values: dict[str, Any], m: Milestone, *, today: date, errors: dict[str, str]
) -> MilestoneAnswer:
    status = _selected(values, ReviewBlock.status(m.number), STATUS_CHOICES)
    level = _selected(values, ReviewBlock.confidence(m.number), CONFIDENCE_CHOICES)
    confidence = int(level) if level else None
    due_block = ReviewBlock.due(m.number)
    due = read_date(values, due_block, errors=errors)
    if due is not None:
        refused = past_due_error(due, today=today)
        if refused is None and due == m.due_date:
            refused = "That's already the due date; pick another one or leave it empty."
        if refused is None and status == "done":
            refused = "A milestone marked done needs no new date; leave it empty."
        if refused:
            errors[due_block] = refused
    if confidence is not None and status is None and due is None:
        errors[ReviewBlock.status(m.number)] = _CONFIDENCE_ALONE
    return MilestoneAnswer(number=m.number, status=status, new_due=due, confidence=confidence)


def read_note_form(values: dict[str, Any], *, shown: list[int]) -> NoteAnswer:
    """Check a note or risk on one of the review's milestones; ModalErrors naming every bad field."""
    errors: dict[str, str] = {}
    picked = _selected(values, ReviewBlock.MILESTONE, tuple(str(n) for n in shown))
    if picked is None:
        errors[ReviewBlock.MILESTONE] = "Pick the milestone the note is about."
    kind = _selected(values, ReviewBlock.KIND, NOTE_KINDS) or "note"
    text = read_note(values, ReviewBlock.TEXT, errors=errors, missing="Write the note.")
    if errors or picked is None or text is None:
        raise ModalErrors(errors or {ReviewBlock.TEXT: "Write the note."})
    return NoteAnswer(number=int(picked), kind=kind, text=text)


def read_note(
    values: dict[str, Any], block_id: str, *, errors: dict[str, str], missing: str | None = None
) -> str | None:
    """A note as limits.check_note has it; None when empty (an error too, given `missing`)."""
    raw = (entry(values, block_id).get("value") or "").strip()
    if not raw:
        if missing:
            errors[block_id] = missing
        return None
    try:
        return check_note(raw)
    except LimitError as error:
        errors[block_id] = str(error)
        return None


def _selected(values: dict[str, Any], block_id: str, allowed: tuple[str, ...]) -> str | None:
    """The value of a select or radio choice, if it is one the form offered; else None."""
    option = entry(values, block_id).get("selected_option")
    value = option.get("value") if isinstance(option, dict) else None
    return value if value in allowed else None
