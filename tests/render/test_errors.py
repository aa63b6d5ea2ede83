from __future__ import annotations

from bot.render.errors import error_message, internal_error_message
from tests.support.blocks import assert_valid


def test_error_says_what_was_wrong_and_an_example_to_copy():
    message = error_message("I can't read `Dec 32` as a date.", example="/milestone update 12 due <date>")

    assert_valid(message)
    assert message.text == "⚠️ I can't read `Dec 32` as a date.\nTry: `/milestone update 12 due &lt;date&gt;`"
    assert message.blocks[0]["text"]["text"] == message.text


def test_error_example_cannot_break_out_of_its_code_span():
    message = error_message("Bad title.", example="/milestone add `x` & more")

    assert message.text.endswith("Try: `/milestone add 'x' &amp; more`")


def test_internal_error_says_nothing_changed():
    message = internal_error_message()

    assert_valid(message)
    assert "nothing was changed" in message.text
    assert "try again" in message.text
