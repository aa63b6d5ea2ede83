"""Reading and writing budgets and costs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.money import CURRENCIES, Money, MoneyError, format_money, names_currency, parse_money


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$5,000", Money(500000, "USD")),
        ("$5,000.50", Money(500050, "USD")),
        ("$5000", Money(500000, "USD")),
        ("5000 EUR", Money(500000, "EUR")),
        ("EUR 5000", Money(500000, "EUR")),
        ("EUR5000", Money(500000, "EUR")),
        ("€3k", Money(300000, "EUR")),
        ("3K €", Money(300000, "EUR")),
        ("£1.2m", Money(120000000, "GBP")),
        ("¥300000", Money(300000, "JPY")),
        ("₹250000", Money(25000000, "INR")),
        ("5k", Money(500000, "USD")),
        ("5000 usd", Money(500000, "USD")),
        ("CHF 1'000", Money(100000, "CHF")),
        ("CHF 1’000", Money(100000, "CHF")),
        ("$2bn", Money(200000000000, "USD")),
        ("$1.2345k", Money(123450, "USD")),
        ("KWD 1.234", Money(1234, "KWD")),
        ("$5,000 CAD", Money(500000, "CAD")),
        ("¥300 CNY", Money(30000, "CNY")),
        ("$0", Money(0, "USD")),
        (".5", Money(50, "USD")),
        ("  $5,000  ", Money(500000, "USD")),
    ],
)
def test_parse_money_reads_common_ways_of_writing_amounts(text: str, expected: Money) -> None:
    assert parse_money(text) == expected


def test_parse_money_uses_the_default_currency_when_none_is_named() -> None:
    assert parse_money("5k", default_currency="EUR") == Money(500000, "EUR")
    assert parse_money("300000", default_currency="JPY") == Money(300000, "JPY")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Give an amount"),
        ("   ", "Give an amount"),
        ("lots", "can't read `lots`"),
        ("five thousand", "can't read"),
        ("-$5", "negative"),
        ("$-5", "negative"),
        ("−5 EUR", "negative"),
        ("$5.001", "too many decimals; USD has 2"),
        ("$5.000", "too many decimals"),
        ("¥5.5", "JPY has no smaller unit"),
        ("$1.234567k", "too many decimals"),
        ("$10000000000001", "too large"),
        ("$20000bn", "too large"),
        ("5,00", "group thousands in threes"),
        ("1,000'000", "group thousands in threes"),
        ("5000 XYZ", "don't know the currency `XYZ`"),
        ("$5 EUR", "mixes `$` with EUR"),
        ("5000 EUR USD", "can't read"),
        ("EUR 5000 USD", "two currencies"),
        ("1e5", "can't read"),
        ("9" * 41, "too long"),
    ],
)
def test_parse_money_refuses_what_is_not_a_clear_amount(text: str, says: str) -> None:
    with pytest.raises(MoneyError) as caught:
        parse_money(text)
    assert says in str(caught.value)


def test_money_error_quotes_at_most_sixty_characters_of_the_text() -> None:
    with pytest.raises(MoneyError) as caught:
        parse_money("$" + "1" * 39)
    assert len(str(caught.value)) < 120


@pytest.mark.parametrize(
    ("money", "text"),
    [
        (Money(500000, "USD"), "$5,000"),
        (Money(500050, "USD"), "$5,000.50"),
        (Money(500005, "USD"), "$5,000.05"),
        (Money(300000, "EUR"), "€3,000"),
        (Money(120000000, "GBP"), "£1,200,000"),
        (Money(300000, "JPY"), "¥300,000"),
        (Money(100000, "INR"), "₹1,000"),
        (Money(500000, "CHF"), "5,000 CHF"),
        (Money(123456, "KWD"), "123.456 KWD"),
        (Money(0, "USD"), "$0"),
        (Money(-50000, "USD"), "-$500"),
    ],
)
def test_format_money_writes_amounts_for_people(money: Money, text: str) -> None:
    assert format_money(money) == text


@pytest.mark.parametrize("text", ["$5,000", "5000 EUR", "EUR 5000", "€3k", "5 chf", "¥300000"])
def test_names_currency_spots_amounts_with_a_sign_or_code(text: str) -> None:
    assert names_currency(text)


@pytest.mark.parametrize("text", ["5000", "5k", "3 wks", "2026", "Dec 15", "lots", ""])
def test_names_currency_ignores_plain_numbers_and_words(text: str) -> None:
    assert not names_currency(text)


money_values = st.builds(
    Money,
    minor=st.integers(min_value=0, max_value=10**13),
    currency=st.sampled_from(sorted(CURRENCIES)),
)


@settings(max_examples=300, deadline=None)
@given(money_values)
def test_formatted_money_reads_back_as_the_same_money(money: Money) -> None:
    text = format_money(money)
    assert parse_money(text, default_currency=money.currency) == money


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_parse_money_raises_only_money_error(text: str) -> None:
    try:
        money = parse_money(text)
    except MoneyError:
        return
    assert money.minor >= 0
    assert money.currency in CURRENCIES
