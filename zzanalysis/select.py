"""Select part of a corpus, or of any table carrying its keys: a date range, pages, sections.

``filter_frame`` works on one table (articles, paragraphs via their article, tokens, mentions,
indicators …); ``filter_corpus`` applies the same selection to every table of a Corpus so that
they stay consistent (the paragraphs of the kept articles only).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import pandas as pd

from .errors import ColumnError


def _bounds(start, end) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    lo = None if start is None else pd.Timestamp(start)
    hi = None if end is None else pd.Timestamp(end)
    if lo is not None and hi is not None and lo > hi:
        raise ValueError(f"start {lo:%Y-%m-%d} is after end {hi:%Y-%m-%d}")
    return lo, hi


def _mask(frame: pd.DataFrame, *, start, end, pages, sections, table: str, func: str) -> pd.Series:
    lo, hi = _bounds(start, end)
    keep = pd.Series(True, index=frame.index)
    wanted = {"date": lo is not None or hi is not None, "page": pages is not None, "section": sections is not None}
    missing = [c for c, asked in wanted.items() if asked and c not in frame.columns]
    if missing:
        raise ColumnError(func, missing, list(frame.columns), table=table)
    dates = frame["date"] if lo is not None or hi is not None else None
    if dates is not None and isinstance(dates.dtype, pd.CategoricalDtype):
        dates = dates.astype(dates.cat.categories.dtype)  # tokens carry dates as a categorical
    if lo is not None:
        keep &= dates >= lo
    if hi is not None:
        # end is a day, inclusive: everything dated that day is kept.
        keep &= dates < hi.normalize() + pd.Timedelta(days=1)
    if pages is not None:
        keep &= frame["page"].isin(_as_list(pages))
    if sections is not None:
        keep &= frame["section"].isin(_as_list(sections))
    return keep.fillna(False).astype(bool)


def _as_list(values) -> list:
    return [values] if isinstance(values, (str, int)) or not isinstance(values, Iterable) else list(values)


def filter_frame(
    frame: pd.DataFrame,
    *,
    start=None,
    end=None,
    pages: int | Iterable[int] | None = None,
    sections: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """The rows of ``frame`` dated from ``start`` to ``end`` (both days inclusive), on ``pages``, in ``sections``.

    Args:
        frame: any table with the columns the options need: ``date`` for ``start``/``end``,
            ``page`` for ``pages``, ``section`` for ``sections``.
        start, end: anything ``pd.Timestamp`` reads (``"2023-04-01"``); None leaves that end open.
        pages: a page number or numbers.
        sections: a 版名 or several (``"要闻"``).

    Returns:
        A new frame with the same columns and the kept rows, in their order.

    Raises:
        ColumnError: an option is given and the frame lacks its column.
        ValueError: ``start`` is after ``end``.

    Example:
        >>> tokens = zz.tokenize(zz.read_corpus("data/raw").articles)  # doctest: +SKIP
        >>> april = zz.filter_frame(tokens, start="2023-04-01", end="2023-04-30", pages=[1, 2])  # doctest: +SKIP
    """
    keep = _mask(frame, start=start, end=end, pages=pages, sections=sections, table="the frame", func="filter_frame")
    return frame.loc[keep].copy()


def filter_corpus(
    corpus,
    *,
    start=None,
    end=None,
    pages: int | Iterable[int] | None = None,
    sections: str | Iterable[str] | None = None,
):
    """The part of a Corpus dated from ``start`` to ``end`` (inclusive), on ``pages``, in ``sections``.

    Pages are selected on the ``issues`` table (one row per page file, with ``date``, ``page`` and,
    where the reader knows it, ``section``); the articles of the kept pages and their paragraphs
    follow. ``problems`` is kept whole: it is about the files that were read.

    Args:
        corpus: a Corpus from :func:`zzanalysis.read_corpus`.
        start, end: days, inclusive; None leaves that end open.
        pages: a page number or numbers.
        sections: a 版名 or several; needs the ``section`` column in ``corpus.issues``.

    Returns:
        A new Corpus of the same type with ``issues``, ``articles``, ``paragraphs`` (and
        ``stories`` where the corpus has them) restricted to the selection.

    Raises:
        ColumnError: ``sections`` given and the issues table has no ``section`` column.
        ValueError: ``start`` is after ``end``.

    Example:
        >>> spring = zz.filter_corpus(zz.read_corpus("data/raw"), start="2023-03-01", end="2023-05-31", pages=1)  # doctest: +SKIP
    """
    issues = corpus.issues
    keep = _mask(issues, start=start, end=end, pages=pages, sections=sections, table="corpus.issues", func="filter_corpus")
    kept = issues.loc[keep]
    page_keys = pd.MultiIndex.from_frame(kept[["issue_id", "page"]])
    art = corpus.articles
    art_keep = pd.MultiIndex.from_frame(art[["issue_id", "page"]]).isin(page_keys)
    articles = art.loc[art_keep]
    paragraphs = corpus.paragraphs.loc[corpus.paragraphs["article_id"].isin(articles["article_id"])]
    changes = dict(issues=kept.copy(), articles=articles.copy(), paragraphs=paragraphs.copy())
    stories = getattr(corpus, "stories", None)
    if isinstance(stories, pd.DataFrame) and "stories" in {f.name for f in dataclasses.fields(corpus)}:
        kept_ids = set(articles["article_id"])
        has_kept = stories["article_ids"].map(lambda ids: any(a in kept_ids for a in ids))
        changes["stories"] = stories.loc[has_kept.astype(bool)].copy()
    return dataclasses.replace(corpus, **changes)
