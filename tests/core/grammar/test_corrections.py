"""Bad input answered with the person's own command put right, where a correction is known and reads."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.command_types import CommandError
from bot.core.grammar.tokens import plain_text
from tests.support.commands import error_of, parse


@pytest.mark.parametrize(
    ("text", "says", "example"),
    [
        ("ad Website copy due friday", "did you mean `add`?", "/milestone add Website copy due friday"),
        ("create Launch beta", "did you mean `add`?", "/milestone add Launch beta"),
        ("lsit overdue", "did you mean `list`?", "/milestone list overdue"),
        ("updte 3 due Dec 20", "did you mean `update`?", "/milestone update 3 due Dec 20"),
        ("setings workdays mon-fri", "did you mean `settings`?", "/milestone settings workdays mon-fri"),
    ],
)
def test_a_misspelt_verb_is_put_right_in_the_persons_own_command(text: str, says: str, example: str) -> None:
    error = error_of(text)
    assert says in error.message
    assert error.example == example


@pytest.mark.parametrize(
    ("text", "says", "example"),
    [
        ("update 3 deu Dec 20", "Did you mean `due`?", "/milestone update 3 due Dec 20"),
        ("update 3 stauts blocked", "Did you mean `status`?", "/milestone update 3 status blocked"),
        ("done 12 cots $40", "Did you mean `cost`?", "/milestone done 12 cost $40"),
        (
            "add Launch due Dec 15 ownr <@U1|bob>",
            "Did you mean `owner` for `ownr`?",
            "/milestone add Launch due Dec 15 owner @bob",
        ),
        ("list overdeu", "did you mean `overdue`?", "/milestone list overdue"),
        ("report dpet Marketing", "did you mean `dept`?", "/milestone report dept Marketing"),
    ],
)
def test_a_misspelt_keyword_is_put_right_in_the_persons_own_command(
    text: str, says: str, example: str
) -> None:
    error = error_of(text)
    assert says in error.message
    assert error.example == example


@pytest.mark.parametrize(
    ("text", "example"),
    [
        ("add Launch owner alice", "/milestone add Launch owner @alice"),
        ("update 3 owner bob.smith due Dec 20", "/milestone update 3 owner @bob.smith due Dec 20"),
        ("report @carol", "/milestone report @carol"),
        ("list @carol", "/milestone list @carol"),
    ],
)
def test_a_name_typed_without_picking_it_shows_the_mention_and_how_to_make_one(
    text: str, example: str
) -> None:
    error = error_of(text)
    assert "I can't tell who" in error.message
    assert "type @ and pick" in error.message and "Slack's list" in error.message
    assert error.example == example
    # What the example stands for reads once the name is picked: a real mention in its place.
    assert error.correction is not None and "<@" in error.correction
    parse(error.correction)


@pytest.mark.parametrize(
    ("text", "says", "example"),
    [
        ("update 3 status at-rsk", "did you mean `at-risk`?", "/milestone update 3 status at-risk"),
        ("update 3 status on trak", "did you mean `on track`?", "/milestone update 3 status on track"),
        (
            "update 3 status blokced because vendor",
            "did you mean `blocked`?",
            "/milestone update 3 status blocked because vendor",
        ),
    ],
)
def test_a_status_off_by_a_letter_is_put_right(text: str, says: str, example: str) -> None:
    error = error_of(text)
    assert says in error.message
    assert error.example == example


def test_an_unknown_status_with_nothing_close_keeps_the_generic_example() -> None:
    error = error_of("update 3 status cancelled")
    assert "use on track, at risk, blocked or open" in error.message
    assert error.example == "/milestone update 3 status at risk"


@pytest.mark.parametrize(
    ("text", "says", "example"),
    [
        ("show #12x", "did you mean `#12`?", "/milestone show #12"),
        ("show (#12)", "did you mean `#12`?", "/milestone show #12"),
        ("update 12x due Dec 20", "did you mean `12`?", "/milestone update 12 due Dec 20"),
        ("delete 12 now", "takes just a milestone number", "/milestone delete 12"),
        ("show -3", "isn't a milestone number; use the one shown", "/milestone show 12"),
        ("show abc", "isn't a milestone number; use the one shown", "/milestone show 12"),
    ],
)
def test_a_number_with_a_stray_character_is_put_right(text: str, says: str, example: str) -> None:
    error = error_of(text)
    assert says in error.message
    assert error.example == example


@pytest.mark.parametrize(
    ("text", "example"),
    [
        # Wednesday, Nov 25, 2026: a due date a week on; a start or done day today; `since` the 1st.
        (
            "add Website copy due whenever owner <@U1|bob> budget $5k",
            "/milestone add Website copy due Dec 2 owner @bob budget $5k",
        ),
        ("update 3 start someday", "/milestone update 3 start Nov 25"),
        ("done 12 on sometime cost $40", "/milestone done 12 on Nov 25 cost $40"),
        ("report since whenever", "/milestone report since Nov 1"),
        ("add Launch budget lots dept Sales", "/milestone add Launch budget $5,000 dept Sales"),
    ],
)
def test_an_unreadable_date_or_amount_keeps_the_rest_of_the_command(text: str, example: str) -> None:
    error = error_of(text)
    assert "I can't read" in error.message
    assert error.example == example


def test_several_slips_are_all_put_right_in_one_example() -> None:
    error = error_of("ad Launch due whenever owner bob")
    assert error.message == "I don't know `ad`; did you mean `add`?"
    assert error.example == "/milestone add Launch due Dec 2 owner @bob"


def test_a_correction_that_does_not_read_gives_the_generic_example() -> None:
    # `add` is right, but the due date is in the past: no correction is known for that.
    error = error_of("ad Launch due Dec 1 2025")
    assert error.example == "/milestone add Launch beta due Dec 15 owner @alice budget $5,000 dept Marketing"
    assert error.correction is None


def test_a_long_command_gets_the_generic_example_to_keep_the_answer_short() -> None:
    error = error_of("ad " + "word " * 80)
    assert "did you mean `add`?" in error.message
    assert error.example.startswith("/milestone add Launch beta")


def test_settings_put_a_misspelt_weekday_right_and_keep_the_other_settings() -> None:
    error = error_of("settings workdays mon-fir review fri 16:00")
    assert error.example == "/milestone settings workdays mon-fri review fri 16:00"


def test_settings_put_a_misspelt_setting_right() -> None:
    error = error_of("settings wrokdays mon-fri chase off")
    assert "did you mean `workdays`?" in error.message
    assert error.example == "/milestone settings workdays mon-fri chase off"


def test_a_misspelt_keyword_inside_a_status_or_reason_is_put_right() -> None:
    error = error_of("update 3 status at risk becuase the vendor slipped")
    assert "Did you mean `because` for `becuase`?" in error.message
    assert error.example == "/milestone update 3 status at risk because the vendor slipped"


def test_away_with_a_day_but_no_until_gets_until() -> None:
    assert error_of("away Dec 20").example == "/milestone away until Dec 20"
    assert error_of("away untl Dec 20").example == "/milestone away until Dec 20"
    assert error_of("away of").example == "/milestone away off"
    assert error_of("away forever").example == "/milestone away until next friday"


# property: every correction shown reads

VALID = [
    "add Website copy due next friday owner <@U1|bob> budget $5,000 dept Marketing",
    "add Launch beta start Dec 1 due Dec 15",
    "update 3 due Dec 20 status at risk because the vendor slipped",
    "update 4 owner <@U2|carol> start Nov 30 budget 5000 EUR",
    "done 12 on Nov 20 cost $4,500",
    "show 12",
    "delete #7",
    "list overdue",
    "report dept Marketing since Nov 1",
    "settings workdays mon-fri review fri 16:00",
    "away until Dec 20",
]


@st.composite
def slipped(draw: st.DrawFn) -> str:
    """A valid command with one slip: a letter dropped, swapped, doubled or changed, or a mention typed."""
    words = draw(st.sampled_from(VALID)).split(" ")
    index = draw(st.integers(0, len(words) - 1))
    word = words[index]
    if word.startswith("<@"):
        words[index] = word.split("|")[1].rstrip(">")
        return " ".join(words)
    at = draw(st.integers(0, len(word) - 1))
    letter = draw(st.sampled_from("aeiourstx#1"))
    slips = [
        word[:at] + word[at + 1 :],
        word[:at] + word[at + 1 : at + 2] + word[at : at + 1] + word[at + 2 :],
        word[:at] + word[at] + word[at:],
        word[:at] + letter + word[at + 1 :],
        word + letter,
    ]
    words[index] = draw(st.sampled_from(slips))
    return " ".join(words)


@settings(max_examples=400, deadline=None)
@given(slipped())
def test_every_corrected_example_itself_reads(text: str) -> None:
    try:
        parse(text)
    except CommandError as error:
        if error.correction is None:
            assert error.example.startswith("/milestone ")
            return
        parse(error.correction)
        assert error.example == f"/milestone {plain_text(error.correction)}"
        assert len(error.example) <= 300
