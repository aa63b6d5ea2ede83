"""The App Home tab: what the person owns and added for others, and buttons to add, finish or re-date."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.core.forms.buttons import HOME_DONE, Action, read_home_value
from bot.core.home import home_milestones
from bot.listeners.checkins import new_date_form
from bot.listeners.context import RequestContext
from bot.listeners.done import announce_done, done_today
from bot.listeners.guard import GuardedApp
from bot.render.home import home_view
from bot.render.modals import milestone_modal


def register(app: GuardedApp) -> None:
    """Register the Home tab and its buttons."""
    app.event("app_home_opened")(publish_home)
    app.action(Action.HOME_ADD)(open_add_from_home)
    # Home has no response URL: a refusal is said in the person's DM with the bot (the Messages tab).
    app.action(Action.HOME_MILESTONE)(act_from_home)


def publish_home(event: dict, client: WebClient, ctx: RequestContext) -> None:
    """Show what the person owns, most urgent first, then what they added for others."""
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
    """Mark done (and tell its channel) or open the new-date form from the Home tab's menu; redraw the tab."""
    choice, number = read_home_value(body["actions"][0]["selected_option"]["value"])
    if choice == HOME_DONE:
        announce_done(ctx, client=client, change=done_today(ctx, number=number))
    else:
        client.views_open(trigger_id=body["trigger_id"], view=new_date_form(ctx, number=number))
    refresh_home(ctx, client=client)
