"""The weekly review's private prompts end to end: the first review's day, each owner's DM, the one chase.

Owners answer through the signed Review my milestones form; `tick` runs at chosen New York times.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any, TypeVar

import pytest
from slack_sdk import WebClient
from sqlmodel import Session, select

from bot.config import DEFAULT_DELIVERY_LEASE as LEASE
from bot.outbox.dispatch import dispatch
from bot.outbox.outcomes import Outcome
from bot.outbox.planner import plan
from bot.outbox.recovery import METADATA_EVENT
from storage.claims import claim_due, posting_since, start_posting
from storage.models import CheckIn, Delivery
from tests.support.app import BOT_TOKEN, SlackApp
from tests.support.blocks import assert_valid_blocks
from tests.support.reading import fallbacks
from tests.support.scheduler import buttons, delivery_key, ny, posts, stamp_messages_from, tick
from tests.support.view_state import submitted

MONDAY = "2026-11-30 09:00"
TUESDAY = "2026-12-01 09:00"
SECOND = timedelta(seconds=1)
T = TypeVar("T")


def setup_channel(app: SlackApp) -> None:
    """#1 alice's, #2 and #3 bob's, #4 nobody's: added on Wednesday Nov 25, so Monday Nov 30 reviews them."""
    app.requests.command("add Launch beta due Dec 15 owner <@U1|alice>")
    app.requests.command("add Pricing page due Jan 9 owner <@U2|bob>")
    app.requests.command("add Hire designer due Dec 20 owner <@U2|bob>")
    app.requests.command("add Press kit due Dec 18")


def dms(app: SlackApp, user: str, *, kind: str = "review_dm") -> list[dict]:
    """The scheduler's posts of one kind in `user`'s DM with the bot, oldest first, each validated."""
    found = posts(app, f"D{user}", kind=kind)
    for post in found:
        assert_valid_blocks(post["blocks"])
    return found


def checkin(app: SlackApp) -> CheckIn:
    with Session(app.engine) as session:
        return session.exec(select(CheckIn).order_by(CheckIn.id)).first()


def rows(app: SlackApp) -> dict[str, Delivery]:
    with Session(app.engine) as session:
        return {d.key: d for d in session.exec(select(Delivery)).all()}


def sections(post: dict) -> list[str]:
    """The sections' texts, date tokens read as their fallbacks."""
    return [fallbacks(block["text"]["text"]) for block in post["blocks"] if block["type"] == "section"]


def answer_from_dm(app: SlackApp, *, user: str, **statuses: str) -> None:
    """Press Review my milestones in `user`'s DM prompt and submit the form with these statuses."""
    [message] = [m for m in app.fake.messages(f"D{user}") if delivery_key(m).startswith("review_dm:")]
    [(action_id, value)] = buttons(message["blocks"])
    app.requests.block_action(
        action_id=action_id, value=value, user=user, channel=f"D{user}", message=message
    )
    view = app.fake.last("views.open").params["view"]
    reply = app.requests.view_submission(
        callback_id=view["callback_id"],
        values=submitted(view, **statuses),
        private_metadata=view["private_metadata"],
        user=user,
    )
    assert reply.status == 200 and reply.body == ""


def all_at_once(count: int, work: Callable[[], T]) -> list[T]:
    """Run `work` on `count` threads released together."""
    start = threading.Barrier(count)

    def together() -> T:
        start.wait(timeout=10)
        return work()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return [future.result(timeout=60) for future in [pool.submit(together) for _ in range(count)]]


# The first review


def test_the_first_review_is_the_next_week_never_on_setup_day(slack_app: SlackApp) -> None:
    slack_app.clock.now = ny("2026-11-30 10:00")  # a Monday, after the review time
    slack_app.requests.command("add Launch beta due Dec 15 owner <@U1|alice>")
    slack_app.requests.command("add Pricing page due Jan 9 owner <@U2|bob>")

    for moment in ("2026-11-30 10:01", "2026-11-30 15:00", "2026-12-01 09:00", "2026-12-02 09:00"):
        tick(slack_app, ny(moment))
    assert posts(slack_app, kind="checkin") == [] and dms(slack_app, "U1") == []
    assert dms(slack_app, "U1", kind="chase") == []

    tick(slack_app, ny("2026-12-07 09:00"))
    [review] = posts(slack_app, "C1", kind="checkin")
    assert review["text"] == "Weekly review: 2 milestones in flight"
    assert [len(dms(slack_app, user)) for user in ("U1", "U2")] == [1, 1]


def test_review_now_still_posts_on_setup_day_and_asks_the_owners(slack_app: SlackApp) -> None:
    slack_app.clock.now = ny("2026-11-30 10:00")
    slack_app.requests.command("add Launch beta due Dec 15 owner <@U1|alice>")
    slack_app.requests.command("review")

    assert len(posts(slack_app, "C1", kind="checkin")) == 1
    [prompt] = dms(slack_app, "U1")
    assert prompt["text"] == "1 of your milestones in <#C1> needs a review"
    tick(slack_app, ny(TUESDAY))  # posted before the week's chase time: chased like the week's review
    assert [p["text"] for p in dms(slack_app, "U1", kind="chase")] == [
        "Still waiting on your review of #1 in <#C1>"
    ]


def test_a_review_asked_for_after_the_chase_time_is_not_chased(slack_app: SlackApp) -> None:
    slack_app.clock.now = ny("2026-12-02 10:00")  # a Wednesday
    slack_app.requests.command("add Launch beta due Dec 15 owner <@U1|alice>")
    slack_app.requests.command("review")
    for moment in ("2026-12-02 10:01", "2026-12-03 09:00", "2026-12-04 09:00"):
        tick(slack_app, ny(moment))

    assert len(dms(slack_app, "U1")) == 1 and dms(slack_app, "U1", kind="chase") == []


# Each owner's DM


def test_each_owner_gets_one_dm_with_their_milestones_and_the_review_button(slack_app: SlackApp) -> None:
    setup_channel(slack_app)
    tick(slack_app, ny(MONDAY))
    tick(slack_app, ny("2026-11-30 09:00:30"))

    review = checkin(slack_app)
    [to_bob] = dms(slack_app, "U2")
    assert to_bob["text"] == "2 of your milestones in <#C1> need a review"
    headline, lines = sections(to_bob)
    assert headline == "*2 of your milestones in <#C1> need a review*"
    assert lines.split("\n") == [
        "• *#3* Hire designer · due Sun Dec 20 · ⚪ Open",
        "• *#2* Pricing page · due Sat Jan 9, 2027 · ⚪ Open",
    ]
    assert buttons(to_bob["blocks"]) == [("review_mine", str(review.id))]
    [to_alice] = dms(slack_app, "U1")
    assert to_alice["text"] == "1 of your milestones in <#C1> needs a review"
    # Nobody owns #4: nobody is asked by DM (the channel's message names it).
    dm_posts = [c.params["channel"] for c in slack_app.fake.calls_to("chat.postMessage")]
    assert sorted(c for c in dm_posts if c.startswith("D")) == ["DU1", "DU2"]

    outbox = rows(slack_app)
    bob = outbox[f"review_dm:{review.id}:U2"]
    assert (bob.kind, bob.channel_id, bob.checkin_id, bob.state) == ("review_dm", "U2", review.id, "sent")
    assert bob.message_ts == slack_app.fake.messages("DU2")[-1]["ts"]
    # The channel's message stays the one answers and replies are found by.
    in_channel = [m["ts"] for m in slack_app.fake.messages("C1") if delivery_key(m).startswith("checkin:")]
    assert [review.message_ts] == in_channel


def test_review_dm_off_asks_nobody_privately(slack_app: SlackApp) -> None:
    setup_channel(slack_app)
    slack_app.requests.command("settings review dm off")
    tick(slack_app, ny(MONDAY))

    assert len(posts(slack_app, "C1", kind="checkin")) == 1
    assert dms(slack_app, "U1") == dms(slack_app, "U2") == []
    tick(slack_app, ny(TUESDAY))  # the chase is its own setting: still on
    assert [p["text"] for p in dms(slack_app, "U2", kind="chase")] == [
        "Still waiting on your review of #3, #2 in <#C1>"
    ]


def test_an_owner_who_answered_before_the_prompt_went_out_is_not_asked(slack_app: SlackApp) -> None:
    setup_channel(slack_app)
    plan(slack_app.engine, now=ny(MONDAY), default_timezone="UTC")
    review = checkin(slack_app)
    client = WebClient(token=BOT_TOKEN, base_url=slack_app.fake.api_url)
    channel_key = next(key for key in rows(slack_app) if key.startswith("checkin:"))
    dispatch(
        engine=slack_app.engine, clients=lambda _: client, now=ny(MONDAY), worker="w1", keys=[channel_key]
    )
    message = next(m for m in slack_app.fake.messages("C1") if delivery_key(m) == channel_key)
    slack_app.clock.now = ny("2026-11-30 09:00:10")
    slack_app.requests.block_action(action_id="review_mine", value=str(review.id), user="U1", message=message)
    view = slack_app.fake.last("views.open").params["view"]
    slack_app.requests.view_submission(
        callback_id=view["callback_id"],
        values=submitted(view, status_1="on_track"),
        private_metadata=view["private_metadata"],
        user="U1",
    )

    done = tick(slack_app, ny("2026-11-30 09:00:20")).dispatched
    assert done[Outcome.SKIPPED] == [f"review_dm:{review.id}:U1"]
    assert dms(slack_app, "U1") == [] and len(dms(slack_app, "U2")) == 1
    assert rows(slack_app)[f"review_dm:{review.id}:U1"].last_error == "nothing left to answer"


# The chase


def test_one_chase_the_next_working_day_to_those_who_have_not_answered(slack_app: SlackApp) -> None:
    setup_channel(slack_app)
    tick(slack_app, ny(MONDAY))
    slack_app.clock.now = ny("2026-11-30 11:00")
    answer_from_dm(slack_app, user="U1", status_1="on_track")

    tick(slack_app, ny("2026-12-01 08:59"))
    assert dms(slack_app, "U2", kind="chase") == []
    for moment in (TUESDAY, "2026-12-01 09:00:30", "2026-12-01 14:00", "2026-12-02 09:00"):
        tick(slack_app, ny(moment))

    review = checkin(slack_app)
    [chase] = dms(slack_app, "U2", kind="chase")
    assert chase["text"] == "Still waiting on your review of #3, #2 in <#C1>"
    assert sections(chase) == ["Still waiting on your review of #3, #2 in <#C1>"]
    assert buttons(chase["blocks"]) == [("review_mine", str(review.id))]
    assert delivery_key(chase) == f"chase:{review.id}:U2"
    assert dms(slack_app, "U1", kind="chase") == []  # answered on Monday


def test_chase_off_chases_nobody(slack_app: SlackApp) -> None:
    setup_channel(slack_app)
    slack_app.requests.command("settings chase off")
    tick(slack_app, ny(MONDAY))
    tick(slack_app, ny(TUESDAY))

    assert len(dms(slack_app, "U2")) == 1 and dms(slack_app, "U2", kind="chase") == []


def test_a_chase_whose_owner_answers_before_it_goes_out_is_skipped(slack_app: SlackApp) -> None:
    setup_channel(slack_app)
    tick(slack_app, ny(MONDAY))
    plan(slack_app.engine, now=ny(TUESDAY), default_timezone="UTC")
    slack_app.clock.now = ny("2026-12-01 09:00:05")
    answer_from_dm(slack_app, user="U2", status_3="on_track", status_2="at_risk")

    done = tick(slack_app, ny("2026-12-01 09:00:10")).dispatched
    review = checkin(slack_app)
    assert sorted(done[Outcome.SKIPPED]) == [f"chase:{review.id}:U2"]
    assert done[Outcome.SENT] == [f"chase:{review.id}:U1"]
    assert dms(slack_app, "U2", kind="chase") == []


def test_an_owner_away_gets_no_dm_and_no_chase(slack_app: SlackApp) -> None:
    setup_channel(slack_app)
    slack_app.requests.command("away until Dec 20", user="U2")
    tick(slack_app, ny(MONDAY))
    tick(slack_app, ny(TUESDAY))

    assert dms(slack_app, "U2") == [] and dms(slack_app, "U2", kind="chase") == []
    assert len(dms(slack_app, "U1")) == 1 and len(dms(slack_app, "U1", kind="chase")) == 1


def test_an_owner_who_goes_away_after_the_chase_was_planned_is_not_chased(slack_app: SlackApp) -> None:
    setup_channel(slack_app)
    tick(slack_app, ny(MONDAY))
    plan(slack_app.engine, now=ny(TUESDAY), default_timezone="UTC")
    slack_app.clock.now = ny("2026-12-01 09:00:05")
    slack_app.requests.command("away until Dec 4", user="U2")

    tick(slack_app, ny("2026-12-01 09:00:10"))
    review = checkin(slack_app)
    assert rows(slack_app)[f"chase:{review.id}:U2"].last_error == "owner away"
    assert dms(slack_app, "U2", kind="chase") == []


def test_the_chase_is_planned_and_posted_once_however_many_instances_run(slack_app: SlackApp) -> None:
    setup_channel(slack_app)
    tick(slack_app, ny(MONDAY))
    if slack_app.engine.dialect.name == "postgresql":
        ticks = all_at_once(3, lambda: tick(slack_app, ny(TUESDAY)))
    else:  # SQLite is single-instance: passes one after another
        ticks = [tick(slack_app, ny(TUESDAY)) for _ in range(3)]
    tick(slack_app, ny("2026-12-01 09:30"))

    review = checkin(slack_app)
    chases = [f"chase:{review.id}:U1", f"chase:{review.id}:U2"]
    assert sorted(key for t in ticks for key in t.planned.chases) == chases
    assert sorted(key for t in ticks for key in t.dispatched[Outcome.SENT]) == chases
    sent = Counter(delivery_key(c.params) for c in slack_app.fake.calls_to("chat.postMessage"))
    assert [sent[key] for key in chases] == [1, 1]


def test_a_chase_missed_by_a_whole_working_day_is_not_sent_late(slack_app: SlackApp) -> None:
    setup_channel(slack_app)
    tick(slack_app, ny(MONDAY))
    tick(slack_app, ny("2026-12-01 17:30"))  # down from Tuesday morning until its evening

    assert dms(slack_app, "U1", kind="chase") == dms(slack_app, "U2", kind="chase") == []


# Posting to a person


def test_a_prompt_to_someone_slack_cannot_dm_fails_alone(slack_app: SlackApp) -> None:
    setup_channel(slack_app)
    slack_app.requests.command("add Partner deal due Dec 22 owner <@U9|gone>")  # not in the workspace
    done = tick(slack_app, ny(MONDAY)).dispatched

    review = checkin(slack_app)
    assert done[Outcome.FAILED] == [f"review_dm:{review.id}:U9"]
    row = rows(slack_app)[f"review_dm:{review.id}:U9"]
    assert (row.state, row.last_error) == ("failed", "cannot open the DM: user_not_found")
    assert len(dms(slack_app, "U1")) == len(dms(slack_app, "U2")) == 1
    assert checkin(slack_app).message_ts is not None
    # Admins see it with the channel's other failed posts: the DM was about this channel.
    slack_app.requests.command("settings", user="UADMIN", channel="C1")
    admin_view = json.dumps(slack_app.fake.last("views.open").params["view"])
    assert f"review_dm:{review.id}:U9" in admin_view and "cannot open the DM: user_not_found" in admin_view


def test_a_dm_that_could_not_be_opened_keeps_no_posting_mark_and_goes_later(slack_app: SlackApp) -> None:
    # The pass marks a prompt "posting" before opening the DM; a failed open must not leave that mark behind
    # (it would say a post may exist), and the prompt goes once on a later pass.
    setup_channel(slack_app)
    slack_app.fake.fail_next("conversations.open", status=500, error="internal_error")

    first = tick(slack_app, ny(MONDAY)).dispatched

    [retrying] = first[Outcome.RETRYING]
    row = rows(slack_app)[retrying]
    assert row.state == "pending" and row.last_error is not None
    assert posting_since(row.last_error) is None
    later = tick(slack_app, row.not_before + SECOND).dispatched
    assert later[Outcome.SENT] == [retrying]
    person = retrying.rsplit(":", 1)[1]
    assert len(dms(slack_app, person)) == 1


def test_a_rate_limited_dm_waits_while_the_others_go_on(slack_app: SlackApp) -> None:
    setup_channel(slack_app)
    slack_app.fake.fail_next("chat.postMessage", status=429, headers={"Retry-After": "30"}, channel="DU2")

    first = tick(slack_app, ny(MONDAY)).dispatched
    review = checkin(slack_app)
    held = f"review_dm:{review.id}:U2"
    assert first[Outcome.RETRYING] == [held] and slack_app.fake.messages("DU2") == []
    assert len(dms(slack_app, "U1")) == 1 and len(posts(slack_app, "C1", kind="checkin")) == 1
    assert tick(slack_app, ny(MONDAY) + 10 * SECOND).dispatched[Outcome.SENT] == []
    assert tick(slack_app, ny(MONDAY) + 31 * SECOND).dispatched[Outcome.SENT] == [held]
    assert len(slack_app.fake.messages("DU2")) == 1 and rows(slack_app)[held].attempts == 1


def test_a_dm_a_dead_claim_posted_is_found_in_the_dm_not_posted_twice(slack_app: SlackApp) -> None:
    setup_channel(slack_app)
    monday = ny(MONDAY)
    stamp_messages_from(slack_app.fake, monday)
    plan(slack_app.engine, now=monday, default_timezone="UTC")
    review = checkin(slack_app)
    key = f"review_dm:{review.id}:U2"
    [claimed] = claim_due(
        engine=slack_app.engine, now=monday, lease=LEASE, worker="dead", limit=5, keys=[key]
    )
    start_posting(
        engine=slack_app.engine,
        delivery=claimed,
        worker="dead",
        now=monday,
        lease_until=monday + LEASE,
        since=monday,
    )
    # The dead dispatcher's post reached bob's DM; it died before recording it.
    payload: dict[str, Any] = json.loads(claimed.payload)
    accepted = WebClient(token=BOT_TOKEN, base_url=slack_app.fake.api_url).chat_postMessage(
        channel="DU2",
        text=payload["text"],
        blocks=payload["blocks"],
        metadata={"event_type": METADATA_EVENT, "event_payload": {"key": key}},
    )

    later = tick(slack_app, monday + LEASE + SECOND).dispatched

    assert key in later[Outcome.RECOVERED] and key not in later[Outcome.SENT]
    assert [c.params["channel"] for c in slack_app.fake.calls_to("conversations.history")] == ["DU2"]
    assert len(slack_app.fake.messages("DU2")) == 1
    row = rows(slack_app)[key]
    assert (row.state, row.message_ts) == ("sent", accepted["ts"])


def test_a_dm_the_bot_cannot_read_back_is_posted_rather_than_lost(slack_app: SlackApp) -> None:
    # An install from before the bot asked for im:history: Slack will not show the DM to look in.
    setup_channel(slack_app)
    monday = ny(MONDAY)
    plan(slack_app.engine, now=monday, default_timezone="UTC")
    key = f"review_dm:{checkin(slack_app).id}:U2"
    [claimed] = claim_due(
        engine=slack_app.engine, now=monday, lease=LEASE, worker="dead", limit=5, keys=[key]
    )
    start_posting(
        engine=slack_app.engine,
        delivery=claimed,
        worker="dead",
        now=monday,
        lease_until=monday + LEASE,
        since=monday,
    )
    slack_app.fake.fail_next("conversations.history", status=200, error="missing_scope", channel="DU2")

    later = tick(slack_app, monday + LEASE + SECOND).dispatched

    assert key in later[Outcome.SENT]
    assert [c.params["channel"] for c in slack_app.fake.calls_to("conversations.history")] == ["DU2"]
    assert len(slack_app.fake.messages("DU2")) == 1 and rows(slack_app)[key].state == "sent"


@pytest.mark.parametrize("kind", ["review_dm", "chase"])
def test_prompts_carry_their_key_and_go_to_the_dm_not_the_user_id(slack_app: SlackApp, kind: str) -> None:
    setup_channel(slack_app)
    tick(slack_app, ny(MONDAY))
    tick(slack_app, ny(TUESDAY))

    targets = {
        c.params["channel"]
        for c in slack_app.fake.calls_to("chat.postMessage")
        if delivery_key(c.params).startswith(f"{kind}:")
    }
    assert targets == {"DU1", "DU2"}
    # One conversations.open per person a pass, whatever it sends them.
    opened = Counter(c.params["users"] for c in slack_app.fake.calls_to("conversations.open"))
    assert opened == Counter({"U1": 2, "U2": 2})


def test_review_dms_are_planned_and_posted_once_however_many_instances_run(slack_app: SlackApp) -> None:
    setup_channel(slack_app)
    if slack_app.engine.dialect.name == "postgresql":
        ticks = all_at_once(3, lambda: tick(slack_app, ny(MONDAY)))
    else:  # SQLite is single-instance: passes one after another
        ticks = [tick(slack_app, ny(MONDAY)) for _ in range(3)]

    review = checkin(slack_app)
    prompts = [f"review_dm:{review.id}:U1", f"review_dm:{review.id}:U2"]
    assert sorted(key for t in ticks for key in t.planned.review_dms) == prompts
    sent = Counter(delivery_key(c.params) for c in slack_app.fake.calls_to("chat.postMessage"))
    assert [sent[key] for key in prompts] == [1, 1]
    assert len(posts(slack_app, "C1", kind="checkin")) == 1
