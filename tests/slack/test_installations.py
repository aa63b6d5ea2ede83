"""Installations at rest: tokens encrypted with TOKEN_ENCRYPTION_KEY, keys rotated, tokens refreshed."""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Iterator

import pytest
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import Engine

from bot.config import ConfigError, load_settings
from bot.slack.clients import clients_for
from bot.slack.installations import (
    EncryptedInstallationStore,
    installation_store_for,
    reencrypt_tokens,
    token_cipher,
)
from bot.slack.installations import main as installations_main
from storage.workspace import Workspace
from tests.support.app import FrozenClock, served_app
from tests.support.fake_slack import FakeSlack
from tests.support.installations import (
    CLIENT_ID,
    CLIENT_SECRET,
    ROTATING_BOT_TOKEN,
    ROTATING_REFRESH_TOKEN,
    forget_installations,
    install,
    new_key,
    oauth_settings,
    stored_tokens,
)

T1 = Workspace(team_id="T1")


@pytest.fixture
def plain_store(engine: Engine) -> Iterator[SQLAlchemyInstallationStore]:
    """slack_sdk's store on the test database, as it was before encryption; emptied afterwards."""
    yield SQLAlchemyInstallationStore(client_id=CLIENT_ID, engine=engine)
    forget_installations(engine)


def encrypted_store(engine: Engine, *keys: str) -> EncryptedInstallationStore:
    """The store the app builds when TOKEN_ENCRYPTION_KEY is `keys`, newest first."""
    store = SQLAlchemyInstallationStore(client_id=CLIENT_ID, engine=engine)
    return EncryptedInstallationStore(store=store, cipher=token_cipher(keys))


def test_tokens_are_encrypted_at_rest_and_read_back_in_clear(
    engine: Engine, plain_store: SQLAlchemyInstallationStore
) -> None:
    store = encrypted_store(engine, new_key())

    install(store, user_token="xoxp-user-token-0123456789")

    assert stored_tokens(engine)
    assert not any(value.startswith("xox") for value in stored_tokens(engine))
    bot = store.find_bot(enterprise_id=None, team_id="T1")
    installation = store.find_installation(enterprise_id=None, team_id="T1")
    assert bot is not None and installation is not None
    assert (bot.bot_token, bot.bot_refresh_token) == (ROTATING_BOT_TOKEN, ROTATING_REFRESH_TOKEN)
    assert installation.bot_token == ROTATING_BOT_TOKEN
    assert installation.user_token == "xoxp-user-token-0123456789"


def test_tokens_stored_before_the_key_was_set_still_read(
    engine: Engine, plain_store: SQLAlchemyInstallationStore
) -> None:
    install(plain_store, bot_token="xoxb-stored-in-clear", refresh_token=None, expires_in=None)

    bot = encrypted_store(engine, new_key()).find_bot(enterprise_id=None, team_id="T1")

    assert bot is not None and bot.bot_token == "xoxb-stored-in-clear"


def test_without_a_key_the_store_keeps_tokens_as_given(engine: Engine, fake_slack: FakeSlack) -> None:
    store = installation_store_for(oauth_settings(fake_slack, engine=engine), engine=engine)
    try:
        install(store)

        assert isinstance(store, SQLAlchemyInstallationStore)
        assert ROTATING_BOT_TOKEN in stored_tokens(engine)
    finally:
        forget_installations(engine)


def test_a_new_key_first_reads_old_tokens_and_encrypts_new_saves_with_the_new_key(
    engine: Engine, plain_store: SQLAlchemyInstallationStore
) -> None:
    old, new = new_key(), new_key()
    install(encrypted_store(engine, old))
    rotated = encrypted_store(engine, new, old)

    bot = rotated.find_bot(enterprise_id=None, team_id="T1")
    assert bot is not None and bot.bot_token == ROTATING_BOT_TOKEN
    rotated.save_bot(bot)

    newest = encrypted_store(engine, new).find_bot(enterprise_id=None, team_id="T1")
    assert newest is not None and newest.bot_token == ROTATING_BOT_TOKEN


def test_reencrypting_lets_the_old_key_go(engine: Engine, plain_store: SQLAlchemyInstallationStore) -> None:
    old, new = new_key(), new_key()
    install(encrypted_store(engine, old), user_token="xoxp-user-token-0123456789")
    install(plain_store, team_id="T2", bot_token="xoxb-stored-in-clear", refresh_token=None)

    changed = reencrypt_tokens(engine=engine, client_id=CLIENT_ID, keys=(new, old))

    assert changed == 4  # an installation row and a bot row per workspace
    assert not any(value.startswith("xox") for value in stored_tokens(engine))
    store = encrypted_store(engine, new)
    installation = store.find_installation(enterprise_id=None, team_id="T1")
    clear = store.find_bot(enterprise_id=None, team_id="T2")
    assert installation is not None and installation.bot_token == ROTATING_BOT_TOKEN
    assert installation.user_token == "xoxp-user-token-0123456789"
    assert clear is not None and clear.bot_token == "xoxb-stored-in-clear"


def test_a_token_no_key_opens_reads_as_not_installed(
    engine: Engine, plain_store: SQLAlchemyInstallationStore, caplog: pytest.LogCaptureFixture
) -> None:
    install(encrypted_store(engine, new_key()))

    with caplog.at_level(logging.ERROR):
        bot = encrypted_store(engine, new_key()).find_bot(enterprise_id=None, team_id="T1")

    assert bot is not None and bot.bot_token is None
    assert "encrypted with none of TOKEN_ENCRYPTION_KEY's keys" in caplog.text


def test_a_bad_key_is_refused_naming_the_variable_not_the_key() -> None:
    with pytest.raises(ConfigError, match="TOKEN_ENCRYPTION_KEY: key 2 of 2") as raised:
        load_settings({"TOKEN_ENCRYPTION_KEY": f"{new_key()}, not-a-fernet-key"})

    assert "not-a-fernet-key" not in str(raised.value)


def test_keys_are_read_newest_first() -> None:
    new, old = new_key(), new_key()

    assert load_settings({"TOKEN_ENCRYPTION_KEY": f" {new} ,{old}"}).token_encryption_keys == (new, old)
    assert load_settings({}).token_encryption_keys == ()


# ---- token rotation ----


def test_the_scheduler_refreshes_an_expiring_token_and_saves_it_encrypted(
    engine: Engine, fake_slack: FakeSlack, plain_store: SQLAlchemyInstallationStore
) -> None:
    settings = oauth_settings(fake_slack, engine=engine, keys=(new_key(),))
    install(installation_store_for(settings, engine=engine), expires_in=60)
    client_for = clients_for(settings, engine=engine)

    client = client_for(T1)

    refresh = fake_slack.last("oauth.v2.access")
    assert refresh.params["grant_type"] == "refresh_token"
    assert refresh.params["refresh_token"] == ROTATING_REFRESH_TOKEN
    credentials = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert refresh.headers["authorization"] == f"Basic {credentials}"
    assert client is not None and client.token and client.token.startswith("xoxe.xoxb-1-rotated-")
    # Saved (encrypted) where both Bolt and the scheduler look, so neither refreshes it again.
    assert not any(value.startswith("xox") for value in stored_tokens(engine))
    store = installation_store_for(settings, engine=engine)
    installation = store.find_installation(enterprise_id=None, team_id="T1")
    assert installation is not None and installation.bot_token == client.token
    assert installation.bot_token_expires_at is not None
    assert installation.bot_token_expires_at > time.time() + 11 * 3600
    again = client_for(T1)
    assert again is not None and again.token == client.token
    assert len(fake_slack.calls_to("oauth.v2.access")) == 1


def test_the_scheduler_keeps_a_token_far_from_expiry(
    engine: Engine, fake_slack: FakeSlack, plain_store: SQLAlchemyInstallationStore
) -> None:
    settings = oauth_settings(fake_slack, engine=engine)
    install(plain_store)

    client = clients_for(settings, engine=engine)(T1)

    assert client is not None and client.token == ROTATING_BOT_TOKEN
    assert fake_slack.calls_to("oauth.v2.access") == []


def test_a_failed_refresh_keeps_the_current_token(
    engine: Engine, fake_slack: FakeSlack, plain_store: SQLAlchemyInstallationStore
) -> None:
    settings = oauth_settings(fake_slack, engine=engine)
    install(plain_store, expires_in=60)
    fake_slack.revoke_token(ROTATING_REFRESH_TOKEN)

    client = clients_for(settings, engine=engine)(T1)

    assert client is not None and client.token == ROTATING_BOT_TOKEN
    assert len(fake_slack.calls_to("oauth.v2.access")) == 1


def test_bolt_refreshes_an_expiring_token_before_answering(
    engine: Engine, fake_slack: FakeSlack, clock: FrozenClock, plain_store: SQLAlchemyInstallationStore
) -> None:
    settings = oauth_settings(fake_slack, engine=engine, keys=(new_key(),))
    install(installation_store_for(settings, engine=engine), expires_in=60)
    with served_app(settings, fake=fake_slack, engine=engine, clock=clock) as app:
        reply = app.requests.command("help")

    assert reply.status == 200
    assert len(fake_slack.calls_to("oauth.v2.access")) == 1
    token = fake_slack.last("auth.test").token
    assert token is not None and token.startswith("xoxe.xoxb-1-rotated-")
    bot = installation_store_for(settings, engine=engine).find_bot(enterprise_id=None, team_id="T1")
    assert bot is not None and bot.bot_token == token


def test_python_m_bot_installations_encrypts_what_is_stored(
    engine: Engine,
    plain_store: SQLAlchemyInstallationStore,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key = new_key()
    install(plain_store, bot_token="xoxb-stored-in-clear", refresh_token=None)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("SLACK_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("TOKEN_ENCRYPTION_KEY", key)

    assert installations_main() == 0

    assert "2 installation rows" in capsys.readouterr().out
    assert not any(value.startswith("xox") for value in stored_tokens(engine))
    bot = encrypted_store(engine, key).find_bot(enterprise_id=None, team_id="T1")
    assert bot is not None and bot.bot_token == "xoxb-stored-in-clear"
