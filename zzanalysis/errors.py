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


class ColumnError(ValueError, KeyError):
    """A table lacks columns a function needs; names the function and the missing columns.

    A ``ValueError`` (the input is wrong); also a ``KeyError`` so code written when some
    functions raised ``KeyError`` for a missing column keeps working.

    Attributes:
        func: the function that needed the columns, e.g. ``"kwic"``.
        missing: the missing column names, in the order needed.
        available: the columns the table has.

    Example:
        >>> raise ColumnError("kwic", ["text"], ["article_id"])
        Traceback (most recent call last):
        zzanalysis.errors.ColumnError: kwic() needs column(s) ['text']; the table has ['article_id']
    """

    def __init__(self, func: str, missing, available=(), *, table: str = "the table"):
        self.func = func
        self.missing = list(missing)
        self.available = list(available)
        super().__init__(f"{func}() needs column(s) {self.missing}; {table} has {self.available}")

    # KeyError's own __str__ would print the message quoted, as if it were a key.
    __str__ = ValueError.__str__
