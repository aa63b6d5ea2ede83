"""Build the Bolt app: credentials or OAuth, the Web API base URL, the shared Deps, and every listener."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App, BoltContext
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

from bot.config import DEFAULT_SLACK_API_URL, Settings
from bot.deps import Clock, Deps, wall_clock
from bot.inflight import InFlight
from bot.listeners import register_listeners
from bot.people import People

# Keep in step with manifest.yml (tests/test_manifest.py checks both against the code).
BOT_SCOPES = [
    "commands",
    "chat:write",
    "users:read",
    "channels:history",
    "groups:history",
    "files:write",
    "files:read",
    "im:write",
]
OAUTH_STATE_SECONDS = 600


def build_app(
    settings: Settings, *, engine: Engine, clock: Clock = wall_clock, process_before_response: bool = False
) -> App:
    """The Bolt app for these settings, with every listener registered."""
    deps = Deps(engine=engine, people=People(default_timezone=settings.default_timezone), clock=clock)
    oauth_settings = None
    if settings.uses_oauth:
        oauth_settings = OAuthSettings(
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            scopes=BOT_SCOPES,
            installation_store=SQLAlchemyInstallationStore(client_id=settings.client_id or "", engine=engine),
            state_store=SQLAlchemyOAuthStateStore(expiration_seconds=OAUTH_STATE_SECONDS, engine=engine),
        )
    # A client of our own only to reach another Web API base URL (tests): Bolt checks the token at start-up.
    custom_api = settings.slack_api_url != DEFAULT_SLACK_API_URL and not settings.uses_oauth
    app = App(
        client=WebClient(token=settings.bot_token, base_url=settings.slack_api_url) if custom_api else None,
        token=None if settings.uses_oauth or custom_api else settings.bot_token,
        signing_secret=settings.signing_secret,
        oauth_settings=oauth_settings,
        process_before_response=process_before_response,
        listener_executor=InFlight(),
        # Socket Mode has no signatures to check; HTTP always does.
        request_verification_enabled=settings.app_token is None,
    )
    if settings.uses_oauth:
        app.client.base_url = settings.slack_api_url
    # Listener calls (views.open, chat.update…) run after the ack: waiting out one rate limit is fine there.
    # The scheduler's clients have no such handler: a 429 holds only that channel (bot/dispatch.py).
    app.client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    app.use(_with_deps(deps))
    register_listeners(app)
    return app


def _with_deps(deps: Deps) -> Callable[..., None]:
    def put_deps_in_context(context: BoltContext, next: Callable[[], None]) -> None:
        context["deps"] = deps
        next()

    return put_deps_in_context


def in_flight(app: App) -> InFlight:
    """The pool that runs this app's listener work after the ack (to wait for it, or drain it on exit)."""
    executor = app.listener_runner.listener_executor
    assert isinstance(executor, InFlight), "build_app gives every app an InFlight pool"
    return executor
