"""The tables of a corpus as data: column constants, frame builders, canonical dtypes and row order.

Tables and columns are those of ``docs/data_model.md``: ``issues`` (one row per page file),
``articles`` (one row per article fragment), ``paragraphs`` (one row per paragraph) and
``problems`` (one row per file or oddity the reader reports). This module sits below everything
that makes or stores tables (:mod:`zzanalysis.corpus`, :mod:`zzanalysis.storage`, the readers) and
imports nothing of the package, so any of them can use it without a cycle.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

ARTICLE_COLUMNS = [
    "article_id", "issue_id", "date", "page", "position", "kind", "column", "kicker", "headline",
    "subtitle", "source", "outlet", "reporters", "correspondents", "photographers", "planners", "byline", "dateline", "continued_to",
    "continued_from", "story_id", "text", "n_paragraphs", "n_chars",
]
PARAGRAPH_COLUMNS = [
    "article_id", "issue_id", "date", "page", "para_no", "role", "text", "line_start", "line_end",
    "repaired", "split",
]
ISSUE_COLUMNS = [
    "issue_id", "page_id", "paper", "date", "weekday", "lunar_date", "issue_no", "pages_total", "page",
    "publisher", "cn_number", "section", "editors", "masthead", "extras", "warnings", "source_path", "sha256", "n_articles",
    "n_chars",
]
PROBLEM_COLUMNS = ["path", "line", "severity", "reason"]


def _articles_frame(rows: list[dict] | dict[str, list]) -> pd.DataFrame:
    return _frame(rows, ARTICLE_COLUMNS, {"page": "Int64", "position": "int64", "n_paragraphs": "int64",
                                          "n_chars": "int64"})


def _paragraphs_frame(rows: list[dict] | dict[str, list]) -> pd.DataFrame:
    return _frame(rows, PARAGRAPH_COLUMNS, {"page": "Int64", "para_no": "int64", "line_start": "int64",
                                            "line_end": "int64", "repaired": "bool", "split": "bool"})


def _issues_frame(metas: list[dict]) -> pd.DataFrame:
    return _frame(metas, ISSUE_COLUMNS, {"issue_no": "Int64", "pages_total": "Int64", "page": "Int64",
                                         "n_articles": "int64", "n_chars": "int64"})


def _frame(rows: list[dict] | dict[str, list], columns: list[str], casts: dict[str, str]) -> pd.DataFrame:
    """``DataFrame(rows).astype(casts)`` with ``date`` as datetime, built column by column.

    ``rows`` is a list of row dicts or, cheaper for many rows, the columns themselves
    (``{column: list}``, as the parser builds them). The same frame, three times faster than
    ``astype`` on a finished frame, which was most of the parse time for a year of pages.
    """
    if isinstance(rows, dict):
        cols = rows
    else:
        cols = {col: [r[col] for r in rows] for col in columns}
    if not len(cols[columns[0]]):
        df = pd.DataFrame([], columns=columns)
        df["date"] = pd.to_datetime(df["date"])
        return df.astype(casts)
    data = {}
    for col in columns:
        values = cols[col]
        if col == "date":
            data[col] = _date_array(values)
        elif isinstance(values, pa.Array):
            data[col] = pd.arrays.ArrowStringArray(values, dtype=_STR)  # built by the caller (_joined_text)
        elif casts.get(col) in _NUMPY_CASTS:
            data[col] = np.array(values, dtype=casts[col])  # what pd.array gives, without its checks
        elif col in casts:
            data[col] = pd.array(values, dtype=casts[col])
        elif col in _LIST_COLUMNS:
            data[col] = values
        else:
            data[col] = _str_array(values)
    return pd.DataFrame(data, columns=columns)


_STR = pd.StringDtype("pyarrow", na_value=np.nan)
_NUMPY_CASTS = ("int64",)  # pd.array is as fast as numpy for bool


def _date_array(values: list):
    """The ``date`` column: every row of a page holds the same Timestamp object, so each run of
    one object is converted once and repeated (to_datetime's parsing is not needed). An
    array of datetime64 (made by the caller) is taken as it is."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        return values
    first = values[0]
    if not isinstance(first, pd.Timestamp):
        return pd.to_datetime(values)
    ids = np.fromiter(map(id, values), dtype=np.uint64, count=len(values))
    starts = np.concatenate(([0], np.flatnonzero(ids[1:] != ids[:-1]) + 1))
    runs = [values[k] for k in starts.tolist()]
    if not all(type(v) is pd.Timestamp and v.unit == first.unit for v in runs):
        return pd.to_datetime(values)
    return np.repeat(np.array([v.to_datetime64() for v in runs]), np.diff(starts, append=len(values)))


def _str_array(values: list):
    """A text column as pandas would infer it (``str``; object when every value is None),
    through pyarrow: pandas' own inference checks each value in Python first."""
    if (arrow := _utf8_array(values)) is None:
        try:
            arrow = pa.array(values, type=pa.large_string())
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return values  # not all text: let pandas infer
    if arrow.null_count == len(arrow):
        return values
    return pd.arrays.ArrowStringArray(arrow, dtype=_STR)


def _utf8_array(values: list) -> pa.Array | None:
    """A list of ``str`` (no None) → Arrow ``large_string`` made from the values' UTF-8 bytes and
    their offsets: half the CPU time of ``pa.array``, which checks every value's type on the way.
    None when a value is not text (or holds a lone surrogate): ``pa.array`` decides then."""
    try:
        encoded = list(map(str.encode, values))
    except (TypeError, UnicodeEncodeError):  # TypeError: a value that is not a str
        return None
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)), out=offsets[1:])
    data = b"".join(encoded)
    return pa.LargeStringArray.from_buffers(len(encoded), pa.py_buffer(offsets), pa.py_buffer(data))


def _joined_text(paragraphs: pa.Array, n_paragraphs: list[int]) -> pa.Array:
    """The articles' ``text`` from their paragraphs' (``large_string``, in row order): each
    article's ``n_paragraphs`` texts joined with ``\\n``, as ``DATA_MODEL.md`` defines it, in one
    Arrow call instead of encoding every article's text a second time."""
    offsets = np.zeros(len(n_paragraphs) + 1, dtype=np.int64)
    np.cumsum(np.asarray(n_paragraphs, dtype=np.int64), out=offsets[1:])
    if offsets[-1] != len(paragraphs):
        raise ValueError(f"{offsets[-1]} paragraphs counted by the articles, {len(paragraphs)} given")
    lists = pa.LargeListArray.from_arrays(pa.array(offsets), paragraphs)
    return pc.binary_join(lists, pa.scalar("\n", pa.large_string()))


# Columns that hold lists; Parquet gives them back as arrays, the tables promise lists.
_LIST_COLUMNS = ("reporters", "correspondents", "photographers", "planners", "editors", "masthead", "extras", "warnings", "pages", "article_ids")


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as ``str`` whatever the pages held (an all-None column would stay object),
    list columns as lists: cold, cached and parallel loads give identical frames."""
    out = frame.copy(deep=False)
    for col in out.columns:
        if col in _LIST_COLUMNS:
            out[col] = [v.tolist() if hasattr(v, "tolist") else list(v) if v is not None else []
                        for v in out[col]]
        elif col == "page" and out[col].dtype != "Int64":
            out[col] = out[col].astype("Int64")  # NA for an article file; Parquet may give int64
        elif out[col].dtype == object:
            out[col] = out[col].astype("str")
        elif out[col].dtype.kind == "M" and out[col].dtype != "datetime64[s]":
            out[col] = out[col].astype("datetime64[s]")  # Parquet stores ms; a day needs s, as parsed
    return out


def _sorted(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``sort_values(keys, kind="stable")``, without the copy when the rows are in order already
    (an archive named by date is read in date order). Missing values (the page of an article
    file) sort last, as ``sort_values`` puts them."""
    if not any(frame[k].hasnans for k in keys) and \
            pd.MultiIndex.from_arrays([frame[k] for k in keys]).is_monotonic_increasing:
        return frame.reset_index(drop=True)
    return frame.sort_values(keys, kind="stable", ignore_index=True)

