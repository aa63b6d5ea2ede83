"""Web API clients for the scheduler, which runs outside any Slack request: one per workspace."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError, SlackTokenRotationError
from slack_sdk.oauth.installation_store import InstallationStore
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import Engine

from bot.config import ConfigError, Settings
from bot.slack.installations import REFRESH_MINUTES_BEFORE_EXPIRY, installation_store_for, token_rotator
from bot.slack.kept_alive import KeptAliveWebClient
from storage.workspace import Workspace

logger = logging.getLogger(__name__)

ClientFor = Callable[[Workspace], WebClient | None]


def single_workspace_clients(*, token: str, base_url: str) -> ClientFor:
    """Every workspace gets the one bot token (single-workspace install)."""
    client = KeptAliveWebClient(token=token, base_url=base_url)
    return lambda _workspace: client


def installed_clients(
    *, store: InstallationStore, base_url: str, rotator: TokenRotator | None = None
) -> ClientFor:
    """Each workspace gets its own bot token from the OAuth installation store; None if not installed."""

    def client_for(workspace: Workspace) -> WebClient | None:
        token = fresh_bot_token(store=store, rotator=rotator, workspace=workspace)
        return KeptAliveWebClient(token=token, base_url=base_url) if token else None

    return client_for


def fresh_bot_token(
    *, store: InstallationStore, rotator: TokenRotator | None, workspace: Workspace
) -> str | None:
    """The workspace's bot token, refreshed and saved first when it rotates and expires soon."""
    enterprise_id = workspace.enterprise_id or None
    bot = store.find_bot(enterprise_id=enterprise_id, team_id=workspace.team_id)
    if bot is None or not bot.bot_token:
        return None
    if rotator is None or not bot.bot_refresh_token:
        return bot.bot_token
    try:
        refreshed = rotator.perform_bot_token_rotation(
            bot=bot, minutes_before_expiration=REFRESH_MINUTES_BEFORE_EXPIRY
        )
    except (SlackClientError, OSError) as error:
        # Keep the current token: it may not have expired yet, and an expired one holds the deliveries.
        reason = (
            error.api_error.response.get("error") if isinstance(error, SlackTokenRotationError) else error
        )
        logger.error("could not refresh the bot token of %s: %s", workspace, reason)
        return bot.bot_token
    if refreshed is None:
        return bot.bot_token
    # Bolt refreshes from the installations table, the scheduler from the bots table: save both.
    installation = store.find_installation(enterprise_id=enterprise_id, team_id=workspace.team_id)
    if installation is not None and installation.bot_token:
        installation.bot_token = refreshed.bot_token
        installation.bot_refresh_token = refreshed.bot_refresh_token
        installation.bot_token_expires_at = refreshed.bot_token_expires_at
        store.save(installation)
    else:
        store.save_bot(refreshed)
    logger.info("bot token of %s refreshed", workspace)
    return refreshed.bot_token


def clients_for(settings: Settings, *, engine: Engine) -> ClientFor:
    """Clients for these settings: the one bot token, or each workspace's own from OAuth installations."""
    if settings.uses_oauth:
        store = installation_store_for(settings, engine=engine)
        return installed_clients(
            store=store, base_url=settings.slack_api_url, rotator=token_rotator(settings)
        )
    if not settings.bot_token:
        raise ConfigError("Set SLACK_BOT_TOKEN, or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth.")
    return single_workspace_clients(token=settings.bot_token, base_url=settings.slack_api_url)
