"""Events: thread replies become notes, uninstalls forget the workspace, a repeated event is handled once."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import BoltContext, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store import InstallationStore

from bot.core.review_answers import keep_note
from bot.listeners.context import RequestContext, request_context
from bot.listeners.guard import GuardedApp
from storage.deliveries import skip_workspace
from storage.events import first_sighting

logger = logging.getLogger(__name__)

KEPT_REACTION = "white_check_mark"
# Already marked (a redelivered event), or the reply was deleted meanwhile: nothing to worry about.
_HARMLESS_REACTION_ERRORS = ("already_reacted", "message_not_found")


def register(app: GuardedApp) -> None:
    """Register the de-duplication middleware, the message listener and the uninstall listeners."""
    app.use(skip_repeated_events)
    app.event("message")(keep_thread_reply)
    # No installation store in single-workspace mode: the listeners then only stop the deliveries.
    store = app.installation_store
    app.event("app_uninstalled")(forget_workspace(store=store))
    app.event("tokens_revoked")(forget_revoked_tokens(store=store))


def skip_repeated_events(body: dict, context: BoltContext, next: Callable[[], None]) -> BoltResponse | None:
    """Answer 200 and stop when this event id was handled before (Slack's retries, or two instances)."""
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    ctx = request_context(context)
    if event_id and not first_sighting(engine=ctx.engine, event_id=event_id, now=ctx.at):
        logger.info("event %s seen before: skipped", event_id)
        return BoltResponse(status=200, body="")
    next()
    return None


def keep_thread_reply(event: dict, client: WebClient, ctx: RequestContext) -> None:
    """Keep a person's reply in a check-in's thread as a note, and mark it kept with ✅ (others: not ours)."""
    thread_ts = event.get("thread_ts")
    # Edits, joins, bot posts and top-level messages are not notes.
    if event.get("subtype") or event.get("bot_id") or not event.get("user"):
        return
    if not thread_ts or thread_ts == event.get("ts"):
        return
    kept = keep_note(
        engine=ctx.engine,
        workspace=ctx.workspace,
        channel_id=event["channel"],
        thread_ts=thread_ts,
        user_id=event["user"],
        text=event.get("text") or "",
        message_ts=event["ts"],
        now=ctx.at,
    )
    if kept:
        mark_kept(client, channel_id=event["channel"], ts=event["ts"])


def mark_kept(client: WebClient, *, channel_id: str, ts: str) -> None:
    """React ✅ to a reply kept as a note; the note is kept whatever Slack says, so no error escapes."""
    try:
        client.reactions_add(channel=channel_id, timestamp=ts, name=KEPT_REACTION)
    except SlackApiError as error:
        reason = error.response.get("error")
        level = logging.INFO if reason in _HARMLESS_REACTION_ERRORS else logging.WARNING
        logger.log(level, "no ✅ on the note %s in %s: %s", ts, channel_id, reason)
    except Exception:
        logger.warning("no ✅ on the note %s in %s", ts, channel_id, exc_info=True)


def forget_workspace(*, store: InstallationStore | None) -> Callable[[BoltContext], None]:
    """The app_uninstalled listener: remove the workspace's installations and skip its deliveries."""

    def on_app_uninstalled(context: BoltContext) -> None:
        if store is not None:
            store.delete_all(enterprise_id=context.enterprise_id, team_id=context.team_id)
        _stop_deliveries(context, reason="app uninstalled")

    return on_app_uninstalled


def forget_revoked_tokens(*, store: InstallationStore | None) -> Callable[[dict, BoltContext], None]:
    """The tokens_revoked listener: remove the revoked users' installations; a revoked bot, all of them."""

    def on_tokens_revoked(event: dict, context: BoltContext) -> None:
        tokens = event.get("tokens") if isinstance(event.get("tokens"), dict) else {}
        user_ids = [user for user in tokens.get("oauth") or [] if isinstance(user, str)]
        if store is not None:
            for user_id in user_ids:
                store.delete_installation(
                    enterprise_id=context.enterprise_id, team_id=context.team_id, user_id=user_id
                )
        if not tokens.get("bot"):
            logger.info("user tokens revoked in %s: %d", request_context(context).workspace, len(user_ids))
            return
        if store is not None:
            # The installation rows carry the bot token too: left alone, they would keep handing it out.
            store.delete_all(enterprise_id=context.enterprise_id, team_id=context.team_id)
        _stop_deliveries(context, reason="bot token revoked")

    return on_tokens_revoked


def _stop_deliveries(context: BoltContext, *, reason: str) -> None:
    ctx = request_context(context)
    skipped = skip_workspace(engine=ctx.engine, workspace=ctx.workspace, reason=reason, now=ctx.at)
    logger.warning("%s in %s: %d deliveries skipped", reason, ctx.workspace, skipped)
