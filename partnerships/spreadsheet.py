"""One guard for every CSV export: spreadsheet programs run a cell that looks like a formula."""

from __future__ import annotations

from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_safe(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return f"'{value}"
    return value


def csv_safe(value: object) -> str:
    """The same guard for a cell that must be text (None becomes empty)."""
    return spreadsheet_safe("" if value is None else str(value))
