"""How the history keeps values: money written by `encode` reads back as the same money."""

from __future__ import annotations

import pytest

from bot.core.money import Money
from bot.core.revisions import encode, stored_money


@pytest.mark.parametrize("money", [Money(500000, "USD"), Money(-5, "EUR"), Money(0, "JPY")])
def test_stored_money_reads_back_what_encode_wrote(money: Money) -> None:
    assert stored_money(encode(money) or "") == money


@pytest.mark.parametrize(("raw", "money"), [("USD 500000", Money(500000, "USD")), ("5 usd", Money(5, "USD"))])
def test_stored_money_tolerates_the_currency_first_or_in_lower_case(raw: str, money: Money) -> None:
    assert stored_money(raw) == money


@pytest.mark.parametrize("raw", ["", "500000", "five USD", "5 U5D", "1 2 3"])
def test_stored_money_is_none_for_what_is_no_money(raw: str) -> None:
    assert stored_money(raw) is None
