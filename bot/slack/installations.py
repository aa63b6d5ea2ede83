"""Slack installations at rest: tokens encrypted with TOKEN_ENCRYPTION_KEY, and rotated before they expire."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Sequence
from logging import Logger
from typing import TypeVar

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import Engine

from bot.config import ConfigError, Settings, load_settings
from storage.db import make_engine
from storage.tokens import rewrite_secrets

logger = logging.getLogger(__name__)

# The fields of an installation that let someone act as the app; everything else is stored as given.
SECRET_FIELDS = ("bot_token", "user_token", "bot_refresh_token", "user_refresh_token")
# Refresh a rotating token this long before it expires: the scheduler passes every 30 s, so two hours
# (Bolt's default) leaves many chances, even across a short outage of Slack's OAuth endpoint.
REFRESH_MINUTES_BEFORE_EXPIRY = 120
# Every Fernet token starts with its version byte, 0x80, which base64 writes as "gAAAAA".
_FERNET_PREFIX = "gAAAAA"

Stored = TypeVar("Stored", Installation, Bot)


def token_cipher(keys: Sequence[str]) -> MultiFernet:
    """A cipher that encrypts with the first key and decrypts with any of them (newest first)."""
    return MultiFernet([Fernet(key) for key in keys])


class EncryptedInstallationStore(InstallationStore):
    """An installation store keeping tokens encrypted in the store it wraps, handing them out in clear."""

    def __init__(self, *, store: InstallationStore, cipher: MultiFernet) -> None:
        self.store = store
        self.cipher = cipher

    @property
    def logger(self) -> Logger:
        """The wrapped store's logger."""
        return self.store.logger

    def save(self, installation: Installation) -> None:
        """Save an installation (and its bot) with every token encrypted under the newest key."""
        self.store.save(self._sealed(installation))

    def save_bot(self, bot: Bot) -> None:
        """Save a bot installation with its tokens encrypted under the newest key."""
        self.store.save_bot(self._sealed(bot))

    def find_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> Bot | None:
        """The workspace's latest bot, tokens in clear."""
        bot = self.store.find_bot(
            enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=is_enterprise_install
        )
        return self._opened(bot) if bot is not None else None

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        """The workspace's (or user's) latest installation, tokens in clear."""
        installation = self.store.find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )
        return self._opened(installation) if installation is not None else None

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """Delete the workspace's bot installations."""
        self.store.delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        """Delete the workspace's installations (one user's, if given)."""
        self.store.delete_installation(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id)

    def delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """Delete everything stored for the workspace."""
        self.store.delete_all(enterprise_id=enterprise_id, team_id=team_id)

    def _sealed(self, stored: Stored) -> Stored:
        copy = type(stored)(**stored.to_dict_for_copying())
        for name in _secret_fields_of(copy):
            value = getattr(copy, name)
            if value:
                setattr(copy, name, self.cipher.encrypt(value.encode()).decode())
        return copy

    def _opened(self, stored: Stored) -> Stored:
        for name in _secret_fields_of(stored):
            value = getattr(stored, name)
            if value:
                setattr(stored, name, open_token(self.cipher, value, field=name))
        return stored


def open_token(cipher: MultiFernet, value: str, *, field: str) -> str | None:
    """A stored token in clear: decrypted, or as stored if it predates encryption; None if no key opens it."""
    if not value.startswith(_FERNET_PREFIX):
        return value
    try:
        return cipher.decrypt(value.encode()).decode()
    except InvalidToken:
        # A key was dropped too early: the workspace must reinstall. The value itself is not logged.
        logger.error("a stored %s is encrypted with none of TOKEN_ENCRYPTION_KEY's keys", field)
        return None


def _secret_fields_of(stored: Installation | Bot) -> list[str]:
    return [name for name in SECRET_FIELDS if hasattr(stored, name)]


def installation_store_for(settings: Settings, *, engine: Engine) -> InstallationStore:
    """The OAuth installation store in our database; encrypting when TOKEN_ENCRYPTION_KEY is set."""
    store = SQLAlchemyInstallationStore(client_id=settings.client_id or "", engine=engine)
    if not settings.token_encryption_keys:
        return store
    return EncryptedInstallationStore(store=store, cipher=token_cipher(settings.token_encryption_keys))


def token_rotator(settings: Settings) -> TokenRotator:
    """Refreshes expiring tokens through SLACK_API_URL's oauth.v2.access with the app's credentials."""
    return TokenRotator(
        client_id=settings.client_id or "",
        client_secret=settings.client_secret or "",
        client=WebClient(base_url=settings.slack_api_url),
    )


def reencrypt_tokens(*, engine: Engine, client_id: str, keys: Sequence[str]) -> int:
    """Re-encrypt every stored token under the newest key (and encrypt clear ones); how many were changed."""
    cipher = token_cipher(keys)
    store = SQLAlchemyInstallationStore(client_id=client_id, engine=engine)
    tables = (store.installations, store.bots)
    return sum(
        rewrite_secrets(
            engine=engine, table=table, columns=SECRET_FIELDS, rewrite=functools.partial(_reencrypted, cipher)
        )
        for table in tables
    )


def _reencrypted(cipher: MultiFernet, value: str) -> str:
    """A stored token under the cipher's first key: an encrypted one rotated, a clear one encrypted."""
    if value.startswith(_FERNET_PREFIX):
        return cipher.rotate(value.encode()).decode()
    return cipher.encrypt(value.encode()).decode()


def main() -> int:
    """`python -m bot.slack.installations`: re-encrypt every stored token under the first key."""
    try:
        settings = load_settings()
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    if not settings.token_encryption_keys:
        print("Set TOKEN_ENCRYPTION_KEY (newest key first) before re-encrypting tokens.", file=sys.stderr)
        return 2
    engine = make_engine(settings.database_url)
    try:
        changed = reencrypt_tokens(
            engine=engine, client_id=settings.client_id or "", keys=settings.token_encryption_keys
        )
    finally:
        engine.dispose()
    print(f"re-encrypted the tokens of {changed} installation rows under the first key")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
