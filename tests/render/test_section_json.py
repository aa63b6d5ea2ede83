"""section_json writes what slack_sdk's section(...).to_dict() writes, to the byte, and refuses the same."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from slack_sdk.errors import SlackObjectFormationError

from bot.render.message import SECTION_TEXT_MAX, section, section_json


@given(st.text(min_size=1, max_size=SECTION_TEXT_MAX))
def test_the_same_json_as_slack_sdk_writes(text: str) -> None:
    assert json.dumps(section_json(text)) == json.dumps(section(text).to_dict())


def test_a_text_slack_refuses_is_refused_as_slack_sdk_refuses_it() -> None:
    with pytest.raises(SlackObjectFormationError):
        section_json("x" * (SECTION_TEXT_MAX + 1))
