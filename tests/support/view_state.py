"""`view.state.values` as Slack sends it when a modal the bot built is submitted."""

from __future__ import annotations

from typing import Any

# The key each input element keeps its answer under, and where the built view holds that answer's start.
_STATE_KEYS = {
    "plain_text_input": ("value", "initial_value"),
    "datepicker": ("selected_date", "initial_date"),
    "timepicker": ("selected_time", "initial_time"),
    "users_select": ("selected_user", "initial_user"),
    "conversations_select": ("selected_conversation", "initial_conversation"),
    "static_select": ("selected_option", "initial_option"),
    "external_select": ("selected_option", "initial_option"),
    "radio_buttons": ("selected_option", "initial_option"),
    "checkboxes": ("selected_options", "initial_options"),
}


def submitted(view: dict, **changes: Any) -> dict:
    """The state of `view` submitted as shown, with `changes` by block_id (a plain string picks an option)."""
    values: dict = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        key, initial = _STATE_KEYS[element["type"]]
        answer = element.get(initial)
        if key == "selected_options":
            answer = answer or []
        values[block["block_id"]] = {element["action_id"]: {"type": element["type"], key: answer}}
    for block_id, value in changes.items():
        state = values[block_id][block_id]
        key = next(key for key in state if key != "type")
        state[key] = {"value": value} if key == "selected_option" and isinstance(value, str) else value
    return values
