"""Build the Bolt app: credentials or OAuth, the Web API base URL, the request context, and every listener."""

from __future__ import annotations

from slack_bolt import App
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

from bot.config import DEFAULT_SLACK_API_URL, Settings
from bot.core.clock import Clock, wall_clock
from bot.inflight import InFlight
from bot.listeners import register_listeners
from bot.listeners.ack_answer import stamp_arrival
from bot.listeners.context import Services, with_request_context
from bot.observability.request_log import install_request_log
from bot.slack.installations import REFRESH_MINUTES_BEFORE_EXPIRY, installation_store_for, token_rotator
from bot.slack.people import People

# Keep in step with manifest.yml (tests/test_manifest.py checks both against the code).
BOT_SCOPES = [
    "commands",
    "chat:write",
    "users:read",
    "channels:history",
    "groups:history",
    "im:history",
    "files:write",
    "files:read",
    "im:write",
    "reactions:write",
]
OAUTH_STATE_SECONDS = 600


def build_app(
    settings: Settings, *, engine: Engine, clock: Clock = wall_clock, process_before_response: bool = False
) -> App:
    """The Bolt app for these settings, with every listener registered."""
    services = Services(
        engine=engine,
        people=People(default_timezone=settings.default_timezone),
        clock=clock,
        delivery_lease=settings.delivery_lease,
        answer_in_ack_seconds=settings.answer_in_ack_seconds,
    )
    oauth_settings = None
    if settings.uses_oauth:
        oauth_settings = OAuthSettings(
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            scopes=BOT_SCOPES,
            installation_store=installation_store_for(settings, engine=engine),
            state_store=SQLAlchemyOAuthStateStore(expiration_seconds=OAUTH_STATE_SECONDS, engine=engine),
            token_rotation_expiration_minutes=REFRESH_MINUTES_BEFORE_EXPIRY,
        )
        # Bolt's own rotator would refresh at slack.com whatever SLACK_API_URL says.
        oauth_settings.authorize.token_rotator = token_rotator(settings)
    # Another Web API base URL (tests): Bolt's client is pointed there once built, so the token is checked
    # on the first request rather than at start-up against slack.com. (Handing Bolt a client of our own
    # instead makes it warn "token will be unused", as it also reads SLACK_BOT_TOKEN from the environment.)
    custom_api = settings.slack_api_url != DEFAULT_SLACK_API_URL
    app = App(
        token=None if settings.uses_oauth else settings.bot_token,
        token_verification_enabled=not custom_api,
        signing_secret=settings.signing_secret,
        oauth_settings=oauth_settings,
        process_before_response=process_before_response,
        listener_executor=InFlight(max_workers=settings.listener_threads),
        # Before authorization, which may wait on Slack: a command's ack is timed from here.
        before_authorize=stamp_arrival,
        # Socket Mode has no signatures to check; HTTP always does.
        request_verification_enabled=settings.app_token is None,
    )
    app.client.base_url = settings.slack_api_url
    # Listener calls (views.open, chat.update…) run after the ack: waiting out one rate limit is fine there.
    # The scheduler's clients have no such handler: a 429 holds only that channel (bot/outbox/retry.py).
    app.client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    app.use(with_request_context(services))
    install_request_log(app)
    register_listeners(app)
    return app


def in_flight(app: App) -> InFlight:
    """The pool that runs this app's listener work after the ack (to wait for it, or drain it on exit)."""
    executor = app.listener_runner.listener_executor
    assert isinstance(executor, InFlight), "build_app gives every app an InFlight pool"
    return executor
