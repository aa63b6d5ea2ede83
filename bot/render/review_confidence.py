"""Confidence in the weekly review in words: the form's choice, its trend in show and the report, a drop."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, Option, PlainTextObject, StaticSelectElement

from bot.core.confidence import CONFIDENCE_LEVELS, CONFIDENCE_WORDS, ConfidenceTrend
from bot.core.forms.review import ReviewBlock
from bot.core.text import counted
from bot.render.inputs import input_block

# `show` lists this many of the latest reviews' confidences.
SHOWN_REVIEWS = 5


def confidence_label(level: int) -> str:
    """`5 — certain`, `1 — unlikely`: a level as the form offers it."""
    return f"{level} — {CONFIDENCE_WORDS[level]}"


def confidence_input(number: int, *, last: ConfidenceTrend | None = None) -> Block:
    """The review form's optional confidence in milestone #number, from 5 — certain to 1 — unlikely.

    Never preset (it is this week's word); the hint says what the owner gave at the last review that had one.
    """
    options = [Option(value=str(level), label=confidence_label(level)) for level in CONFIDENCE_LEVELS]
    element = StaticSelectElement(
        action_id=ReviewBlock.confidence(number),
        placeholder=PlainTextObject(text="How sure are you?"),
        options=options,
    )
    return input_block(
        ReviewBlock.confidence(number),
        f"Confidence in #{number}",
        element,
        hint="Optional: how sure you are that it lands on its date."
        + (f" Last time: {confidence_label(last.latest)}." if last else ""),
        optional=True,
    )


def trend_words(trend: ConfidenceTrend) -> str:
    """`5 · 4 · 2 over the last 3 reviews (down 2)`, or `4 — likely, in 1 review` before there is a trend."""
    if trend.change is None:
        return f"{confidence_label(trend.latest)}, in 1 review"
    shown = trend.values[-SHOWN_REVIEWS:]
    values = " · ".join(str(level) for level in shown)
    return f"{values} over the last {counted(len(shown), 'review')} ({_change(trend.change)})"


def report_words(trend: ConfidenceTrend) -> str:
    """`confidence 2, down from 4`; `confidence 4` when it held or was given once."""
    if not trend.change or trend.previous is None:
        return f"confidence {trend.latest}"
    way = "down" if trend.change < 0 else "up"
    return f"confidence {trend.latest}, {way} from {trend.previous}"


def drop_words(trend: ConfidenceTrend) -> str:
    """`confidence fell from 4 to 2 at the last review`: the call-out of a drop in the next review."""
    return f"confidence fell from {trend.previous} to {trend.latest} at the last review"


def _change(change: int) -> str:
    if change == 0:
        return "unchanged"
    return f"{'down' if change < 0 else 'up'} {abs(change)}"
