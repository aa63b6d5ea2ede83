"""A channel's settings: the summary `/milestone settings` shows, and the settings modal."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    DividerBlock,
    ExternalDataSelectElement,
    Option,
    PlainTextObject,
    RadioButtonsElement,
    StaticSelectElement,
)

from bot.core.countries import country_name
from bot.core.forms.settings import (
    CALLBACK,
    CHASE,
    COUNTRY_CHARS,
    OVERDUE_NUDGE,
    PAUSED,
    REVIEW_DM,
    SettingsBlock,
    SettingsContext,
)
from bot.core.limits import reminder_days_of, workdays_of
from bot.core.text import escape_mrkdwn, excerpt
from bot.core.timezones import zone_label
from bot.render.history import user_mention
from bot.render.inputs import input_block, text_input, time_input
from bot.render.message import Message, build_message, context, modal, packed_sections, section
from storage.models import ChannelSettings, Delivery

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
REMINDERS_GO_TO = {
    "channel": "the channel",
    "owner": "the owner by DM",
    "both": "the channel and the owner by DM",
}
FAILED_LIMIT = 10
_ERROR_CHARS = 120
# The reminders a channel starts with, offered whatever it has now; others it has are offered beside them.
_STANDARD_DAYS = (7, 1, 0)
_AFTER = "the day after, if not done"
_DAYS_HINT = "At the reminder time below, on working days; the day after comes with Done / New date buttons."
_HOLIDAYS_HINT = "A country's code (US, GB, DE) or name: its public holidays are days off. Empty: none."
_WORKDAYS_HINT = "Nothing is posted on a day off: a reminder comes the working day before, a review after."


def settings_message(s: ChannelSettings, *, failed: list[Delivery], show_failed: bool) -> Message:
    """The channel's schedule, its working days and who hears what, in two lines; failed posts for admins."""
    summary = f"Settings for <#{s.channel_id}>: {summary_text(s)}\n{days_and_delivery_text(s)}"
    blocks: list[Block] = [section(summary)]
    if show_failed and failed:
        blocks += packed_sections(failed_lines(failed), max_lines=FAILED_LIMIT + 2)
    return build_message(text=summary, blocks=blocks)


def summary_text(s: ChannelSettings) -> str:
    """`time zone Europe/Berlin · reminders 1 week and 1 day before at 09:30 · weekly review Fridays at …`."""
    words = reminders_text(reminder_days_of(s.reminder_days), overdue_nudge=s.overdue_nudge)
    reminders = f"reminders {words} at {s.reminder_time}" if words else "reminders off"
    review = f"weekly review {WEEKDAYS[s.review_weekday]}s at {s.review_time}"
    state = "active"
    if s.paused:
        reason = " ".join((s.paused_reason or "").split())
        state = f"paused ({escape_mrkdwn(reason)})" if reason else "paused"
    return " · ".join([f"time zone {escape_mrkdwn(s.timezone)}", reminders, review, state])


def days_and_delivery_text(s: ChannelSettings) -> str:
    """`Working days: Mon–Fri · Public holidays: United States (US) · Review by DM: on · Chase: on · …`."""
    holidays = f"{country_name(s.holidays)} ({s.holidays})" if s.holidays else "none"
    return " · ".join(
        [
            f"Working days: {workdays_text(workdays_of(s.workdays))}",
            f"Public holidays: {escape_mrkdwn(holidays)}",
            f"Review by DM: {_on_off(s.review_dm)}",
            f"Chase: {_on_off(s.chase)}",
            f"Reminders go to: {REMINDERS_GO_TO.get(s.reminders_to, REMINDERS_GO_TO['channel'])}",
            f"Escalation: {escalation_text(s)}",
        ]
    )


def escalation_text(s: ChannelSettings) -> str:
    """`after 3 working days to @maya` (a mention Slack shows by name), or `off`."""
    if not s.escalate_days or not s.escalate_to:
        return "off"
    days = f"{s.escalate_days} working day{'' if s.escalate_days == 1 else 's'}"
    return f"after {days} to {user_mention(s.escalate_to)}"


def workdays_text(days: tuple[int, ...]) -> str:
    """`Mon–Fri`, `Sun–Thu`, `Mon, Tue, Thu`, `every day`: runs of three days or more as a range."""
    if len(days) == 7:
        return "every day"
    chosen = set(days)
    starts = [day for day in days if (day - 1) % 7 not in chosen]
    if len(starts) == 1:  # one run, perhaps over the week's end: `Sun–Thu`
        return _run([(starts[0] + shift) % 7 for shift in range(len(chosen))])
    runs: list[list[int]] = []
    for day in sorted(chosen):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(_run(run) for run in runs)


def _run(days: list[int]) -> str:
    names = [WEEKDAYS[day][:3] for day in days]
    return f"{names[0]}–{names[-1]}" if len(names) > 2 else ", ".join(names)


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


def settings_modal(
    *, s: ChannelSettings, failed: list[Delivery], show_failed: bool, at: datetime | None = None
) -> dict:
    """The settings form filled with the channel's current values; admins also see failed posts.

    `at` gives the zone's offset beside its name (`America/New_York (UTC−05:00)`).
    """
    blocks: list[Block] = [*_schedule_inputs(s, at=at), *_delivery_inputs(s)]
    if show_failed and failed:
        blocks += [DividerBlock(), *(context(line) for line in failed_lines(failed))]
    return modal(
        callback_id=CALLBACK,
        title="Channel settings",
        submit="Save",
        metadata=SettingsContext(channel_id=s.channel_id).to_metadata(),
        blocks=blocks,
    )


def _schedule_inputs(s: ChannelSettings, *, at: datetime | None) -> list[Block]:
    """When the channel hears from the bot: its zone, working days, holidays, reminder days and review."""
    day_options = [_option(str(day), name) for day, name in enumerate(WEEKDAYS)]
    working = [day_options[day] for day in workdays_of(s.workdays)]
    return [
        _timezone_input(s.timezone, at=at),
        input_block(
            SettingsBlock.WORKDAYS,
            "Working days",
            CheckboxesElement(action_id=SettingsBlock.WORKDAYS, options=day_options, initial_options=working),
            hint=_WORKDAYS_HINT,
        ),
        text_input(
            SettingsBlock.HOLIDAYS,
            "Public holidays",
            placeholder="US",
            max_length=COUNTRY_CHARS,
            initial=s.holidays,
            hint=_HOLIDAYS_HINT,
        ),
        _reminders_input(s),
        time_input(SettingsBlock.REMINDER_TIME, "Reminder time", initial=s.reminder_time),
        input_block(
            SettingsBlock.REVIEW_WEEKDAY,
            "Weekly review day",
            StaticSelectElement(
                action_id=SettingsBlock.REVIEW_WEEKDAY,
                placeholder=PlainTextObject(text="Pick a day"),
                options=day_options,
                initial_option=day_options[s.review_weekday] if 0 <= s.review_weekday < 7 else None,
            ),
        ),
        time_input(SettingsBlock.REVIEW_TIME, "Weekly review time", initial=s.review_time),
    ]


def _timezone_input(zone: str, *, at: datetime | None) -> Block:
    """A menu of every IANA zone, searched as one types (`new york`, `berlin`, `UTC+1`)."""
    label = zone_label(zone, at=at) if at is not None else zone
    element = ExternalDataSelectElement(
        action_id=SettingsBlock.TIMEZONE,
        placeholder=PlainTextObject(text="Type a city, like New York or Berlin"),
        initial_option=_option(zone, label),
        # Listed as soon as the menu opens: the channel's zone, yours, and the common ones.
        min_query_length=0,
    )
    hint = "Reminders and the weekly review follow this zone's clock."
    return input_block(SettingsBlock.TIMEZONE, "Time zone", element, hint=hint)


def _reminders_input(s: ChannelSettings) -> Block:
    """A box per reminder: 1 week and 1 day before, on the day, the day after; other days get boxes too."""
    days = reminder_days_of(s.reminder_days)
    offered = sorted(set(_STANDARD_DAYS) | set(days), reverse=True)
    options = [_option(str(day), _capitalised(day_text(day))) for day in offered]
    nudge = _option(OVERDUE_NUDGE, _capitalised(_AFTER))
    ticked = [option for option, day in zip(options, offered, strict=True) if day in days]
    ticked += [nudge] if s.overdue_nudge else []
    return input_block(
        SettingsBlock.REMINDER_DAYS,
        "Reminders",
        CheckboxesElement(
            action_id=SettingsBlock.REMINDER_DAYS, options=[*options, nudge], initial_options=ticked or None
        ),
        hint=_DAYS_HINT,
        optional=True,
    )


def _delivery_inputs(s: ChannelSettings) -> list[Block]:
    """Who hears what: where reminders go, the review's DMs, and the pause."""
    places = [_option(value, f"{words[:1].upper()}{words[1:]}") for value, words in REMINDERS_GO_TO.items()]
    prompts = [
        _option(REVIEW_DM, "DM each owner the weekly review"),
        _option(CHASE, "Chase owners who haven't answered (next working day)"),
    ]
    ticked = [option for option, on in zip(prompts, (s.review_dm, s.chase), strict=True) if on]
    pause = _option(PAUSED, "Pause reminders and check-ins in this channel")
    return [
        input_block(
            SettingsBlock.REMINDERS_TO,
            "Reminders go to",
            RadioButtonsElement(
                action_id=SettingsBlock.REMINDERS_TO,
                options=places,
                initial_option=next((o for o in places if o.value == s.reminders_to), places[0]),
            ),
        ),
        input_block(
            SettingsBlock.REVIEW_DMS,
            "Weekly review by DM",
            CheckboxesElement(
                action_id=SettingsBlock.REVIEW_DMS,
                options=prompts,
                initial_options=ticked or None,
            ),
            optional=True,
        ),
        input_block(
            SettingsBlock.PAUSED,
            "Pause",
            CheckboxesElement(
                action_id=SettingsBlock.PAUSED,
                options=[pause],
                initial_options=[pause] if s.paused else None,
            ),
            hint=f"Paused: {excerpt(s.paused_reason, limit=120)}" if s.paused and s.paused_reason else None,
            optional=True,
        ),
    ]


def _option(value: str, text: str) -> Option:
    return Option(value=value, text=PlainTextObject(text=text))


def _on_off(value: bool) -> str:
    return "on" if value else "off"


def day_text(day: int) -> str:
    """`on the day`, `1 day before`, `3 days before`, `1 week before`, `2 weeks before`."""
    if day == 0:
        return "on the day"
    return f"{_span(day)} before"


def reminders_text(days: tuple[int, ...], *, overdue_nudge: bool) -> str:
    """`1 week and 1 day before, on the day, and the day after (if not done)`; empty when there are none."""
    before = [_span(day) for day in sorted(days, reverse=True) if day > 0]
    parts = [f"{_listed(before)} before"] if before else []
    parts += ["on the day"] if 0 in days else []
    # In brackets, so the time that follows is not read as "if not done at 09:00".
    parts += ["the day after (if not done)"] if overdue_nudge else []
    if len(parts) > 2:
        return f"{', '.join(parts[:-1])}, and {parts[-1]}"
    return " and ".join(parts)


def _span(day: int) -> str:
    """`1 day`, `3 days`, `1 week`, `2 weeks`: whole weeks in weeks."""
    if day % 7 == 0:
        weeks = day // 7
        return f"{weeks} week{'' if weeks == 1 else 's'}"
    return f"{day} day{'' if day == 1 else 's'}"


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
