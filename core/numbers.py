"""Numbers, amounts and currencies as the reader writes them, through Babel (CLDR data).

Pages show ``12,500.00`` to an English reader and ``12.500,00`` to a Spanish one; exports
keep the plain stored value, so a spreadsheet reads it whatever the reader's language.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.numbers import format_currency, format_decimal, get_currency_name
from django.utils import translation


def reader_locale() -> Locale:
    """Babel's locale for the active language (English when there is none or Babel lacks it)."""
    try:
        return Locale.parse(translation.to_locale(translation.get_language() or "en"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def _decimal(value: object) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def number(value: object) -> str:
    """A measurement or count with the reader's separators; anything else as it came."""
    amount = _decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    return format_decimal(amount, locale=reader_locale())


def money(value: object, currency: str) -> str:
    """An amount with its currency's symbol and decimals, as the reader writes money."""
    amount = _decimal(value)
    if amount is None:
        return "" if value is None else f"{value} {currency}"
    return format_currency(amount, currency, locale=reader_locale())


@cache
def currency_codes() -> frozenset[str]:
    """The ISO 4217 codes of the currencies some country uses as legal tender.

    Babel knows historical and special codes too (DEM, XXX, XTS ...): nobody states a
    need in those, so the list offered and accepted is the one CLDR says is in use.
    """
    codes = set()
    for currencies in get_global("territory_currencies").values():
        for code, _start, end, tender in currencies:
            if end is None and tender:
                codes.add(code)
    return frozenset(codes)


def currency_choices() -> list[tuple[str, str]]:
    """(code, "Name (CODE)") for every currency in use, named and sorted in the reader's language."""
    locale = reader_locale()
    choices = [
        (code, f"{get_currency_name(code, locale=locale)} ({code})") for code in currency_codes()
    ]
    # "dólar" sorts among the d's, not after "zloty".
    return sorted(choices, key=lambda item: unicodedata.normalize("NFKD", item[1]).casefold())
