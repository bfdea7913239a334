"""``Issue`` and ``Corpus``, and ``read_parquet``, which makes a Corpus of a stored dataset.

The tables' columns, dtypes and row order are :mod:`zzanalysis.tables`; the names defined there
are importable from here too (``from zzanalysis.corpus import ARTICLE_COLUMNS``). Storing and
reading tables on disk is :mod:`zzanalysis.storage`, which this module uses and which never builds
a Corpus itself; reading page files is :mod:`zzanalysis.reader` (one page) and
:mod:`zzanalysis.loader` (many).
"""
from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .select import filter_corpus
from .storage import Table, read_problems, read_table, write_parquet
from .stories import build_stories, link_fragments
from .tables import (  # noqa: F401  (re-exported: the readers and older code import them from here)
    _LIST_COLUMNS, ARTICLE_COLUMNS, ISSUE_COLUMNS, PARAGRAPH_COLUMNS, PROBLEM_COLUMNS, _articles_frame, _canonical,
    _issues_frame, _paragraphs_frame, _sorted,
)


@dataclass(frozen=True)
class Issue:
    """One parsed page file.

    Attributes:
        meta: the issue's fields (the columns of the ``issues`` table) as a dict.
        articles: one row per article fragment (see ``DATA_MODEL.md``).
        paragraphs: one row per paragraph.
    """

    meta: dict
    articles: pd.DataFrame
    paragraphs: pd.DataFrame

    @property
    def issues(self) -> pd.DataFrame:
        """The one-row ``issues`` table of this page."""
        return _issues_frame([self.meta])

    def __repr__(self) -> str:
        return (
            f"Issue({self.meta['page_id']}, {self.meta['paper']}, "
            f"{len(self.articles)} articles, {len(self.paragraphs)} paragraphs)"
        )


@dataclass(frozen=True)
class Corpus:
    """Many page files as four tables: ``issues``, ``articles``, ``paragraphs`` and ``problems``,
    and ``stories``, built from ``articles`` on first use.

    ``problems`` has one row per file that could not be read (severity ``error``), per duplicate
    that was dropped and per oddity that was read anyway (severity ``warning``), and per jump to
    or from another page that joins nothing (severity ``info``): ``path, line, severity, reason``.
    """

    issues: pd.DataFrame
    articles: pd.DataFrame
    paragraphs: pd.DataFrame
    problems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PROBLEM_COLUMNS))

    def __repr__(self) -> str:
        errors = int((self.problems["severity"] == "error").sum()) if len(self.problems) else 0
        return (
            f"Corpus({len(self.issues)} pages, {len(self.articles)} articles, "
            f"{len(self.paragraphs)} paragraphs, {errors} unreadable files)"
        )

    @functools.cached_property
    def stories(self) -> pd.DataFrame:
        """One row per story: the article fragments joined across pages by their jump markers
        (``▶下转02版①`` → ``▶上接01版①``); see :func:`zzanalysis.stories.build_stories` for the
        columns. A corpus whose ``articles`` lack ``story_id`` (built by hand, or written by an
        older version) is linked here from its markers.

        Example:
            >>> corpus = zz.read_corpus("data/raw")
            >>> corpus.stories.loc[1, ["story_id", "pages"]].tolist()
            ['zzrb-2023-04-27-p01-a02', [1]]
        """
        articles = self.articles
        if "story_id" not in articles:
            articles = articles.assign(story_id=link_fragments(articles)[0])
        return _canonical(build_stories(articles))

    def filter(self, *, start=None, end=None, pages=None, sections=None) -> Corpus:
        """The part of this corpus dated ``start`` to ``end`` (inclusive), on ``pages``, in
        ``sections``: :func:`zzanalysis.filter_corpus` as a method.

        Example:
            >>> zz.read_corpus("data/raw").filter(start="2023-04-27", pages=1).articles.shape[0]
            9
        """
        return filter_corpus(self, start=start, end=end, pages=pages, sections=sections)

    def to_parquet(self, path: str | Path, *, tokens: pd.DataFrame | None = None) -> Path:
        """Write the tables (and ``tokens`` if given) as a Parquet dataset partitioned by year;
        see :func:`zzanalysis.storage.write_parquet`. Read it back with ``zz.read_parquet(path)``.

        Example:
            >>> zz.read_corpus("data/raw").to_parquet("out/zzrb")  # doctest: +SKIP
        """
        return write_parquet(self, path, tokens=tokens)


def read_parquet(
    path: str | os.PathLike,
    *,
    table: Table | None = None,
    years: int | Iterable[int] | None = None,
    columns: Sequence[str] | None = None,
) -> Corpus | pd.DataFrame:
    """Read a dataset written by ``Corpus.to_parquet`` (:func:`zzanalysis.storage.write_parquet`).

    Args:
        path: the dataset folder.
        table: one table to read (``"tokens"`` is only read this way); None for the whole
            :class:`Corpus`.
        years: only these years (``2023`` or ``range(2020, 2024)``).
        columns: only these columns (with ``table``).

    Returns:
        A Corpus, or with ``table`` that table, equal to what was written (same columns, dtypes,
        row order; ``reporters`` and other list columns as lists). No ``year`` column is added.

    Raises:
        ValueError: ``table`` is not a stored table, or ``columns`` is given without ``table``.
        FileNotFoundError: ``table="tokens"`` of a dataset written without tokens.

    Example:
        >>> corpus = zz.read_parquet("out/zzrb")                       # doctest: +SKIP
        >>> tokens_2023 = zz.read_parquet("out/zzrb", table="tokens", years=2023)  # doctest: +SKIP
    """
    if table is not None:
        return read_table(path, table=table, years=years, columns=columns)
    if columns is not None:
        raise ValueError("columns= needs table=: the tables of a corpus have different columns")
    return Corpus(*(read_table(path, table=name, years=years) for name in ("issues", "articles", "paragraphs")),
                  read_problems(path))
