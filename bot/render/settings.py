"""A channel's settings: the summary `/milestone settings` shows, and the settings modal."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    DividerBlock,
    Option,
    PlainTextObject,
    StaticSelectElement,
)

from bot.core.forms.settings import BOX_CHARS, CALLBACK, PAUSED, SettingsBlock, SettingsContext
from bot.core.limits import reminder_days_of
from bot.core.text import escape_mrkdwn, excerpt
from bot.render.inputs import input_block, text_input, time_input
from bot.render.message import Message, build_message, context, modal, packed_sections, section
from storage.models import ChannelSettings, Delivery

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FAILED_LIMIT = 10
_ERROR_CHARS = 120
_DAYS_HINT = "Days before the due date; empty for none. The overdue nudge is always sent the day after."
_TEXT_FORM = (
    "Or type `/milestone settings timezone Europe/Berlin reminders 7,1,0 at 09:30 review fri 16:00`;"
    " `/milestone settings pause` or `resume` stops and restarts reminders and check-ins."
)


def settings_message(s: ChannelSettings, *, failed: list[Delivery], show_failed: bool) -> Message:
    """The channel's schedule on one line, failed posts for admins, and how to change it all."""
    summary = f"Settings for <#{s.channel_id}>: {summary_text(s)}"
    blocks: list[Block] = [section(summary)]
    if show_failed and failed:
        blocks += packed_sections(failed_lines(failed), max_lines=FAILED_LIMIT + 2)
    blocks.append(context(_TEXT_FORM))
    return build_message(text=summary, blocks=blocks)


def summary_text(s: ChannelSettings) -> str:
    """`time zone Europe/Berlin · reminders 7 and 1 days before at 09:30 · weekly review Fridays at 16:00`."""
    days = reminder_days_of(s.reminder_days)
    reminders = f"reminders {_days_text(days)} at {s.reminder_time}" if days else "reminders off"
    review = f"weekly review {WEEKDAYS[s.review_weekday]}s at {s.review_time}"
    state = "active"
    if s.paused:
        reason = " ".join((s.paused_reason or "").split())
        state = f"paused ({escape_mrkdwn(reason)})" if reason else "paused"
    return " · ".join([f"time zone {escape_mrkdwn(s.timezone)}", reminders, review, state])


def failed_lines(failed: list[Delivery]) -> list[str]:
    """`⚠️ 2 messages could not be posted:` and a line per delivery (kind, key, last error, attempts)."""
    count = len(failed)
    lines = [f"⚠️ {count} message{'' if count == 1 else 's'} could not be posted:"]
    for delivery in failed[:FAILED_LIMIT]:
        key = escape_mrkdwn(delivery.key.replace("`", "'"))
        error = escape_mrkdwn(
            excerpt(" ".join((delivery.last_error or "no error recorded").split()), limit=_ERROR_CHARS)
        )
        tries = f"{delivery.attempts} attempt{'' if delivery.attempts == 1 else 's'}"
        lines.append(f"• {escape_mrkdwn(delivery.kind)} `{key}` — {error} ({tries})")
    if count > FAILED_LIMIT:
        lines.append(f"and {count - FAILED_LIMIT} more")
    return lines


def settings_modal(*, s: ChannelSettings, failed: list[Delivery], show_failed: bool) -> dict:
    """The settings form filled with the channel's current values; admins also see failed posts."""
    weekday_options = [
        Option(value=str(day), text=PlainTextObject(text=name)) for day, name in enumerate(WEEKDAYS)
    ]
    pause_option = Option(
        value=PAUSED, text=PlainTextObject(text="Pause reminders and check-ins in this channel")
    )
    blocks: list[Block] = [
        text_input(
            SettingsBlock.TIMEZONE,
            "Time zone",
            placeholder="Europe/Berlin",
            max_length=BOX_CHARS,
            initial=s.timezone,
            hint="Reminders and the weekly review follow this zone's clock.",
            optional=False,
        ),
        text_input(
            SettingsBlock.REMINDER_DAYS,
            "Reminder days",
            placeholder="7, 1, 0",
            max_length=BOX_CHARS,
            initial=", ".join(str(day) for day in reminder_days_of(s.reminder_days)),
            hint=_DAYS_HINT,
        ),
        time_input(SettingsBlock.REMINDER_TIME, "Reminder time", initial=s.reminder_time),
        input_block(
            SettingsBlock.REVIEW_WEEKDAY,
            "Weekly review day",
            StaticSelectElement(
                action_id=SettingsBlock.REVIEW_WEEKDAY,
                placeholder=PlainTextObject(text="Pick a day"),
                options=weekday_options,
                initial_option=weekday_options[s.review_weekday] if 0 <= s.review_weekday < 7 else None,
            ),
        ),
        time_input(SettingsBlock.REVIEW_TIME, "Weekly review time", initial=s.review_time),
        input_block(
            SettingsBlock.PAUSED,
            "Pause",
            CheckboxesElement(
                action_id=SettingsBlock.PAUSED,
                options=[pause_option],
                initial_options=[pause_option] if s.paused else None,
            ),
            hint=f"Paused: {excerpt(s.paused_reason, limit=120)}" if s.paused and s.paused_reason else None,
            optional=True,
        ),
    ]
    if show_failed and failed:
        blocks += [DividerBlock(), *(context(line) for line in failed_lines(failed))]
    return modal(
        callback_id=CALLBACK,
        title="Channel settings",
        submit="Save",
        metadata=SettingsContext(channel_id=s.channel_id).to_metadata(),
        blocks=blocks,
    )


def _days_text(days: tuple[int, ...]) -> str:
    """`7, 1 and 0 days before`, `1 day before`."""
    numbers = [str(day) for day in days]
    listed = numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} and {numbers[-1]}"
    return f"{listed} day{'' if days == (1,) else 's'} before"
