"""The add / edit milestone modal; `bot.core.forms.milestone` reads it back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    ConversationFilter,
    ConversationSelectElement,
    ExternalDataSelectElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    StaticSelectElement,
    UserSelectElement,
)

from bot.core.dates import format_date
from bot.core.forms.milestone import (
    CALLBACKS,
    DOES_NOT_REPEAT,
    REPEAT_CHOICES,
    STATUS_CHOICES,
    MilestoneBlock,
    Mode,
    department_value,
    milestone_metadata,
)
from bot.core.limits import BUDGET_CHARS, REASON_CHARS, TITLE_CHARS
from bot.core.money import format_money
from bot.core.recurrence import recurrence_words
from bot.core.revisions import budget_of
from bot.core.text import excerpt
from bot.render.inputs import date_input, input_block, text_input
from bot.render.labels import status_label
from bot.render.message import modal
from storage.models import Milestone


@dataclass(frozen=True)
class Capture:
    """A new milestone's form opened from a shortcut: the title read from a message and the message's link,
    or (a global shortcut) a channel menu that starts on the conversation the person is looking at."""

    title: str | None = None
    source_link: str | None = None
    channel_from_view: bool = False


def milestone_modal(
    *,
    mode: Mode,
    channel_id: str | None,
    milestone: Milestone | None,
    today: date,
    capture: Capture | None = None,
    after: int | None = None,
) -> dict:
    """The form to add a milestone (asking for its channel when opened outside one), or to edit one.

    `after` is the number of the milestone the edited one comes after, shown in its "Comes after" box.
    """
    current = milestone if mode == "update" else None
    if mode == "update" and current is None:
        raise ValueError("the edit form needs the milestone it edits")
    capture = capture or Capture()
    blocks: list[Block] = [
        *([_source_context(capture.source_link)] if capture.source_link else []),
        text_input(
            MilestoneBlock.TITLE,
            "Title",
            # A message's text is cut to fit: longer, Slack would let the form open and refuse it on submit.
            initial=current.title if current else _cut(capture.title),
            max_length=TITLE_CHARS,
            placeholder="Launch beta",
            optional=False,
        ),
        *([_status_input(current.status)] if current else []),
        *([_channel_input(from_view=capture.channel_from_view)] if channel_id is None else []),
        *_plan_inputs(current, today=today),
        _repeats_input(current),
        _after_input(after if current else None),
        *([_reason_input()] if current else []),
    ]
    metadata = milestone_metadata(
        channel_id=channel_id, number=current.number if current else None, source_link=capture.source_link
    )
    return modal(
        callback_id=CALLBACKS[mode],
        title=f"Edit #{current.number}" if current else "New milestone",
        submit="Save" if current else "Add",
        metadata=metadata,
        blocks=blocks,
    )


def _source_context(link: str) -> ContextBlock:
    """Says which message the form was made from; the link is kept in the milestone's history."""
    text = f"From <{link}|this message> · the link is kept in the milestone's history"
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def _plan_inputs(current: Milestone | None, *, today: date) -> list[Block]:
    """Dates, owner, budget and department: empty on a new milestone, filled when editing one."""
    return [
        date_input(
            MilestoneBlock.DUE,
            "Due date",
            initial=current.due_date if current else None,
            hint=_plan_hint(current, today=today),
        ),
        date_input(MilestoneBlock.START, "Start date", initial=current.start_date if current else None),
        input_block(
            MilestoneBlock.OWNER,
            "Owner",
            UserSelectElement(
                action_id=MilestoneBlock.OWNER,
                placeholder=PlainTextObject(text="Who makes it happen"),
                initial_user=current.owner_id if current else None,
            ),
            optional=True,
        ),
        text_input(
            MilestoneBlock.BUDGET,
            "Budget",
            initial=_budget_text(current),
            max_length=BUDGET_CHARS,
            placeholder="$5,000 or 5000 EUR",
        ),
        _department_input(current.department if current else None),
    ]


def _department_input(department: str | None) -> InputBlock:
    """A menu of the workspace's departments, searched as one types; a name not there yet is offered too."""
    element = ExternalDataSelectElement(
        action_id=MilestoneBlock.DEPARTMENT,
        placeholder=PlainTextObject(text="Pick or type a department"),
        initial_option=department_option(department) if department else None,
        # Listed as soon as the menu opens, before anything is typed.
        min_query_length=0,
    )
    hint = "Type to find one, or a new department's name to add it."
    return input_block(MilestoneBlock.DEPARTMENT, "Department", element, hint=hint, optional=True)


def department_option(name: str, *, label: str | None = None) -> Option:
    """A department in the menu, shown as its name (or `label`) within Slack's 75 characters."""
    return Option(value=department_value(name), text=PlainTextObject(text=excerpt(label or name, limit=75)))


def _repeats_input(current: Milestone | None) -> InputBlock:
    """Whether it repeats: nothing picked on a new milestone, the milestone's own choice when editing one."""
    options = [
        Option(value=choice, text=PlainTextObject(text=_repeats_label(choice))) for choice in REPEAT_CHOICES
    ]
    shown = (current.recurrence or DOES_NOT_REPEAT) if current else None
    element = StaticSelectElement(
        action_id=MilestoneBlock.RECURRENCE,
        placeholder=PlainTextObject(text=_repeats_label(DOES_NOT_REPEAT)),
        options=options,
        initial_option=next((option for option in options if option.value == shown), None),
    )
    hint = "Once it's done, the next one is made, due a period later."
    return input_block(MilestoneBlock.RECURRENCE, "Repeats", element, hint=hint, optional=True)


def _repeats_label(choice: str) -> str:
    """`Every month`, in `show`'s words; `Doesn't repeat`."""
    return "Doesn't repeat" if choice == DOES_NOT_REPEAT else recurrence_words(choice).capitalize()


def _after_input(after: int | None) -> InputBlock:
    """The number of the milestone this one comes after; empty is none."""
    return text_input(
        MilestoneBlock.AFTER,
        "Comes after",
        initial=f"#{after}" if after else None,
        max_length=12,
        placeholder="A milestone's number, like 3",
        hint="It can't be due before that one. Leave it empty if it waits on none.",
    )


def _reason_input() -> InputBlock:
    """Asked on the edit form only: why it changed, kept in the history."""
    return text_input(
        MilestoneBlock.REASON,
        "Reason",
        max_length=REASON_CHARS,
        placeholder="Why the change? Kept in the history",
        multiline=True,
    )


def _status_input(status: str) -> InputBlock:
    options = [
        Option(value=choice, text=PlainTextObject(text=status_label(choice))) for choice in STATUS_CHOICES
    ]
    initial = next((option for option in options if option.value == status), None)
    element = StaticSelectElement(
        action_id=MilestoneBlock.STATUS,
        placeholder=PlainTextObject(text=status_label(status)),
        options=options,
        initial_option=initial,
    )
    return input_block(MilestoneBlock.STATUS, "Status", element, optional=True)


def _channel_input(*, from_view: bool = False) -> InputBlock:
    """Asked for when the form was opened outside a channel (the Home tab, the global shortcut)."""
    element = ConversationSelectElement(
        action_id=MilestoneBlock.CHANNEL,
        placeholder=PlainTextObject(text="Where reminders and reviews go"),
        filter=ConversationFilter(include=["public", "private"], exclude_bot_users=True),
        # A global shortcut is used while looking at a conversation: that one is the likely answer.
        default_to_current_conversation=from_view or None,
    )
    hint = "Invite Milestone Bot there too: /invite @Milestone Bot"
    return input_block(MilestoneBlock.CHANNEL, "Channel", element, hint=hint)


def _plan_hint(current: Milestone | None, *, today: date) -> str | None:
    """Reminds the editor of the original plan, which a new date does not erase."""
    if current is None or current.baseline_due_date is None:
        return None
    planned = format_date(current.baseline_due_date, today=today)
    return f"Planned for {planned}. A new date is kept in the history; the plan stays."


def _budget_text(current: Milestone | None) -> str | None:
    budget = budget_of(current) if current else None
    return format_money(budget) if budget else None


def _cut(title: str | None) -> str | None:
    """A message's text as a title's initial value: at most TITLE_CHARS, or none."""
    return excerpt(title, limit=TITLE_CHARS) if title else None
