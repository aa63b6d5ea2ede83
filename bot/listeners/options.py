"""The menus that load as one types: every IANA time zone, and the workspace's departments.

Slack waits for the options in the HTTP answer itself, so each listener acks with them, at once.
"""

from __future__ import annotations

from slack_bolt import Ack
from slack_sdk.errors import SlackClientError

from bot.core.departments import department_choices
from bot.core.forms.milestone import MilestoneBlock
from bot.core.forms.settings import SettingsBlock, read_settings_context
from bot.core.forms.values import GarbledMetadata
from bot.core.timezones import zone_menu
from bot.listeners.context import RequestContext
from bot.listeners.guard import GuardedApp
from bot.render.menus import department_options, zone_options


def register(app: GuardedApp) -> None:
    """Register the options of the time-zone and department menus."""
    app.options(SettingsBlock.TIMEZONE)(timezone_menu)
    app.options(MilestoneBlock.DEPARTMENT)(department_menu)


def timezone_menu(ack: Ack, body: dict, ctx: RequestContext) -> None:
    """Zones matching the typed text (`new york`, `UTC+1`); before typing: the channel's, yours, common."""
    typed = str(body.get("value") or "")
    zones = zone_menu(
        engine=ctx.engine,
        workspace=ctx.workspace,
        channel_id=_settings_channel(body),
        typed=typed,
        mine=_asker_zone(ctx) if not typed.strip() else None,
        at=ctx.at,
    )
    ack(options=zone_options(zones))


def department_menu(ack: Ack, body: dict, ctx: RequestContext) -> None:
    """The workspace's departments matching what was typed, without regard to case; a new name offered too."""
    typed = str(body.get("value") or "")
    found, new = department_choices(engine=ctx.engine, workspace=ctx.workspace, typed=typed)
    ack(options=department_options(found, new=new, typed=typed))


def _settings_channel(body: dict) -> str | None:
    """The channel whose settings form the menu is in."""
    view = body.get("view") or {}
    try:
        return read_settings_context(view.get("private_metadata") or "").channel_id
    except GarbledMetadata:
        return None


def _asker_zone(ctx: RequestContext) -> str | None:
    """The asker's own zone, when Slack says it in time; the menu does without it otherwise."""
    try:
        return ctx.person.timezone
    except (SlackClientError, OSError, LookupError):  # a failing users.info must not cost the whole menu
        return None
