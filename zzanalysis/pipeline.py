"""A whole run in one worker pool: read the pages, then term counts, industry mentions and
economic indicators, date range by date range.

Reading with ``read_corpus(n_jobs=2)`` and then running the steps in a pool of one's own starts
two pools, loads the dictionaries in every worker of the second and sends each article's columns
back with every mention (22 columns on each of a year's 478 k mentions). Here one
pool parses the pages and then runs the steps; the tokenizer's dictionary, the industry automaton
and the indicator rules are loaded once, here before the workers are forked (on Linux), else in
each worker as it starts; workers receive only the columns the steps read
and send back only the columns the steps make, and the carried columns (date, page, headline …)
are taken from the corpus in this process. The tables are the ones the steps give when called
one by one on the whole corpus.

With more than one process the steps do not wait for the whole archive: each chunk of parsed
pages goes to the workers as it arrives (see :class:`_Stream`), while this process assembles the
corpus; while the workers' pool starts, this process parses (see ``loader._submit_parsing``).
"""
from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal, NamedTuple, get_args

import numpy as np
import pandas as pd

from . import loader
from .corpus import Corpus

Step = Literal["terms", "mentions", "indicators"]

# What each step reads: workers get these columns and a row number, nothing else.
_ARTICLE_INPUT = ("article_id", "kicker", "headline", "subtitle", "text")
_PARAGRAPH_INPUT = ("article_id", "para_no", "text")
_HEADINGS = ("kicker", "headline", "subtitle")
_ROW = "_row"


class PipelineResult(NamedTuple):
    """What :func:`run_pipeline` returns; a step not asked for is ``None``."""

    corpus: Corpus
    terms: pd.DataFrame | None
    mentions: pd.DataFrame | None
    indicators: pd.DataFrame | None


def run_pipeline(
    source: str | Path | Iterable[str | Path],
    *,
    steps: Iterable[Step] = ("terms", "mentions", "indicators"),
    n_jobs: int = 1,
    errors: Literal["raise", "warn", "skip"] = "raise",
    cache: bool = True,
    progress: bool | None = None,
) -> PipelineResult:
    """Read an archive and run the analyses on it, with one pool of ``n_jobs`` processes.

    Args:
        source: what :func:`zzanalysis.read_corpus` reads (folder, glob, file, list of them).
        steps: any of ``"terms"`` (``zz.term_frequency(zz.tokenize(corpus.paragraphs,
            carry=[]))``), ``"mentions"`` (``zz.industry_mentions(corpus.articles)``) and
            ``"indicators"`` (``zz.extract_indicators(corpus.paragraphs)``), with the shipped
            lexicon, taxonomy and rules.
        n_jobs: processes (``-1``: one per core). One pool parses and runs the steps on each
            chunk of parsed pages as it arrives (pages from the parse cache: over groups of
            dates); with 1 everything runs here, a month at a time, so a year of tokens never
            exists at once. The result is the same for any value.
        errors, cache, progress: as in :func:`zzanalysis.read_corpus` (``cache`` is the parse
            cache; token tables are not cached here).

    Returns:
        A :class:`PipelineResult`: ``corpus``; ``terms`` (``token``, ``count``, ``share``,
        ``per_10k``); ``mentions`` and ``indicators`` with the columns of
        :func:`zzanalysis.industry_mentions` and :func:`zzanalysis.extract_indicators`, rows in
        the order those give on the whole corpus.

    Raises:
        ValueError: ``steps`` names an unknown step.
        ParseError, FileNotFoundError: as :func:`zzanalysis.read_corpus`.

    Example:
        >>> run = zz.run_pipeline("archive/", n_jobs=2)  # doctest: +SKIP
        >>> run.mentions.groupby("label_zh").size().nlargest(3)  # doctest: +SKIP
    """
    steps = tuple(dict.fromkeys(steps))
    unknown = sorted(set(steps) - set(get_args(Step)))
    if unknown:
        raise ValueError(f"unknown step(s) {unknown}; choose from {get_args(Step)}")
    jobs = loader._n_jobs(n_jobs)
    read = dict(errors=errors, encoding=None, n_jobs=jobs, progress=progress, cache=cache)
    if jobs == 1:
        corpus = loader._read_corpus(source, **read)
        parts = [_run_group(steps, job) for job in _jobs(corpus, steps, 1)]
    else:
        context = _context()
        if context.get_start_method() == "fork":
            # Loaded once here, the forked workers inherit it (its pages shared while the pool's
            # collector leaves them frozen) and start their first task warm; loaded in each
            # worker, two processes paid it twice (≈ 1 CPU-s each) where one process pays it once.
            release = _load_dictionaries(steps)
            warm = {}
        else:
            release, warm = None, dict(initializer=_load_dictionaries, initargs=(steps,))
        with loader._start_pool(jobs, context, **warm) as pool:
            if release is not None:
                # the workers have their copy; this process's own, not used here, would add
                # to the peak of all processes (the workers' pages are theirs: unaffected)
                release()
            stream = _Stream(pool, steps)
            try:
                corpus = loader._read_corpus(source, **read, pool=pool, on_part=stream.submit if steps else None)
                parts = stream.collect(corpus, jobs)
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
        # after the pool has gone: its workers' heaps (0.35 GB each) would add to the tables' peak
        return PipelineResult(corpus, *_combine(corpus, steps, parts, stream.columns))
    return PipelineResult(corpus, *_combine(corpus, steps, parts))


def _context():
    """The parse pool's start method (see ``loader._pool_context``); from a fork server, the
    analyses' modules are imported once in the server rather than in every worker."""
    ctx = loader._pool_context()
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(["__main__", "zzanalysis.loader", "zzanalysis.pipeline", "zzanalysis.tokens",
                                    "zzanalysis.industries", "zzanalysis.indicators", "zzanalysis.frequency"])
    return ctx


def _load_dictionaries(steps: tuple[str, ...]) -> Callable[[], None]:
    """Load what the steps use (each is cached per process), including what their first task
    would load on meeting the text that needs it: in this process before the workers are
    forked, else at each worker's start. Returns what lets go of the larger parts (the
    tokenizer's dictionary and jieba's tags, the indicators' tagger) if this call loaded them."""
    from . import indicators, tokens
    from .industries import industry_mentions

    releases = []
    if "terms" in steps:
        releases.append(tokens._preload())
        tokens.tokenize("株洲", cache=False)
    if "mentions" in steps:
        industry_mentions("株洲")
    if "indicators" in steps:
        releases.append(indicators._preload())
        indicators.extract_indicators("株洲增长5%。")

    def release() -> None:
        for each in releases:
            each()

    return release


def _jobs(corpus: Corpus, steps: tuple[str, ...], n_jobs: int) -> list[tuple[pd.DataFrame, pd.DataFrame]]:
    """The corpus cut into groups of whole days, in table order: a month each with one process;
    with more, at least four groups per process, so a slow group does not leave a core idle."""
    arts, paras = corpus.articles, corpus.paragraphs
    if not len(arts) and not len(paras):
        return []
    days = pd.concat([arts["date"], paras["date"]]).dropna().drop_duplicates().sort_values()
    if n_jobs == 1:
        groups = [g.to_numpy() for _, g in days.groupby(days.dt.to_period("M"), sort=True)]
    else:
        months = days.dt.to_period("M").nunique()
        groups = np.array_split(days.to_numpy(), min(len(days), max(months, 4 * n_jobs)))
    a_in, p_in = _inputs(arts, paras, steps)
    # The tables are sorted by date, undated rows last: a group of days is a slice of each
    # (a mask per group over a year of rows took 0.7 s while the workers waited).
    a_days = arts["date"].to_numpy()[:len(a_in)]
    p_days = paras["date"].to_numpy()[:len(p_in)]
    a_dated, p_dated = int(pd.notna(a_days).sum()), int(pd.notna(p_days).sum())
    out = []
    for group in groups:
        a, b = _span(a_days[:a_dated], group)
        c, d = _span(p_days[:p_dated], group)
        out.append((a_in.iloc[a:b], p_in.iloc[c:d]))
    if a_dated < len(a_in) or p_dated < len(p_in):
        out.append((a_in.iloc[a_dated:], p_in.iloc[p_dated:]))
    return out


def _span(days: np.ndarray, group: np.ndarray) -> tuple[int, int]:
    """Where the rows of the days ``group`` (sorted) are in ``days`` (sorted): start and stop."""
    return int(np.searchsorted(days, group[0], side="left")), int(np.searchsorted(days, group[-1], side="right"))


def _run_group(steps: tuple[str, ...], job: tuple[pd.DataFrame, pd.DataFrame]) -> dict:
    """The steps on one group of days: term counts, and mentions and indicators with the input
    row number in place of the carried columns."""
    from .indicators import extract_indicators
    from .industries import industry_mentions
    from .tokens import _term_counts

    articles, paragraphs = job
    out = {}
    if "terms" in steps:
        # term_frequency(tokenize(...)) without the token table, which nothing here keeps
        out["terms"] = _term_counts(paragraphs)
    if "mentions" in steps:
        mentions = industry_mentions(articles)
        # the headings are carried on every mention: this process has them already
        out["mentions"] = mentions.drop(columns=[c for c in _HEADINGS if c in mentions.columns])
    if "indicators" in steps:
        out["indicators"] = extract_indicators(paragraphs)
    return out


class _Stream:
    """The steps started on each parsed chunk as it arrives, while later chunks are parsed and
    this process assembles the corpus; the results are placed by row once the corpus exists.

    Workers get a chunk's rows with their row number in the chunk (``_row``); a chunk's rows
    are whole pages, so whole articles. Once the corpus is assembled, each chunk's rows are
    found in it by ``article_id`` (and ``para_no``), keeping only the rows of files the corpus
    kept (a file repeating another's bytes, or another's page, is parsed but dropped). Rows the
    chunks did not hold (pages taken from the parse cache) are sent as groups of days after.
    """

    # Tasks per chunk: the last task of the run finishes alone, so tasks are kept small.
    PIECES = 2

    def __init__(self, pool, steps: tuple[str, ...]):
        self.pool, self.steps = pool, steps
        self.chunks: list[dict] = []  # per chunk: what finds its rows in the corpus
        self.columns: dict[str, pd.Index] = {}  # the tables' columns, once the corpus exists
        self.futures: dict = {}  # future → chunk number (-1: rows numbered in the corpus)
        self.slices: dict = {}  # future → its rows in the chunk's articles and paragraphs
        self.order: dict = {}  # future → (0, first file) for a chunk's piece, (1, number) after

    def submit(self, part: dict) -> None:
        """Called by the parser with each chunk's tables (``_file`` on every row)."""
        # one frame a table from the parser (_parse_chunk): used as it is (a concat would copy the text)
        arts, paras = part["articles"][0], part["paragraphs"][0]
        if not len(arts) and not len(paras):
            return
        k = len(self.chunks)
        self.chunks.append(dict(
            paths={meta["source_path"]: meta["page_id"] for meta in part["metas"].values()},
            files={i: meta["source_path"] for i, meta in part["metas"].items()},
            a_id=arts["article_id"].to_numpy(), a_file=arts["_file"].to_numpy(),
            p_id=paras["article_id"].to_numpy(), p_no=paras["para_no"].to_numpy(), p_file=paras["_file"].to_numpy()))
        a_in, p_in = _inputs(arts, paras, self.steps)  # columns as the corpus holds them (loader._parse_canonical)
        # A chunk's rows come file by file, in file order: a piece of its files is a slice.
        a_file, p_file = arts["_file"].to_numpy()[:len(a_in)], paras["_file"].to_numpy()[:len(p_in)]
        files = np.unique(np.concatenate([a_file, p_file]))
        for piece in np.array_split(files, min(self.PIECES, len(files))):
            a, b = _span(a_file, piece)
            c, d = _span(p_file, piece)
            future = self.pool.submit(_run_group_pickled, (self.steps, (a_in.iloc[a:b], p_in.iloc[c:d])))
            self.futures[future], self.slices[future], self.order[future] = k, (a, b, c, d), (0, int(piece[0]))

    def collect(self, corpus: Corpus, n_jobs: int) -> list[dict]:
        """The steps' results of every chunk with ``_row`` the row in ``corpus``: chunks in file
        order, then the rows the chunks did not hold."""
        from concurrent.futures import as_completed

        index = _RowIndex(corpus)
        maps = [index.rows(chunk) for chunk in self.chunks]
        files = [(chunk["a_file"], chunk["p_file"]) for chunk in self.chunks]
        # a year of article ids as Python strings and their hash tables, not needed once found
        self.chunks.clear()
        del index
        covered_a = np.zeros(len(corpus.articles), dtype=bool)
        covered_p = np.zeros(len(corpus.paragraphs), dtype=bool)
        for a_rows, p_rows in maps:
            covered_a[a_rows[a_rows >= 0]] = True
            covered_p[p_rows[p_rows >= 0]] = True
        a_all, p_all = _inputs(corpus.articles, corpus.paragraphs, self.steps)
        # Pieces no worker has taken yet are sent again from the corpus's own columns (their kept
        # rows only): the chunk's tables, a second copy of the text, can then be let go.
        waiting = []
        for future in list(self.futures):
            k = self.futures[future]
            if k >= 0 and future.cancel():
                waiting.append((k, self.slices.pop(future)))
                del self.futures[future], self.order[future]
        # The last task of the run finishes alone while the other workers wait: the last ones
        # are cut in two, and the very last in four, by file as the chunks were.
        for n, (k, (a, b, c, d)) in enumerate(waiting):
            left = len(waiting) - n
            a_file, p_file = files[k][0][a:b], files[k][1][c:d]
            piece_files = np.unique(np.concatenate([a_file, p_file]))
            cuts = 4 if left <= n_jobs else 2 if left <= 2 * n_jobs else 1
            for piece in np.array_split(piece_files, min(cuts, len(piece_files))):
                a0, b0 = _span(a_file, piece)
                c0, d0 = _span(p_file, piece)
                job = (_take(a_all, maps[k][0][a + a0:a + b0]), _take(p_all, maps[k][1][c + c0:c + d0]))
                self._submit(job, (0, int(piece[0])))
        del files, waiting
        if self.steps and not (covered_a.all() and covered_p.all()):
            for a, p in _jobs(corpus, self.steps, n_jobs):
                a = a[~covered_a[a[_ROW].to_numpy()]]
                p = p[~covered_p[p[_ROW].to_numpy()]]
                if len(a) or len(p):
                    self._submit((a, p), (1, len(self.order)))
        # Term counts cannot drop a file's rows afterwards: pieces holding a dropped file's rows
        # have theirs counted again from the corpus (rare: files repeating another's page).
        recount = {f for f, k in self.futures.items() if k >= 0 and (maps[k][1][self.slices[f][2]:self.slices[f][3]] < 0).any()}
        if "terms" in self.steps and recount:
            rows = np.sort(np.concatenate([maps[self.futures[f]][1][self.slices[f][2]:self.slices[f][3]] for f in recount]))
            self._submit((a_all.iloc[:0], _take(p_all, rows)), (1, len(self.order)), steps=("terms",))
        del a_all, p_all
        self.columns = _columns(corpus, self.steps)  # while the workers run: it loads the rules
        parts = {}
        for future in as_completed(self.futures):
            k, part = self.futures.pop(future), pickle.loads(future.result())
            if k >= 0:
                if future in recount:
                    part.pop("terms", None)
                for step, rows in (("mentions", maps[k][0]), ("indicators", maps[k][1])):
                    if step in part:
                        where = rows[part[step][_ROW].to_numpy()]
                        part[step] = part[step][where >= 0].assign(**{_ROW: where[where >= 0]})
            parts[self.order.pop(future)] = part
            # a done future keeps its pickled result, a second copy of the part: let it go
            self.slices.pop(future, None)
            recount.discard(future)
            del future
        # chunks in file order (they arrive in any order), then the rest in table order
        return [parts.pop(order) for order in sorted(parts)]

    def _submit(self, job: tuple[pd.DataFrame, pd.DataFrame], order: tuple[int, int],
                steps: tuple[str, ...] | None = None) -> None:
        """A task on rows numbered in the corpus."""
        future = self.pool.submit(_run_group_pickled, (steps or self.steps, job))
        self.futures[future], self.order[future] = -1, order


def _take(frame: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """``frame``'s rows ``rows`` (-1: none), as a slice when they are one run (no copy)."""
    rows = rows[rows >= 0]
    if len(rows) and rows[-1] - rows[0] + 1 == len(rows) and (np.diff(rows) == 1).all():
        return frame.iloc[rows[0]:rows[-1] + 1]
    return frame.take(rows)


def _inputs(arts: pd.DataFrame, paras: pd.DataFrame, steps: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The columns each step reads and the row number, empty for steps not asked for."""
    a_in = arts[[c for c in _ARTICLE_INPUT if c in arts.columns]].assign(**{_ROW: np.arange(len(arts))})
    p_in = paras[list(_PARAGRAPH_INPUT)].assign(**{_ROW: np.arange(len(paras))})
    if "mentions" not in steps:
        a_in = a_in.iloc[:0]
    if not {"terms", "indicators"} & set(steps):
        p_in = p_in.iloc[:0]
    return a_in, p_in


class _RowIndex:
    """Finds a chunk's rows in the corpus (see :meth:`rows`)."""

    def __init__(self, corpus: Corpus):
        self.kept = dict(zip(corpus.issues["page_id"], corpus.issues["source_path"]))
        self.articles = pd.Index(corpus.articles["article_id"])
        # (article, paragraph) as one integer: a string and a number are slow to look up together
        codes, ids = pd.factorize(corpus.paragraphs["article_id"])
        self.ids = pd.Index(ids)
        self.paragraphs = pd.Index(codes.astype("int64") << 24 | corpus.paragraphs["para_no"].to_numpy(dtype="int64"))

    def rows(self, chunk: dict) -> tuple[np.ndarray, np.ndarray]:
        """Row in ``corpus.articles`` / ``corpus.paragraphs`` of each row of a chunk; -1 for the
        rows of a file the corpus did not keep."""
        ok = [i for i, path in chunk["files"].items() if self.kept.get(chunk["paths"][path]) == path]
        a_rows = self.articles.get_indexer(chunk["a_id"])
        a_rows[~np.isin(chunk["a_file"], ok)] = -1
        codes = self.ids.get_indexer(chunk["p_id"]).astype("int64")
        p_rows = self.paragraphs.get_indexer(codes << 24 | chunk["p_no"].astype("int64"))
        p_rows[(codes < 0) | ~np.isin(chunk["p_file"], ok)] = -1
        return a_rows, p_rows


def _run_group_pickled(args) -> bytes:
    # protocol 5 sends Arrow-backed text as buffers (see loader._parse_chunk_pickled)
    return pickle.dumps(_run_group(*args), protocol=5)


def _columns(corpus: Corpus, steps: tuple[str, ...]) -> dict[str, pd.Index]:
    """The columns of the mentions and indicators tables of ``corpus``, in the steps' order."""
    from .indicators import extract_indicators
    from .industries import industry_mentions

    out = {}
    if "mentions" in steps:
        out["mentions"] = industry_mentions(corpus.articles.iloc[:0]).columns
    if "indicators" in steps:
        out["indicators"] = extract_indicators(corpus.paragraphs.iloc[:0]).columns
    return out


def _combine(corpus: Corpus, steps: tuple[str, ...], parts: list[dict],
             columns: dict[str, pd.Index] | None = None) -> list[pd.DataFrame | None]:
    from .frequency import term_frequency, term_shares
    from .indicators import extract_indicators
    from .industries import industry_mentions
    from .tokens import tokenize

    out: list[pd.DataFrame | None] = []
    if "terms" in steps:
        if parts:
            counts = pd.concat([p["terms"] for p in parts if "terms" in p], ignore_index=True)
            out.append(term_shares(counts.groupby("token", sort=False)["count"].sum().reset_index()))
        else:
            out.append(term_frequency(tokenize(corpus.paragraphs, cache=False, carry=[])))
    else:
        out.append(None)
    for step, frame, func in (("mentions", corpus.articles, industry_mentions),
                              ("indicators", corpus.paragraphs, extract_indicators)):
        if step not in steps:
            out.append(None)
        elif not parts:
            out.append(func(frame))
        else:
            own = pd.concat([p[step] for p in parts if step in p], ignore_index=True)
            rows = own[_ROW].to_numpy()
            # Parts hold whole rows each, in the step's order; in the order given they are in
            # table order when the archive's file names sort by date, else they are sorted here.
            if len(rows) and (np.diff(rows) < 0).any():
                own = own.take(np.argsort(rows, kind="stable"))
            out.append(_with_carried(own, frame, (columns or _columns(corpus, (step,)))[step]))
    return out


def _with_carried(own: pd.DataFrame, frame: pd.DataFrame, columns: pd.Index) -> pd.DataFrame:
    """Rows the workers made, with the input's other columns taken from ``frame`` by row number
    and the columns in the order the step gives them (a clashing name carries the table's prefix,
    as :mod:`zzanalysis.spans` names it)."""
    rows = own[_ROW].to_numpy()
    data = {}
    for col in columns:
        if col in own.columns:
            data[col] = own[col].reset_index(drop=True)
            continue
        src = next(c for c in (col, col.removeprefix("article_"), col.removeprefix("paragraph_"))
                   if c in frame.columns)
        data[col] = frame[src].take(rows).reset_index(drop=True)
    return pd.DataFrame(data, columns=columns)
