"""The bot's buttons and menus: action ids that render gives and listeners register, and what they carry."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.core.command_types import Status


class Action(StrEnum):
    """Every button and menu the bot posts; Slack sends its action_id back when one is pressed."""

    MILESTONE_DONE = "milestone_done"
    MILESTONE_EDIT = "milestone_edit"
    DELETE_CONFIRM = "delete_confirm"
    DELETE_CANCEL = "delete_cancel"
    CHECKIN_ON_TRACK = "checkin_on_track"
    CHECKIN_AT_RISK = "checkin_at_risk"
    CHECKIN_BLOCKED = "checkin_blocked"
    CHECKIN_DONE = "checkin_done"
    CHECKIN_NEW_DATE = "checkin_new_date"
    REMINDER_DONE = "reminder_done"
    REMINDER_NEW_DATE = "open_new_date"
    SNOOZE_TOMORROW = "snooze_tomorrow"  # a reminder's or nudge's: one more reminder the next working day
    SNOOZE_NEXT_WEEK = "snooze_next_week"  # … or the same weekday next week
    HOME_ADD = "home_add"
    HOME_MILESTONE = "home_milestone"
    REPORT_SHARE = "report_share"
    REVIEW_MINE = "review_mine"  # the weekly review's one button, in the channel and in the owners' DMs
    UNDO_DONE = "undo_done"
    PAST_DATE_OVERDUE = "past_date_overdue"  # a due date without a year that has passed: this year's
    PAST_DATE_NEXT = "past_date_next"  # … or the next one


# The check-in buttons that set a status; Done and New date… have their own paths.
CHECKIN_STATUSES: dict[Action, Status] = {
    Action.CHECKIN_ON_TRACK: "on_track",
    Action.CHECKIN_AT_RISK: "at_risk",
    Action.CHECKIN_BLOCKED: "blocked",
}
# The Home tab's menu per milestone: its options' values say what to do.
HOME_DONE = "done"
HOME_NEW_DATE = "new_date"


def checkin_value(*, checkin_id: int, number: int) -> str:
    """What a check-in's button carries: `<check-in id>:<milestone number>`."""
    return f"{checkin_id}:{number}"


def read_checkin_value(value: str) -> tuple[int, int]:
    """The check-in id and the milestone number a check-in's button carries; ValueError when garbled."""
    checkin_id, number = value.split(":")
    return int(checkin_id), int(number)


def review_value(*, checkin_id: int) -> str:
    """What Review my milestones carries: the check-in's id (an answer belongs to its review)."""
    return str(checkin_id)


def read_review_value(value: str) -> int:
    """The check-in id Review my milestones carries; ValueError when garbled."""
    return int(value)


def read_new_date_value(value: str) -> tuple[int | None, int]:
    """What a New date… button carries: on a check-in, its id and the number; on a reminder, the number."""
    return read_checkin_value(value) if ":" in value else (None, int(value))


def home_value(*, choice: str, number: int) -> str:
    """What an option of the Home tab's menu carries: `done:<number>` or `new_date:<number>`."""
    return f"{choice}:{number}"


def read_home_value(value: str) -> tuple[str, int]:
    """The choice and the milestone number of a Home menu option."""
    choice, _, number = value.partition(":")
    return choice, int(number)


# Slack refuses a button whose value is longer.
BUTTON_VALUE_CHARS = 2000


@dataclass(frozen=True)
class YearChoice:
    """What a button of the past-date question carries: the command to run, as if typed, and its question."""

    question_id: str  # both buttons of one question share it: it is answered once
    command: str  # the person's command with the date written out, as Slack sent it
    overdue_ok: frozenset[date]  # the past due dates this choice keeps (none for the next year's)


def new_question_id() -> str:
    """A fresh id for one question, so that it is answered once however often it is pressed."""
    return uuid.uuid4().hex


def year_choice_value(choice: YearChoice) -> str:
    """A past-date button's value: JSON, at most BUTTON_VALUE_CHARS long when the command is not too long."""
    carried = {
        "q": choice.question_id,
        "c": choice.command,
        "o": sorted(day.isoformat() for day in choice.overdue_ok),
    }
    return json.dumps(carried, ensure_ascii=False, separators=(",", ":"))


def read_year_choice_value(value: str) -> YearChoice:
    """The choice a past-date button carries; ValueError when garbled."""
    try:
        carried = json.loads(value)
        question_id, command, overdue_ok = carried["q"], carried["c"], carried["o"]
        days = frozenset(date.fromisoformat(day) for day in overdue_ok)
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"not a past-date choice: {value[:60]!r}") from error
    if not isinstance(question_id, str) or not isinstance(command, str):
        raise ValueError(f"not a past-date choice: {value[:60]!r}")
    return YearChoice(question_id=question_id, command=command, overdue_ok=days)
