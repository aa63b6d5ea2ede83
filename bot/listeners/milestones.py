"""One milestone's buttons and forms: delete (confirm, cancel), Done, edit, and the add and edit forms."""

from __future__ import annotations

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.core import access, milestones
from bot.core.dependencies import DependencyError
from bot.core.dependency_links import comes_after
from bot.core.forms.buttons import Action
from bot.core.forms.milestone import (
    CALLBACKS,
    MilestoneBlock,
    read_add_channel,
    read_milestone_modal,
    read_modal_context,
)
from bot.core.forms.values import ModalErrors
from bot.core.vocabulary import Field
from bot.listeners.context import RequestContext
from bot.listeners.failures import IN_PLACE, on_form
from bot.listeners.guard import GuardedApp
from bot.listeners.replies import answer, post_to_channel
from bot.render import milestones as render
from bot.render.modals import milestone_modal


def register(app: GuardedApp) -> None:
    """Register the milestone buttons and forms."""
    app.action(Action.DELETE_CONFIRM, refusals=IN_PLACE)(confirm_delete)
    app.action(Action.DELETE_CANCEL, refusals=IN_PLACE)(cancel_delete)
    app.action(Action.MILESTONE_EDIT)(open_edit)
    app.view(CALLBACKS["add"], refusals=on_form(MilestoneBlock.TITLE))(submit_add)
    update_refusals = on_form(MilestoneBlock.TITLE, invalid_field=MilestoneBlock.START)
    app.view(CALLBACKS["update"], refusals=update_refusals)(submit_update)


def pressed_number(body: dict) -> int:
    """The milestone number the pressed button carries (a milestone's and a reminder's buttons)."""
    return int(body["actions"][0]["value"])


def confirm_delete(body: dict, respond: Respond, ctx: RequestContext) -> None:
    """Delete after the person confirmed, checking again that they may."""
    milestone = milestones.delete_milestone(engine=ctx.engine, asker=ctx.asker, number=pressed_number(body))
    answer(respond, render.deleted_message(milestone), replace=True)


def cancel_delete(body: dict, respond: Respond, ctx: RequestContext) -> None:
    """Keep the milestone and say so in place of the question."""
    milestone = access.get_milestone(engine=ctx.engine, workspace=ctx.workspace, number=pressed_number(body))
    answer(respond, render.delete_cancelled_message(milestone), replace=True)


def edit_form(ctx: RequestContext, *, number: int) -> dict:
    """The edit form, pre-filled, if the asker may change the milestone (NotAllowed if not)."""
    milestone = access.check_may_change(engine=ctx.engine, asker=ctx.asker, number=number, action="update")
    before = comes_after(engine=ctx.engine, milestone=milestone)
    return milestone_modal(
        mode="update",
        channel_id=milestone.channel_id,
        milestone=milestone,
        today=ctx.my_today,
        after=before.number if before else None,
    )


def open_edit(body: dict, client: WebClient, ctx: RequestContext) -> None:
    """Open the edit form from the milestone's Edit button."""
    client.views_open(trigger_id=body["trigger_id"], view=edit_form(ctx, number=pressed_number(body)))


def submit_add(ack: Ack, view: dict, client: WebClient, ctx: RequestContext) -> None:
    """Validate the form field by field; add the milestone (with the message it came from) and announce it."""
    channel_id = read_add_channel(view["private_metadata"], values=view["state"]["values"])
    form = read_milestone_modal(view["state"]["values"], now=ctx.now, mode="add")
    try:
        added = milestones.add_milestones(
            engine=ctx.engine,
            asker=ctx.asker,
            channel_id=channel_id,
            fields=[form.fields],
            after=form.after,
            source_link=read_modal_context(view["private_metadata"]).source_link,
        )
    except DependencyError as refused:
        raise ModalErrors({_FORM_BLOCKS[refused.field]: refused.message}) from None
    ack()
    by, (zone, today) = ctx.person.user_id, ctx.channel_day(channel_id)
    message = render.added_message(
        added.milestones[0],
        by=by,
        today=today,
        first_review=added.first_review,
        zone=zone,
        after=form.after,
    )
    post_to_channel(client, channel_id=channel_id, user_id=by, message=message)


def submit_update(ack: Ack, view: dict, client: WebClient, ctx: RequestContext) -> None:
    """Validate the edit form against the milestone as it is now; save what changed, with the reason."""
    number = read_modal_context(view["private_metadata"]).number or 0
    current = access.get_milestone(engine=ctx.engine, workspace=ctx.workspace, number=number)
    before = comes_after(engine=ctx.engine, milestone=current)
    form = read_milestone_modal(
        view["state"]["values"],
        now=ctx.now,
        mode="update",
        current=current,
        current_after=before.number if before else None,
    )
    try:
        change = milestones.update_milestone(
            engine=ctx.engine,
            asker=ctx.asker,
            number=number,
            fields=form.fields,
            cleared=form.cleared,
            status=form.status,
            reason=form.reason,
            source="modal",
            after=form.after,
        )
    except DependencyError as refused:
        # Said beside the box it concerns: "Comes after", or the due date that breaks the order.
        raise ModalErrors({_FORM_BLOCKS[refused.field]: refused.message}) from None
    ack()
    announce_change(ctx, client=client, change=change)


_FORM_BLOCKS = {Field.AFTER: MilestoneBlock.AFTER, Field.DUE: MilestoneBlock.DUE}


def announce_change(ctx: RequestContext, *, client: WebClient, change: milestones.Change) -> None:
    """Tell the milestone's channel what a form changed (the person directly, if the bot is not in it)."""
    channel_id, by = change.milestone.channel_id, ctx.person.user_id
    today = ctx.channel_today(channel_id)
    message = render.updated_message(
        change.milestone, change.revisions, by=by, today=today, behind=change.behind
    )
    post_to_channel(client, channel_id=channel_id, user_id=by, message=message)
