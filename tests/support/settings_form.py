"""The channel settings form as Slack submits it: `view_state.submitted`, radio buttons included."""

from __future__ import annotations

from typing import Any

from tests.support.view_state import submitted


def submitted_settings(view: dict, **changes: Any) -> dict:
    """The state of the settings form submitted as shown, with `changes` by block_id.

    A plain string picks a radio button or a select's option by its value.
    """
    radios = {
        block["block_id"]: block
        for block in view["blocks"]
        if block["type"] == "input" and block["element"]["type"] == "radio_buttons"
    }
    rest = {**view, "blocks": [block for block in view["blocks"] if block.get("block_id") not in radios]}
    values = submitted(rest, **{key: value for key, value in changes.items() if key not in radios})
    for block_id, block in radios.items():
        picked = changes.get(block_id, block["element"].get("initial_option"))
        if isinstance(picked, str):
            picked = {"value": picked}
        values[block_id] = {block_id: {"type": "radio_buttons", "selected_option": picked}}
    return values
