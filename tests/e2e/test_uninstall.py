"""Uninstalled or revoked: the workspace's installation is removed and its deliveries stop, others go on."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select, update
from sqlmodel import Session, col

from bot.outbox.dispatch import dispatch
from bot.outbox.outcomes import Outcome
from bot.slack.clients import clients_for
from bot.slack.installations import installation_store_for
from storage.deliveries import plan_delivery
from storage.models import Delivery
from storage.workspace import Workspace
from tests.support.app import FrozenClock, SlackApp
from tests.support.fake_slack import FakeSlack
from tests.support.installations import (
    forget_installations,
    install,
    new_key,
    oauth_settings,
    serving_oauth_app,
)

T1, T2 = Workspace(team_id="T1"), Workspace(team_id="T2")


@pytest.fixture
def oauth_app(fake_slack: FakeSlack, engine: Engine, clock: FrozenClock) -> Iterator[SlackApp]:
    """The many-workspace app, with encrypted installations in T1 and T2."""
    settings = oauth_settings(fake_slack, engine=engine, keys=(new_key(),))
    store = installation_store_for(settings, engine=engine)
    install(store, team_id="T1", user_token="xoxp-installer-token-0123456789")
    install(store, team_id="T2")
    try:
        with serving_oauth_app(settings, fake=fake_slack, engine=engine, clock=clock) as app:
            yield app
    finally:
        forget_installations(engine)


def plan(app: SlackApp, *, key: str, workspace: Workspace, state: str = "pending") -> None:
    """One delivery of `workspace` in `state`."""
    now = app.clock()
    with Session(app.engine) as session:
        plan_delivery(
            session=session,
            key=key,
            kind="reminder",
            workspace=workspace,
            channel_id="C1",
            payload={"text": key},
            not_before=now - timedelta(minutes=1),
            now=now,
        )
        session.execute(update(Delivery).where(col(Delivery.key) == key).values(state=state))
        session.commit()


def states(engine: Engine) -> dict[str, tuple[str, str | None]]:
    """Each delivery's state and last error, by key."""
    with Session(engine) as session:
        rows = session.execute(select(Delivery.key, Delivery.state, Delivery.last_error)).all()
    return {key: (state, error) for key, state, error in rows}


def plan_both_workspaces(app: SlackApp) -> None:
    """T1: one pending, one claimed, one sent; T2: one pending."""
    plan(app, key="t1-pending", workspace=T1)
    plan(app, key="t1-claimed", workspace=T1, state="claimed")
    plan(app, key="t1-sent", workspace=T1, state="sent")
    plan(app, key="t2-pending", workspace=T2)


def installed(app: SlackApp, team_id: str) -> bool:
    """Whether the store still has a bot or an installation for the workspace."""
    settings = oauth_settings(app.fake, engine=app.engine)
    store = installation_store_for(settings, engine=app.engine)
    found = (
        store.find_bot(enterprise_id=None, team_id=team_id),
        store.find_installation(enterprise_id=None, team_id=team_id),
    )
    return any(item is not None for item in found)


def test_app_uninstalled_removes_the_installation_and_stops_its_deliveries(oauth_app: SlackApp) -> None:
    plan_both_workspaces(oauth_app)

    reply = oauth_app.requests.event({"type": "app_uninstalled"}, event_id="EvUninstall")

    assert reply.status == 200
    assert not installed(oauth_app, "T1")
    assert installed(oauth_app, "T2")
    assert states(oauth_app.engine) == {
        "t1-pending": ("skipped", "app uninstalled"),
        "t1-claimed": ("skipped", "app uninstalled"),
        "t1-sent": ("sent", None),
        "t2-pending": ("pending", None),
    }


def test_a_revoked_bot_token_removes_the_installation_and_stops_its_deliveries(oauth_app: SlackApp) -> None:
    plan_both_workspaces(oauth_app)

    reply = oauth_app.requests.event(
        {"type": "tokens_revoked", "tokens": {"oauth": ["U1"], "bot": ["UBOT"]}}, event_id="EvRevoked"
    )

    assert reply.status == 200
    assert not installed(oauth_app, "T1")
    assert installed(oauth_app, "T2")
    assert states(oauth_app.engine)["t1-pending"] == ("skipped", "bot token revoked")
    assert states(oauth_app.engine)["t2-pending"] == ("pending", None)


def test_revoked_user_tokens_leave_the_bot_and_its_deliveries(oauth_app: SlackApp) -> None:
    plan_both_workspaces(oauth_app)

    reply = oauth_app.requests.event(
        {"type": "tokens_revoked", "tokens": {"oauth": ["U1"], "bot": []}}, event_id="EvUserRevoked"
    )

    assert reply.status == 200
    settings = oauth_settings(oauth_app.fake, engine=oauth_app.engine)
    store = installation_store_for(settings, engine=oauth_app.engine)
    assert store.find_installation(enterprise_id=None, team_id="T1", user_id="U1") is None
    assert store.find_bot(enterprise_id=None, team_id="T1") is not None
    assert states(oauth_app.engine)["t1-pending"] == ("pending", None)


def test_the_uninstalled_workspace_no_longer_gets_a_client(oauth_app: SlackApp) -> None:
    settings = oauth_settings(oauth_app.fake, engine=oauth_app.engine)
    clients = clients_for(settings, engine=oauth_app.engine)
    assert clients(T1) is not None

    oauth_app.requests.event({"type": "app_uninstalled"}, event_id="EvUninstall")

    assert clients(T1) is None
    assert clients(T2) is not None


def test_single_workspace_uninstall_stops_deliveries(slack_app: SlackApp) -> None:
    plan(slack_app, key="t1-pending", workspace=T1)
    plan(slack_app, key="t2-pending", workspace=T2)

    reply = slack_app.requests.event({"type": "app_uninstalled"}, event_id="EvUninstall")

    assert reply.status == 200
    assert states(slack_app.engine) == {
        "t1-pending": ("skipped", "app uninstalled"),
        "t2-pending": ("pending", None),
    }


def test_a_delivery_planned_after_the_uninstall_is_skipped_not_failed(oauth_app: SlackApp) -> None:
    oauth_app.requests.event({"type": "app_uninstalled"}, event_id="EvUninstall")
    plan(oauth_app, key="t1-later", workspace=T1)
    plan(oauth_app, key="t2-later", workspace=T2)
    with Session(oauth_app.engine) as session:
        # Not a reminder: a reminder without its milestone would be skipped for that reason instead.
        session.execute(update(Delivery).values(kind="checkin"))
        session.commit()
    settings = oauth_settings(oauth_app.fake, engine=oauth_app.engine)

    report = dispatch(
        engine=oauth_app.engine,
        clients=clients_for(settings, engine=oauth_app.engine),
        now=oauth_app.clock(),
        worker="test",
    )

    assert report[Outcome.SKIPPED] == ["t1-later"]
    assert report[Outcome.SENT] == ["t2-later"]
    assert states(oauth_app.engine)["t1-later"] == ("skipped", "app not installed")
    posted = [call.params["text"] for call in oauth_app.fake.calls_to("chat.postMessage")]
    assert posted == ["t2-later"]
