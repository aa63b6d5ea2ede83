"""Money as integer minor units plus an ISO 4217 currency code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext
from types import MappingProxyType

from bot.core.limits import BUDGET_CHARS
from bot.core.text import quoted

# The currencies people are likely to plan in, with ISO 4217's count of minor-unit digits.
# A short known list (rather than "any three letters") keeps `5 wks` or a typo from passing as money.
CURRENCIES = MappingProxyType(
    {
        "USD": 2, "EUR": 2, "GBP": 2, "JPY": 0, "INR": 2, "CHF": 2, "CAD": 2, "AUD": 2, "NZD": 2,
        "CNY": 2, "HKD": 2, "SGD": 2, "KRW": 0, "TWD": 2, "THB": 2, "IDR": 2, "MYR": 2, "PHP": 2,
        "VND": 0, "SEK": 2, "NOK": 2, "DKK": 2, "ISK": 0, "PLN": 2, "CZK": 2, "HUF": 2, "RON": 2,
        "TRY": 2, "ILS": 2, "AED": 2, "SAR": 2, "KWD": 3, "ZAR": 2, "NGN": 2, "KES": 2, "EGP": 2,
        "BRL": 2, "MXN": 2, "ARS": 2, "CLP": 0, "COP": 2,
    }
)  # fmt: skip

_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
_SYMBOL_OF = {code: symbol for symbol, code in _SYMBOLS.items()}
# `$` and `¥` are shared by several currencies, so `$5,000 CAD` or `¥300 CNY` is consistent.
_ALSO_WRITTEN_WITH = {
    "$": {"USD", "CAD", "AUD", "NZD", "HKD", "SGD", "TWD", "MXN", "ARS", "CLP", "COP"},
    "¥": {"JPY", "CNY"},
}
_SCALES = {"": 1, "k": 1_000, "m": 1_000_000, "b": 1_000_000_000, "bn": 1_000_000_000}
_MAX_MAJOR_UNITS = 10**13
_MAX_TEXT = BUDGET_CHARS  # one cap on an amount as typed, in a command or the form

# Each part is optional and simple, and input is capped at _MAX_TEXT characters, so matching stays linear.
_AMOUNT = re.compile(
    r"""
    (?P<neg1>[-−])?\s*
    (?:(?P<code_before>[A-Za-z]{3})\s*)?
    (?P<symbol>[$€£¥₹])?\s*
    (?P<neg2>[-−])?\s*
    (?P<number>[0-9][0-9,'’]*(?:\.[0-9]*)?|\.[0-9]+)
    \s*(?P<scale>bn|[kmb])?
    \s*(?P<symbol_after>[$€£¥₹])?
    \s*(?P<code_after>[A-Za-z]{3})?
    """,
    re.VERBOSE | re.IGNORECASE,
)
_GROUPED = re.compile(r"[0-9]{1,3}(?:([,'’])[0-9]{3})?(?:\1[0-9]{3})*")
_EXAMPLES = "`$5,000`, `5000 EUR` or `€3k`"


@dataclass(frozen=True)
class Money:
    """An amount in minor units (cents) of a currency, e.g. Money(500000, "USD") is $5,000."""

    minor: int
    currency: str


class MoneyError(ValueError):
    """Raised when text is not an amount of money."""


def parse_money(text: str, *, default_currency: str = "USD") -> Money:
    """Read `$5,000`, `5000 EUR`, `€3k`, `1.5m`, `USD 250` as Money."""
    if default_currency not in CURRENCIES:
        raise ValueError(f"unknown default currency {default_currency!r}")
    stripped = text.strip()
    if not stripped:
        raise MoneyError(f"Give an amount, like {_EXAMPLES}.")
    if len(stripped) > _MAX_TEXT:
        raise MoneyError(f"{quoted(stripped)} is too long to be an amount; try {_EXAMPLES}.")
    match = _AMOUNT.fullmatch(stripped)
    if match is None:
        raise MoneyError(f"I can't read {quoted(stripped)} as an amount; try {_EXAMPLES}.")
    if match["neg1"] or match["neg2"]:
        raise MoneyError(f"An amount can't be negative: {quoted(stripped)}.")
    currency = _currency(match, text=stripped, default=default_currency)
    scale = (match["scale"] or "").lower()
    written_decimals = len(match["number"].partition(".")[2])
    # `$5.000` is refused rather than read as $5: in much of Europe it means five thousand.
    if not scale and written_decimals > CURRENCIES[currency]:
        raise MoneyError(_too_precise(stripped, currency))
    # Enough precision that a long fraction times `k` is never rounded into a whole number of cents.
    with localcontext(prec=80):
        value = _number(match["number"], text=stripped) * _SCALES[scale]
        if value > _MAX_MAJOR_UNITS:
            raise MoneyError(f"{quoted(stripped)} is too large to be a budget or cost.")
        minor = value.scaleb(CURRENCIES[currency])
        if minor != minor.to_integral_value():
            raise MoneyError(_too_precise(stripped, currency))
    return Money(int(minor), currency)


def names_currency(text: str) -> bool:
    """True when text looks like an amount with a currency sign or known code (`$5,000`, `5000 EUR`)."""
    stripped = text.strip()
    if len(stripped) > _MAX_TEXT:
        return False
    match = _AMOUNT.fullmatch(stripped)
    if match is None:
        return False
    codes = [code.upper() for code in (match["code_before"], match["code_after"]) if code]
    return bool(match["symbol"] or match["symbol_after"]) or any(code in CURRENCIES for code in codes)


def format_money(money: Money) -> str:
    """Write Money for people: `$5,000`, `€3,000.50`, `5,000 CHF`."""
    digits = CURRENCIES.get(money.currency, 2)
    sign = "-" if money.minor < 0 else ""
    major, minor = divmod(abs(money.minor), 10**digits)
    amount = f"{major:,}"
    if minor:
        amount += f".{minor:0{digits}d}"
    symbol = _SYMBOL_OF.get(money.currency)
    return f"{sign}{symbol}{amount}" if symbol else f"{sign}{amount} {money.currency}"


def _currency(match: re.Match[str], *, text: str, default: str) -> str:
    """The one currency that the symbol and codes agree on, or the default when none is named."""
    codes = {code.upper() for code in (match["code_before"], match["code_after"]) if code}
    symbols = {symbol for symbol in (match["symbol"], match["symbol_after"]) if symbol}
    if len(codes) > 1 or len(symbols) > 1:
        raise MoneyError(f"{quoted(text)} names two currencies; give one.")
    code = codes.pop() if codes else None
    if code is not None and code not in CURRENCIES:
        raise MoneyError(f"I don't know the currency `{code}`; use a code like USD, EUR or GBP.")
    if symbols:
        symbol = symbols.pop()
        if code is None:
            return _SYMBOLS[symbol]
        if code != _SYMBOLS[symbol] and code not in _ALSO_WRITTEN_WITH.get(symbol, ()):
            raise MoneyError(f"{quoted(text)} mixes `{symbol}` with {code}; give one currency.")
        return code
    return code or default


def _number(raw: str, *, text: str) -> Decimal:
    """The digits of an amount, refusing grouping that could be read two ways (`5,00`)."""
    whole, _, fraction = raw.partition(".")
    if whole and _GROUPED.fullmatch(whole) is None and not whole.isdigit():
        raise MoneyError(f"I can't read {quoted(text)}: group thousands in threes, like `5,000.50`.")
    digits = re.sub(r"[,'’]", "", whole) or "0"
    try:
        return Decimal(f"{digits}.{fraction or '0'}")
    except InvalidOperation as error:  # the pattern admits only digits, so this is a bug guard
        raise MoneyError(f"I can't read {quoted(text)} as an amount.") from error


def _too_precise(text: str, currency: str) -> str:
    digits = CURRENCIES[currency]
    if digits == 0:
        return f"{quoted(text)} has a fraction, but {currency} has no smaller unit."
    return f"{quoted(text)} has too many decimals; {currency} has {digits}."
