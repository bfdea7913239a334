"""Write the corpus's tables to files for scripts and spreadsheets: CSV, Excel or Parquet.

CSV is UTF-8 with a byte-order mark, so Excel shows the Chinese text instead of mojibake; list
columns (``reporters``, ``article_ids``, ``pages``) are joined with ``、`` in CSV and Excel, which
cannot hold lists, and kept as lists in Parquet.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import pandas as pd

TABLES = ("articles", "paragraphs", "stories", "tokens", "mentions", "indicators")
Format = Literal["csv", "xlsx", "parquet"]
LIST_SEPARATOR = "、"
EXCEL_MAX_ROWS = 1_048_575  # one row of the sheet is the header


class MissingTable(LookupError):
    """The corpus has no such table (e.g. ``stories`` from a reader that does not join stories)."""


def corpus_table(corpus, name: str) -> pd.DataFrame:
    """One table of the corpus by name: read from it, or computed (tokens, mentions, indicators).

    Raises:
        MissingTable: the corpus does not carry that table.
        ValueError: an unknown name.
    """
    if name not in TABLES:
        raise ValueError(f"unknown table {name!r}; known: {', '.join(TABLES)}")
    if name in ("articles", "paragraphs", "stories"):
        table = getattr(corpus, name, None)
        if not isinstance(table, pd.DataFrame):
            raise MissingTable(f"this corpus has no {name} table ({type(corpus).__name__} carries: "
                               f"{', '.join(t for t in TABLES[:3] if isinstance(getattr(corpus, t, None), pd.DataFrame))})")
        return table
    if name == "tokens":
        from .tokens import tokenize

        return tokenize(corpus.articles)
    if name == "mentions":
        from .industries import industry_mentions

        return industry_mentions(corpus.articles)
    from .indicators import extract_indicators

    return extract_indicators(corpus.articles)


def flatten_lists(frame: pd.DataFrame, *, sep: str = LIST_SEPARATOR) -> pd.DataFrame:
    """A copy of ``frame`` with every list-valued column joined into a string (``['温琳', '刘芳']`` → ``温琳、刘芳``).

    Returns:
        A new frame, same columns and rows; missing lists become empty strings.
    """
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object and out[col].map(lambda v: isinstance(v, (list, tuple))).any():
            out[col] = out[col].map(lambda v: sep.join(map(str, v)) if isinstance(v, (list, tuple)) else ("" if v is None else v))
    return out


def write_table(table: pd.DataFrame, path: str | Path, *, format: Format) -> Path:
    """Write one table as ``format`` to ``path``; returns the path.

    Raises:
        ValueError: an Excel sheet would exceed Excel's row limit (use csv or parquet).
    """
    path = Path(path)
    if format == "parquet":
        table.to_parquet(path, index=False)
    elif format == "csv":
        flatten_lists(table).to_csv(path, index=False, encoding="utf-8-sig", date_format="%Y-%m-%d")
    else:
        if len(table) > EXCEL_MAX_ROWS:
            raise ValueError(f"{path.name}: {len(table):,} rows do not fit an Excel sheet ({EXCEL_MAX_ROWS:,}); use csv or parquet")
        flat = flatten_lists(table)
        for col in flat.columns:
            if isinstance(flat[col].dtype, pd.DatetimeTZDtype):
                flat[col] = flat[col].dt.tz_localize(None)
        flat.to_excel(path, index=False, sheet_name=path.stem[:31], engine="openpyxl")
    return path


def export_tables(
    corpus,
    out: str | Path,
    *,
    tables: Sequence[str] = TABLES,
    format: Format = "csv",
) -> tuple[list[Path], dict[str, str]]:
    """Write ``tables`` of ``corpus`` to ``out/NAME.{csv,xlsx,parquet}``.

    Args:
        corpus: a Corpus from :func:`zzanalysis.read_corpus`.
        out: the folder, created when missing.
        tables: names from :data:`TABLES`.
        format: ``"csv"`` (UTF-8 with BOM, lists joined), ``"xlsx"`` (one sheet per file, lists
            joined) or ``"parquet"`` (lists kept).

    Returns:
        The files written, and for each table that could not be written the reason.

    Raises:
        ValueError: an unknown table name.

    Example:
        >>> zz.export.export_tables(zz.read_corpus("data/raw"), "out", tables=["articles", "indicators"], format="xlsx")  # doctest: +SKIP
    """
    unknown = [t for t in tables if t not in TABLES]
    if unknown:
        raise ValueError(f"unknown table(s) {', '.join(unknown)}; known: {', '.join(TABLES)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written, missing = [], {}
    for name in tables:
        try:
            table = corpus_table(corpus, name)
            written.append(write_table(table, out / f"{name}.{format}", format=format))
        except (MissingTable, ValueError) as e:
            missing[name] = str(e)
    return written, missing
