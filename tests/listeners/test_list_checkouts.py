"""`/milestone list` answers with one pool checkout: the channel's zone and the page share one connection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, event

from tests.support.app import SlackApp


@contextmanager
def checkouts(engine: Engine) -> Iterator[list[object]]:
    """Every connection the engine's pool hands out inside the block."""
    seen: list[object] = []

    def record(_dbapi_connection: object, record: object, _proxy: object) -> None:
        seen.append(record)

    event.listen(engine.pool, "checkout", record)
    try:
        yield seen
    finally:
        event.remove(engine.pool, "checkout", record)


@pytest.mark.parametrize("text", ["list", "list all", "list done", "list mine", "list <@U2>"])
def test_a_list_answer_checks_out_one_connection(slack_app: SlackApp, text: str) -> None:
    slack_app.requests.command("add Launch beta due Dec 15 owner <@U2>")
    slack_app.requests.command(text)  # the asker and the owner are known: only the list's reads below
    with checkouts(slack_app.engine) as seen:
        reply = slack_app.requests.command(text)
    assert reply.status == 200
    assert len(seen) == 1
