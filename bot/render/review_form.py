"""The forms Review my milestones opens: an owner's statuses and dates, or anyone's note or risk."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import (
    Block,
    Option,
    PlainTextObject,
    RadioButtonsElement,
    StaticSelectElement,
)

from bot.core.forms.review import (
    FORM_LIMIT,
    NOTE_CALLBACK,
    OWNER_CALLBACK,
    PICK_LIMIT,
    STATUS_CHOICES,
    ReviewBlock,
    ReviewContext,
)
from bot.core.limits import NOTE_CHARS, REASON_CHARS
from bot.core.review_answers import ReviewForm
from bot.core.text import excerpt
from bot.render.inputs import date_input, input_block, text_input
from bot.render.labels import due_on, status_label
from bot.render.message import context, modal, section
from bot.render.review_button import REVIEW_MINE_LABEL
from bot.render.review_confidence import confidence_input
from storage.models import Milestone

# Slack's cap on an option's text.
OPTION_CHARS = 75
NOTE_KIND_LABELS = {"note": "📝 Note", "risk": "⚠️ Flag a risk"}


def review_modal(form: ReviewForm, *, today: date) -> dict:
    """The presser's form: their own milestones if they own any, else a note or risk on any of them."""
    if form.mine:
        return owner_modal(form, today=today)
    if form.open_items:
        return note_modal(form)
    return modal(
        callback_id=NOTE_CALLBACK,
        title="Weekly review",
        metadata=ReviewContext(checkin_id=form.checkin_id, channel_id=form.channel_id).to_metadata(),
        blocks=[section("Nothing left to review: every milestone of this review is closed. Thanks!")],
        close="Close",
    )


def owner_modal(form: ReviewForm, *, today: date) -> dict:
    """A status, an optional confidence and new date per milestone the presser owns, one reason, one note."""
    shown = form.mine[:FORM_LIMIT]
    blocks: list[Block] = [
        section(f"Your milestones in this week's review in <#{form.channel_id}>: how is each going?")
    ]
    for m in shown:
        blocks += [
            _status_input(m, today=today),
            confidence_input(m.number, last=form.confidences.get(m.number)),
            date_input(ReviewBlock.due(m.number), f"New date for #{m.number}", initial=None, optional=True),
        ]
    more = len(form.mine) - len(shown)
    if more:
        blocks.append(
            context(
                f"You own {more} more in this review: save these, then press *{REVIEW_MINE_LABEL}* again "
                "for the rest."
            )
        )
    blocks += [
        text_input(
            ReviewBlock.REASON,
            "Why the new date?",
            placeholder="What changed? Kept in the history",
            max_length=REASON_CHARS,
            hint="Needed only when a date moves.",
            multiline=True,
        ),
        text_input(
            ReviewBlock.NOTE,
            "Note",
            placeholder="Anything the team should know",
            max_length=NOTE_CHARS,
            hint="Posted in the review's thread. Mention #12 to put it on one milestone.",
            multiline=True,
        ),
    ]
    opened_for = ReviewContext(
        checkin_id=form.checkin_id, channel_id=form.channel_id, numbers=[m.number for m in shown]
    )
    return modal(
        callback_id=OWNER_CALLBACK,
        title=REVIEW_MINE_LABEL,
        submit="Save",
        metadata=opened_for.to_metadata(),
        blocks=blocks,
    )


def _status_input(m: Milestone, *, today: date) -> Block:
    """`#4 Launch beta`, due date as hint; on track / at risk / blocked / done, the current one chosen."""
    options = [Option(value=status, label=status_label(status)) for status in STATUS_CHOICES]
    initial = next((o for o in options if o.value == m.status), None)
    element = StaticSelectElement(
        action_id=ReviewBlock.status(m.number),
        placeholder=PlainTextObject(text="How is it going?"),
        options=options,
        initial_option=initial,
    )
    due = due_on(m, today=today)
    return input_block(
        ReviewBlock.status(m.number),
        excerpt(f"#{m.number} {m.title}", limit=150),
        element,
        hint=due,
        optional=True,
    )


def note_modal(form: ReviewForm) -> dict:
    """For someone who owns none of the review's milestones: a note or a risk on one, sent to its owner."""
    picks = form.open_items[:PICK_LIMIT]
    options = [
        Option(value=str(m.number), label=excerpt(f"#{m.number} {m.title}", limit=OPTION_CHARS))
        for m in picks
    ]
    kinds = [Option(value=kind, label=label) for kind, label in NOTE_KIND_LABELS.items()]
    blocks: list[Block] = [
        section(
            "You own none of this week's milestones. Add a note or flag a risk: it goes to the review's "
            "thread and mentions the owner."
        ),
        input_block(
            ReviewBlock.MILESTONE,
            "Milestone",
            StaticSelectElement(
                action_id=ReviewBlock.MILESTONE, placeholder=PlainTextObject(text="Pick one"), options=options
            ),
        ),
        input_block(
            ReviewBlock.KIND,
            "Kind",
            RadioButtonsElement(action_id=ReviewBlock.KIND, options=kinds, initial_option=kinds[0]),
        ),
        text_input(
            ReviewBlock.TEXT,
            "Note",
            placeholder="What should the owner know?",
            max_length=NOTE_CHARS,
            multiline=True,
            optional=False,
        ),
    ]
    opened_for = ReviewContext(
        checkin_id=form.checkin_id, channel_id=form.channel_id, numbers=[m.number for m in picks]
    )
    return modal(
        callback_id=NOTE_CALLBACK,
        title="Add a note",
        submit="Post",
        metadata=opened_for.to_metadata(),
        blocks=blocks,
    )
