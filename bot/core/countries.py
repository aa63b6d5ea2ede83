"""The countries whose public holidays a channel may take off: read from a code or a name, and named."""

from __future__ import annotations

import difflib
import functools

from holidays import registry

from bot.core.command_types import NO_HOLIDAYS
from bot.core.limits import LimitError, check_country
from bot.core.text import excerpt

# Names the holidays package spells by its module names (`hongkong`, `dr_congo`) that people write otherwise.
_NAMES = {"HK": "Hong Kong", "CD": "DR Congo", "GW": "Guinea-Bissau", "TL": "Timor-Leste",
          "CI": "Côte d'Ivoire", "SY": "Syria", "VA": "Vatican City"}  # fmt: skip
_SMALL_WORDS = ("and", "the")
# `holidays none` (or off, no): no public holidays off, in the command and the settings form alike.
_NO_HOLIDAYS_WORDS = ("none", "off", "no")


@functools.cache
def _countries() -> dict[str, str]:
    """Every country the holidays package knows: its two-letter code to its English name."""
    return {entry[1]: _NAMES.get(entry[1]) or _title(module) for module, entry in registry.COUNTRIES.items()}


@functools.cache
def _codes_by_other_name() -> dict[str, str]:
    """Lower-case names and three-letter codes (`germany`, `deu`, `united states`) to the two-letter code."""
    found = {entry[2].lower(): entry[1] for entry in registry.COUNTRIES.values()}
    found |= {module.replace("_", " "): entry[1] for module, entry in registry.COUNTRIES.items()}
    found |= {name.lower(): code for code, name in _countries().items()}
    return found | {"uk": "GB", "usa": "US", "america": "US", "britain": "GB", "great britain": "GB"}


def _title(module: str) -> str:
    """`bosnia_and_herzegovina` → `Bosnia and Herzegovina`."""
    words = module.split("_")
    return " ".join(
        word if index and word in _SMALL_WORDS else word.title() for index, word in enumerate(words)
    )


def country_name(code: str) -> str:
    """`United States` for `US`; the code itself for one the holidays package does not know."""
    return _countries().get(code.upper(), code)


def holidays_setting(written: str) -> str:
    """What `holidays <written>` sets: a country's two-letter code, or NO_HOLIDAYS for `none`, `off`, `no`."""
    if " ".join(written.split()).lower() in _NO_HOLIDAYS_WORDS:
        return NO_HOLIDAYS
    return holiday_country(written)


def holiday_country(written: str) -> str:
    """The two-letter code of a country written as a code (`US`, `gb`, `DEU`) or a name (`Germany`).

    Raises LimitError saying what was not understood, with the closest countries when some are near.
    """
    words = " ".join(written.split()).lower()
    if words.upper() in _countries():
        return words.upper()
    if words in _codes_by_other_name():
        return _codes_by_other_name()[words]
    try:
        # What the package reads beyond these (its aliases) is still one of its two-letter countries.
        code = check_country(words)
    except LimitError:
        near = " or ".join(f"{country_name(code)} ({code})" for code in nearest_countries(words))
        guess = f"did you mean {near}?" if near else "use a two-letter code like US, GB or DE."
        shown = excerpt(" ".join(written.split()), limit=30)
        raise LimitError(f"I don't know the public holidays of “{shown}”; {guess}") from None
    return code if code in _countries() else _codes_by_other_name().get(code.lower(), code)


def nearest_countries(written: str) -> list[str]:
    """The two-letter codes of up to two countries whose code or name is near what was written."""
    names = _codes_by_other_name()
    close = difflib.get_close_matches(" ".join(written.split()).lower()[:40], list(names), n=4, cutoff=0.75)
    return list(dict.fromkeys(names[name] for name in close))[:2]
