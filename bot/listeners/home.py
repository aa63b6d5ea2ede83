"""The App Home tab: the person's own open milestones."""

from __future__ import annotations

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.core.commands import ListCommand
from bot.core.listing import list_milestones
from bot.deps import deps_of, workspace_of
from bot.render.milestones import list_message


def register(app: App) -> None:
    """Register the Home tab handler."""
    app.event("app_home_opened")(publish_home)


def publish_home(event: dict, client: WebClient, context: BoltContext) -> None:
    """Show the person's open milestones, soonest due first, each with its number for commands."""
    if event.get("tab") != "home":
        return
    deps = deps_of(context)
    workspace = workspace_of(context)
    person = deps.people.lookup(client, workspace=workspace, user_id=event["user"])
    today = deps.clock().astimezone(person.zone).date()
    listing = list_milestones(
        engine=deps.engine,
        workspace=workspace,
        channel_id="",
        user_id=person.user_id,
        request=ListCommand(scope="mine"),
        today=today,
    )
    message = list_message(
        listing.milestones,
        heading=listing.heading,
        total=listing.total,
        today=today,
        empty_hint="You own no open milestones. In any channel, try `/milestone add Launch beta due Dec 15`.",
    )
    client.views_publish(user_id=person.user_id, view={"type": "home", "blocks": message.blocks})
