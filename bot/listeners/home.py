"""The App Home tab: the person's own milestones, and buttons to add, finish or re-date them."""

from __future__ import annotations

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.core import access, milestones
from bot.core.listing import home_milestones
from bot.deps import Deps, asker, deps_of
from bot.listeners.guard import GuardedApp
from bot.listeners.outcomes import explain_failure
from bot.render.home import home_view
from bot.render.modals import milestone_modal
from bot.render.new_date import new_date_modal
from bot.slack.people import Person
from storage.workspace import Workspace


def register(app: GuardedApp) -> None:
    """Register the Home tab and its buttons."""
    app.event("app_home_opened")(publish_home)
    app.action("home_add")(open_add_from_home)
    app.action("home_milestone")(act_from_home)


def publish_home(event: dict, client: WebClient, context: BoltContext) -> None:
    """Show the person's open milestones: overdue first, then due this week, then later."""
    if event.get("tab") != "home":
        return
    deps, workspace, person = asker(client, context, user_id=event["user"])
    refresh_home(deps, client=client, workspace=workspace, person=person)


def refresh_home(deps: Deps, *, client: WebClient, workspace: Workspace, person: Person) -> None:
    """Publish the person's Home tab as the database has it now."""
    today = deps.clock().astimezone(person.zone).date()
    mine, counts = home_milestones(
        engine=deps.engine, workspace=workspace, user_id=person.user_id, today=today
    )
    view = home_view(user_id=person.user_id, mine=mine, channel_counts=counts, today=today)
    client.views_publish(user_id=person.user_id, view=view)


def open_add_from_home(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    """Open the add form, asking for the channel (Home is not in one)."""
    ack()
    today = deps_of(context).clock().date()
    client.views_open(
        trigger_id=body["trigger_id"],
        view=milestone_modal(mode="add", channel_id=None, milestone=None, today=today),
    )


def act_from_home(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    """Mark done or open the new-date form from the Home tab's menu, then redraw the tab."""
    ack()
    deps, workspace, person = asker(client, context, user_id=body["user"]["id"])
    action, _, number_text = body["actions"][0]["selected_option"]["value"].partition(":")
    number = int(number_text)
    now = deps.clock().astimezone(person.zone)
    try:
        if action == "done":
            milestones.complete_milestone(
                engine=deps.engine,
                workspace=workspace,
                number=number,
                actor=person.actor,
                completed_on=now.date(),
                cost=None,
                source="button",
                now=now,
            )
        else:
            milestone = access.check_may_change(
                engine=deps.engine, workspace=workspace, number=number, actor=person.actor, action="update"
            )
            view = new_date_modal(
                m=milestone,
                today=now.date(),
                checkin_id=None,
                channel_id=milestone.channel_id,
                message_ts=None,
            )
            client.views_open(trigger_id=body["trigger_id"], view=view)
    except (access.MilestoneNotFound, access.NotAllowed, milestones.NothingChanged) as refusal:
        # Home has no response URL: say it in the person's DM with the bot (the Messages tab).
        message = explain_failure(refusal)
        client.chat_postMessage(channel=person.user_id, text=message.text, blocks=message.blocks)
        return
    refresh_home(deps, client=client, workspace=workspace, person=person)
