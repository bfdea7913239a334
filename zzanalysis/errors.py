"""Errors and warnings the package raises about its input."""
from __future__ import annotations

from pathlib import Path


class ParseError(ValueError):
    """A page file that cannot be read or parsed; names the file and, where known, the line.

    Attributes:
        path: the file (None for text given directly).
        line: 1-based line number in that file, or None.
        reason: the message without the location.
    """

    def __init__(self, reason: str, *, path: str | Path | None = None, line: int | None = None):
        self.reason = reason
        self.path = str(path) if path is not None else None
        self.line = line
        where = self.path or "<text>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {reason}")


class PageWarning(UserWarning):
    """Something in a page file was odd but could be read (e.g. a date that disagrees with the file name)."""


class ColumnError(ValueError):
    """A table lacks a column the function needs; the message names it and the columns there are."""
