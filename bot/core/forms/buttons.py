"""The bot's buttons and menus: action ids that render gives and listeners register, and what they carry."""

from __future__ import annotations

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
    HOME_ADD = "home_add"
    HOME_MILESTONE = "home_milestone"
    REPORT_SHARE = "report_share"
    REVIEW_MINE = "review_mine"  # the weekly review's one button, in the channel and in the owners' DMs
    UNDO_DONE = "undo_done"


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
