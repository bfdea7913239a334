"""The pandas steps of zzanalysis on Dask DataFrames, partition by partition (extra ``zzanalysis[dask]``).

Each function runs the package's own pandas function on every partition with
``map_partitions`` — the same code, so the same result — and returns a lazy Dask DataFrame;
``.compute()`` it, or keep going in Dask. Works on a laptop's threads or processes and on a
``dask.distributed`` cluster alike::

    import dask.dataframe as dd
    from zzanalysis import dask as zzd

    paragraphs = zzd.read_parquet("out/zzrb", table="paragraphs")   # one partition per year
    tokens = zzd.tokenize(paragraphs)
    zzd.term_frequency(tokens, by="year").compute()

``import zzanalysis`` does not import Dask; this module does.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import dask.dataframe as dd
import pandas as pd
from dask.dataframe.utils import clear_known_categories

from . import frequency as _frequency
from . import indicators as _indicators
from . import industries as _industries
from . import tokens as _tokens
from .storage import TABLES, Table

__all__ = ["extract_indicators", "industry_mentions", "read_parquet", "term_frequency", "tokenize"]


def read_parquet(path: str | os.PathLike, *, table: Table = "tokens", **kwargs) -> dd.DataFrame:
    """One table of a dataset written by ``Corpus.to_parquet`` as a Dask DataFrame.

    Args:
        path: the dataset folder.
        table: ``"tokens"``, ``"paragraphs"``, ``"articles"`` or ``"issues"``.
        **kwargs: passed to :func:`dask.dataframe.read_parquet` (``columns=``, ``filters=``…).

    Returns:
        The table's columns plus ``year`` (categorical, from the partition folders); about one
        partition per year.

    Example:
        >>> zzd.read_parquet("out/zzrb", table="articles", columns=["article_id", "headline"])  # doctest: +SKIP
    """
    if table not in TABLES:
        raise ValueError(f"table must be one of {TABLES}, got {table!r}")
    return dd.read_parquet(str(Path(path) / table), **kwargs)


def _unknown_categories(meta: pd.DataFrame) -> pd.DataFrame:
    # Each partition has its own categories; promising the empty ones of meta would be a lie.
    return clear_known_categories(meta)


def tokenize(frame: dd.DataFrame, tokenizer: _tokens.Tokenizer | None = None, **options) -> dd.DataFrame:
    """:func:`zzanalysis.tokenize` on each partition of an articles or paragraphs Dask DataFrame.

    Args:
        frame: articles or paragraphs (``article_id``, ``text``[, ``para_no``]) as Dask.
        tokenizer: default: each worker's :func:`~zzanalysis.tokens.default_tokenizer`. A given
            tokenizer is pickled to the workers with its dictionary settings.
        **options: keyword options of :func:`zzanalysis.tokenize` (``pos=``, ``carry=``,
            ``cache=``…), except ``n_jobs``: Dask does the parallelism.

    Returns:
        The tokens table of each partition, partitions in the input's order: concatenated, it
        holds the rows of ``zz.tokenize`` on the whole frame (the index restarts per partition).
        Carried dates and numbers are unordered categoricals here (ordered in ``zz.tokenize``),
        since partitions with different categories could not be joined otherwise.

    Example:
        >>> tokens = zzd.tokenize(dd.from_pandas(corpus.paragraphs, npartitions=4))  # doctest: +SKIP
    """
    if "n_jobs" in options:
        raise TypeError("tokenize on Dask takes no n_jobs: partitions already run in parallel")
    meta = _unordered(_tokens.tokenize(frame._meta, tokenizer, **{**options, "cache": False}))
    return frame.map_partitions(_tokenize_partition, tokenizer, options, meta=_unknown_categories(meta))


def _tokenize_partition(frame: pd.DataFrame, tokenizer, options: dict) -> pd.DataFrame:
    return _unordered(_tokens.tokenize(frame, tokenizer, **options))


def _unordered(tokens: pd.DataFrame) -> pd.DataFrame:
    # Each partition orders its carried dates and numbers over its own values, and Dask cannot
    # join ordered categoricals whose categories differ: partitions hand them over unordered.
    ordered = [c for c in tokens.columns if isinstance(tokens[c].dtype, pd.CategoricalDtype) and tokens[c].cat.ordered]
    return tokens.assign(**{c: tokens[c].cat.as_unordered() for c in ordered})


def _partition_counts(tokens: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return _frequency.term_frequency(tokens, by=keys)[[*keys, "token", "count"]]


def term_frequency(tokens: dd.DataFrame, *, by: str | Sequence[str] | None = None,
                   min_count: int = 1) -> dd.DataFrame:
    """:func:`zzanalysis.term_frequency` over a Dask tokens table.

    Each partition is counted by ``zz.term_frequency``; the counts are summed across partitions
    and shares taken over the totals, so the result equals ``zz.term_frequency`` on the whole
    table, whatever the partitioning.

    Args:
        tokens: a tokens Dask DataFrame (needs ``token`` and the ``by`` columns).
        by: column(s) to count within.
        min_count: keep tokens seen at least this often (within their group), after summing.

    Returns:
        One partition with the ``by`` columns, ``token``, ``count``, ``share``, ``per_10k``,
        sorted as ``zz.term_frequency`` sorts.

    Example:
        >>> zzd.term_frequency(zzd.tokenize(paragraphs), by="year").compute()  # doctest: +SKIP
    """
    keys = [by] if isinstance(by, str) else list(by or [])
    counts_meta = _partition_counts(tokens._meta, keys)
    counts = tokens.map_partitions(_partition_counts, keys, meta=counts_meta)
    summed = (counts.groupby([*keys, "token"], observed=True, dropna=False, sort=False)["count"]
              .sum(split_out=1).reset_index())
    meta = _frequency.term_shares(counts_meta, by=keys, min_count=min_count)
    return summed.map_partitions(_frequency.term_shares, by=keys, min_count=min_count, meta=meta)


def industry_mentions(frame: dd.DataFrame, taxonomy=None, *, fields=None) -> dd.DataFrame:
    """:func:`zzanalysis.industry_mentions` on each partition of articles or paragraphs.

    Args:
        frame: articles or paragraphs as a Dask DataFrame.
        taxonomy: as for ``zz.industry_mentions``; read once here, shipped to the workers.
        fields: as for ``zz.industry_mentions``.

    Returns:
        The mentions table (one row per hit), partitions in the input's order.

    Example:
        >>> zzd.industry_mentions(articles).groupby("label").size().compute()  # doctest: +SKIP
    """
    table = _industries.get_taxonomy(taxonomy)
    meta = _industries.industry_mentions(frame._meta, table, fields=fields)
    return frame.map_partitions(_industries.industry_mentions, table, fields=fields,
                                meta=_unknown_categories(meta))


def extract_indicators(frame: dd.DataFrame, *, kinds: Iterable[str] | None = None) -> dd.DataFrame:
    """:func:`zzanalysis.extract_indicators` on each partition of articles or paragraphs.

    Args:
        frame: articles or paragraphs as a Dask DataFrame.
        kinds: as for ``zz.extract_indicators``.

    Returns:
        The indicators table (one row per figure), partitions in the input's order.

    Example:
        >>> zzd.extract_indicators(paragraphs, kinds=["money"]).compute()  # doctest: +SKIP
    """
    kinds = list(kinds) if kinds is not None else None
    meta = _indicators.extract_indicators(frame._meta, kinds=kinds)
    return frame.map_partitions(_indicators.extract_indicators, kinds=kinds, meta=_unknown_categories(meta))
