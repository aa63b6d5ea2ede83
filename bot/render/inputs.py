"""The inputs the bot's forms are made of; each action_id is its block_id, as `bot.core.forms` reads them."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import (
    DatePickerElement,
    InputBlock,
    InputInteractiveElement,
    PlainTextInputElement,
    PlainTextObject,
    TimePickerElement,
)


def input_block(
    block_id: str,
    label: str,
    element: InputInteractiveElement,
    *,
    hint: str | None = None,
    optional: bool = False,
) -> InputBlock:
    """An input holding `element`, whose action_id must be `block_id`; required unless `optional`."""
    return InputBlock(
        block_id=block_id,
        label=PlainTextObject(text=label),
        element=element,
        hint=PlainTextObject(text=hint) if hint else None,
        optional=optional,
    )


def text_input(
    block_id: str,
    label: str,
    *,
    placeholder: str,
    max_length: int,
    initial: str | None = None,
    hint: str | None = None,
    optional: bool = True,
    multiline: bool = False,
) -> InputBlock:
    """A text box, empty or holding `initial`."""
    element = PlainTextInputElement(
        action_id=block_id,
        placeholder=PlainTextObject(text=placeholder),
        initial_value=initial or None,
        max_length=max_length,
        multiline=multiline or None,
    )
    return input_block(block_id, label, element, hint=hint, optional=optional)


def date_input(
    block_id: str, label: str, *, initial: date | None, hint: str | None = None, optional: bool = True
) -> InputBlock:
    """A date picker, open on `initial` if given."""
    element = DatePickerElement(
        action_id=block_id,
        placeholder=PlainTextObject(text="Pick a date"),
        initial_date=initial.isoformat() if initial else None,
    )
    return input_block(block_id, label, element, hint=hint, optional=optional)


def time_input(block_id: str, label: str, *, initial: str) -> InputBlock:
    """A time picker set to `initial` (`09:30`), required."""
    element = TimePickerElement(
        action_id=block_id, placeholder=PlainTextObject(text="Pick a time"), initial_time=initial or None
    )
    return input_block(block_id, label, element)
