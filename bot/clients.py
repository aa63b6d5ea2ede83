"""Web API clients for the scheduler, which runs outside any Slack request: one per workspace."""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import InstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import Engine

from bot.config import ConfigError, Settings
from storage.workspace import Workspace

ClientFor = Callable[[Workspace], WebClient | None]


def single_workspace_clients(*, token: str, base_url: str) -> ClientFor:
    """Every workspace gets the one bot token (single-workspace install)."""
    client = WebClient(token=token, base_url=base_url)
    return lambda _workspace: client


def installed_clients(*, store: InstallationStore, base_url: str) -> ClientFor:
    """Each workspace gets its own bot token from the OAuth installation store; None if not installed."""

    def client_for(workspace: Workspace) -> WebClient | None:
        bot = store.find_bot(enterprise_id=workspace.enterprise_id or None, team_id=workspace.team_id)
        return WebClient(token=bot.bot_token, base_url=base_url) if bot and bot.bot_token else None

    return client_for


def clients_for(settings: Settings, *, engine: Engine) -> ClientFor:
    """Clients for these settings: the one bot token, or each workspace's own from OAuth installations."""
    if settings.uses_oauth:
        store = SQLAlchemyInstallationStore(client_id=settings.client_id or "", engine=engine)
        return installed_clients(store=store, base_url=settings.slack_api_url)
    if not settings.bot_token:
        raise ConfigError("Set SLACK_BOT_TOKEN, or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth.")
    return single_workspace_clients(token=settings.bot_token, base_url=settings.slack_api_url)
