"""Dates as people read them: weekday and how far off in answers, Slack's date tokens in posted messages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.checkins import CheckInItem, CheckInView
from bot.core.review_counts import count_answers
from bot.render.checkins import checkin_message
from bot.render.dates import (
    LONG,
    PRETTY,
    SHORT,
    day_token,
    days,
    done_words,
    due_words,
    moment_token,
    noon,
    overdue_words,
    posted_due,
    relative_day,
    when_due,
)
from bot.render.milestones import added_message, bulk_added_message
from bot.render.reminders import reminder_dm, reminder_message
from bot.render.review_prompts import review_prompt_message
from tests.support.blocks import assert_valid, mrkdwn_texts
from tests.support.factories import make_milestone
from tests.support.reading import fallbacks, tokens

MONDAY = date(2026, 11, 30)
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (date(2026, 11, 30), "today"),
        (date(2026, 12, 1), "tomorrow"),
        (date(2026, 11, 29), "yesterday"),
        (date(2026, 12, 2), "in 2 days"),
        (date(2026, 12, 11), "in 11 days"),
        (date(2026, 11, 27), "3 days ago"),
    ],
)
def test_relative_day(day, words):
    assert relative_day(day, today=MONDAY) == words


@pytest.mark.parametrize(
    ("day", "closed", "phrase"),
    [
        (date(2026, 12, 11), False, "due Fri Dec 11 · in 11 days"),
        (date(2026, 12, 1), False, "due Tue Dec 1 · tomorrow"),
        (date(2026, 11, 30), False, "due Mon Nov 30 · today"),
        (date(2026, 11, 29), False, "due Sun Nov 29 · ⚠️ 1 day overdue"),
        (date(2026, 11, 27), False, "due Fri Nov 27 · ⚠️ 3 days overdue"),
        (date(2027, 1, 8), False, "due Fri Jan 8, 2027 · in 39 days"),
        (date(2025, 11, 28), False, "due Fri Nov 28, 2025 · ⚠️ 367 days overdue"),
        # Done or cancelled: the date only; how late it was is the done line's business.
        (date(2026, 11, 27), True, "due Fri Nov 27"),
        (date(2026, 12, 11), True, "due Fri Dec 11"),
        (None, False, "no due date"),
    ],
)
def test_due_words_read_at_once(day, closed, phrase):
    assert due_words(day, today=MONDAY, closed=closed) == phrase


def test_the_small_phrases():
    assert days(1) == "1 day" and days(0) == "0 days" and days(5) == "5 days"
    assert overdue_words(3) == "⚠️ 3 days overdue"
    assert done_words(date(2026, 12, 1), today=MONDAY) == "done Tue Dec 1"
    assert done_words(date(2025, 12, 1), today=MONDAY) == "done Mon Dec 1, 2025"
    assert when_due(date(2026, 12, 4), today=MONDAY) == "Fri Dec 4 · in 4 days"


def test_token_syntax_is_exact():
    # Noon in New York on Fri Dec 11, 2026 is 17:00 UTC.
    assert day_token(date(2026, 12, 11), today=MONDAY, zone=NEW_YORK) == (
        "<!date^1797008400^{date_long_pretty}|Fri Dec 11>"
    )
    assert day_token(date(2026, 12, 11), today=MONDAY, zone=NEW_YORK, words=LONG) == (
        "<!date^1797008400^{date_long}|Fri Dec 11>"
    )
    assert day_token(date(2027, 1, 8), today=MONDAY, zone=NEW_YORK, words=SHORT).endswith(
        "^{date_short_pretty}|Fri Jan 8, 2027>"
    )


@pytest.mark.parametrize(
    ("day", "zone", "utc"),
    [
        # DST ends in New York at 02:00 on Sun Nov 1, 2026: noon that day is EST, 17:00 UTC.
        (date(2026, 11, 1), "America/New_York", datetime(2026, 11, 1, 17, 0, tzinfo=UTC)),
        (date(2026, 10, 31), "America/New_York", datetime(2026, 10, 31, 16, 0, tzinfo=UTC)),
        # DST starts at 02:00 on Sun Mar 8, 2026: noon that day is EDT, 16:00 UTC.
        (date(2026, 3, 8), "America/New_York", datetime(2026, 3, 8, 16, 0, tzinfo=UTC)),
        (date(2026, 3, 7), "America/New_York", datetime(2026, 3, 7, 17, 0, tzinfo=UTC)),
        # UTC+14: noon of Dec 11 is still Dec 10 in UTC.
        (date(2026, 12, 11), "Pacific/Kiritimati", datetime(2026, 12, 10, 22, 0, tzinfo=UTC)),
        # UTC−11: noon of Dec 11 is 23:00 UTC the same day.
        (date(2026, 12, 11), "Pacific/Pago_Pago", datetime(2026, 12, 11, 23, 0, tzinfo=UTC)),
    ],
)
def test_token_instant_is_noon_in_the_channels_zone_across_dst(day, zone, utc):
    assert noon(day, zone=ZoneInfo(zone)) == int(utc.timestamp())
    # Everyone within 11 hours of the channel reads the same calendar day.
    for hours in range(-11, 12):
        reader = datetime.fromtimestamp(noon(day, zone=ZoneInfo(zone)), tz=UTC).astimezone(ZoneInfo(zone))
        assert (reader + timedelta(hours=hours)).date() == day


def test_without_a_zone_the_instant_is_noon_utc():
    assert noon(date(2026, 12, 11), zone=None) == int(datetime(2026, 12, 11, 12, tzinfo=UTC).timestamp())


def test_posted_due_is_a_token_that_never_goes_stale():
    token = posted_due(date(2026, 12, 11), today=MONDAY, zone=NEW_YORK)
    plain = posted_due(date(2026, 12, 11), today=MONDAY, zone=NEW_YORK, plain=True)

    assert token == "due <!date^1797008400^{date_long_pretty}|Fri Dec 11>"
    assert plain == "due Fri Dec 11"
    assert fallbacks(token) == plain
    assert "in 11 days" not in token  # a channel reads it days later: Slack says `tomorrow` itself


def test_posted_due_says_overdue_only_while_open():
    late = date(2026, 11, 27)

    assert fallbacks(posted_due(late, today=MONDAY, zone=NEW_YORK)) == "due Fri Nov 27 · ⚠️ overdue"
    assert fallbacks(posted_due(late, today=MONDAY, zone=NEW_YORK, closed=True)) == "due Fri Nov 27"
    assert posted_due(None, today=MONDAY) == "no due date"


def test_moment_token_is_the_instant_itself():
    at = datetime(2026, 12, 7, 9, 0, tzinfo=NEW_YORK)

    [(unix, words, fallback)] = tokens(moment_token(at, today=MONDAY))
    assert unix == int(at.timestamp())
    assert words == "{date_long_pretty} at {time}"
    assert fallback == "Mon Dec 7, 09:00"
    assert PRETTY in words


def plain_texts(payload) -> list[str]:
    """Every plain_text string in a payload: headers, buttons, hints, where a token would show raw."""
    if isinstance(payload, dict):
        found = [payload["text"]] if payload.get("type") == "plain_text" else []
        return found + [text for value in payload.values() for text in plain_texts(value)]
    if isinstance(payload, list):
        return [text for item in payload for text in plain_texts(item)]
    return []


def posted_messages() -> list:
    """Every message posted to be read later, with a date in it."""
    m = make_milestone(due_date=date(2026, 12, 11))
    late = make_milestone(number=13, due_date=date(2026, 11, 27), status="open")
    review = CheckInView(
        checkin_id=7,
        week="2026-W49",
        channel_id="C1",
        items=[CheckInItem(milestone=m), CheckInItem(milestone=late)],
        count=count_answers([m, late], answered_ids=set(), away={}),
        today=MONDAY,
        zone=NEW_YORK,
    )
    first = datetime(2026, 12, 7, 9, 0, tzinfo=NEW_YORK)
    return [
        added_message(m, by="U1", today=MONDAY, first_review=first, zone=NEW_YORK),
        bulk_added_message([m, late], by="U1", today=MONDAY, zone=NEW_YORK),
        reminder_message(m, offset=7, today=date(2026, 12, 4), zone=NEW_YORK),
        reminder_message(late, offset=-1, today=MONDAY, zone=NEW_YORK),
        reminder_dm(late, offset=-1, today=MONDAY, zone=NEW_YORK),
        checkin_message(review),
        review_prompt_message(
            checkin_id=7, channel_id="C1", milestones=[m, late], today=MONDAY, zone=NEW_YORK
        ),
    ]


def test_posted_messages_carry_tokens_only_in_mrkdwn_and_plain_dates_in_their_notification_text():
    for message in posted_messages():
        assert_valid(message)
        assert "<!date^" in "".join(mrkdwn_texts(message.blocks)), message.text
        assert "<!date^" not in message.text
        assert not [text for text in plain_texts(message.blocks) if "<!date" in text]
        # Read later: no `in 7 days` or `3 days overdue` in the blocks that would be wrong tomorrow,
        # except a reminder's own phrase, which is the reminder.
        for text in mrkdwn_texts(message.blocks):
            assert "days overdue" not in text and " · in " not in text


def test_a_long_bulk_summary_keeps_every_date_token_whole_and_counts_the_rest():
    added = [make_milestone(number=n, title="R&D <" * 25, due_date=date(2026, 12, n)) for n in range(1, 11)]
    message = bulk_added_message(added, by="U1", today=MONDAY, zone=NEW_YORK)

    assert_valid(message)
    [summary] = mrkdwn_texts(message.blocks)
    assert len(summary) <= 3000
    assert "<!date" not in fallbacks(summary)  # no token cut in half
    shown = len(tokens(summary))
    assert 1 <= shown < 10 and summary.endswith(f", …and {10 - shown} more")
