"""One guard for every CSV export: spreadsheet programs run a cell that looks like a formula.

Every export writes through :func:`csv_writer`: every text cell is quoted, numbers stay
numbers, and the file starts with a UTF-8 byte-order mark so that accents survive a
double-click into a spreadsheet. Quoting alone is not enough: a program that splits on a
different separator (``;`` in many European locales, or a tab) cuts a quoted cell into
pieces, and each piece is read on its own. So a formula character at the start of the
cell or right after any of those separators gets an apostrophe in front of it.
"""

from __future__ import annotations

import csv
import re
from typing import Any, Protocol

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
BOM = "\ufeff"
# A separator a spreadsheet may split on, then (after blanks) a character that starts a
# formula there.
_FORMULA_AFTER_SEPARATOR = re.compile(r"([,;\t\r\n][ ]*)([=+\-@])")


class _Writable(Protocol):
    def write(self, value: str, /) -> Any: ...


def spreadsheet_safe(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe, here and after
    every separator; numbers stay numbers."""
    if not isinstance(value, str):
        return value
    value = _FORMULA_AFTER_SEPARATOR.sub(r"\1'\2", value)
    if value.startswith(FORMULA_PREFIXES):
        return f"'{value}"
    return value


def csv_safe(value: object) -> str:
    """The same guard for a cell that must be text (None becomes empty)."""
    return spreadsheet_safe("" if value is None else str(value))


def csv_writer(target: _Writable) -> Any:
    """A writer that quotes every text cell and leaves numbers (int, float, Decimal) bare."""
    return csv.writer(target, quoting=csv.QUOTE_NONNUMERIC)
