"""Counts made year by year from a Parquet dataset (:mod:`zzanalysis.storage`), one year in memory
at a time, so a decade of tokens never has to fit at once.

Each function is the in-memory analysis (``term_frequency``, ``industry_summary``) applied to one
year of a table read by :func:`zzanalysis.storage.iter_years`, with ``year`` added in front.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from .frequency import term_frequency
from .industries import get_taxonomy, industry_mentions, industry_summary
from .storage import iter_years
from .tokens import tokenize

__all__ = ["industry_summary_by_year", "term_frequency_by_year"]


def _columns(by: str | Sequence[str] | None) -> list[str]:
    return [] if by is None else [by] if isinstance(by, str) else list(by)


def term_frequency_by_year(
    path: str | os.PathLike,
    *,
    by: str | Sequence[str] | None = None,
    min_count: int = 1,
    years: int | Iterable[int] | None = None,
    **tokenize_options,
) -> pd.DataFrame:
    """:func:`~zzanalysis.frequency.term_frequency` within each year, reading one year at a time.

    Uses the stored ``tokens`` table; a dataset written without tokens is tokenized year by
    year from its paragraphs with ``tokenize_options`` (see :func:`zzanalysis.tokenize`).

    Args:
        path: the dataset folder.
        by: further columns of the tokens to count within (e.g. ``"page"``).
        min_count: keep tokens seen at least this often within their year (and group).
        years: only these years.

    Returns:
        ``year`` (int), the ``by`` columns, ``token``, ``count``, ``share``, ``per_10k`` — the
        columns of ``term_frequency`` with ``share`` taken within each year; sorted by year.

    Example:
        >>> tf = zz.term_frequency_by_year("out/zzrb", min_count=5)  # doctest: +SKIP
        >>> tf.query("token == '株洲'")[["year", "count", "per_10k"]]
    """
    keys = _columns(by)
    stored = (Path(path) / "tokens").is_dir()
    if stored and tokenize_options:
        raise ValueError(f"the dataset has tokens: tokenize options {sorted(tokenize_options)} do not apply")
    if stored:
        frames = iter_years(path, table="tokens", years=years, columns=[*keys, "token"])
    else:
        frames = ((y, tokenize(p, **tokenize_options)) for y, p in iter_years(path, table="paragraphs", years=years))
    parts = [term_frequency(frame, by=keys, min_count=min_count).assign(year=year) for year, frame in frames]
    return _by_year(parts, keys)


def industry_summary_by_year(
    path: str | os.PathLike,
    taxonomy=None,
    *,
    by: str | Sequence[str] | None = None,
    weights=None,
    years: int | Iterable[int] | None = None,
) -> pd.DataFrame:
    """Industry mentions counted within each year: :func:`~zzanalysis.industries.industry_mentions`
    then :func:`~zzanalysis.industries.industry_summary` on one year of articles at a time.

    Args:
        path: the dataset folder.
        taxonomy: as for ``industry_mentions`` (None: the shipped taxonomy).
        by: further columns of the articles to group by (e.g. ``"page"``).
        weights: as for ``industry_summary``.
        years: only these years.

    Returns:
        ``year`` (int), then the columns of ``industry_summary`` (``label``, ``label_zh``,
        ``hits``, ``articles``, ``n_articles``, ``share_articles``, ``share_of_voice``,
        ``prominence``), shares taken within each year.

    Example:
        >>> zz.industry_summary_by_year("out/zzrb").query("label == 'rail_transit'")  # doctest: +SKIP
    """
    table = get_taxonomy(taxonomy)
    parts = []
    for year, arts in iter_years(path, table="articles", years=years):
        mentions = industry_mentions(arts, table)
        parts.append(industry_summary(mentions, arts, by=by, weights=weights).assign(year=year))
    return _by_year(parts, _columns(by))


def _by_year(parts: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    if not parts:
        return pd.DataFrame(columns=["year", *keys])
    out = pd.concat(parts, ignore_index=True)
    return out[["year", *[c for c in out.columns if c != "year"]]]
