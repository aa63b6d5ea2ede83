"""A channel's time zone, read for every slash command: its settings row's, or none before it has one."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session

from storage.channel_settings import channel_timezone
from storage.workspace import Workspace
from tests.support.factories import make_settings

T1 = Workspace(team_id="T1")


def test_a_channel_reads_the_zone_of_its_own_settings_row(engine: Engine) -> None:
    with Session(engine) as session:
        session.add(make_settings(team_id="T1", channel_id="C1", timezone="Asia/Tokyo"))
        session.add(make_settings(team_id="T2", channel_id="C1", timezone="Europe/Paris"))
        session.commit()
    with engine.connect() as connection:
        assert channel_timezone(connection=connection, workspace=T1, channel_id="C1") == "Asia/Tokyo"
        other = Workspace(team_id="T2")
        assert channel_timezone(connection=connection, workspace=other, channel_id="C1") == "Europe/Paris"


def test_a_channel_without_settings_has_no_zone_of_its_own(engine: Engine) -> None:
    with engine.connect() as connection:
        assert channel_timezone(connection=connection, workspace=T1, channel_id="C9") is None
