"""Cells for files people open in a spreadsheet (CSV, XLSX): never a formula.

A value such as ``=HYPERLINK(...)`` or ``@SUM(...)`` typed into a plan would otherwise run when
someone opens the open data in Excel or LibreOffice (CSV injection, as OWASP describes it).
Every CSV/XLSX the web app writes passes its cells through ``safe_cell``; JSON keeps the text
as it is.
"""

from __future__ import annotations

import re
from typing import Any

# A cell a spreadsheet would run as a formula starts with one of these (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def safe_cell(value: Any) -> Any:
    """A CSV/XLSX cell that no spreadsheet runs as a formula: text starting with = + - @, a tab
    or a carriage return gets a leading apostrophe, which spreadsheets show as text. Numbers,
    and text that is just a number ("-5"), stay as they are; the JSON keeps the text unchanged."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    if PLAIN_NUMBER.match(value):
        return value
    return "'" + value
