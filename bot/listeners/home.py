"""The App Home tab: the person's own milestones, and buttons to add, finish or re-date them."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.core import access
from bot.core.listing import home_milestones
from bot.listeners.context import RequestContext
from bot.listeners.guard import GuardedApp
from bot.listeners.milestones import done_today
from bot.render.home import home_view
from bot.render.modals import milestone_modal
from bot.render.new_date import new_date_modal


def register(app: GuardedApp) -> None:
    """Register the Home tab and its buttons."""
    app.event("app_home_opened")(publish_home)
    app.action("home_add")(open_add_from_home)
    # Home has no response URL: a refusal is said in the person's DM with the bot (the Messages tab).
    app.action("home_milestone")(act_from_home)


def publish_home(event: dict, client: WebClient, ctx: RequestContext) -> None:
    """Show the person's open milestones: overdue first, then due this week, then later."""
    if event.get("tab") != "home":
        return
    refresh_home(ctx, client=client)


def refresh_home(ctx: RequestContext, *, client: WebClient) -> None:
    """Publish the person's Home tab as the database has it now, on their own date."""
    user_id = ctx.person.user_id
    mine, counts = home_milestones(
        engine=ctx.engine, workspace=ctx.workspace, user_id=user_id, today=ctx.my_today
    )
    view = home_view(user_id=user_id, mine=mine, channel_counts=counts, today=ctx.my_today)
    client.views_publish(user_id=user_id, view=view)


def open_add_from_home(body: dict, client: WebClient, ctx: RequestContext) -> None:
    """Open the add form, asking for the channel (Home is not in one)."""
    client.views_open(
        trigger_id=body["trigger_id"],
        view=milestone_modal(mode="add", channel_id=None, milestone=None, today=ctx.my_today),
    )


def act_from_home(body: dict, client: WebClient, ctx: RequestContext) -> None:
    """Mark done or open the new-date form from the Home tab's menu, then redraw the tab."""
    action, _, number_text = body["actions"][0]["selected_option"]["value"].partition(":")
    number = int(number_text)
    if action == "done":
        done_today(ctx, number=number)
    else:
        milestone = access.check_may_change(
            engine=ctx.engine, workspace=ctx.workspace, number=number, actor=ctx.actor, action="update"
        )
        view = new_date_modal(
            m=milestone, today=ctx.my_today, checkin_id=None, channel_id=milestone.channel_id, message_ts=None
        )
        client.views_open(trigger_id=body["trigger_id"], view=view)
    refresh_home(ctx, client=client)
