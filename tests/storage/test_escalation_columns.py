"""Migration 0012 and its columns: escalation off for existing channels, set and cleared by settings."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, column, inspect, select, table

from bot.core.channel_settings import change_settings
from bot.core.command_types import ESCALATION_OFF, Escalation, SettingsChange
from storage.db import downgrade, make_engine, upgrade
from storage.workspace import Workspace

MOMENT = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
WORKSPACE = Workspace(team_id="T1")


def test_existing_channels_have_escalation_off_and_going_down_drops_it(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    names = ("enterprise_id", "team_id", "channel_id", "timezone", "reminder_days", "reminder_time",
             "review_weekday", "review_time", "paused", "workdays", "review_dm", "chase", "reminders_to",
             "overdue_nudge", "created_at", "updated_at")  # fmt: skip
    settings = table("channel_settings", *(column(n) for n in names))
    try:
        upgrade(engine, revision="0011")
        row = {"enterprise_id": "", "team_id": "T1", "channel_id": "C1", "timezone": "UTC"}
        row |= {"reminder_days": "7,1,0", "reminder_time": "09:00", "review_weekday": 0}
        row |= {"review_time": "09:00"}
        row |= {"paused": False, "workdays": "mon,tue,wed,thu,fri", "review_dm": True, "chase": True}
        row |= {"reminders_to": "channel", "overdue_nudge": True}
        with engine.begin() as connection:
            connection.execute(settings.insert(), [{**row, "created_at": MOMENT, "updated_at": MOMENT}])

        upgrade(engine, revision="0012")
        columns = (column("escalate_days"), column("escalate_to"))
        with engine.connect() as connection:
            found = connection.execute(select(*columns).select_from(table("channel_settings"))).one()
        assert tuple(found) == (None, None)

        downgrade(engine, revision="0011")
        kept = {c["name"] for c in inspect(engine).get_columns("channel_settings")}
        assert not {"escalate_days", "escalate_to"} & kept
        assert "overdue_nudge" in kept
    finally:
        engine.dispose()


def test_settings_store_the_escalation_and_off_clears_both(engine: Engine) -> None:
    def change(escalation: Escalation):
        change = SettingsChange(escalation=escalation)
        return change_settings(
            engine=engine, workspace=WORKSPACE, channel_id="C1", change=change, timezone="UTC", now=MOMENT
        )

    on = change(Escalation(days=3, to="U777"))
    assert (on.escalate_days, on.escalate_to) == (3, "U777")

    off = change(ESCALATION_OFF)
    assert (off.escalate_days, off.escalate_to) == (None, None)
