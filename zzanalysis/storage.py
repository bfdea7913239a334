"""A corpus on disk: the tables as a Parquet dataset partitioned by year.

Layout (Hive partitioning, which pandas, pyarrow, DuckDB, Dask and Spark all read as is)::

    DIR/issues/year=2023/part-0.parquet
    DIR/articles/year=2023/part-0.parquet
    DIR/paragraphs/year=2023/part-0.parquet
    DIR/tokens/year=2023/part-0.parquet        (when tokens are given)
    DIR/problems/part-0.parquet                (not partitioned: a handful of rows)

Readers other than ``zz.read_parquet`` add ``year`` as a column taken from the folder name::

    pd.read_parquet("DIR/articles")                                    # pandas / pyarrow
    duckdb.sql("select * from read_parquet('DIR/articles/*/*.parquet', hive_partitioning=true)")
    dask.dataframe.read_parquet("DIR/tokens")                          # one partition per year

:func:`iter_years` reads one year at a time, so a decade of tokens never has to fit in memory at
once; the counts made that way (``term_frequency_by_year`` …) live with the analyses, in
:mod:`zzanalysis.yearly`. This module stores and reads tables and does no analysis; it never
builds a Corpus either: ``zz.read_parquet`` (:func:`zzanalysis.corpus.read_parquet`) makes one
from the tables read here, so the corpus module can use this one without a cycle.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Literal, Protocol

import pandas as pd

from .tables import PROBLEM_COLUMNS, _canonical

__all__ = ["iter_years", "read_problems", "read_table", "write_parquet"]

Table = Literal["issues", "articles", "paragraphs", "tokens"]
TABLES: tuple[Table, ...] = ("issues", "articles", "paragraphs", "tokens")
_PART = "part-0.parquet"


class Tables(Protocol):
    """What :func:`write_parquet` stores: a :class:`~zzanalysis.corpus.Corpus` or anything with its tables."""

    issues: pd.DataFrame
    articles: pd.DataFrame
    paragraphs: pd.DataFrame
    problems: pd.DataFrame


def write_parquet(corpus: Tables, path: str | os.PathLike, *, tokens: pd.DataFrame | None = None) -> Path:
    """Write a corpus (and optionally its tokens) as a Parquet dataset partitioned by year.

    Each table is written to a temporary folder next to its final place and swapped in when
    complete, so a reader never sees half a year; tables already at ``path`` are replaced (and
    a tokens table removed when no ``tokens`` are given: it belonged to the old corpus).

    Args:
        corpus: a :class:`~zzanalysis.corpus.Corpus` (``read_corpus``), or any object with
            ``issues``, ``articles``, ``paragraphs`` and ``problems`` tables.
        path: the dataset folder; created if missing.
        tokens: a tokens table (``tokenize``) of this corpus. Its year comes from its ``date``
            column if it carries one, else from the date of its ``article_id``.

    Returns:
        The dataset folder.

    Raises:
        ValueError: rows without a date, or ``tokens`` that cannot be put in a year (no ``date``
            nor ``article_id`` column, or articles the corpus does not hold).

    Example:
        >>> corpus = zz.read_corpus("data/raw")
        >>> corpus.to_parquet("out/zzrb", tokens=corpus.paragraphs.pipe(zz.tokenize))  # doctest: +SKIP
    """
    root = Path(path)
    root.mkdir(parents=True, exist_ok=True)
    for name in ("issues", "articles", "paragraphs"):
        frame = getattr(corpus, name)
        _write_table(root, name, frame, _years(frame["date"]))
    if tokens is not None:
        if "date" in tokens.columns:
            years = _years(tokens["date"])
        elif "article_id" in tokens.columns:
            dates = corpus.articles.set_index("article_id")["date"]
            years = _years(pd.Series(dates.reindex(tokens["article_id"].astype(str)).to_numpy()))
            if years.isna().any():
                raise ValueError("tokens of articles that the corpus does not hold: no year for them")
        else:
            raise ValueError("tokens need a 'date' or an 'article_id' column to be put in a year")
        _write_table(root, "tokens", tokens, years)
    else:
        # tokens of whatever corpus was here before would no longer match the tables
        shutil.rmtree(root / "tokens", ignore_errors=True)
    _write_table(root, "problems", corpus.problems, None)
    return root


def read_table(
    path: str | os.PathLike,
    *,
    table: Table,
    years: int | Iterable[int] | None = None,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Read one table of a dataset written by :func:`write_parquet`, all its years at once.

    Args:
        path: the dataset folder.
        table: ``"issues"``, ``"articles"``, ``"paragraphs"`` or ``"tokens"``.
        years: only these years (``2023`` or ``range(2020, 2024)``).
        columns: only these columns.

    Returns:
        The table as it was written (same columns, dtypes, row order; list columns as lists),
        without a ``year`` column; no rows (and ``columns``, if given) when no year matches.

    Raises:
        ValueError: ``table`` is not one of the stored tables.
        FileNotFoundError: the dataset has no such table (tokens are only stored when given).

    Example:
        >>> tokens_2023 = zz.read_parquet("out/zzrb", table="tokens", years=2023)  # doctest: +SKIP
    """
    if table not in TABLES:
        raise ValueError(f"table must be one of {TABLES}, got {table!r}")
    parts = [frame for _, frame in iter_years(path, table=table, years=years, columns=columns)]
    if parts:
        return _concat(parts)
    return pd.DataFrame(columns=list(columns) if columns is not None else [])


def read_problems(path: str | os.PathLike) -> pd.DataFrame:
    """The ``problems`` table of a dataset (``path, line, severity, reason``); no rows if none was stored.

    Example:
        >>> zz.read_parquet("out/zzrb").problems  # doctest: +SKIP
    """
    file = Path(path) / "problems" / _PART
    return _to_pandas(_read_file(file, None)) if file.is_file() else pd.DataFrame(columns=PROBLEM_COLUMNS)


def iter_years(
    path: str | os.PathLike,
    *,
    table: Table = "tokens",
    years: int | Iterable[int] | None = None,
    columns: Sequence[str] | None = None,
) -> Iterator[tuple[int, pd.DataFrame]]:
    """Yield ``(year, frame)`` for each year of one table, oldest first, one year in memory at a time.

    Args:
        path: the dataset folder.
        table: ``"tokens"``, ``"paragraphs"``, ``"articles"`` or ``"issues"``.
        years: only these years.
        columns: only these columns (fewer columns, less memory: ``["token"]`` for counting).

    Example:
        >>> for year, tokens in zz.iter_years("out/zzrb", columns=["token"]):  # doctest: +SKIP
        ...     print(year, len(tokens))
    """
    folder = Path(path) / table
    if not folder.is_dir():
        raise FileNotFoundError(f"no {table} table in {path} (written with tokens=?)")
    wanted = None if years is None else ({int(years)} if isinstance(years, int) else {int(y) for y in years})
    found = sorted(int(d.name.split("=", 1)[1]) for d in folder.glob("year=*") if (d / _PART).is_file())
    for year in found:
        if wanted is None or year in wanted:
            yield year, _to_pandas(_read_file(folder / f"year={year}" / _PART, columns))


# --- helpers -----------------------------------------------------------------------------------


def _years(dates: pd.Series) -> pd.Series:
    return pd.to_datetime(dates).dt.year.astype("Int64").reset_index(drop=True)


def _arrow(frame: pd.DataFrame):
    """The frame as an Arrow table whose types do not depend on which rows it holds.

    A column that is empty in one year (no 通讯员 at all, no warnings) would be inferred as the
    null type there and string elsewhere, and the years would no longer form one dataset.
    """
    import pyarrow as pa

    table = pa.Table.from_pandas(frame, preserve_index=False)
    fields = []
    for f in table.schema:
        t = f.type
        if pa.types.is_null(t):
            t = pa.string()
        elif pa.types.is_list(t) and pa.types.is_null(t.value_type):
            t = pa.list_(pa.string())
        fields.append(pa.field(f.name, t))
    schema = pa.schema(fields, metadata=table.schema.metadata)
    return table.cast(schema) if schema != table.schema else table


def _write_table(root: Path, name: str, frame: pd.DataFrame, years: pd.Series | None) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = _arrow(frame)
    tmp = Path(tempfile.mkdtemp(dir=root, prefix=f".{name}."))
    try:
        if years is None:
            pq.write_table(table, tmp / _PART)
        else:
            if years.isna().any():
                raise ValueError(f"{name}: rows without a date cannot be put in a year")
            values = years.to_numpy(dtype="int64")
            for year in sorted(set(values.tolist())):
                (tmp / f"year={year}").mkdir()
                pq.write_table(table.filter(pa.array(values == year)), tmp / f"year={year}" / _PART)
        final = root / name
        old = root / f".{name}.old"
        shutil.rmtree(old, ignore_errors=True)
        if final.exists():
            final.rename(old)
        tmp.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _read_file(path: Path, columns: Sequence[str] | None):
    import pyarrow.parquet as pq

    return pq.read_table(path, columns=list(columns) if columns is not None else None)


def _to_pandas(table) -> pd.DataFrame:
    """Arrow → pandas as the reader makes the tables: lists as Python lists, dates in seconds."""
    import pyarrow as pa

    lists = [f.name for f in table.schema if pa.types.is_list(f.type) or pa.types.is_large_list(f.type)]
    frame = table.drop_columns(lists).to_pandas()
    for name in lists:
        frame.insert(table.schema.get_field_index(name), name, table.column(name).to_pylist())
    frame = _canonical(frame)
    # Parquet keeps dictionaries of text only: dates and numbers that were categoricals (as
    # tokenize carries them) are made categoricals again, over their sorted values.
    for column in (table.schema.pandas_metadata or {}).get("columns", []):
        name = column["name"]
        if column["pandas_type"] == "categorical" and name in frame and \
                not isinstance(frame[name].dtype, pd.CategoricalDtype):
            frame[name] = pd.Categorical(frame[name], ordered=bool((column["metadata"] or {}).get("ordered")))
    return frame


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    if len(parts) == 1:
        return parts[0]
    from pandas.api.types import union_categoricals

    out = pd.concat(parts, ignore_index=True)
    # Each year's file holds its own dictionary: re-unite categoricals instead of falling back to object.
    for col in parts[0].columns:
        if all(isinstance(p[col].dtype, pd.CategoricalDtype) for p in parts):
            united = union_categoricals([p[col] for p in parts], sort_categories=True, ignore_order=True)
            out[col] = united.as_ordered() if parts[0][col].cat.ordered else united
    return out
