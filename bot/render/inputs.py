"""The inputs the bot's forms are made of; each action_id is its block_id, as `bot.core.forms` reads them."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import (
    DatePickerElement,
    InputBlock,
    PlainTextInputElement,
    PlainTextObject,
    TimePickerElement,
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
    return InputBlock(
        block_id=block_id,
        label=PlainTextObject(text=label),
        element=PlainTextInputElement(
            action_id=block_id,
            placeholder=PlainTextObject(text=placeholder),
            initial_value=initial or None,
            max_length=max_length,
            multiline=multiline or None,
        ),
        hint=PlainTextObject(text=hint) if hint else None,
        optional=optional,
    )


def date_input(
    block_id: str, label: str, *, initial: date | None, hint: str | None = None, optional: bool = True
) -> InputBlock:
    """A date picker, open on `initial` if given."""
    return InputBlock(
        block_id=block_id,
        label=PlainTextObject(text=label),
        element=DatePickerElement(
            action_id=block_id,
            placeholder=PlainTextObject(text="Pick a date"),
            initial_date=initial.isoformat() if initial else None,
        ),
        hint=PlainTextObject(text=hint) if hint else None,
        optional=optional,
    )


def time_input(block_id: str, label: str, *, initial: str) -> InputBlock:
    """A time picker set to `initial` (`09:30`), required."""
    return InputBlock(
        block_id=block_id,
        label=PlainTextObject(text=label),
        element=TimePickerElement(
            action_id=block_id,
            placeholder=PlainTextObject(text="Pick a time"),
            initial_time=initial or None,
        ),
    )
