"""What the paper talks about: term counts, TF-IDF, keywords, keyness, n-grams, collocations,
keyword-in-context and trends over time.

Every function takes a long-form frame (usually the tokens table, one token per row with the
article's metadata riding along, see ``DATA_MODEL.md``) and returns a new long-form frame; the
caller's frame is never changed. ``by=`` names any column(s) the tokens frame carries (``date``,
``page``, ``article_id``, ``source``, ``column``, a month …) and the result carries them too.

The functions count whatever tokens they are given: drop punctuation and stopwords when you
tokenize (or filter the frame) before counting.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from ._deprecate import renamed
from .errors import ColumnError
from .spans import documents
from .text import normalize_text

__all__ = [
    "collocations",
    "document_frequency",
    "keyness",
    "keywords",
    "kwic",
    "ngrams",
    "term_frequency",
    "term_shares",
    "tfidf",
    "trend",
]

By = str | Sequence[str] | None


# --------------------------------------------------------------------------------------------
# helpers


def _keys(by: By) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def _require(frame: pd.DataFrame, columns: Sequence[str], func: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{func}() expects a DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ColumnError(func, missing, frame.columns)


def _terms(frame: pd.DataFrame, keys: list[str], extra: Sequence[str] = ()) -> pd.DataFrame:
    """The columns a count needs, with tokens as plain strings and missing tokens dropped."""
    out = frame.loc[frame["token"].notna(), [*keys, *extra, "token"]]
    # Categorical tokens would sort by category order and keep unused categories around;
    # plain strings sort by code point, which is what makes every result deterministic.
    # Dates and numbers that tokenize carries as categoricals come back as themselves, so
    # results keep their types and trend() sees a date column.
    plain = {c: _by_value(out[c]) for c in keys if _coded_values(out[c])}
    return out.assign(token=out["token"].astype("str"), **plain)


def _coded_values(column: pd.Series) -> bool:
    """A categorical of dates or numbers (not text)."""
    dtype = column.dtype
    return isinstance(dtype, pd.CategoricalDtype) and not (
        pd.api.types.is_object_dtype(dtype.categories.dtype) or pd.api.types.is_string_dtype(dtype.categories.dtype))


def _count(frame: pd.DataFrame, columns: list[str], name: str = "count") -> pd.DataFrame:
    # observed=True: categorical keys must not explode into every category combination;
    # dropna=False: a missing `column` (栏目) is a group of its own, not a reason to lose tokens.
    return (
        frame.groupby(columns, observed=True, dropna=False, sort=False)
        .size()
        .rename(name)
        .reset_index()
    )


def _group_sum(frame: pd.DataFrame, keys: list[str], column: str) -> pd.Series:
    if not keys:
        return pd.Series(frame[column].sum(), index=frame.index)
    return frame.groupby(keys, observed=True, dropna=False, sort=False)[column].transform("sum")


def _sort(frame: pd.DataFrame, keys: list[str], order: Sequence[tuple[str, bool]]) -> pd.DataFrame:
    columns = [*keys, *(c for c, _ in order)]
    ascending = [True] * len(keys) + [asc for _, asc in order]
    # Categorical keys (text carried by tokenize) sort by their values, not by category order,
    # which differs between tables tokenized apart (Dask partitions).
    return frame.sort_values(columns, ascending=ascending, kind="mergesort",
                             key=_by_value).reset_index(drop=True)


def _by_value(column: pd.Series) -> pd.Series:
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.astype(column.cat.categories.dtype)
    return column


def _xlogx_over(o: np.ndarray, e: np.ndarray) -> np.ndarray:
    # O·ln(O/E) with the limit 0·ln 0 = 0 for empty cells.
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(o > 0, o * np.log(np.where(o > 0, o, 1) / np.where(e > 0, e, 1)), 0.0)


def _g2(o11, o12, o21, o22) -> np.ndarray:
    """Dunning's log-likelihood G² = 2 Σ O ln(O/E) over the four cells of a 2×2 table."""
    o11, o12, o21, o22 = (np.asarray(x, dtype=float) for x in (o11, o12, o21, o22))
    n = o11 + o12 + o21 + o22
    r1, r2 = o11 + o12, o21 + o22
    c1, c2 = o11 + o21, o12 + o22
    with np.errstate(divide="ignore", invalid="ignore"):
        cells = [(o11, r1 * c1 / n), (o12, r1 * c2 / n), (o21, r2 * c1 / n), (o22, r2 * c2 / n)]
    return 2 * sum(_xlogx_over(o, e) for o, e in cells)


_erfc = np.frompyfunc(math.erfc, 1, 1)


def _chi2_sf_df1(stat: np.ndarray) -> np.ndarray:
    """P(χ²₁ ≥ stat): for one degree of freedom the survival function is erfc(√(stat/2))."""
    stat = np.abs(np.asarray(stat, dtype=float))
    return _erfc(np.sqrt(stat / 2)).astype(float)


# --------------------------------------------------------------------------------------------
# counts


def term_frequency(tokens: pd.DataFrame, *, by: By = None, min_count: int = 1) -> pd.DataFrame:
    """Count each token, overall or within groups, with its share and rate per 10,000 tokens.

    ``share`` and ``per_10k`` are taken over all tokens of the group, including those dropped by
    ``min_count``, so groups of different size can be compared directly.

    Args:
        tokens: a tokens frame (needs ``token`` and the ``by`` columns).
        by: column name(s) to count within, e.g. ``"article_id"`` or ``["date", "page"]``.
        min_count: keep tokens seen at least this often (within their group).

    Returns:
        A new frame with the ``by`` columns, then ``token``, ``count`` (int), ``share``
        (count / tokens in the group) and ``per_10k`` (share × 10,000); sorted by the ``by``
        columns, then count descending, then token.

    Example:
        >>> zz.read_corpus("data/raw").articles.pipe(zz.tokenize).pipe(
        ...     zz.term_frequency, by="article_id").head()  # doctest: +SKIP
    """
    keys = _keys(by)
    _require(tokens, [*keys, "token"], "term_frequency")
    if not keys and isinstance(tokens["token"].dtype, pd.CategoricalDtype):
        counts = _code_counts(tokens["token"])
    else:
        counts = _count(_terms(tokens, keys), [*keys, "token"])
    return term_shares(counts, by=keys, min_count=min_count)


def _code_counts(token: pd.Series) -> pd.DataFrame:
    """``token`` and ``count`` of a categorical token column, counted on its codes.

    Turning a year's 6.5 M tokens into strings to group them took 2 s; counting the codes takes
    milliseconds. Rows come in category order, not first appearance: :func:`term_shares` sorts
    them by count and token, which are unique per row, so the result is the same.
    """
    codes = token.cat.codes.to_numpy()
    categories = token.cat.categories
    # missing tokens (code -1) are dropped, as _terms drops them
    counts = np.bincount(codes[codes >= 0], minlength=len(categories))
    seen = np.flatnonzero(counts)
    return pd.DataFrame({"token": pd.Series(categories.take(seen), dtype="str"),
                         "count": counts[seen].astype("int64")})


def term_shares(counts: pd.DataFrame, *, by: By = None, min_count: int = 1) -> pd.DataFrame:
    """The last step of :func:`term_frequency`, on counts made elsewhere: shares, rates, order.

    For counts summed over parts (Dask partitions, the months of a year), so the result equals
    ``term_frequency`` on the whole: shares are taken over the group totals before ``min_count``
    drops rare tokens.

    Args:
        counts: one row per (``by`` …, ``token``) with an int ``count``.
        by: the group columns of ``counts``.
        min_count: keep tokens counted at least this often (within their group).

    Returns:
        A new frame: the ``by`` columns, ``token``, ``count``, ``share``, ``per_10k``, sorted as
        :func:`term_frequency` sorts.

    Raises:
        ColumnError: ``counts`` lacks ``token``, ``count`` or a ``by`` column.

    Example:
        >>> monthly = [zz.term_frequency(t, by="page")[["page", "token", "count"]] for t in months]  # doctest: +SKIP
        >>> summed = pd.concat(monthly).groupby(["page", "token"], as_index=False)["count"].sum()
        >>> zz.frequency.term_shares(summed, by="page")
    """
    keys = _keys(by)
    _require(counts, [*keys, "token", "count"], "term_shares")
    counts = counts.reset_index(drop=True)
    counts["share"] = counts["count"] / _group_sum(counts, keys, "count")
    counts["per_10k"] = counts["share"] * 10_000
    counts = counts[counts["count"] >= min_count]
    return _sort(counts, keys, [("count", False), ("token", True)])


def document_frequency(
    tokens: pd.DataFrame,
    *,
    doc: str | Sequence[str] = "article_id",
    by: By = None,
    idf: Literal["plain", "smooth"] = "plain",
) -> pd.DataFrame:
    """In how many documents each token occurs, and the inverse document frequency from that.

    With N documents and a token in ``doc_count`` of them:

    - ``idf="plain"``:  idf = ln(N / doc_count)
    - ``idf="smooth"``: idf = ln((1 + N) / (1 + doc_count)) + 1  (never zero, as in scikit-learn)

    Args:
        tokens: a tokens frame.
        doc: the column(s) that identify a document (an article by default; ``"page"`` or
            ``["date", "page"]`` make pages the documents).
        by: count documents within these groups (e.g. ``"date"``: per issue).
        idf: which IDF formula, see above.

    Returns:
        A new frame with the ``by`` columns, ``token``, ``doc_count`` (int), ``n_docs`` (int),
        ``doc_share`` (doc_count / n_docs) and ``idf``; sorted by the ``by`` columns, then
        doc_count descending, then token.

    Example:
        >>> corpus_idf = tokens.pipe(zz.document_frequency)  # doctest: +SKIP
        >>> tokens.pipe(zz.keywords, idf=corpus_idf)  # doctest: +SKIP
    """
    keys, docs = _keys(by), _keys(doc)
    _require(tokens, [*keys, *docs, "token"], "document_frequency")
    pairs = _terms(tokens, keys, [d for d in docs if d not in keys]).drop_duplicates()
    out = _count(pairs, [*keys, "token"], "doc_count")
    n_docs = pairs.drop(columns="token").drop_duplicates()
    if keys:
        n = n_docs.groupby(keys, observed=True, dropna=False, sort=False).size().rename("n_docs")
        out = out.merge(n.reset_index(), on=keys, how="left")
    else:
        out["n_docs"] = len(n_docs)
    out["doc_share"] = out["doc_count"] / out["n_docs"]
    out["idf"] = _idf(out["n_docs"], out["doc_count"], idf)
    return _sort(out, keys, [("doc_count", False), ("token", True)])


def _idf(n_docs, doc_count, kind: str):
    if kind == "plain":
        return np.log(n_docs / doc_count)
    if kind == "smooth":
        return np.log((1 + n_docs) / (1 + doc_count)) + 1
    raise ValueError(f"idf must be 'plain' or 'smooth', not {kind!r}")


def tfidf(
    tokens: pd.DataFrame,
    *,
    by: str | Sequence[str] = "article_id",
    idf: Literal["plain", "smooth"] = "plain",
) -> pd.DataFrame:
    """TF-IDF of every token in every document, documents being the ``by`` groups.

    tf_idf = tf × idf, with tf = count / tokens in the document and idf as in
    :func:`document_frequency` (``"plain"``: ln(N / doc_count), so a token in every document
    scores 0). This is tidytext's ``bind_tf_idf``.

    Args:
        tokens: a tokens frame.
        by: the column(s) that make a document.
        idf: ``"plain"`` or ``"smooth"``, see :func:`document_frequency`.

    Returns:
        A new frame with the ``by`` columns, ``token``, ``count``, ``tf``, ``idf``, ``tf_idf``;
        sorted by the ``by`` columns, then tf_idf descending, then token.

    Example:
        >>> tokens.pipe(zz.tfidf, by="article_id").groupby("article_id").head(3)  # doctest: +SKIP
    """
    keys = _keys(by)
    if not keys:
        raise ValueError("tfidf() needs by= (the column(s) that make a document)")
    tf = term_frequency(tokens, by=keys).rename(columns={"share": "tf"}).drop(columns="per_10k")
    dfreq = document_frequency(tokens, doc=keys, idf=idf)[["token", "idf"]]
    out = tf.merge(dfreq, on="token", how="left")
    out["tf_idf"] = out["tf"] * out["idf"]
    return _sort(out, keys, [("tf_idf", False), ("token", True)])


# --------------------------------------------------------------------------------------------
# keywords


def keywords(
    tokens: pd.DataFrame,
    *,
    by: str | Sequence[str] = "article_id",
    method: Literal["tfidf", "textrank"] = "tfidf",
    n: int = 10,
    idf: pd.DataFrame | None = None,
    pos: str | Sequence[str] | None = None,
    window: int = 5,
    damping: float = 0.85,
    max_iter: int = 100,
    tol: float = 1e-10,
) -> pd.DataFrame:
    """The top ``n`` keywords of each group, by TF-IDF or by TextRank.

    ``method="tfidf"``: score = (count / tokens in the group) × idf. The IDF comes from ``idf``
    (a :func:`document_frequency` result, e.g. learned on a whole archive, so that one article
    is scored against the corpus) or, when None, from ``tokens`` itself with the ``by`` groups as
    documents. Tokens missing from ``idf`` get its largest IDF (they are rarer than any it saw).

    ``method="textrank"`` (Mihalcea & Tarau 2004): within each group, two tokens are linked when
    they occur fewer than ``window`` positions apart (by ``token_no``) in the same paragraph; edge
    weights are co-occurrence counts. Scores are PageRank on that graph, by power iteration from
    the uniform vector, s ← (1 − d)/V + d·(W s + dangling mass/V), stopping when the L1 change is
    below ``tol`` or after ``max_iter`` rounds; they sum to 1 within a group. Built on our tokens,
    not jieba's global tokenizer, so the result depends only on the frame.

    Args:
        tokens: a tokens frame (TextRank also needs ``article_id``, ``para_no``, ``token_no``).
        by: the group(s) to find keywords for.
        method: ``"tfidf"`` or ``"textrank"``.
        n: keywords per group.
        idf: for TF-IDF, a frame with ``token`` and ``idf`` columns.
        pos: keep only tokens whose part-of-speech tag starts with one of these, as in
            ``tokenize(pos=...)`` (``"n"`` keeps n, nr, ns, nt, nz …; ``["n", "vn"]``); for
            TextRank the dropped tokens still count as positions in the window.
        window: TextRank co-occurrence window, in tokens.
        damping: TextRank damping factor d.
        max_iter, tol: TextRank stopping rule.

    Returns:
        A new frame with the ``by`` columns, ``rank`` (1 = best), ``token``, ``score``; sorted by
        the ``by`` columns and rank (ties in score broken by token).

    Example:
        >>> tokens.pipe(zz.keywords, method="textrank", n=5)  # doctest: +SKIP
    """
    keys = _keys(by)
    if not keys:
        raise ValueError("keywords() needs by= (the group(s) to find keywords for)")
    if pos is not None:
        _require(tokens, ["pos"], "keywords")
    if method == "tfidf":
        scored = _tfidf_scores(tokens, keys, idf, pos)
    elif method == "textrank":
        scored = _textrank_scores(tokens, keys, pos, window, damping, max_iter, tol)
    else:
        raise ValueError(f"method must be 'tfidf' or 'textrank', not {method!r}")
    scored = _sort(scored, keys, [("score", False), ("token", True)])
    scored["rank"] = scored.groupby(keys, observed=True, dropna=False, sort=False).cumcount() + 1
    scored = scored[scored["rank"] <= n]
    return scored[[*keys, "rank", "token", "score"]].reset_index(drop=True)


def _pos_mask(tags: pd.Series, pos: str | Sequence[str]) -> pd.Series:
    prefixes = (pos,) if isinstance(pos, str) else tuple(pos)
    return tags.astype("str").str.startswith(prefixes).fillna(False).astype(bool)


def _tfidf_scores(tokens, keys, idf, pos) -> pd.DataFrame:
    _require(tokens, [*keys, "token"], "keywords")
    tf = term_frequency(tokens, by=keys)
    if idf is None:
        idf = document_frequency(tokens, doc=keys)
    _require(idf, ["token", "idf"], "keywords(idf=...)")
    table = idf[["token", "idf"]].drop_duplicates("token").assign(
        token=lambda f: f["token"].astype("str")
    )
    tf = tf.merge(table, on="token", how="left")
    tf["idf"] = tf["idf"].fillna(table["idf"].max())
    if pos is not None:
        tagged = tokens.loc[_pos_mask(tokens["pos"], pos), "token"].astype("str")
        tf = tf[tf["token"].isin(set(tagged))]
    return tf.assign(score=tf["share"] * tf["idf"])[[*keys, "token", "score"]]


def _textrank_scores(tokens, keys, pos, window, damping, max_iter, tol) -> pd.DataFrame:
    place = ["article_id", "para_no", "token_no"]
    _require(tokens, [*keys, *place, "token"], "keywords")
    if window < 2:
        raise ValueError("window must be at least 2")
    extra = [c for c in place if c not in keys] + (["pos"] if pos is not None else [])
    frame = _terms(tokens, keys, extra)
    if pos is not None:
        frame = frame[_pos_mask(frame["pos"], pos)]
    rows = []
    for group, part in frame.groupby(keys, observed=True, dropna=False, sort=True):
        group = group if isinstance(group, tuple) else (group,)
        vocab, score = _textrank(part, window, damping, max_iter, tol)
        rows.append(pd.DataFrame({**dict(zip(keys, group)), "token": vocab, "score": score}))
    if not rows:
        return pd.DataFrame({**{k: frame[k].iloc[:0] for k in keys}, "token": [], "score": []})
    return pd.concat(rows, ignore_index=True)


def _textrank(part: pd.DataFrame, window: int, damping: float, max_iter: int, tol: float):
    part = part.sort_values(["article_id", "para_no", "token_no"], kind="mergesort")
    vocab, ids = np.unique(part["token"].to_numpy(dtype=object), return_inverse=True)
    paragraph = pd.factorize(pd.MultiIndex.from_frame(part[["article_id", "para_no"]]))[0]
    position = part["token_no"].to_numpy()
    src, dst = [], []
    # Pairs k rows apart within a paragraph; rows are position-sorted, so once no pair at
    # distance k is inside the window none further can be either.
    for k in range(1, len(part)):
        same = paragraph[k:] == paragraph[:-k]
        near = same & (position[k:] - position[:-k] < window)
        if not near.any():
            break
        a, b = ids[:-k][near], ids[k:][near]
        keep = a != b
        src += [a[keep], b[keep]]
        dst += [b[keep], a[keep]]
    size = len(vocab)
    score = np.full(size, 1.0 / size)
    if not src:  # no edges: every token is equally central
        return vocab, score
    src, dst = np.concatenate(src), np.concatenate(dst)
    out_weight = np.bincount(src, minlength=size).astype(float)
    dangling = out_weight == 0
    for _ in range(max_iter):
        flow = np.bincount(dst, weights=score[src] / out_weight[src], minlength=size)
        new = (1 - damping) / size + damping * (flow + score[dangling].sum() / size)
        change = np.abs(new - score).sum()
        score = new
        if change < tol:
            break
    return vocab, score


# --------------------------------------------------------------------------------------------
# keyness


def keyness(
    target: pd.DataFrame,
    reference: pd.DataFrame | None = None,
    *,
    by: By = None,
    min_count: int = 1,
) -> pd.DataFrame:
    """Which tokens the target uses more (or less) than the reference: Dunning's G².

    For a token seen ``a`` times among the target's ``c`` tokens and ``b`` times among the
    reference's ``d``, the 2×2 table is [[a, b], [c − a, d − b]] and
    G² = 2 Σ O·ln(O/E) over its four cells (E = row total × column total / (c + d); empty cells
    add 0). The sign is + when the target uses the token more often (a/c > b/d).
    ``p_value`` is P(χ²₁ ≥ |G²|) = erfc(√(|G²|/2)). ``log_ratio`` is Hardie's Log Ratio,
    log₂((a/c) / (b/d)), with a zero count replaced by 0.5 so it stays finite.

    Two ways to call it: ``keyness(target, reference)`` compares two token frames;
    ``keyness(tokens, by="article_id")`` compares each group with all other rows of the frame
    (each article against the rest of the page or corpus).

    Args:
        target: tokens of the target corpus (or, with ``by``, of all groups).
        reference: tokens of the reference corpus; None when ``by`` is given.
        by: with no reference, the column(s) whose groups are each compared with the rest.
        min_count: keep tokens with a + b at least this.

    Returns:
        A new frame with the ``by`` columns, ``token``, ``target_count``, ``reference_count``,
        ``target_per_10k``, ``reference_per_10k``, ``g2``, ``log_ratio``, ``p_value``; sorted by
        the ``by`` columns, then g2 descending (most over-used first, most under-used last),
        then token. Every token of either side appears: with ``by``, a groups × vocabulary
        table, which ``min_count`` keeps in bounds on a large corpus.

    Raises:
        ValueError: if both or neither of ``reference`` and ``by`` are given, or a side is empty.

    Example:
        >>> tokens.pipe(zz.keyness, by="article_id").groupby("article_id").head(5)  # doctest: +SKIP
    """
    keys = _keys(by)
    if (reference is None) == (not keys):
        raise ValueError("keyness() takes either a reference frame or by=, not both or neither")
    if reference is not None:
        _require(reference, ["token"], "keyness")
        _require(target, ["token"], "keyness")
        a = _terms(target, []).groupby("token").size()
        b = _terms(reference, []).groupby("token").size()
        table = pd.concat([a.rename("target_count"), b.rename("reference_count")], axis=1)
        table = table.fillna(0).astype("int64").rename_axis("token").reset_index()
        table["target_total"] = int(a.sum())
        table["reference_total"] = int(b.sum())
    else:
        _require(target, [*keys, "token"], "keyness")
        counts = _count(_terms(target, keys), [*keys, "token"])
        group_total = counts.groupby(keys, observed=True, dropna=False)["count"].sum()
        token_total = counts.groupby("token")["count"].sum()
        # Every group × token, so a token a group never uses shows up as under-used there;
        # rare tokens go first, as that grid grows with groups × vocabulary.
        kept = token_total.index[token_total >= min_count]
        counts = counts[counts["token"].isin(kept)]
        wide = counts.set_index([*keys, "token"])["count"].unstack("token", fill_value=0)
        wide = wide.reindex(index=group_total.index, fill_value=0)
        table = wide.stack().rename("target_count").reset_index()
        table["target_count"] = table["target_count"].astype("int64")
        table = table.merge(group_total.rename("target_total").reset_index(), on=keys)
        in_all = table["token"].map(token_total).astype("int64")
        table["reference_count"] = in_all - table["target_count"]
        table["reference_total"] = int(group_total.sum()) - table["target_total"]
    if (table["target_total"] == 0).any() or (table["reference_total"] == 0).any():
        raise ValueError("keyness() needs tokens on both sides of the comparison")
    a, b = table["target_count"].to_numpy(float), table["reference_count"].to_numpy(float)
    c, d = table["target_total"].to_numpy(float), table["reference_total"].to_numpy(float)
    g2 = _g2(a, b, c - a, d - b)
    table["target_per_10k"] = a / c * 10_000
    table["reference_per_10k"] = b / d * 10_000
    table["g2"] = np.where(a / c >= b / d, g2, -g2)
    table["log_ratio"] = np.log2((np.where(a > 0, a, 0.5) / c) / (np.where(b > 0, b, 0.5) / d))
    table["p_value"] = _chi2_sf_df1(g2)
    table = table[table["target_count"] + table["reference_count"] >= min_count]
    columns = [*keys, "token", "target_count", "reference_count", "target_per_10k",
               "reference_per_10k", "g2", "log_ratio", "p_value"]
    return _sort(table[columns], keys, [("g2", False), ("token", True)])


# --------------------------------------------------------------------------------------------
# n-grams and collocations


def _runs(tokens: pd.DataFrame, n: int, func: str) -> tuple[pd.DataFrame, np.ndarray]:
    """Tokens in reading order and a mask of rows that start n consecutive tokens."""
    place = ["article_id", "para_no", "token_no"]
    _require(tokens, [*place, "token"], func)
    if n < 1:
        raise ValueError("n must be at least 1")
    frame = tokens[tokens["token"].notna()].sort_values(place, kind="mergesort")
    frame = frame.assign(token=frame["token"].astype("str")).reset_index(drop=True)
    art, para = frame["article_id"].to_numpy(dtype=object), frame["para_no"].to_numpy()
    tno = frame["token_no"].to_numpy()
    ok = np.ones(len(frame), dtype=bool)
    for k in range(1, n):
        ok[len(frame) - k:] = False
        body = slice(0, len(frame) - k)
        # Consecutive token_no: a token dropped upstream (stopword, punctuation) breaks the run.
        ok[body] &= (art[k:] == art[:-k]) & (para[k:] == para[:-k]) & (tno[k:] == tno[:-k] + k)
    return frame, ok


def ngrams(tokens: pd.DataFrame, *, n: int = 2, sep: str = " ") -> pd.DataFrame:
    """Every run of ``n`` consecutive tokens in a paragraph, as a tokens frame of n-grams.

    Runs never cross paragraphs, and a gap in ``token_no`` (a stopword or punctuation mark
    dropped upstream) breaks them, so "发展 的 理念" without 的 gives no "发展 理念".

    Args:
        tokens: a tokens frame.
        n: tokens per n-gram.
        sep: joins the tokens (and their ``pos`` tags) of an n-gram.

    Returns:
        A new frame with every column of the n-gram's first token, where ``token`` is the
        joined n-gram, ``pos`` (if present) the joined tags and ``end`` the end of the last
        token, plus ``n``; in reading order. So ``term_frequency``, ``keyness`` and friends
        work on it unchanged.

    Example:
        >>> tokens.pipe(zz.ngrams, n=2).pipe(zz.term_frequency).head()  # doctest: +SKIP
    """
    frame, ok = _runs(tokens, n, "ngrams")
    starts = np.flatnonzero(ok)
    out = frame.iloc[starts].copy()
    for column in ["token", "pos"] if "pos" in frame.columns else ["token"]:
        parts = [frame[column].astype("str").to_numpy(dtype=object)[starts + k] for k in range(n)]
        out[column] = pd.array([sep.join(p) for p in zip(*parts)], dtype="str")
    if "end" in frame.columns:
        out["end"] = frame["end"].to_numpy()[starts + n - 1]
    out["n"] = n
    return out.reset_index(drop=True)


def collocations(
    tokens: pd.DataFrame,
    *,
    method: Literal["pmi", "g2"] = "pmi",
    min_count: int = 3,
    by: By = None,
) -> pd.DataFrame:
    """Pairs of adjacent tokens that occur together more than chance predicts.

    Counts are over bigrams (adjacent tokens in a paragraph, as in :func:`ngrams`). For a pair
    (x, y): ``count`` bigrams are x y, ``count_1`` start with x, ``count_2`` end with y, out of
    N bigrams in the group. Then

    - PMI = log₂(count · N / (count_1 · count_2))
    - G² = Dunning's log-likelihood of the 2×2 table
      [[count, count_1 − count], [count_2 − count, N − count_1 − count_2 + count]],
      signed + when the pair occurs more often than expected.

    PMI favours rare pairs, so ``min_count`` matters; G² favours frequent ones.

    Args:
        tokens: a tokens frame.
        method: the score to sort by, ``"pmi"`` or ``"g2"`` (both are returned).
        min_count: keep pairs seen at least this often.
        by: find collocations within these groups.

    Returns:
        A new frame with the ``by`` columns, ``token_1``, ``token_2``, ``count``, ``count_1``,
        ``count_2``, ``pmi``, ``g2``; sorted by the ``by`` columns, then the chosen score
        descending, then count descending, then the tokens.

    Example:
        >>> tokens.pipe(zz.collocations, method="g2", min_count=2).head(10)  # doctest: +SKIP
    """
    if method not in ("pmi", "g2"):
        raise ValueError(f"method must be 'pmi' or 'g2', not {method!r}")
    keys = _keys(by)
    _require(tokens, keys, "collocations")
    frame, ok = _runs(tokens, 2, "collocations")
    starts = np.flatnonzero(ok)
    pairs = frame.iloc[starts][keys].reset_index(drop=True)
    pairs = pairs.assign(**{c: _by_value(pairs[c]) for c in keys if _coded_values(pairs[c])})
    pairs["token_1"] = frame["token"].to_numpy(dtype=object)[starts]
    pairs["token_2"] = frame["token"].to_numpy(dtype=object)[starts + 1]
    pairs = pairs.astype({"token_1": "str", "token_2": "str"})
    out = _count(pairs, [*keys, "token_1", "token_2"])
    first = _count(pairs, [*keys, "token_1"], "count_1")
    second = _count(pairs, [*keys, "token_2"], "count_2")
    out = out.merge(first, on=[*keys, "token_1"]).merge(second, on=[*keys, "token_2"])
    n = _group_sum(out, keys, "count").to_numpy(float)
    o11 = out["count"].to_numpy(float)
    c1, c2 = out["count_1"].to_numpy(float), out["count_2"].to_numpy(float)
    out["pmi"] = np.log2(o11 * n / (c1 * c2))
    g2 = _g2(o11, c1 - o11, c2 - o11, n - c1 - c2 + o11)
    out["g2"] = np.where(o11 * n >= c1 * c2, g2, -g2)
    out = out[out["count"] >= min_count]
    order = [(method, False), ("count", False), ("token_1", True), ("token_2", True)]
    return _sort(out, keys, order)


# --------------------------------------------------------------------------------------------
# keyword in context


@renamed(paragraphs_or_corpus="data")
def kwic(
    data,
    pattern: str,
    *,
    window: int = 15,
    regex: bool = False,
) -> pd.DataFrame:
    """Keyword in context: every match of ``pattern`` with ``window`` characters either side.

    Works on the text, not the tokens, so it finds strings the tokenizer split or merged
    (``制造`` inside ``制造业``). A literal pattern is normalised like the reader's text
    (``normalize_text``: "(暂行)" finds "（暂行）"); a regex is used as given. Matches do not
    overlap and never cross paragraphs; near a paragraph's edge the context is just shorter.

    Args:
        data: a string, an articles table (paragraphs are the ``\\n``-separated lines of
            ``text``), a paragraphs table (``article_id, para_no, text``), a stories table, or a
            Corpus/Issue (its articles); see :mod:`zzanalysis.spans`.
        pattern: the word to find, or a regular expression with ``regex=True``.
        window: characters of context on each side.
        regex: treat ``pattern`` as a regular expression.

    Returns:
        A new frame, one row per match: ``article_id`` (``story_id`` for stories), ``para_no``,
        ``left``, ``match``, ``right``, ``start``, ``end`` (offsets of the match in the
        paragraph's text), then every other input column except ``text`` (``date``,
        ``headline`` …; one named like a column above gets a prefix, see
        :mod:`zzanalysis.spans`); in input order, then ``para_no``, then ``start``.

    Raises:
        ValueError: for an empty pattern or a negative window.
        ColumnError: the table lacks ``text`` or its id column.

    Example:
        >>> zz.kwic(zz.read_corpus("data/raw"), "株洲", window=10).head()  # doctest: +SKIP
    """
    if not pattern:
        raise ValueError("kwic() needs a non-empty pattern")
    if window < 0:
        raise ValueError("window must be >= 0")
    compiled = re.compile(pattern if regex else re.escape(normalize_text(pattern)))
    docs = documents(data, func="kwic")
    rows, found = [], []
    for row, _field, para_no, text in docs:
        for m in compiled.finditer(text):
            s, e = m.span()
            if s == e:
                continue  # an empty regex match has no keyword to show
            rows.append(row)
            found.append((para_no, text[max(0, s - window):s], m.group(), text[e:e + window], s, e))
    names = ["para_no", "left", "match", "right", "start", "end"]
    out = pd.DataFrame(found, columns=names).astype(
        {"para_no": "int64", "left": "str", "match": "str", "right": "str", "start": "int64", "end": "int64"}
    )
    out.insert(0, docs.key, docs.ids(rows))
    return pd.concat([out, docs.meta(rows, out.columns)], axis=1)


# --------------------------------------------------------------------------------------------
# trends


@renamed(by="over")
def trend(
    tokens: pd.DataFrame,
    terms: str | Sequence[str],
    *,
    over: str = "date",
    freq: Literal["D", "W", "M", "Q", "Y"] | None = "M",
) -> pd.DataFrame:
    """How often each term is used per period, relative to all tokens of that period.

    Dates are bucketed into periods of ``freq`` (``"M"``: months, labelled by their first day)
    and every period from the first to the last is listed for every term, so a term that is
    not used in a period has count 0 and share 0. A period with no tokens at all (no issue in
    the corpus that month) has count 0, total 0 and a missing share: no data is not zero use.

    Args:
        tokens: a tokens frame with the ``over`` column.
        terms: a token or a list of tokens.
        over: the time column (``date``); a non-date column (``page``) is used as is, each
            observed value being a "period". (Formerly ``by=``, still accepted with a warning.)
        freq: ``"D"``, ``"W"`` (weeks starting Monday), ``"M"``, ``"Q"``, ``"Y"``, or None to
            keep the dates as they are (only the observed dates are then listed).

    Returns:
        A new frame with ``over`` (the period's start for dates), ``token``, ``count``, ``total``
        (tokens in the period), ``share`` (count / total) and ``per_10k``; sorted by period,
        then terms in the order given.

    Raises:
        ValueError: no terms given.
        ColumnError: ``tokens`` lacks ``token`` or the ``over`` column.

    Example:
        >>> tokens.pipe(zz.trend, ["株洲", "制造"], freq="M")  # doctest: +SKIP
    """
    terms = [terms] if isinstance(terms, str) else list(dict.fromkeys(terms))
    if not terms:
        raise ValueError("trend() needs at least one term")
    _require(tokens, [over, "token"], "trend")
    frame = _terms(tokens, [over])
    values = frame[over]
    if freq is not None and pd.api.types.is_datetime64_any_dtype(values):
        periods = values.dt.to_period(freq)
        frame = frame.assign(**{over: periods})
        valid = periods.dropna()
        axis = pd.period_range(valid.min(), valid.max(), freq=freq) if len(valid) else []
        axis = pd.Index(axis, name=over)
    else:
        axis = pd.Index(pd.unique(values.dropna()), name=over).sort_values()
    total = frame.groupby(over, observed=True).size().reindex(axis, fill_value=0)
    hits = frame[frame["token"].isin(terms)]
    counts = hits.groupby([over, "token"], observed=True).size()
    grid = pd.MultiIndex.from_product([axis, terms], names=[over, "token"])
    out = counts.reindex(grid, fill_value=0).rename("count").reset_index()
    out["total"] = out[over].map(total).astype("int64")
    out["count"] = out["count"].astype("int64")
    out["share"] = out["count"] / out["total"].where(out["total"] > 0)
    out["per_10k"] = out["share"] * 10_000
    if isinstance(out[over].dtype, pd.PeriodDtype):
        out[over] = out[over].dt.start_time
    out["token"] = out["token"].astype("str")
    return out
