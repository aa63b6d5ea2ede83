"""OAuth test helpers: settings for many workspaces against the fake Slack, and installations to store."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store import Installation, InstallationStore
from sqlalchemy import Engine, text

from bot.config import Settings
from tests.support.app import SIGNING_SECRET, FrozenClock, SlackApp, served_app
from tests.support.fake_slack import FakeSlack

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "client-secret-0123456789abcdef"
# Shaped like Slack's rotating tokens: long enough that encrypted they outgrow slack_sdk's VARCHAR(200).
ROTATING_BOT_TOKEN = "xoxe.xoxb-1-" + "MS0yLTExMTExMTExMTExMS0yMjIyMjIyMjIyMjItMzMzMzMzMzMzMzMz" * 2
ROTATING_REFRESH_TOKEN = "xoxe-1-" + "My0xLTExMTExMTExMTExMS0yMjIyMjIyMjIyMjItNDQ0NDQ0NDQ0NDQ0" * 2


def new_key() -> str:
    """A fresh Fernet key, as TOKEN_ENCRYPTION_KEY takes it."""
    return Fernet.generate_key().decode()


def oauth_settings(fake: FakeSlack, *, engine: Engine, keys: tuple[str, ...] = ()) -> Settings:
    """Many-workspace settings pointed at the fake Slack, encrypting tokens with `keys` if given."""
    return Settings(
        signing_secret=SIGNING_SECRET,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        slack_api_url=fake.api_url,
        database_url=str(engine.url),
        token_encryption_keys=keys,
    )


def install(
    store: InstallationStore,
    *,
    team_id: str = "T1",
    bot_token: str = ROTATING_BOT_TOKEN,
    refresh_token: str | None = ROTATING_REFRESH_TOKEN,
    expires_in: int | None = 12 * 3600,
    user_id: str = "U1",
    user_token: str | None = None,
) -> Installation:
    """Save an installation of the bot in `team_id` as the OAuth flow would, and return it."""
    installation = Installation(
        app_id="A1",
        team_id=team_id,
        team_name="Test Workspace",
        bot_token=bot_token,
        bot_id="B1",
        bot_user_id="UBOT",
        bot_scopes="commands,chat:write",
        bot_refresh_token=refresh_token,
        bot_token_expires_at=int(time.time()) + expires_in if expires_in is not None else None,
        user_id=user_id,
        user_token=user_token,
        installed_at=time.time(),
    )
    store.save(installation)
    return installation


def forget_installations(engine: Engine) -> None:
    """Empty slack_sdk's installation tables (the engine fixture empties only our own tables)."""
    with engine.begin() as connection:
        for table in ("slack_installations", "slack_bots"):
            connection.execute(text(f"DELETE FROM {table}"))


def stored_tokens(engine: Engine) -> list[str]:
    """Every token value as the database holds it, both tables."""
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT bot_token, bot_refresh_token, user_token, user_refresh_token"
                " FROM slack_installations"
                " UNION ALL SELECT bot_token, bot_refresh_token, NULL, NULL FROM slack_bots"
            )
        ).all()
    return [value for row in rows for value in row if value]


@contextmanager
def serving_oauth_app(
    settings: Settings, *, fake: FakeSlack, engine: Engine, clock: FrozenClock
) -> Iterator[SlackApp]:
    """The many-workspace app over HTTP as production runs it; each request waits for its after-ack work."""
    with served_app(settings, fake=fake, engine=engine, clock=clock) as served:
        yield served
