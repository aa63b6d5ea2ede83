"""Hostile input: 10,000 Hypothesis examples over the grammar and everything Slack can send; no 5xx, no ping.

The grammar is tried in-process; commands, buttons, forms, events and raw bodies go through the real WSGI app
(signature check, Bolt, the listener pool) in the production mode, and what the fake Slack received is read.
Run with `-s` to see the figures.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from bot.core.command_types import CommandError
from bot.core.grammar.command import VERBS, parse_command
from storage.models import Milestone, Revision
from tests.support.app import SIGNING_SECRET, SlackApp
from tests.support.slack_requests import (
    FORM,
    JSON,
    Reply,
    SlackRequests,
    message_event,
    slack_signature,
    text_value,
)

EXAMPLES = {"grammar": 5000, "command": 800, "action": 1600, "view": 1200, "event": 400, "encoding": 1000}
FIGURES: Counter[str] = Counter()

# What a person may type to make the bot ping others; the app must show it, never send it as a mention.
HOSTILE = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!channel|@channel>",
    "@channel",
    "@here",
    "@everyone",
    "<!subteam^S1>",
    "<!subteam^S1|@team>",
    "<@UEVIL>",
    "<@WEVIL|evil>",
    "&lt;!channel&gt;",
    "<#C9|secret>",
    "<https://evil.example|click>",
    "```",
    "*bold*",
    "\u202eevil",
    "\x00",
    "%s%n",
    "{0}",
    '"',
    "'",
    "\\",
    "😀",
    "ｆｕｌｌ",
]
WORDS = [
    *VERBS,
    *[
        "due",
        "by",
        "start",
        "owner",
        "budget",
        "dept",
        "status",
        "because",
        "after",
        "every",
        "week",
        "month",
        "on",
        "cost",
        "mine",
        "overdue",
        "upcoming",
        "all",
        "none",
        "until",
        "off",
        "csv",
        "ics",
        "settings",
        "reminders",
        "workdays",
        "mon-fri",
        "holidays",
        "to",
        "channel",
        "both",
    ],
    "#1",
    "1",
    "2",
    "999999999999999999999",
    "Dec 15",
    "tomorrow",
    "next friday",
    "in 3 weeks",
    "end of month",
    "2026-12-15",
    "Feb 30",
    "$5,000",
    "€3k",
    "5000 EUR",
    "-5",
    "on-track",
    "at-risk",
    "blocked",
    "<@U2>",
    "<@U1|alice>",
]
# A broadcast, or a group or user mention that can only have come from hostile text: U1-U3 own milestones
# and UGHOST (not in the workspace) presses buttons, so the app may rightly mention them; nobody is UEVIL.
# Words like @channel ping only outside code spans (and only with link_names): code spans are left out.
PING = re.compile(r"<!(channel|here|everyone|subteam\^)|<@[UW]EVIL|@(channel|here|everyone)\b", re.IGNORECASE)
CODE_SPAN = re.compile(r"`[^`]*`")
MESSAGE_TEXT_KEYS = ("text", "initial_comment")
TRACEBACK = re.compile(r"Traceback|File \"|\w+Error\b")
APOLOGY = "Something went wrong on our side"
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

fragments = st.one_of(st.sampled_from(HOSTILE), st.sampled_from(WORDS), st.text(max_size=12))
hostile_text = st.lists(fragments, max_size=8).map(" ".join)
numbers = st.one_of(st.integers(-3, 5), st.integers(-(2**70), 2**70)).map(str)
values = st.one_of(
    numbers,
    st.tuples(numbers, numbers).map(":".join),
    st.sampled_from(
        ["", "#1", " 1 ", "1.0", "1e3", "١", "¹", "1_0", "done:1", "new_date:1", "done:x", "null"]
    ),
    st.text(max_size=20),
)


@pytest.fixture(scope="module", autouse=True)
def figures() -> Iterator[None]:
    """Print how many examples were tried and how many answers were 5xx or pinged, once the module ran."""
    yield
    tried = ", ".join(f"{surface} {FIGURES[surface]}" for surface in EXAMPLES)
    print(
        f"\nhostile input: {sum(FIGURES[s] for s in EXAMPLES)} examples tried ({tried}); "
        f"{FIGURES['5xx']} answers 5xx, {FIGURES['tracebacks']} tracebacks sent, {FIGURES['pings']} pings"
    )


@pytest.mark.slow
@given(text=st.one_of(st.text(), hostile_text, st.tuples(st.sampled_from(VERBS), hostile_text).map(" ".join)))
@settings(FUZZ, max_examples=EXAMPLES["grammar"])
def test_the_grammar_answers_every_text_with_a_command_or_a_short_error(text: str) -> None:
    FIGURES["grammar"] += 1
    try:
        parse_command(text, now=NOW, user_id="U1")
    except CommandError as error:
        assert error.message and error.example and not TRACEBACK.search(error.message)


@dataclass
class Hostile:
    """The app in-process, with a client per workspace, and the checks every example must pass."""

    app: SlackApp
    home: SlackRequests
    other: SlackRequests

    def seed(self) -> None:
        """Keep #1 (U1's) and a second milestone around, whatever the examples did to them."""
        if len(_milestones(self.app)) < 2:
            self.home.command("add Launch due Dec 15 owner <@U1>", user="U1")
            self.home.command('add "Hire <!channel> @here" due Dec 20 owner <@U2>', user="U2")
        self.app.fake.clear()

    def client(self, team: str) -> SlackRequests:
        """The signed-request client for T1 (the milestones' workspace) or T2 (a forger's)."""
        return self.home if team == "T1" else self.other

    def check(self, surface: str, reply: Reply, *, before: list[tuple], may_change: bool) -> None:
        """Status 200/400/401, nothing leaked or pinged, nothing changed unless it was allowed and worked."""
        FIGURES[surface] += 1
        sent = "\n".join(json.dumps(c.params, ensure_ascii=False) for c in self.app.fake.calls) + reply.body
        FIGURES["5xx"] += reply.status >= 500
        FIGURES["tracebacks"] += bool(TRACEBACK.search(sent))
        pings = PING.search(pinging_text([call.params for call in self.app.fake.calls]))
        FIGURES["pings"] += bool(pings)
        assert reply.status in (200, 400, 401), reply
        assert not TRACEBACK.search(sent), sent
        assert not pings, sent
        after = _milestones(self.app)
        if not may_change or APOLOGY in sent or reply.status != 200:
            assert after == before
        # Nothing half-written: every milestone kept is whole, numbered once in its workspace.
        keys = [(m[0], m[1]) for m in after]
        assert len(keys) == len(set(keys)) and all(m[2] and m[3] and m[1] >= 1 for m in after)


def pinging_text(value: Any) -> str:
    """What Slack reads mentions in: message and mrkdwn text outside code spans (not plain_text, inputs)."""
    if isinstance(value, list):
        return "\n".join(pinging_text(item) for item in value)
    if not isinstance(value, dict) or value.get("type") == "plain_text":
        return ""
    parts = []
    for key, item in value.items():
        if isinstance(item, str):
            parts.append(CODE_SPAN.sub("", item) if key in MESSAGE_TEXT_KEYS else "")
        else:
            parts.append(pinging_text(item))
    return "\n".join(parts)


def _milestones(app: SlackApp) -> list[tuple]:
    with Session(app.engine) as session:
        rows = session.exec(select(Milestone).order_by(Milestone.team_id, Milestone.number)).all()
        revisions = len(session.exec(select(Revision.id)).all())
        return [
            (m.team_id, m.number, m.title, m.channel_id, m.status, m.due_date, m.owner_id, revisions)
            for m in rows
        ]


@pytest.fixture
def hostile(slack_app: SlackApp) -> Hostile:
    """Clients for T1 and T2 that call the WSGI app in-process and wait for its after-ack work."""

    def client(team: str) -> SlackRequests:
        return SlackRequests(
            slack_app.base_url,
            signing_secret=SIGNING_SECRET,
            fake=slack_app.fake,
            team_id=team,
            settle=slack_app.requests.settle,
            wsgi_app=slack_app.wsgi,
        )

    return Hostile(app=slack_app, home=client("T1"), other=client("T2"))


@pytest.mark.slow
@SQLITE_ONLY
@given(
    text=st.one_of(hostile_text, st.tuples(st.sampled_from(VERBS), hostile_text).map(" ".join)),
    data=st.data(),
)
@settings(FUZZ, max_examples=EXAMPLES["command"])
def test_hostile_commands_are_answered_and_never_ping(
    hostile: Hostile, text: str, data: st.DataObject
) -> None:
    hostile.seed()
    user = data.draw(st.sampled_from(["U1", "U2", "UADMIN"]))
    if text.split(maxsplit=1)[:1] in (["review"], ["report"], ["export"]):
        text = "help " + text  # posting reviews and drawing charts are tried elsewhere; here, words
    before = _milestones(hostile.app)
    reply = hostile.home.command(text, user=user)
    hostile.check("command", reply, before=before, may_change=True)


ACTIONS = [
    "delete_confirm",
    "delete_cancel",
    "milestone_done",
    "milestone_edit",
    "checkin_on_track",
    "checkin_at_risk",
    "checkin_blocked",
    "checkin_done",
    "checkin_new_date",
    "open_new_date",
    "reminder_done",
    "snooze_tomorrow",
    "snooze_next_week",
    "home_add",
    "home_milestone",
    "report_share",
    "no_such_button",
]


@pytest.mark.slow
@SQLITE_ONLY
@given(
    action_id=st.sampled_from(ACTIONS),
    value=values,
    user=st.sampled_from(["U1", "U2", "U3", "UADMIN", "UGHOST"]),
    team=st.sampled_from(["T1", "T2"]),
)
@settings(FUZZ, max_examples=EXAMPLES["action"])
def test_forged_button_presses_are_refused_or_apologised_for(
    hostile: Hostile, action_id: str, value: str, user: str, team: str
) -> None:
    hostile.seed()
    before = _milestones(hostile.app)
    client = hostile.client(team)
    if action_id == "home_milestone":
        home = {
            "id": "VH",
            "type": "home",
            "callback_id": "",
            "private_metadata": "",
            "state": {"values": {}},
        }
        reply = client.block_action(action_id=action_id, value="", selected=value, view=home, user=user)
    else:
        reply = client.block_action(action_id=action_id, value=value, user=user)
    # Only the owner, the creator or an admin of a T1 milestone may change it; T2 holds none of them.
    may_change = team == "T1" and user in ("U1", "U2", "UADMIN")
    hostile.check("action", reply, before=before, may_change=may_change)


metadata = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "{", "null", "[]", "1", '"C1"', "{}"]),
    st.fixed_dictionaries(
        {},
        optional={
            "channel_id": st.one_of(st.sampled_from(["C1", "C2", "", "G1"]), st.integers(), st.none()),
            "number": st.one_of(st.integers(-2, 3), st.text(max_size=4), st.none(), st.booleans()),
            "checkin_id": st.one_of(st.integers(-1, 3), st.text(max_size=3)),
            "file_id": st.one_of(st.sampled_from(["F1", "FNOPE"]), st.integers()),
            "message_ts": st.one_of(st.text(max_size=5), st.integers()),
        },
    ).map(json.dumps),
)
dates = st.one_of(
    st.none(), st.sampled_from(["2026-12-15", "2026-02-30", "1999-01-01", "tomorrow"]), st.text(max_size=10)
)
form_values = st.fixed_dictionaries(
    {
        "title": st.builds(lambda v: {"title": text_value(v)}, st.one_of(st.none(), hostile_text)),
        "due": st.builds(lambda v: {"due": {"type": "datepicker", "selected_date": v}}, dates),
    },
    optional={
        "start": st.builds(lambda v: {"start": {"type": "datepicker", "selected_date": v}}, dates),
        "owner": st.builds(
            lambda v: {"owner": {"type": "users_select", "selected_user": v}},
            st.one_of(st.sampled_from(["U1", "U2", "UGHOST"]), st.none(), st.integers()),
        ),
        "budget": st.builds(
            lambda v: {"budget": text_value(v)}, st.one_of(st.sampled_from(WORDS), st.text(max_size=8))
        ),
        "dept": st.builds(lambda v: {"dept": text_value(v)}, hostile_text),
        "reason": st.builds(lambda v: {"reason": text_value(v)}, hostile_text),
        "status": st.builds(
            lambda v: {"status": {"type": "static_select", "selected_option": {"value": v}}},
            st.one_of(st.sampled_from(["open", "on_track", "done", "cancelled"]), st.text(max_size=5)),
        ),
        "channel": st.builds(
            lambda v: {"channel": {"type": "conversations_select", "selected_conversation": v}},
            st.one_of(st.sampled_from(["C1", "C2"]), st.none(), st.integers()),
        ),
        "file": st.builds(
            lambda v: {"file": {"type": "file_input", "files": v}}, st.one_of(st.none(), st.just([]))
        ),
    },
)
junk = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


@pytest.mark.slow
@SQLITE_ONLY
@given(
    callback_id=st.sampled_from(
        [
            "milestone_add",
            "milestone_update",
            "new_date",
            "import_upload",
            "import_confirm",
            "channel_settings",
        ]
    ),
    private_metadata=metadata,
    state=st.one_of(form_values, st.dictionaries(st.text(max_size=6), junk, max_size=3)),
    user=st.sampled_from(["U1", "U2", "UGHOST"]),
    team=st.sampled_from(["T1", "T2"]),
)
@settings(FUZZ, max_examples=EXAMPLES["view"])
def test_garbled_forms_close_or_show_errors_and_store_nothing_half_done(
    hostile: Hostile, callback_id: str, private_metadata: str, state: dict, user: str, team: str
) -> None:
    hostile.seed()
    before = _milestones(hostile.app)
    reply = hostile.client(team).view_submission(
        callback_id=callback_id, values=state, private_metadata=private_metadata, user=user
    )
    if reply.status == 200 and reply.body:
        assert reply.json().get("response_action") in ("errors", "update", "clear", "push")
    hostile.check("view", reply, before=before, may_change=True)


@pytest.mark.slow
@SQLITE_ONLY
@given(
    kind=st.sampled_from(["message", "app_home_opened", "reaction_added", "no_such_event"]),
    text=hostile_text,
    thread_ts=st.one_of(st.none(), st.sampled_from(["1700000000.000100", "x", ""])),
    channel=st.sampled_from(["C1", "G1", "D1", ""]),
    user=st.sampled_from(["U1", "U2", "UGHOST"]),
    tab=st.sampled_from(["home", "messages", "", "x"]),
    event_id=st.integers(1, 50).map(lambda n: f"Ev{n}"),
)
@settings(FUZZ, max_examples=EXAMPLES["event"])
def test_hostile_events_are_acknowledged_and_never_ping(
    hostile: Hostile,
    kind: str,
    text: str,
    thread_ts: str | None,
    channel: str,
    user: str,
    tab: str,
    event_id: str,
) -> None:
    hostile.seed()
    before = _milestones(hostile.app)
    if kind == "message":
        event = message_event(text, ts=f"{time.time():.6f}", user=user, channel=channel, thread_ts=thread_ts)
    else:
        event = {"type": kind, "user": user, "tab": tab, "channel": channel, "text": text}
    reply = hostile.home.event(event, event_id=event_id)
    assert reply.status == 200
    hostile.check("event", reply, before=before, may_change=False)


payload_shapes = st.fixed_dictionaries(
    {"type": st.sampled_from(["block_actions", "view_submission", "event_callback", "shortcut", "x"])},
    optional={
        "actions": junk,
        "user": st.one_of(junk, st.just({"id": "U1"})),
        "team": junk,
        "view": junk,
        "event": junk,
        "team_id": junk,
        "container": junk,
        "channel": junk,
    },
)
bodies = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=100).map(lambda t: t.encode("utf-16")),
    st.text(max_size=60).map(
        lambda t: ("command=/milestone&text=" + t).encode("latin-1", "replace") + b"\xff\xfe"
    ),
    junk.map(lambda j: json.dumps(j).encode()),
    payload_shapes.map(lambda p: urlencode({"payload": json.dumps(p)}).encode()),
    st.text(max_size=40).map(lambda t: urlencode({"payload": t}).encode()),
    payload_shapes.map(lambda p: json.dumps(p).encode()),
)


@pytest.mark.slow
@SQLITE_ONLY
@given(
    body=bodies,
    content_type=st.sampled_from(
        [FORM, JSON, "text/plain", "", "application/json; charset=utf-16", "multipart/form-data"]
    ),
    signing=st.sampled_from(["good", "none", "wrong", "stale", "other-secret"]),
)
@settings(FUZZ, max_examples=EXAMPLES["encoding"])
def test_any_body_gets_401_unsigned_400_malformed_and_never_500(
    hostile: Hostile, body: bytes, content_type: str, signing: str
) -> None:
    before = _milestones(hostile.app)
    hostile.app.fake.clear()
    stamp = str(int(time.time()) - (600 if signing == "stale" else 0))
    signature = {
        "good": slack_signature(stamp, body, secret=SIGNING_SECRET),
        "stale": slack_signature(stamp, body, secret=SIGNING_SECRET),
        "wrong": "v0=" + "0" * 64,
        "other-secret": slack_signature(stamp, body, secret="not-ours"),
        "none": None,
    }[signing]
    reply = hostile.home.post_raw(
        body, content_type=content_type, timestamp=int(stamp), signature=signature, sign=signature is not None
    )
    if signing != "good":
        assert reply.status == 401
    hostile.check("encoding", reply, before=before, may_change=signing == "good")


@pytest.mark.parametrize("team", ["T2"])
@pytest.mark.parametrize("action_id", ["milestone_done", "delete_confirm", "milestone_edit", "reminder_done"])
def test_a_button_pressed_in_another_workspace_finds_nothing_and_changes_nothing(
    hostile: Hostile, action_id: str, team: str
) -> None:
    hostile.seed()
    before = _milestones(hostile.app)
    reply = hostile.client(team).block_action(action_id=action_id, value="1", user="U1")
    assert reply.status == 200
    answer = hostile.app.fake.last("response_url").params["text"]
    assert "There's no milestone *#1* in this workspace" in answer
    assert _milestones(hostile.app) == before


@pytest.mark.parametrize("action_id", ["milestone_done", "delete_confirm", "milestone_edit", "reminder_done"])
def test_a_button_pressed_by_someone_else_is_politely_refused(hostile: Hostile, action_id: str) -> None:
    hostile.seed()
    before = _milestones(hostile.app)
    reply = hostile.home.block_action(action_id=action_id, value="1", user="U3")
    assert reply.status == 200
    answer = hostile.app.fake.last("response_url").params["text"]
    assert answer.startswith("🔒 Only <@U1>") and "#1" in answer
    assert _milestones(hostile.app) == before


@pytest.mark.parametrize(
    "title",
    ["<!channel> launch", "<!here> now", "@everyone party", "Ping <@U3> today", "<!subteam^S1|@team> go"],
)
def test_hostile_titles_are_shown_but_never_ping(hostile: Hostile, title: str) -> None:
    hostile.home.command(f'add "{title}" due Dec 15 owner <@U2>')
    hostile.home.command("list")
    hostile.home.command("show 1")
    sent = "\n".join(json.dumps(c.params, ensure_ascii=False) for c in hostile.app.fake.calls)
    assert "#1" in sent
    pings = r"<!(channel|here|everyone|subteam\^)|<@U3|@(channel|here|everyone)\b"
    assert not re.search(pings, pinging_text([call.params for call in hostile.app.fake.calls])), sent


NON_UTF8_FORM = b"command=/milestone&text=add caf\xe9 due Dec 15&team_id=T1&user_id=U1&channel_id=C1"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (NON_UTF8_FORM, FORM),
        (b"[1, 2, 3]", JSON),
        (b'"just a string"', JSON),
        (b"{not json", JSON),
        (b"payload=%7Bnot+json", FORM),
        (b"payload=%5B%5D", FORM),
        (
            urlencode(
                {"payload": json.dumps({"type": "block_actions", "actions": "x", "user": {"id": "U1"}})}
            ).encode(),
            FORM,
        ),
        (
            urlencode(
                {"payload": json.dumps({"type": "block_actions", "actions": [{}], "user": {"id": "U1"}})}
            ).encode(),
            FORM,
        ),
        (
            urlencode(
                {
                    "payload": json.dumps(
                        {"type": "block_actions", "actions": [{"action_id": "milestone_done"}]}
                    )
                }
            ).encode(),
            FORM,
        ),
        (
            urlencode(
                {"payload": json.dumps({"type": "view_submission", "user": {"id": "U1"}, "view": []})}
            ).encode(),
            FORM,
        ),
        (json.dumps({"type": "event_callback", "team_id": "T1", "event": "message"}).encode(), JSON),
        (b"", FORM),
    ],
    ids=[
        "non-utf8-form",
        "json-list",
        "json-string",
        "broken-json",
        "payload-not-json",
        "payload-list",
        "actions-not-a-list",
        "action-without-id",
        "action-without-user",
        "view-not-an-object",
        "event-not-an-object",
        "empty",
    ],
)
def test_a_signed_malformed_body_is_400_and_an_unsigned_one_401(
    slack_app: SlackApp, body: bytes, content_type: str
) -> None:
    assert slack_app.requests.post_raw(body, content_type=content_type).status == 400
    assert slack_app.requests.post_raw(body, content_type=content_type, sign=False).status == 401
    wrong = "v0=" + "f" * 64
    assert slack_app.requests.post_raw(body, content_type=content_type, signature=wrong).status == 401
    assert slack_app.fake.calls == []
    assert _milestones(slack_app) == []
