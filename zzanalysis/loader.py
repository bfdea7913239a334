"""Many page files → one ``Corpus``: listing, parallel parsing and the Parquet parse cache."""
from __future__ import annotations

import bisect
import collections
import contextlib
import functools
import gc
import glob as globlib
import hashlib
import json
import os
import pickle
import tempfile
import time
import warnings
from pathlib import Path
from typing import Iterable, Literal

import numpy as np
import pandas as pd

from . import article_file, reader
from ._version import __version__
from .corpus import (
    _LIST_COLUMNS, ARTICLE_COLUMNS, ISSUE_COLUMNS, PARAGRAPH_COLUMNS, PROBLEM_COLUMNS, Corpus, _articles_frame, _canonical,
    _issues_frame, _paragraphs_frame, _sorted,
)
from .decode import decode_page
from .errors import PageWarning, ParseError
from .stories import link_fragments
from .tables import _date_array, _joined_text, _utf8_array

PAGE_SUFFIXES = (".md", ".markdown", ".txt")
# Files read: pages and plain-text articles (PAGE_SUFFIXES), articles saved as HTML.
READ_SUFFIXES = PAGE_SUFFIXES + article_file.HTML_SUFFIXES
# Notes people keep beside their pages: listed as skipped, never parsed as a page.
NOT_PAGE_NAMES = ("readme", "license", "licence", "changelog", "说明")


def _walk(folder: Path) -> list[Path]:
    """The files under ``folder`` in the order of ``sorted()`` on Paths (part by part)."""
    # os.walk, pruning hidden folders (.cache, .git) as it goes: a year of pages is listed in a
    # few milliseconds, where rglob + a stat per file took a quarter of a cached reload. Hidden
    # files (.DS_Store) are the system's, not the user's: they are left out too. Sorted on each
    # file's parts below the folder (as tuples of str) before the Paths are made, each from its
    # folder's: comparing and building Paths was most of listing a year.
    found: list[tuple[tuple[str, ...], Path, str]] = []
    below = {os.fspath(folder): ()}
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        here = below.pop(root)
        below.update((os.path.join(root, d), (*here, d)) for d in dirs)
        base = Path(root)
        found += [((*here, name), base, name) for name in names if not name.startswith(".")]
    found.sort(key=lambda f: f[0])
    return [base / name for _, base, name in found]


def _skip_reason(path: Path) -> str | None:
    """Why a file found in a folder or by a glob is not read, or None to read it."""
    name = path.name
    dot = name.rfind(".")
    stem = name[:dot] if 0 < dot < len(name) - 1 else name  # as Path.stem, without making it again
    if stem.lower().startswith(NOT_PAGE_NAMES):
        return "skipped: a note beside the pages (README, licence …), not a page"
    if not name.lower().endswith(READ_SUFFIXES):
        return (f"skipped: {path.suffix or 'no suffix'} is not a page or article file "
                f"(read are {' '.join(READ_SUFFIXES)})")
    return None


def list_files(source: str | Path | Iterable[str | Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The files :func:`read_corpus` reads from ``source``, and those it skips with the reason.

    A file named directly is always read; in a folder (searched recursively, hidden files and
    folders left out) or a glob's matches, files without a page suffix and notes such as
    ``README.md`` are skipped.

    Returns:
        ``(files, skipped)``: both sorted by path, without repeats.

    Raises:
        FileNotFoundError: ``source`` names nothing that exists.
    """
    if isinstance(source, (str, Path)):
        p = Path(source)
        if p.is_file():
            return [p], []
        if p.is_dir():
            found = _walk(p)
        else:
            found = sorted(Path(m) for m in globlib.glob(str(source), recursive=True))
            if not found:
                raise FileNotFoundError(f"no page files at {source}")
            found = [m for m in found if m.is_file()]
        reasons = [(f, _skip_reason(f)) for f in found]
        return [f for f, r in reasons if r is None], [(f, r) for f, r in reasons if r is not None]
    files: dict[Path, None] = {}
    skipped: dict[Path, str] = {}
    for item in source:
        more, less = list_files(item)
        files.update(dict.fromkeys(more))
        skipped.update(less)
    return sorted(files), sorted((f, r) for f, r in skipped.items() if f not in files)


def page_files(source: str | Path | Iterable[str | Path]) -> list[Path]:
    """A folder (searched recursively for .md/.markdown/.txt), a glob pattern, a file, or a list of
    those → sorted list of the files :func:`read_corpus` reads (see :func:`list_files`)."""
    return list_files(source)[0]


def read_corpus(
    source: str | Path | Iterable[str | Path],
    *,
    errors: Literal["raise", "warn", "skip"] = "raise",
    encoding: str | None = None,
    n_jobs: int = 1,
    progress: bool | None = None,
    cache: bool = True,
) -> Corpus:
    """Read many page files into one :class:`Corpus`, in parallel and through a Parquet cache.

    Args:
        source: a folder (recursive), a glob (``"archive/2023/*.md"``), a file, or a list of them.
            Files in a folder or glob that are not read (another suffix, a ``README.md``) are
            listed in ``problems`` as skipped (severity ``warning``); hidden files and folders
            (``.git``, ``.DS_Store``) are the system's and left out. See :func:`list_files`.
        errors: what a bad file does: ``"raise"`` its :class:`ParseError`; ``"warn"`` a warning
            and a row in ``problems``; ``"skip"`` only the row in ``problems``. Good files are
            always loaded. A file whose bytes repeat an earlier file is dropped and reported.
        encoding: force an encoding for every file (default: detect).
        n_jobs: processes that parse (``-1``: one per core): this one and ``n_jobs - 1``
            workers, forked on Linux with the parser already imported (elsewhere started from a
            fork server or spawned, which imports it first: ~0.5 s), so this pays off from a
            few hundred files on. The result is the same for any value.
        progress: a progress bar (tqdm) while parsing. ``None``: only in a terminal or Jupyter
            and when at least 200 files need parsing; ``True``/``False`` force it on or off.
        cache: reuse the tables parsed last time from the Parquet cache under
            ``$ZZ_CACHE_DIR/corpus`` (see :mod:`zzanalysis.cache`). Entries are keyed by every
            file's path and sha256, :data:`zzanalysis.reader.PARSER_VERSION` and the parser's
            source (reader.py, page.py, text.py, decode.py, corpus.py, article_file.py, stories.py,
            loader.py): an unchanged archive is read back without parsing, a changed or added file
            is parsed alone, a removed file drops out. As in git's index, a file is not even read
            while its size, mtime, ctime and inode are those recorded with its sha256 last time and
            were recorded more than 2 s after its last change (nearer, a rewrite within the file
            system's clock tick could leave them alike); any other file is read and hashed. A
            damaged cache entry is deleted and rebuilt. Unreadable files are not cached: they are
            tried again each call.

    Returns:
        A :class:`Corpus`; tables sorted by date, page and position, ids unique. Text columns are
        ``str`` (missing: NaN), list columns (``reporters``, ``extras`` …) Python lists.

    Example:
        >>> corpus = zz.read_corpus("data/raw")
        >>> corpus.articles.groupby("kind").size().to_dict()
        {'article': 8, 'teaser': 1}
        >>> big = zz.read_corpus("archive/", n_jobs=-1, errors="warn")  # doctest: +SKIP
    """
    return _read_corpus(source, errors=errors, encoding=encoding, n_jobs=n_jobs, progress=progress, cache=cache)


def _read_corpus(source, *, errors, encoding, n_jobs, progress, cache, pool=None, on_part=None) -> Corpus:
    """:func:`read_corpus`, parsing in ``pool`` (a process pool started by the caller, which
    keeps it for later steps: :func:`zzanalysis.pipeline.run_pipeline`) when one is given, and
    handing each parsed chunk to ``on_part`` as it arrives (see :func:`_parse_files`)."""
    files, skipped = list_files(source)
    # Keyed by file order; a skipped file sorts just before the first read file after it.
    problems: list[tuple[float, dict]] = [
        (bisect.bisect_left(files, path) - 0.5, dict(path=str(path), line=None, severity="warning", reason=reason))
        for path, reason in skipped
    ]
    # Each file is read and hashed once. With the cache its sha256 is needed first (it is the
    # key), so the bytes are kept for the parser; without it the parser reads and hashes. A file
    # whose stat data the cache's file index vouches for is not read at all (see _FileIndex).
    shas: dict[int, str] = {}
    data: dict[int, bytes] = {}
    store = _corpus_cache(source, files) if cache else None
    prev, exact, index, stamp, stats = None, False, None, 0, {}
    if store is not None:
        from concurrent.futures import ThreadPoolExecutor

        latest_key = _latest_key(store, source, encoding)
        index = _FileIndex.load(store, latest_key)
        # The tables of this source's last call are loaded while the files are checked (Parquet
        # reads and sha256 both release the GIL): on an unchanged archive they are the answer.
        with ThreadPoolExecutor(1) as reader_thread:
            guess = reader_thread.submit(_load_snapshot, store, index.snapshot) if index is not None else None
            stamp, stats, vouched = _check_files(files, index, shas, data, errors, problems)
            # every file, and no other, as the index recorded it: the key it names is this one
            key = (index.snapshot if index is not None and vouched == len(shas) == len(index.files)
                   else _snapshot_key(store, encoding, files, shas))
            latest = guess.result() if guess is not None else None
        if latest is not None and index.snapshot == key:
            prev, exact = latest, True
        else:
            prev = _load_snapshot(store, key)
            exact = prev is not None
            if prev is None and latest is not None:
                prev = latest  # tables of the files that did not change

    # Files whose tables the cache holds for exactly these bytes; parse the first copy of the rest.
    reuse: dict[int, str] = {}
    if prev is not None:
        old = prev["issues"]
        cached = dict(zip(zip(old["source_path"].tolist(), old["sha256"].tolist()), old["page_id"].tolist()))
        reuse = {i: cached[(str(files[i]), sha)] for i, sha in shas.items() if (str(files[i]), sha) in cached}
    if store is not None:
        first: dict[str, int] = {}
        for i, sha in shas.items():
            first.setdefault(sha, i)
        todo = [(i, files[i], data.get(i)) for i, sha in shas.items() if i not in reuse and first[sha] == i]
    else:
        todo = [(i, path, None) for i, path in enumerate(files)]  # copies are found by their sha after parsing
    data.clear()  # the parser holds the bytes it needs (in todo) for as long as it needs them
    parsed = _parse_files(todo, encoding, _n_jobs(n_jobs), progress, pool=pool, on_part=on_part)
    del todo
    for i, (sha, _, err) in parsed["status"].items():
        if sha is not None:
            shas[i] = sha
        else:  # could not be read
            _fail(err, i, files[i], errors, problems)

    seen_hash: dict[str, Path] = {}
    seen_page: dict[str, Path] = {}
    keep: dict[str, int] = {}  # page_id → file order
    new_metas: list[dict] = []
    warns = dict(zip(prev["issues"]["source_path"].tolist(), prev["issues"]["warnings"])) if prev is not None else {}
    for i, path in enumerate(files):
        if i not in shas:
            continue
        if shas[i] in seen_hash:
            problems.append((i, dict(path=str(path), line=None, severity="warning",
                                     reason=f"duplicate of {seen_hash[shas[i]]}: dropped")))
            continue
        if i in reuse:
            page_id = reuse[i]
        else:
            if i not in parsed["status"]:  # a copy of a file that failed: it may yet parse under its own name
                parsed = _merge_parsed(parsed, _parse_files([(i, path, None)], encoding, 1, False))
            sha, page_id, err = parsed["status"][i]
            shas[i] = sha or shas[i]
            if err is not None:
                _fail(err if isinstance(err, OSError) else ParseError(err[0], path=path, line=err[1]),
                      i, path, errors, problems)
                continue
        if page_id in seen_page:
            _fail(ParseError(f"same page ({page_id}) as {seen_page[page_id]} with different content",
                             path=path, line=1), i, path, errors, problems)
            continue
        if i not in reuse:
            meta = parsed["metas"][i]
            new_metas.append(meta)
            warns[str(path)] = meta["warnings"]
        for msg in warns[str(path)]:
            line, reason = msg.split(": ", 1)
            problems.append((i, dict(path=str(path), line=int(line.removeprefix("line ")), severity="warning",
                                     reason=reason)))
            if errors == "warn":
                warnings.warn(f"{path}:{line.removeprefix('line ')}: {reason}", PageWarning, stacklevel=2)
        seen_hash[shas[i]] = path
        seen_page[page_id] = path
        keep[page_id] = i

    if exact and not new_metas and len(keep) == len(prev["issues"]):
        tables = prev  # stories linked and jumps found when the snapshot was made
        if index is None or index.snapshot != key or index.stale(files, stats, shas):
            try:
                _save_index(store, latest_key, key, files, stamp, stats, shas)
            except OSError as e:  # as below: the next call hashes the files again, nothing worse
                warnings.warn(f"could not write the parse cache in {store.folder}: {e}", PageWarning, stacklevel=2)
    else:
        tables = _assemble(prev, parsed, new_metas, keep, {k for k, i in keep.items() if i in reuse},
                           {i for i in keep.values() if i not in reuse})
        # Stories span pages, so they are linked after every page is in, cached or not.
        tables["articles"] = tables["articles"].copy(deep=False)
        with _gc_paused():  # dicts and lists per fragment: collections would walk them all for nothing
            tables["articles"]["story_id"], tables["unmatched"] = link_fragments(tables["articles"])
        if store is not None and keep:
            try:
                key = _snapshot_key(store, encoding, files, shas)
                _save_snapshot(store, key, tables)
                # the pointer last: it only ever names a complete set of tables
                _save_index(store, latest_key, key, files, stamp, stats, shas)
            except OSError as e:  # a full or read-only disk costs the next call time, not this one its result
                warnings.warn(f"could not write the parse cache in {store.folder}: {e}", PageWarning, stacklevel=2)
    if tables["unmatched"]:
        problems += _jump_problems(tables["unmatched"], tables, {str(f): i for i, f in enumerate(files)})
    probs = pd.DataFrame([p for _, p in sorted(problems, key=lambda t: t[0])], columns=PROBLEM_COLUMNS)
    probs = probs.astype({"path": "str", "line": "Int64", "severity": "str", "reason": "str"})
    return Corpus(tables["issues"], tables["articles"], tables["paragraphs"], probs)


def _jump_problems(unmatched: list[dict], tables: dict, file_order: dict[str, int]) -> list[tuple[int, dict]]:
    """``problems`` rows (severity ``info``) for jumps that join nothing, at the line where the
    fragment ends (下转) or starts (上接)."""
    if not unmatched:
        return []
    ids = {u["article_id"] for u in unmatched}
    paras = tables["paragraphs"]
    paras = paras[paras["article_id"].isin(ids)]
    first = paras.groupby("article_id")["line_start"].min().to_dict()
    last = paras.groupby("article_id")["line_end"].max().to_dict()
    arts = tables["articles"]
    arts = arts[arts["article_id"].isin(ids)]
    paths = dict(zip(tables["issues"]["page_id"], tables["issues"]["source_path"]))
    where = dict(zip(arts["article_id"], _page_ids(arts).map(paths)))
    rows = []
    for u in unmatched:
        aid, path = u["article_id"], where[u["article_id"]]
        line = (last if u["marker"].startswith("下转") else first).get(aid)
        rows.append((file_order.get(path, len(file_order)),
                     dict(path=path, line=line, severity="info", reason=f"{aid}: jump {u['marker']}: {u['reason']}")))
    return rows



# --- read_corpus helpers: parallel parsing and the parse cache -------------------------------

_PROGRESS_MIN_FILES = 200
_SNAPSHOT_TABLES = ("issues", "articles", "paragraphs")


def _fail(e: Exception, i: int, path: Path, errors: str, problems: list) -> None:
    if errors == "raise":
        raise e
    reason = e.reason if isinstance(e, ParseError) else str(e)
    line = e.line if isinstance(e, ParseError) else None
    problems.append((i, dict(path=str(path), line=line, severity="error", reason=reason)))
    if errors == "warn":
        warnings.warn(str(e), PageWarning, stacklevel=3)


def _n_jobs(n_jobs: int) -> int:
    return (os.cpu_count() or 1) if n_jobs == -1 else max(1, int(n_jobs))


def _parse_chunk(items: list[tuple[int, Path, bytes | None]], encoding: str | None) -> dict:
    """Parse page files (in a worker process): tables for the good ones, the error of the rest.

    An item carries the file's bytes when read_corpus has read them already (to hash them for
    the cache); otherwise (``None``) the file is read here, so each file is read and hashed once.
    The sha256 of the bytes actually parsed is returned and is what the cache keys on.
    """
    status: dict[int, tuple] = {}
    metas: dict[int, dict] = {}
    arts = {col: [] for col in ARTICLE_COLUMNS}
    paras = {col: [] for col in PARAGRAPH_COLUMNS}
    art_files: list[int] = []
    para_files: list[int] = []
    with _gc_paused(), warnings.catch_warnings():
        # Reported by read_corpus from meta["warnings"], in file order, as errors= says.
        warnings.simplefilter("ignore", PageWarning)
        for i, path, data in items:
            if data is None:
                try:
                    data = path.read_bytes()
                except OSError as e:
                    status[i] = (None, None, e)
                    continue
            sha = hashlib.sha256(data).hexdigest()
            try:
                meta, a_cols, p_cols = _parse_file(data, path, encoding, sha)
            except ParseError as e:
                status[i] = (sha, None, (e.reason, e.line))
                continue
            status[i] = (sha, meta["page_id"], None)
            metas[i] = meta
            for cols, more in ((arts, a_cols), (paras, p_cols)):
                for col, values in more.items():
                    cols[col] += values
            art_files += [i] * len(a_cols["article_id"])
            para_files += [i] * len(p_cols["para_no"])
        # One frame per chunk, not two per page: building small frames was most of the parse time.
        # Rows carry their file (_file): two files can hold the same page, and read_corpus keeps one.
        _derive_columns(arts, paras)
        out = {}
        for name, cols, files, build in (("articles", arts, art_files, _articles_frame),
                                          ("paragraphs", paras, para_files, _paragraphs_frame)):
            frame = build(cols)
            frame["_file"] = np.asarray(files, dtype="int64")
            out[name] = [frame]
    return dict(status=status, metas=metas, **out)


# The paragraphs' columns that repeat their article's (the parser leaves them out, see
# reader._parse_rows): derived for a whole chunk at once by _derive_columns.
_DERIVED = ("article_id", "issue_id", "date", "page")


def _derive_columns(arts: dict[str, list], paras: dict[str, list]) -> None:
    """Fill in the columns one table repeats from the other, for a chunk of pages, in place: the
    articles' text (their paragraphs' joined with ``\\n``) and the paragraphs' ``_DERIVED``
    columns (their article's). Text goes to Arrow once, the rest is repeated by numpy/Arrow
    instead of a Python value per paragraph."""
    counts = np.asarray(arts["n_paragraphs"], dtype=np.int64)
    rows = np.repeat(np.arange(len(counts)), counts)  # each paragraph's article
    for col in ("article_id", "issue_id"):
        ids = _utf8_array(arts[col])  # ids the parser made of ASCII codes and numbers
        arts[col], paras[col] = ids, ids.take(rows)
    dates = _date_array(arts["date"]) if len(counts) else np.array([], dtype="datetime64[s]")
    arts["date"], paras["date"] = dates, np.repeat(dates, counts)
    pages = pd.array(arts["page"], dtype="Int64")
    arts["page"], paras["page"] = pages, pages.take(rows)
    if (para_text := _utf8_array(paras["text"])) is not None:
        paras["text"] = para_text
        arts["text"] = _joined_text(para_text, counts)
    else:  # a lone surrogate (an article file read with an exotic encoding=): pandas decides
        ends = np.cumsum(counts).tolist()
        arts["text"] = ["\n".join(paras["text"][a:b]) for a, b in zip([0] + ends, ends)]


def _pool_context():
    """How parse workers start: forked on Linux, else from a fork server, else spawned.

    A forked worker starts with pandas and the parser already imported: a fork server first
    imports them itself (0.6-0.8 CPU-s of one core, the first 1.2 s of a year's parse with two
    processes, while only this process parsed). Fork happens once, when the pool is made (see
    :func:`_start_pool`), before any chunk is parsed and while no thread of this module runs
    (the cache's reader thread has ended; the pool's own threads start after; pyarrow's thread
    pools are rebuilt in a forked child). Not on
    macOS, whose system libraries do not survive a fork; on Windows workers are spawned and
    import the parser themselves. The fork server's preload list is only added to:
    ``__main__`` stays, as by default.
    """
    import multiprocessing
    import sys

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["__main__", "zzanalysis.loader"])
    return ctx


def _start_pool(jobs: int, context, **options):
    """A ``ProcessPoolExecutor`` of ``jobs`` workers started now when they are forked.

    The first task makes a forking pool fork all its workers, so one is sent at once: the
    workers then copy this process as it is here (its modules; no parsed pages) rather than
    at the first chunk, from a thread. Objects of before the fork are frozen for the collector meanwhile, in
    the workers for good: a full collection there would write to each of them and turn the
    pages they share with this process into copies.
    """
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(jobs, mp_context=context, **options)
    if context.get_start_method() == "fork":
        frozen = gc.get_freeze_count()  # a caller's own freeze is left as it was
        gc.freeze()
        try:
            pool.submit(int)
        finally:
            if not frozen:
                gc.unfreeze()
    return pool


def _parse_canonical(items: list[tuple[int, Path, bytes | None]], encoding: str | None) -> dict:
    """:func:`_parse_chunk` with its tables' columns as the corpus holds them (``_canonical``),
    so that :func:`_assemble` only concatenates them: with two processes the conversion (a
    year's list cells copied one by one, the larger part of assembling) is done by the
    workers, while they parse, and not after the last chunk while they wait."""
    part = _parse_chunk(items, encoding)
    for name in ("articles", "paragraphs"):
        part[name] = [_canonical(frame) for frame in part[name]]
    return part


def _parse_chunk_pickled(items: list[tuple[int, Path, bytes | None]], encoding: str | None) -> bytes:
    """:func:`_parse_canonical` pickled with protocol 5, which sends Arrow text columns as buffers:
    the pool's default protocol took twice as long for them, in the worker and here."""
    return pickle.dumps(_parse_canonical(items, encoding), protocol=5)


def _parse_chunk_to_file(items: list[tuple[int, Path, bytes | None]], encoding: str | None, path: str) -> str:
    """:func:`_parse_chunk_pickled` written to ``path`` (returned): a pipe back to the parent
    would hold the worker until the parent, busy parsing too, read the chunk's megabytes."""
    with open(path, "wb") as f:
        pickle.dump(_parse_canonical(items, encoding), f, protocol=5)
    return path


@contextlib.contextmanager
def _gc_paused():
    """The cyclic garbage collector off while pages are parsed, as it was before afterwards.

    Parsing allocates millions of small objects that live on in the tables, and each
    allocation burst made the collector walk all of them again: 15-20 % of the parse time for
    nothing, since the parser makes no reference cycles worth collecting mid-chunk.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _parse_file(data: bytes, path: Path, encoding: str | None, sha: str) -> tuple[dict, dict, dict]:
    """Columns (``{column: list}``) of one file: an article file (HTML, or plain text with a
    title first) or a page."""
    text = decode_page(data, path=path, encoding=encoding)
    if article_file.is_html(path) or article_file.is_article_text(text, path):
        meta, a_rows, p_rows = article_file._parse_rows(text, path=path, sha256=sha, html=article_file.is_html(path))
        return (meta, {col: [r[col] for r in a_rows] for col in ARTICLE_COLUMNS if col != "text"},
                {col: [r[col] for r in p_rows] for col in PARAGRAPH_COLUMNS if col not in _DERIVED})
    return reader._parse_rows(text, path=path, sha256=sha, detected=encoding is None, derived=False)


def _merge_parsed(a: dict, b: dict) -> dict:
    return dict(status={**a["status"], **b["status"]}, metas={**a["metas"], **b["metas"]},
                articles=a["articles"] + b["articles"], paragraphs=a["paragraphs"] + b["paragraphs"])


def _show_progress(progress: bool | None, n: int) -> bool:
    if progress is not None:
        return bool(progress)
    if n < _PROGRESS_MIN_FILES:
        return False
    import sys

    if "ipykernel" in sys.modules:  # Jupyter: stderr is not a TTY but the bar renders
        return True
    return sys.stderr is not None and sys.stderr.isatty()


def _progress_bar(total: int):
    import sys

    if "ipykernel" in sys.modules:
        try:
            import ipywidgets  # noqa: F401  tqdm.auto falls back to text with a warning without it

            from tqdm.auto import tqdm
        except ImportError:
            from tqdm import tqdm
    else:
        from tqdm import tqdm
    return tqdm(total=total, unit="page", desc="parsing", leave=False)


def _parse_files(items: list[tuple[int, Path, bytes | None]], encoding: str | None, n_jobs: int,
                 progress: bool | None, pool=None, on_part=None) -> dict:
    """Parse ``items`` in order-independent chunks, serially, in ``n_jobs`` processes or in the
    caller's ``pool`` (``n_jobs`` then says how many processes it has). ``on_part(part)`` is
    called here with each chunk's tables as they arrive, in any order (the pipeline starts its
    steps on them while later chunks are parsed); the result merges the chunks in order."""
    result = dict(status={}, metas={}, articles=[], paragraphs=[])
    if not items:
        return result
    jobs = min(n_jobs, len(items))
    # Several chunks per process even out uneven pages and keep the progress bar moving.
    n_chunks = min(len(items), max(jobs * 8, len(items) // 256 + 1))
    bounds = [len(items) * k // n_chunks for k in range(n_chunks + 1)]
    if jobs > 1 and pool is None:
        # This process parses from the end, the workers from the start (_parse_with_workers):
        # they meet near the middle, where chunks are halved so the last ones end together.
        mid = range(max(0, n_chunks // 2 - jobs), min(n_chunks, n_chunks // 2 + jobs))
        bounds = sorted({*bounds, *((bounds[k] + bounds[k + 1]) // 2 for k in mid)})
    chunks = [items[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]
    parts: list[dict | None] = [None] * len(chunks)
    bar = _progress_bar(len(items)) if _show_progress(progress, len(items)) else None

    def arrived(k: int, part: dict) -> None:
        parts[k] = part
        if on_part is not None:
            on_part(part)
        if bar is not None:
            bar.update(len(chunks[k]))

    try:
        if jobs == 1:
            for k, chunk in enumerate(chunks):
                arrived(k, _parse_canonical(chunk, encoding))
        elif pool is None:
            _parse_with_workers(chunks, encoding, jobs, arrived)
        else:
            from concurrent.futures import as_completed

            futures = _submit_parsing(pool, chunks, encoding, jobs, arrived)
            # Unpickled as they come: this process has the time while the workers parse. The
            # collector is off meanwhile (see _parse_with_workers).
            with _gc_paused():
                for f in as_completed(futures):
                    arrived(futures[f], pickle.loads(f.result()))
    finally:
        if bar is not None:
            bar.close()
    for part in parts:  # chunk order, not completion order: the result does not depend on n_jobs
        result = _merge_parsed(result, part)
    return result


def _parse_with_workers(chunks: list[list], encoding: str | None, jobs: int, arrived) -> None:
    """Parse ``chunks`` here and in ``jobs - 1`` worker processes, handing each chunk's tables
    to ``arrived`` as they come.

    This process is one of the ``jobs``: it parses chunks from the end of the list while the
    workers are given chunks from the start, one at a time each, until none is left. Nothing
    waits for a chunk promised to another process, the chunks parsed here are never pickled,
    and the last chunks end nearly together whatever the load; the workers' chunks are
    unpickled here between this process's own.
    """
    import queue
    import threading

    todo = collections.deque(range(len(chunks)))  # popleft and pop are atomic: no lock
    done: queue.SimpleQueue = queue.SimpleQueue()  # (chunk, future) as they finish; None: no more sent
    workers = jobs - 1
    out = threading.Condition()
    in_flight = [0]  # chunks sent and not yet back
    sent = [0]
    failed: list[BaseException] = []

    def finished(k: int, future) -> None:
        done.put((k, future))
        with out:
            in_flight[0] -= 1
            out.notify()

    def may_send() -> bool:
        # A second chunk waits behind each worker's, so that none waits for the next to be sent;
        # near the end only a free worker gets one: this process could not take it back.
        return in_flight[0] < (2 * workers if len(todo) > 2 * jobs else workers)

    def feed(pool) -> None:
        try:
            while True:
                with out:
                    out.wait_for(may_send)
                    try:
                        k = todo.popleft()
                    except IndexError:
                        return
                    in_flight[0] += 1
                pool.submit(_parse_chunk_to_file, chunks[k], encoding, os.path.join(folder, f"{k}.pkl")
                            ).add_done_callback(functools.partial(finished, k))
                sent[0] += 1
        except BaseException as e:  # raised in the caller's thread, below
            failed.append(e)
        finally:
            done.put(None)

    def receive(k: int, future) -> None:
        path = future.result()
        with open(path, "rb") as f:
            part = pickle.load(f)
        os.unlink(path)
        arrived(k, part)

    with tempfile.TemporaryDirectory(prefix="zz-parse-") as folder, \
            _start_pool(jobs - 1, _pool_context()) as pool, _gc_paused():
        # The collector is off while chunks are unpickled here: each brings lists by the ten
        # thousand, and the collections they set off walked every earlier chunk's again.
        feeder = threading.Thread(target=feed, args=(pool,), name="zz-feed", daemon=True)
        feeder.start()
        received, fed = 0, False  # fed: the feeder has sent its last chunk (sent[0] is final)
        try:
            while True:
                try:
                    k = todo.pop()
                except IndexError:
                    break
                arrived(k, _parse_canonical(chunks[k], encoding))
                while not done.empty():
                    if (item := done.get()) is None:
                        fed = True
                    else:
                        receive(*item)
                        received += 1
            while not (fed and received == sent[0]):
                if (item := done.get()) is None:
                    fed = True
                else:
                    receive(*item)
                    received += 1
            if failed:
                raise failed[0]
        finally:
            todo.clear()  # on an error here: the feeder sends nothing more
            feeder.join()


def _submit_parsing(pool, chunks: list[list], encoding: str | None, jobs: int, arrived) -> dict:
    """Submit ``chunks`` to ``pool`` (``{future: chunk number}``), parsing here until it works.

    A pool's workers take time to be ready: a fork server (not on Linux) imports pandas and the
    parser before them (0.8 s), and the pipeline's workers started from it or spawned load
    their dictionaries first (forked ones inherit them, see ``pipeline._load_dictionaries``). Until the first chunk comes back this process parses
    chunks from the end of the list, handing each to ``arrived`` as the workers' chunks are;
    the rest are submitted then (one per worker and one more are queued before, so no worker
    waits for them).
    """
    import threading
    from concurrent.futures import FIRST_COMPLETED, wait

    todo = collections.deque(range(len(chunks)))
    futures: dict = {}
    failed: list[BaseException] = []
    working = threading.Event()

    def submit() -> None:
        try:
            while True:
                try:
                    k = todo.popleft()
                except IndexError:
                    return
                futures[pool.submit(_parse_chunk_pickled, chunks[k], encoding)] = k
                if len(futures) == jobs + 1:
                    wait(list(futures), return_when=FIRST_COMPLETED)
                    working.set()
        except BaseException as e:  # raised in the caller's thread, below
            failed.append(e)
        finally:
            working.set()

    thread = threading.Thread(target=submit, name="zz-submit", daemon=True)
    thread.start()
    while not working.is_set():
        try:
            k = todo.pop()
        except IndexError:
            break
        arrived(k, _parse_canonical(chunks[k], encoding))
    thread.join()
    if failed:
        raise failed[0]
    return futures


def _page_ids(frame: pd.DataFrame) -> pd.Series:
    """The page (file) each row of ``articles`` or ``paragraphs`` came from: its article_id
    without the ``-aNN`` of the position (``zzrb-2023-04-27-p01-a03`` → ``zzrb-2023-04-27-p01``)."""
    return frame["article_id"].str.rsplit("-a", n=1).str[0]


def _assemble(prev: dict | None, parsed: dict, new_metas: list[dict], keep: dict[str, int], reused: set[str],
              new_files: set[int]) -> dict:
    """Cached rows of the pages ``reused`` (by page_id) + parsed rows of the files ``new_files``
    (by file order), sorted as one cold read in file order would be."""

    def rows(frame: pd.DataFrame, keys) -> pd.DataFrame:
        if not keys or not len(frame):
            return frame.iloc[:0]
        ids = frame["page_id"] if "page_id" in frame else _page_ids(frame)
        return frame[ids.isin(keys).to_numpy()]

    issues = [_issues_frame(new_metas)]
    arts = [_concat(parsed["articles"], ARTICLE_COLUMNS, _articles_frame)]
    paras = [_concat(parsed["paragraphs"], PARAGRAPH_COLUMNS, _paragraphs_frame)]
    # the chunks are copied now: let them go before the next copies (a year is ~150 MB a copy)
    parsed["articles"].clear()
    parsed["paragraphs"].clear()
    # A parsed file can be rejected (same page as an earlier file): its rows share the kept
    # file's page_id, so they are told apart by file.
    if "_file" in arts[0] and not set(parsed["metas"]) <= new_files:
        arts = [arts[0][arts[0]["_file"].isin(new_files)]]
        paras = [paras[0][paras[0]["_file"].isin(new_files)]]
    # Without cached rows, each article's file (the tie-break below) is known: the one it came from.
    arts_files = arts[0]["_file"].to_numpy() if prev is None and "_file" in arts[0] else None
    for frame in (arts[0], paras[0]):
        if "_file" in frame:
            del frame["_file"]  # in place: no copy of a year of text
    if prev is not None:
        old = prev["issues"]
        # a changed file has the same page_id as its old rows: keep only the reused ones
        pick = (lambda f: f) if set(old["page_id"]) == reused else (lambda f: rows(f, reused))
        issues.insert(0, pick(old))
        arts.insert(0, pick(prev["articles"]))
        paras.insert(0, pick(prev["paragraphs"]))
        # parsed rows are canonical already (_parse_canonical), cached ones too (_snapshot_frame)
    issues = _canonical(_concat(issues, ISSUE_COLUMNS, _issues_frame))
    arts, paras = (frames[0] if len(frames) == 1 else _concat(frames, columns, empty)
                   for frames, columns, empty in ((arts, ARTICLE_COLUMNS, _articles_frame),
                                                  (paras, PARAGRAPH_COLUMNS, _paragraphs_frame)))
    arts, paras = (frame if len(frame) else _canonical(frame) for frame in (arts, paras))  # made empty here
    # Rows arrive cached-first; the file order breaks ties (two papers' page 1 on one day, two
    # article files of one day) the way a cold read in file order does.
    if arts_files is not None:
        arts = arts.assign(_file=arts_files)
    else:
        arts = arts.assign(_file=_page_ids(arts).map(pd.Series(keep, dtype="int64")).to_numpy() if len(arts) else [])
    issues = _sorted(issues, ["date", "page", "page_id"])
    arts = _sorted(arts, ["date", "page", "position", "_file"]).drop(columns="_file")
    paras = _sorted(paras, ["date", "page", "article_id", "para_no"])
    return dict(issues=issues, articles=arts, paragraphs=paras)


def _corpus_cache(source, files: list[Path]):
    """The parse cache, or None (with a warning) if it would sit inside the data it caches."""
    from .cache import ParquetCache, cache_dir

    # Folders compared by (device, inode): a stat each, where resolving every folder of an
    # archive walked each of their paths again.
    root = cache_dir().resolve()
    above = set()
    for folder in (root, *root.parents):
        with contextlib.suppress(OSError):  # not made yet
            st = os.stat(folder)
            above.add((st.st_dev, st.st_ino))
    inside = False
    for folder in {os.path.dirname(f) or "." for f in map(str, files)}:
        with contextlib.suppress(OSError):  # gone since it was listed: nothing of it is read
            st = os.stat(folder)
            if (st.st_dev, st.st_ino) in above:
                inside = True
                break
    if inside:
        warnings.warn(f"cache folder {root} is inside the page folder: not caching "
                      "(set ZZ_CACHE_DIR elsewhere)", PageWarning, stacklevel=3)
        return None
    return ParquetCache("corpus", version=f"{__version__}+parser{reader.PARSER_VERSION}+{_parser_source_digest()}")


@functools.cache
def _parser_source_digest() -> str:
    """sha256 of the source files the cached tables depend on: editing the grammar, the story
    linker or the snapshot format invalidates the cache even if nobody remembered to bump
    PARSER_VERSION (several people change these files)."""
    h = hashlib.sha256()
    for name in ("reader.py", "page.py", "text.py", "decode.py", "corpus.py", "article_file.py", "stories.py",
                 "loader.py"):
        try:
            h.update((Path(__file__).parent / name).read_bytes())
        except OSError:  # installed without sources (zipapp …): PARSER_VERSION alone decides
            pass
    return h.hexdigest()[:16]


def _snapshot_key(store, encoding, files: list[Path], shas: dict[int, str]) -> str:
    return store.key("snapshot", {"encoding": encoding}, [[str(files[i]), shas[i]] for i in sorted(shas)])


def _latest_key(store, source, encoding) -> str:
    sources = [source] if isinstance(source, (str, Path)) else list(source)
    return store.key("latest", {"encoding": encoding}, [str(Path(s).absolute()) for s in sources])


# A file changed this long (or less) before its stat data was recorded is "racy": a later write
# within the same tick of the file system's clock (1-2 s on FAT, HFS+ and ext3; a scheduler tick
# elsewhere) could leave size, mtime and ctime as they were, so stat cannot vouch for its bytes.
_RACY_NS = 2_000_000_000
# Windows' st_ctime is the creation time: a rewrite set back to its old mtime would go unseen.
_STAT_VOUCHES = os.name != "nt"


def _stat_key(st: os.stat_result) -> tuple[int, int, int, int]:
    # ctime: os.utime can set mtime back, but any write or utime moves ctime to now.
    # ino: a file replaced by another (editors save to a new file and rename it) is another inode.
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def _racy(recorded: tuple[int, int, int, int], stamp: int) -> bool:
    """Whether stat data ``recorded`` when the clock read ``stamp`` (ns) cannot vouch for a file."""
    return not _STAT_VOUCHES or max(recorded[1], recorded[2]) >= stamp - _RACY_NS


class _FileIndex:
    """The stat data and sha256 of each file of a source's last call, kept in the source's
    pointer to its snapshot (one row per file), as git's index keeps them: a file whose stat
    data are unchanged and were recorded well after its last change is not read again."""

    def __init__(self, snapshot: str, stamp: int, files: dict[str, tuple[tuple[int, int, int, int], str]]):
        self.snapshot, self.stamp, self.files = snapshot, stamp, files
        # what a file's stat data must equal now for its recorded sha256 to be taken
        self.vouchable = {path: known for path, known in files.items() if not _racy(known[0], stamp)}

    @classmethod
    def load(cls, store, latest: str) -> _FileIndex | None:
        table = store.get_table(latest)
        if table is None or not set(_INDEX_COLUMNS) <= set(table.column_names) or not table.num_rows:
            return None
        col = {name: table.column(name).to_pylist() for name in _INDEX_COLUMNS[2:]}
        stat = zip(col["size"], col["mtime_ns"], col["ctime_ns"], col["ino"])
        return cls(table.column("snapshot")[0].as_py(), table.column("stamp")[0].as_py(),
                   dict(zip(col["path"], zip(stat, col["sha256"]))))

    def stale(self, files: list[Path], stats: dict[int, tuple], shas: dict[int, str]) -> bool:
        """Whether these files' stat data differ from the recorded ones (a file touched, copied
        back …): recorded anew, they are vouched for next time instead of hashed again."""
        return len(shas) != len(self.files) or any(
            self.files.get(str(files[i]), ((),))[0] != stats.get(i) for i in shas)


_INDEX_COLUMNS = ("snapshot", "stamp", "path", "size", "mtime_ns", "ctime_ns", "ino", "sha256")


def _check_files(files: list[Path], index: _FileIndex | None, shas: dict[int, str], data: dict[int, bytes],
                 errors: str, problems: list) -> tuple[int, dict[int, tuple[int, int, int, int]], int]:
    """Fill ``shas`` (file order → sha256): from ``index`` for a file its stat data vouch for,
    else by reading and hashing the file, whose bytes go to ``data`` for the parser. Returns each
    file's stat data, taken before its bytes are read: a file changed meanwhile then differs
    from its record next time and is hashed again. The clock reading before the first stat
    (ns) comes first: what the stat data were recorded at; how many files the index vouched
    for comes last."""
    stamp = time.time_ns()
    stats: dict[int, tuple[int, int, int, int]] = {}
    vouchable = index.vouchable if index is not None else {}
    vouched = 0
    for i, path in enumerate(files):
        try:
            now = stats[i] = _stat_key(os.stat(path))
            known = vouchable.get(str(path))
            if known is not None and known[0] == now:  # unchanged since it was recorded, not racy
                shas[i] = known[1]
                vouched += 1
                continue
            data[i] = path.read_bytes()
        except OSError as e:
            stats.pop(i, None)
            _fail(e, i, path, errors, problems)
            continue
        shas[i] = hashlib.sha256(data[i]).hexdigest()
    return stamp, stats, vouched


def _save_index(store, latest: str, snapshot: str, files: list[Path], stamp: int, stats: dict[int, tuple],
                shas: dict[int, str]) -> None:
    """Point the source's pointer at ``snapshot`` with the files' stat data; the snapshot it
    named before is deleted."""
    old = store.get_table(latest)
    rows = sorted(i for i in shas if i in stats)
    size, mtime, ctime, ino = (list(c) for c in zip(*(stats[i] for i in rows))) if rows else ([], [], [], [])
    store.put(latest, pd.DataFrame({
        "snapshot": [snapshot] * len(rows), "stamp": np.full(len(rows), stamp, dtype="int64"),
        "path": [str(files[i]) for i in rows], "size": np.asarray(size, dtype="int64"),
        "mtime_ns": np.asarray(mtime, dtype="int64"), "ctime_ns": np.asarray(ctime, dtype="int64"),
        "ino": np.asarray(ino, dtype="uint64"), "sha256": [shas[i] for i in rows],
    }, columns=list(_INDEX_COLUMNS)))
    named = old.column("snapshot")[0].as_py() if old is not None and old.num_rows else None
    if named is not None and named != snapshot:
        for name in _SNAPSHOT_TABLES:
            store.path(f"{named}-{name}").unlink(missing_ok=True)


def _load_snapshot(store, key: str) -> dict | None:
    """The snapshot's tables, ``articles`` with its stories linked, and ``unmatched``: the jumps
    that link nothing (as :func:`zzanalysis.stories.link_fragments` gives them)."""
    tables = {}
    for name in _SNAPSHOT_TABLES:
        table = store.get_table(f"{key}-{name}")
        if table is None or (name == "articles" and _UNMATCHED not in table.column_names):
            return None  # a table missing or damaged: the set is unusable, rebuild it
        if name == "articles":
            jumps = table.column(_UNMATCHED)
            table = table.drop_columns([_UNMATCHED])
            tables["unmatched"] = [
                dict(article_id=aid, marker=marker, reason=reason)
                for aid, listed in zip(table.column("article_id").filter(jumps.is_valid()).to_pylist(),
                                       jumps.drop_null().to_pylist())
                for marker, reason in json.loads(listed)]
        tables[name] = _snapshot_frame(table)
    return tables


def _snapshot_frame(table) -> pd.DataFrame:
    """A cached table as :func:`_canonical` gives it, with the list columns made from Arrow's
    flat values and offsets in one pass: through pandas every row became a numpy array first,
    then a list, which was most of a cached reload after reading the files."""
    lists = [name for name in table.column_names if name in _LIST_COLUMNS]
    rest = _canonical(table.drop_columns(lists).to_pandas())
    if not lists:
        return rest
    # Object arrays, not lists of lists, for the list columns: from those pandas builds its own
    # row by row (a fifth of making the articles table).
    data = {name: np.fromiter(_pylists(table.column(name)), dtype=object, count=table.num_rows)
            if name in lists else rest[name] for name in table.column_names}
    return pd.DataFrame(data, columns=table.column_names, copy=False)


def _pylists(column) -> list[list]:
    """An Arrow list column → one Python list per row (a missing value → ``[]``, as _canonical)."""
    out: list[list] = []
    with _gc_paused():  # a list per row: the collector would walk them all again and again
        for chunk in column.chunks:
            flat = chunk.values.to_pylist()
            if not flat:  # no 摄影 credits in a whole year, say
                out += [[] for _ in range(len(chunk))]
                continue
            offsets = chunk.offsets.to_numpy().tolist()
            out += [flat[a:b] if b > a else [] for a, b in zip(offsets[:-1], offsets[1:])]
    return out


# The articles table of a snapshot carries its unmatched jumps: per article a JSON list of
# [marker, reason], missing for the (nearly all) articles without one.
_UNMATCHED = "_unmatched"


def _save_snapshot(store, key: str, tables: dict) -> None:
    """Store the tables under ``key``, the articles with their linked stories and unmatched jumps."""
    by_article: dict[str, list] = {}
    for u in tables["unmatched"]:
        by_article.setdefault(u["article_id"], []).append([u["marker"], u["reason"]])
    for name in _SNAPSHOT_TABLES:
        frame = tables[name]
        if name == "articles":
            listed = [json.dumps(by_article[a], ensure_ascii=False) if a in by_article else None
                      for a in frame["article_id"]] if by_article else [None] * len(frame)
            frame = frame.assign(**{_UNMATCHED: pd.array(listed, dtype="str")})
        store.put(f"{key}-{name}", frame)


def _concat(frames: list[pd.DataFrame], columns, empty) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else empty([])
