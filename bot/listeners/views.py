"""Modal submissions: the add and edit forms."""

from __future__ import annotations

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.core import access, milestones
from bot.core.command_types import CommandError
from bot.core.forms.milestone import read_milestone_modal, read_modal_context
from bot.core.forms.values import GarbledMetadata, ModalErrors
from bot.deps import asker
from bot.listeners.guard import GuardedApp
from bot.listeners.outcomes import explain_failure
from bot.listeners.replies import post_to_channel
from bot.render import milestones as render


def register(app: GuardedApp) -> None:
    """Register the modal handlers."""
    app.view("milestone_add")(submit_add)
    app.view("milestone_update")(submit_update)


def submit_add(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
    """Validate the form field by field; add the milestone and announce it in its channel."""
    deps, workspace, person = asker(client, context, user_id=body["user"]["id"])
    now = deps.clock().astimezone(person.zone)
    channel_id = read_modal_context(view["private_metadata"], values=view["state"]["values"]).channel_id
    if not channel_id:
        # The form always carries or asks for a channel: without one it was not ours, and nothing is stored.
        raise GarbledMetadata("an add form with no channel")
    try:
        form = read_milestone_modal(view["state"]["values"], now=now, mode="add")
    except ModalErrors as invalid:
        ack(response_action="errors", errors=invalid.errors)
        return
    ack()
    milestone = milestones.add_milestone(
        engine=deps.engine,
        workspace=workspace,
        channel_id=channel_id,
        actor=person.actor,
        fields=form.fields,
        timezone=person.timezone,
        now=now,
    )
    post_to_channel(
        client,
        channel_id=channel_id,
        user_id=person.user_id,
        message=render.added_message(milestone, today=now.date()),
    )


def submit_update(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
    """Validate the edit form against the milestone as it is now; save what changed, with the reason."""
    deps, workspace, person = asker(client, context, user_id=body["user"]["id"])
    now = deps.clock().astimezone(person.zone)
    number = read_modal_context(view["private_metadata"]).number or 0
    try:
        current = access.get_milestone(engine=deps.engine, workspace=workspace, number=number)
        form = read_milestone_modal(view["state"]["values"], now=now, mode="update", current=current)
    except access.MilestoneNotFound:
        ack(response_action="errors", errors={"title": f"#{number} was deleted meanwhile."})
        return
    except ModalErrors as invalid:
        ack(response_action="errors", errors=invalid.errors)
        return
    try:
        change = milestones.update_milestone(
            engine=deps.engine,
            workspace=workspace,
            number=number,
            actor=person.actor,
            fields=form.fields,
            cleared=form.cleared,
            status=form.status,
            reason=form.reason,
            source="modal",
            now=now,
        )
    except milestones.NothingChanged:
        ack()
        return
    except access.NotAllowed as refused:
        ack(response_action="errors", errors={"title": explain_failure(refused).text})
        return
    except CommandError as invalid:
        ack(response_action="errors", errors={"start": invalid.message})
        return
    ack()
    message = render.updated_message(change.milestone, change.revisions, today=now.date())
    post_to_channel(client, channel_id=change.milestone.channel_id, user_id=person.user_id, message=message)
