"""manifest.yml is a valid Slack app manifest and declares exactly what the code registers and calls."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT7

REPO_ROOT = Path(__file__).resolve().parents[1]
MANIFEST = REPO_ROOT / "manifest.yml"
BOT_SOURCES = REPO_ROOT / "bot"
SCHEMA_DIR = REPO_ROOT.parent / "shared" / "slack-specs" / "manifest-schema"
SCHEMA_URL_PREFIX = "https://raw.githubusercontent.com/slackapi/manifest-schema/"

# slack_sdk WebClient method → bot scopes it needs. A call to a method missing here fails the test.
METHOD_SCOPES: dict[str, frozenset[str]] = {
    "chat_postMessage": frozenset({"chat:write"}),
    "chat_update": frozenset({"chat:write"}),
    "chat_postEphemeral": frozenset({"chat:write"}),
    "chat_delete": frozenset({"chat:write"}),
    # The "Make a milestone" shortcut's link back to its message: no scope needed.
    "chat_getPermalink": frozenset(),
    "users_info": frozenset({"users:read"}),
    # The outbox reads back a crashed claim's post in a channel or in a person's DM (review prompts).
    "conversations_history": frozenset({"channels:history", "groups:history", "im:history"}),
    "conversations_info": frozenset({"channels:read", "groups:read"}),
    "views_open": frozenset(),
    "views_update": frozenset(),
    "views_push": frozenset(),
    "views_publish": frozenset(),
    "files_upload_v2": frozenset({"files:write"}),
    "files_info": frozenset({"files:read"}),
    # A DM with the bot: im:write to open it.
    "conversations_open": frozenset({"im:write"}),
    "auth_test": frozenset(),
    "reactions_add": frozenset({"reactions:write"}),
}
# Event a listener names → the bot events the manifest subscribes to for it.
LISTENER_EVENTS: dict[str, tuple[str, ...]] = {
    "message": ("message.channels", "message.groups"),
    "app_home_opened": ("app_home_opened",),
}
# Bot event → scopes Slack requires before it will deliver the event.
EVENT_SCOPES: dict[str, frozenset[str]] = {
    "message.channels": frozenset({"channels:history"}),
    "message.groups": frozenset({"groups:history"}),
    "app_home_opened": frozenset(),
    "app_uninstalled": frozenset(),
    "tokens_revoked": frozenset(),
}
# Declared for designed features whose code has not landed yet; each entry says who will need it.
# Delete an entry once the code uses it (a test says when).
EVENTS_DECLARED_AHEAD_OF_CODE: dict[str, str] = {}
SCOPES_DECLARED_AHEAD_OF_CODE: dict[str, str] = {}
# Method families of the Slack Web API, to notice calls to methods METHOD_SCOPES does not know.
SLACK_METHOD_FAMILIES = (
    "admin|apps|assistant|auth|bookmarks|bots|calls|canvases|chat|conversations|dnd|emoji|files|functions"
    "|pins|reactions|reminders|search|stars|team|usergroups|users|views|workflows"
)

_COMMAND = re.compile(r"""\.command\(\s*(["'])(/[^"']+)\1""")
# `.message_shortcut("id")` / `.global_shortcut("id")`: the manifest's shortcut types are message and global.
_SHORTCUT = re.compile(r"""\.(message|global)_shortcut\(\s*(["'])([^"']+)\2""")
_EVENT = re.compile(r"""\.event\(\s*(["'])(\w+)\1""")
_MESSAGE_SHORTCUT = re.compile(r"\bapp\.message\(")
_KNOWN_METHOD_CALL = re.compile(r"\.(\w+)\s*\(")
_CLIENT_METHOD_CALL = re.compile(rf"\bclient\.((?:{SLACK_METHOD_FAMILIES})_\w+)\s*\(")
_API_CALL = re.compile(r"""\.api_call\(\s*(["'])([\w.]+)\1""")


@dataclass
class CodeUse:
    """What the bot's source registers and calls, as far as a text scan can tell."""

    commands: set[str] = field(default_factory=set)
    shortcuts: set[tuple[str, str]] = field(default_factory=set)  # (type, callback_id)
    events: set[str] = field(default_factory=set)
    methods: set[str] = field(default_factory=set)
    unscannable: list[str] = field(default_factory=list)


def registered_commands(source: str) -> set[str]:
    """Slash commands registered with a string literal: `app.command("/milestone")`."""
    return {match.group(2) for match in _COMMAND.finditer(source)}


def registered_shortcuts(source: str) -> set[tuple[str, str]]:
    """Shortcuts registered with a string literal, as (manifest type, callback_id)."""
    return {(match.group(1), match.group(3)) for match in _SHORTCUT.finditer(source)}


def listened_events(source: str) -> set[str]:
    """Event types listened to with `app.event("…")`; `app.message(…)` listens to `message`."""
    events = {match.group(2) for match in _EVENT.finditer(source)}
    return events | ({"message"} if _MESSAGE_SHORTCUT.search(source) else set())


def called_methods(source: str) -> set[str]:
    """slack_sdk method names called: any name in METHOD_SCOPES, `client.<family>_…(`, `api_call("a.b")`."""
    known = {name for name in _KNOWN_METHOD_CALL.findall(source) if name in METHOD_SCOPES}
    on_client = set(_CLIENT_METHOD_CALL.findall(source))
    by_name = {match.group(2).replace(".", "_") for match in _API_CALL.finditer(source)}
    return known | on_client | by_name


def unscannable_registrations(source: str) -> list[str]:
    """Commands and events registered with something other than a string literal (a regex, a dict…)."""
    found = []
    for kind in ("command", "event", "message_shortcut", "global_shortcut", "shortcut"):
        for match in re.finditer(rf"\.{kind}\(\s*([^\s)])", source):
            if match.group(1) not in "\"'":
                line = source[: match.start()].count("\n") + 1
                found.append(f"line {line}: .{kind}({match.group(1)}…")
    return found


def scan_code(root: Path) -> CodeUse:
    """Scan every .py file under `root`."""
    use = CodeUse()
    for path in sorted(root.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        use.commands |= registered_commands(source)
        use.shortcuts |= registered_shortcuts(source)
        use.events |= listened_events(source)
        use.methods |= called_methods(source)
        where = path.relative_to(root.parent)
        use.unscannable += [f"{where} {problem}" for problem in unscannable_registrations(source)]
    return use


def bot_events_for(events: Iterable[str]) -> set[str]:
    """The manifest's bot_events needed for these listener event types."""
    return {bot_event for event in events for bot_event in LISTENER_EVENTS.get(event, (event,))}


def required_scopes(
    *, commands: set[str], bot_events: set[str], methods: set[str], shortcuts: Iterable[object] = ()
) -> set[str]:
    """Bot scopes needed for these commands, shortcuts, bot events and Web API methods."""
    # Slack asks for `commands` before an app may have slash commands or shortcuts.
    scopes = {"commands"} if commands or any(True for _ in shortcuts) else set()
    for bot_event in bot_events:
        scopes |= EVENT_SCOPES.get(bot_event, frozenset())
    for method in methods:
        scopes |= METHOD_SCOPES.get(method, frozenset())
    return scopes


def mismatch(
    what: str, where: str, *, declared: set[str], needed: set[str], ahead: Iterable[str] = ()
) -> str:
    """An assertion message saying exactly what to add to and remove from the manifest ('' if nothing)."""
    missing, extra = needed - declared, declared - needed - set(ahead)
    parts = [f"add to {where}: {', '.join(sorted(missing))}"] if missing else []
    if extra:
        parts.append(f"remove from {where} (no code needs them): {', '.join(sorted(extra))}")
    return f"manifest.yml {what} do not match bot/ — " + "; ".join(parts) if parts else ""


# ---- the manifest file ----


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def code() -> CodeUse:
    return scan_code(BOT_SOURCES)


def declared_commands(manifest: dict[str, Any]) -> set[str]:
    """Slash commands in the manifest."""
    return {entry["command"] for entry in manifest.get("features", {}).get("slash_commands", [])}


def declared_shortcuts(manifest: dict[str, Any]) -> set[tuple[str, str]]:
    """Shortcuts in the manifest, as (type, callback_id)."""
    return {
        (entry["type"], entry["callback_id"]) for entry in manifest.get("features", {}).get("shortcuts", [])
    }


def declared_bot_events(manifest: dict[str, Any]) -> set[str]:
    """Bot events the manifest subscribes to."""
    return set(manifest.get("settings", {}).get("event_subscriptions", {}).get("bot_events", []))


def declared_scopes(manifest: dict[str, Any]) -> set[str]:
    """Bot scopes the manifest requests."""
    return set(manifest.get("oauth_config", {}).get("scopes", {}).get("bot", []))


# ---- Slack's schema, loaded without any network ----


def _refuse_to_fetch(uri: str) -> Resource:
    raise NoSuchResource(ref=uri)


def _schema_refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        own = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return own.union(*(_schema_refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_schema_refs(value) for value in node))
    return set()


def manifest_schema_validator(schema_dir: Path) -> Draft7Validator:
    """A validator for Slack's manifest schema whose remote $refs resolve to the local schemas/ files."""
    root = json.loads((schema_dir / "manifest.schema.json").read_text(encoding="utf-8"))
    resources = []
    for uri in sorted(ref for ref in _schema_refs(root) if ref.startswith(SCHEMA_URL_PREFIX)):
        local = schema_dir / "schemas" / uri.rsplit("/", 1)[-1]
        contents = json.loads(local.read_text(encoding="utf-8"))
        resources.append((uri, Resource.from_contents(contents, default_specification=DRAFT7)))
    registry = Registry(retrieve=_refuse_to_fetch).with_resources(resources)
    return Draft7Validator(root, registry=registry)


@pytest.fixture(scope="module")
def schema() -> Draft7Validator:
    if not SCHEMA_DIR.is_dir():
        pytest.skip(f"Slack's manifest schema is not at {SCHEMA_DIR} (github.com/slackapi/manifest-schema)")
    return manifest_schema_validator(SCHEMA_DIR)


def schema_errors(validator: Draft7Validator, document: dict[str, Any]) -> list[str]:
    """Every schema violation, with where it is."""
    return [f"{error.json_path}: {error.message}" for error in validator.iter_errors(document)]


def test_schema_loader_accepts_slacks_own_valid_example(schema: Draft7Validator) -> None:
    example = json.loads((SCHEMA_DIR / "tests" / "manifests" / "v2" / "manifest.valid.json").read_text())

    assert schema_errors(schema, example) == []


def test_schema_loader_rejects_a_broken_manifest(schema: Draft7Validator, manifest: dict[str, Any]) -> None:
    broken = {**manifest, "features": {**manifest["features"], "slash_commands": [{"command": "milestone"}]}}

    assert schema_errors(schema, broken) != []


def test_manifest_is_valid_for_slack(schema: Draft7Validator, manifest: dict[str, Any]) -> None:
    assert schema_errors(schema, manifest) == []


def test_manifest_points_slack_at_the_apps_endpoints(manifest: dict[str, Any]) -> None:
    settings = manifest["settings"]
    urls = [command["url"] for command in manifest["features"]["slash_commands"]]
    urls += [settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"]]
    # The menus that load as one types (the time zone, the department) ask the same endpoint.
    urls.append(settings["interactivity"]["message_menu_options_url"])

    assert all(url.endswith("/slack/events") for url in urls), urls
    assert manifest["oauth_config"]["redirect_urls"] == ["https://YOUR-HOST/slack/oauth_redirect"]


# ---- the manifest matches the code ----


def test_every_registration_can_be_checked(code: CodeUse) -> None:
    assert code.unscannable == [], (
        'register commands and events with string literals, e.g. app.command("/milestone"), '
        f"so tests/test_manifest.py can check the manifest: {code.unscannable}"
    )
    unknown_methods = sorted(code.methods - METHOD_SCOPES.keys())
    assert unknown_methods == [], (
        f"add these Web API methods and their scopes to METHOD_SCOPES: {unknown_methods}"
    )
    bot_events = bot_events_for(code.events)
    unknown_events = sorted(bot_events - EVENT_SCOPES.keys())
    assert unknown_events == [], (
        f"add these events and the scopes they need to EVENT_SCOPES: {unknown_events}"
    )


def test_manifest_declares_exactly_the_commands_the_code_registers(
    manifest: dict[str, Any], code: CodeUse
) -> None:
    where = "features.slash_commands"
    problem = mismatch("slash commands", where, declared=declared_commands(manifest), needed=code.commands)

    assert not problem, problem


def test_manifest_declares_exactly_the_shortcuts_the_code_registers(
    manifest: dict[str, Any], code: CodeUse
) -> None:
    declared = {f"{kind}:{callback}" for kind, callback in declared_shortcuts(manifest)}
    needed = {f"{kind}:{callback}" for kind, callback in code.shortcuts}
    problem = mismatch("shortcuts (type:callback_id)", "features.shortcuts", declared=declared, needed=needed)

    assert not problem, problem
    assert needed, "the shortcuts are registered in bot/listeners/shortcuts.py"


def test_shortcut_names_in_answers_are_the_ones_slack_shows(manifest: dict[str, Any]) -> None:
    from bot.render.shortcuts import MAKE_MILESTONE_NAME, NEW_MILESTONE_NAME

    names = {entry["callback_id"]: entry["name"] for entry in manifest["features"]["shortcuts"]}

    assert names == {"make_milestone": MAKE_MILESTONE_NAME, "new_milestone": NEW_MILESTONE_NAME}


def test_shortcuts_need_the_commands_scope() -> None:
    assert required_scopes(
        commands=set(), bot_events=set(), methods=set(), shortcuts={("global", "new_milestone")}
    ) == {"commands"}


def test_scanner_finds_shortcut_registrations() -> None:
    source = (
        'app.message_shortcut("make_milestone", middleware=[ack_at_once])(make_milestone)\n'
        "app.global_shortcut('new_milestone')(new_milestone)\n"
        "app.shortcut(re.compile('x'))(anything)"
    )

    assert registered_shortcuts(source) == {("message", "make_milestone"), ("global", "new_milestone")}
    assert unscannable_registrations(source) == ["line 3: .shortcut(r…"]


def test_manifest_subscribes_to_exactly_the_events_the_code_listens_to(
    manifest: dict[str, Any], code: CodeUse
) -> None:
    declared, needed = declared_bot_events(manifest), bot_events_for(code.events)
    where = "settings.event_subscriptions.bot_events"
    problem = mismatch(
        "bot events", where, declared=declared, needed=needed, ahead=EVENTS_DECLARED_AHEAD_OF_CODE
    )

    assert not problem, problem


def test_manifest_requests_exactly_the_scopes_the_code_needs(manifest: dict[str, Any], code: CodeUse) -> None:
    needed = required_scopes(
        commands=code.commands,
        bot_events=bot_events_for(code.events),
        methods=code.methods,
        shortcuts=code.shortcuts,
    )
    declared = declared_scopes(manifest)
    where = "oauth_config.scopes.bot"
    problem = mismatch(
        "bot scopes", where, declared=declared, needed=needed, ahead=SCOPES_DECLARED_AHEAD_OF_CODE
    )

    assert not problem, problem


def test_entries_declared_ahead_of_code_are_still_ahead(manifest: dict[str, Any], code: CodeUse) -> None:
    events = bot_events_for(code.events)
    needed = required_scopes(
        commands=code.commands, bot_events=events, methods=code.methods, shortcuts=code.shortcuts
    )
    for table, ahead, used, declared in (
        (
            "EVENTS_DECLARED_AHEAD_OF_CODE",
            set(EVENTS_DECLARED_AHEAD_OF_CODE),
            events,
            declared_bot_events(manifest),
        ),
        (
            "SCOPES_DECLARED_AHEAD_OF_CODE",
            set(SCOPES_DECLARED_AHEAD_OF_CODE),
            needed,
            declared_scopes(manifest),
        ),
    ):
        assert not ahead & used, f"the code now needs {sorted(ahead & used)}: delete them from {table}"
        assert ahead <= declared, (
            f"manifest.yml no longer declares {sorted(ahead - declared)}: delete from {table}"
        )


# ---- the scanner ----

LISTENERS = """
def register(app: App) -> None:
    app.command("/milestone")(milestone_command)
    app.event("app_home_opened")(publish_home)

@app.event('message')
def on_reply(event, client):
    client.chat_postMessage(channel="C1", text="noted")
    client.users_info(
        user=event["user"],
    )
    history = client.conversations_history(channel="C1", include_all_metadata=True)
    web.api_call("views.publish", json={})
"""


def test_scanner_finds_string_literal_registrations() -> None:
    assert registered_commands(LISTENERS) == {"/milestone"}
    assert listened_events(LISTENERS) == {"app_home_opened", "message"}
    assert unscannable_registrations(LISTENERS) == []


def test_scanner_treats_app_message_as_a_message_listener() -> None:
    assert listened_events("@app.message(re.compile('#\\\\d+'))\ndef noted(): ...") == {"message"}


def test_scanner_reports_registrations_it_cannot_read() -> None:
    source = 'app.command(re.compile(r"/mile.*"))(handler)\napp.event({"type": "message"})(on_message)'

    assert unscannable_registrations(source) == ["line 1: .command(r…", "line 2: .event({…"]


def test_scanner_finds_web_api_calls_across_lines_and_by_name() -> None:
    assert called_methods(LISTENERS) == {
        "chat_postMessage",
        "users_info",
        "conversations_history",
        "views_publish",
    }


def test_scanner_notices_methods_missing_from_the_scope_table() -> None:
    assert called_methods("client.reactions_add(channel=c, name='tada', timestamp=ts)") == {"reactions_add"}
    assert called_methods("render.views_for(milestones)\nself.chat_postMessages()") == set()


def test_scopes_follow_from_commands_events_and_methods() -> None:
    events = bot_events_for({"message", "app_home_opened"})

    assert events == {"message.channels", "message.groups", "app_home_opened"}
    assert required_scopes(
        commands={"/milestone"}, bot_events=events, methods={"chat_postMessage", "views_open"}
    ) == {
        "commands",
        "chat:write",
        "channels:history",
        "groups:history",
    }
    assert required_scopes(commands=set(), bot_events=set(), methods=set()) == set()


def test_mismatch_says_what_to_add_and_remove() -> None:
    message = mismatch(
        "bot scopes", "oauth_config.scopes.bot", declared={"a", "b", "c"}, needed={"a", "d"}, ahead={"c"}
    )

    assert message == (
        "manifest.yml bot scopes do not match bot/ — add to oauth_config.scopes.bot: d; "
        "remove from oauth_config.scopes.bot (no code needs them): b"
    )
    assert mismatch("bot scopes", "x", declared={"a"}, needed={"a"}) == ""


def test_oauth_install_asks_for_the_manifest_scopes(manifest: dict[str, Any]) -> None:
    from bot.app import BOT_SCOPES

    assert sorted(BOT_SCOPES) == sorted(manifest["oauth_config"]["scopes"]["bot"])
