"""Tokenization: jieba with a Zhuzhou lexicon, one token per row.

``tokenize(data)`` (a str, articles, paragraphs, stories or a Corpus) returns the tokens table
of DATA_MODEL.md (``article_id, para_no, token_no, token, pos, start, end`` + the input's other
columns), like tidytext's ``unnest_tokens``. Segmentation is jieba's algorithm and dictionary, run by one of
two backends that give the same tokens:

* ``"rjieba"`` (default): the Rust port jieba-rs through the ``rjieba`` binding, 5–20× faster;
* ``"jieba"``: the reference Python implementation.

Where jieba-rs departs from jieba (it keeps ``43-0005`` whole, reads rare ideographs such as
䶮 as Chinese, keeps a dictionary word's tag on ``add_word``) the rjieba backend is corrected
to jieba's result by :mod:`zzanalysis.jieba_parity`; ``tests/test_tokens.py`` checks that both
give identical tokens, tags and offsets on the sample page, with and without the lexicon and the
HMM. One difference is left: in a run of a repeated unit (课课课 = 课课+课 = 课+课课) two splits tie
exactly and each library's floating-point rounding picks its own.

:func:`tokenize` works chunk by chunk (~0.75 MB of text each): the backend cuts a chunk's
paragraphs into words in one call, and the table is built with numpy over flat arrays (category
codes, offsets as cumulative sums, tags once per distinct word, number merging by index), so
memory stays near the size of the result and each chunk has its own cache entry.

Each :class:`Tokenizer` owns its dictionary: user words added to one never reach another nor
jieba's global ``jieba.dt``. Nothing is loaded on import; a tokenizer builds its dictionary on
first use, and :func:`default_tokenizer` is built once per process.
"""
from __future__ import annotations

import csv
import functools
import gc
import hashlib
import importlib.resources
import marshal
import os
import re
import tempfile
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Literal, NamedTuple, Union

import numpy as np
import pandas as pd

from ._deprecate import renamed
from ._version import __version__
from .cache import ParquetCache, cache_dir
from .errors import ColumnError
from .jieba_parity import USER_DEFAULT_TAG, RJiebaBackend, _jieba_dict_path, guess_tag, jieba_dict_tags
from .spans import documents

__all__ = [
    "LEXICON_LISTS",
    "Span",
    "Tokenizer",
    "default_tokenizer",
    "get_lexicon",
    "get_stopwords",
    "read_user_dict",
    "tokenize",
]

Backend = Literal["rjieba", "jieba"]
UserWord = Union[str, tuple]  # "株洲", ("曹慧泉", "nr") or ("曹慧泉", 20, "nr")

# The shipped lexicon lists, in the order they are added (a later list's entry wins).
LEXICON_LISTS = ("places", "companies", "institutions", "people", "slogans", "industry", "terms")
_RESOURCES = "resources/lexicon"  # inside the zzanalysis package (resources/ has no __init__)

# One jieba user-dict line: word, optional frequency, optional POS tag — the same grammar as
# jieba.load_userdict, e.g. "中车株洲电机 2000 nt" or "引客入株 nz" or "清水塘".
_DICT_LINE_RE = re.compile(r"^(.+?)(?: (\d+))?(?: ([a-z]+))?$")

# Numbers that stay one token with their unit: "469亿元", "2.25倍", "800余个", "9.57%",
# "5000余人", "90亿美元", "1,500吨". The units are those of the indicator rules
# (resources/indicators/units.csv), less the calendar words: "2023年" is a date, and stays
# "2023" + "年" as jieba cut it.
_UNITS_CSV = "resources/indicators/units.csv"
_CALENDAR_UNITS = frozenset("年月日时")


@functools.cache
def _number_re() -> re.Pattern:
    """Example: "作业效率提升2.25倍" → 2.25倍; "集群规模达469亿元" → 469亿元; "800余个岗位" → 800余个."""
    text = importlib.resources.files("zzanalysis").joinpath(_UNITS_CSV).read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    units = {row["unit"] for row in rows} - _CALENDAR_UNITS
    alternatives = "|".join(map(re.escape, sorted(units, key=lambda u: (-len(u), u))))  # longest first
    # After the number, the fewest magnitude characters that leave a unit (35千瓦 is 35 + 千瓦,
    # 30万千瓦 is 30 + 万 + 千瓦), else as many as there are (469亿); at most 4, so the
    # scan stays linear. The first digit comes before the look-behind (no letter, digit or
    # point before it): a pattern that starts with a character class lets the scan skip to
    # the next digit, three times as fast as testing the look-behind at every character.
    return re.compile(
        r"[0-9](?<![0-9A-Za-z.].)[0-9]*(?:,[0-9]{3})*(?:\.[0-9]+)?(?:[余多])?"
        rf"(?:[十百千万亿]{{0,4}}?(?:[余多])?(?:{alternatives})|[十百千万亿]{{0,4}}(?:[余多])?)"
    )


# Tokens with no letter, digit or ideograph: punctuation, symbols and whitespace.
_PUNCT_RE = re.compile(r"^[\W_]+$")


class Span(NamedTuple):
    """One token of a text: ``text[start:end] == token``."""

    token: str
    pos: str
    start: int
    end: int


# ---------------------------------------------------------------------------------------------
# Shipped resources


def _resource_text(name: str) -> str:
    return importlib.resources.files("zzanalysis").joinpath(f"{_RESOURCES}/{name}").read_text(encoding="utf-8")


def _parse_dict_lines(lines: Iterable[str], source: str) -> list[tuple[str, int | None, str | None]]:
    entries = []
    for lineno, raw in enumerate(lines, 1):
        line = raw.strip().lstrip("\ufeff")
        if not line:
            continue
        m = _DICT_LINE_RE.match(line)
        if m is None:  # pragma: no cover - the pattern matches every non-empty line
            raise ValueError(f"{source}:{lineno}: not a dictionary line: {raw!r}")
        word, freq, tag = m.groups()
        if freq is not None and int(freq) < 1:
            # jieba implements freq 0 by mutating its global finalseg module: refuse it.
            raise ValueError(f"{source}:{lineno}: frequency must be ≥ 1: {raw!r}")
        entries.append((word.strip(), int(freq) if freq else None, tag))
    return entries


def read_user_dict(path: str | os.PathLike) -> list[tuple[str, int | None, str | None]]:
    """Read a jieba user dictionary (``word [freq] [pos]`` per line, UTF-8).

    Returns:
        ``(word, freq or None, pos or None)`` tuples in file order.
    """
    text = Path(path).read_text(encoding="utf-8")
    return _parse_dict_lines(text.splitlines(), str(path))


@functools.cache
def _shipped_entries() -> tuple[tuple[str, int | None, str | None, str], ...]:
    out = []
    for name in LEXICON_LISTS:
        for word, freq, tag in _parse_dict_lines(_resource_text(f"{name}.txt").splitlines(), name):
            out.append((word, freq, tag, name))
    return tuple(out)


def get_lexicon() -> pd.DataFrame:
    """The shipped Zhuzhou lexicon as a tidy table.

    Returns:
        DataFrame with columns ``word, freq, pos, list`` (``list`` is one of
        :data:`LEXICON_LISTS`: places, companies, institutions, people, slogans, industry,
        terms),
        one row per entry in file order. Source and licence: ``resources/lexicon/README.md``.

    Example:
        >>> zz.get_lexicon().query("list == 'people'").word.head(3).tolist()
        ['曹慧泉', '陈恢清', '胡长春']
    """
    entries = _shipped_entries()
    return pd.DataFrame(
        {
            "word": [e[0] for e in entries],
            "freq": pd.array([e[1] for e in entries], dtype="Int64"),
            "pos": [e[2] for e in entries],
            "list": pd.Categorical([e[3] for e in entries], categories=list(LEXICON_LISTS)),
        }
    )


@functools.cache
def get_stopwords() -> frozenset[str]:
    """The shipped Chinese stopword list (``resources/lexicon/stopwords.txt``).

    Returns:
        A frozenset of words. Lines starting with ``#`` in the file are comments.

    Example:
        >>> "的" in zz.get_stopwords()
        True
    """
    lines = _resource_text("stopwords.txt").splitlines()
    return frozenset(w for w in (ln.strip() for ln in lines) if w and not w.startswith("#"))


def _file_digest(paths: Sequence[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(Path(p).read_bytes())
        h.update(b"\0")
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------
# Backends: each wraps a private dictionary and answers cut(text, hmm) -> [word, …] and
# tag_of(word) -> pos. The rjieba one, with its corrections to jieba's results, lives in
# jieba_parity.py; both follow the same rules for user words and unknown words (see there).


def _jieba_prefix_dict() -> tuple[dict[str, int], int]:
    """jieba's prefix dictionary, cached as jieba does it but in the package cache dir.

    jieba.Tokenizer.initialize() would write ``jieba.cache`` to /tmp and log to stderr through
    the global "jieba" logger; building the dict here does neither.
    """
    import jieba

    path = cache_dir() / "jieba" / f"jieba-{jieba.__version__}.cache"
    try:
        with open(path, "rb") as fh:
            freq, total = marshal.load(fh)
        if isinstance(freq, dict) and total > 0:
            return freq, total
    except (OSError, EOFError, ValueError, TypeError):
        pass
    with open(_jieba_dict_path(), "rb") as fh:
        freq, total = jieba.Tokenizer.gen_pfdict(fh)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        marshal.dump((freq, total), fh)
    os.replace(tmp, path)
    return freq, total


class _JiebaBackend:
    """The Python reference: jieba.Tokenizer of our own, tagged by jieba-rs's rules."""

    def __init__(self, entries):
        import jieba

        tok = jieba.Tokenizer()
        freq, total = _jieba_prefix_dict()
        tok.FREQ, tok.total = dict(freq), total
        tok.initialized = True  # FREQ is loaded: initialize() would only re-read and log
        tags = dict(jieba_dict_tags())
        for word, f, tag in entries:
            known = tok.FREQ.get(word, 0)
            f = tok.suggest_freq(word, False) if f is None else f
            tok.total -= known  # jieba adds the new frequency without removing the old one
            tok.add_word(word, f, None)  # tags kept here, not in jieba's user_word_tag_tab
            if tag or not known:
                tags[word] = tag or tags.get(word) or USER_DEFAULT_TAG
        self._tok = tok
        self._tags = tags

    def cut_many(self, texts: list[str], hmm: bool) -> tuple[np.ndarray, np.ndarray]:
        # What RJiebaBackend.cut_many answers, computed one text at a time as the reference.
        words = []
        for text in texts:
            words += self._tok.lcut(text, HMM=hmm)
            words.append("\0")
        return pd.factorize(np.array(words[:-1], dtype=object))

    def tag_of(self, word: str) -> str:
        return self._tags.get(word) or guess_tag(word)


# ---------------------------------------------------------------------------------------------
# Tokenizer


class Tokenizer:
    """A jieba tokenizer with its own dictionary: jieba's, the Zhuzhou lexicon and your words.

    Args:
        lexicon: add the shipped Zhuzhou lexicon (:func:`get_lexicon`).
        user_words: extra words, each ``"word"``, ``("word", "pos")`` or ``("word", freq, "pos")``
            (freq None or omitted: jieba's suggested frequency, enough to keep the word whole).
        user_dicts: paths of jieba user dictionaries (``word [freq] [pos]`` lines).
        stopwords: extra stopwords, added to the shipped list (if ``shipped_stopwords``).
        shipped_stopwords: start from :func:`get_stopwords`.
        hmm: let jieba's HMM join characters it has no word for (names, new words).
        merge_numbers: join a number and its unit into one token (``469亿元``, ``9.57%``).
        backend: ``"rjieba"`` (fast, default) or ``"jieba"`` (the Python reference); they give
            the same tokens, tags and offsets (see the module notes).

    Raises:
        ValueError: an unknown backend, or a user word with frequency < 1 (jieba implements
            frequency 0 by changing its global state).
        TypeError: ``user_words`` or ``stopwords`` given as one string.

    Nothing is loaded until the first call to :meth:`cut`, :meth:`tag` or :meth:`spans`.

    Example:
        >>> tk = zz.Tokenizer(user_words=[("湘江明珠号", "nz")], stopwords=["游船"])
        >>> tk.tag("游船湘江明珠号启航")
        [('游船', 'n'), ('湘江明珠号', 'nz'), ('启航', 'v')]
        >>> articles.pipe(zz.tokenize, tk)
    """

    def __init__(
        self,
        *,
        lexicon: bool = True,
        user_words: Iterable[UserWord] = (),
        user_dicts: Iterable[str | os.PathLike] = (),
        stopwords: Iterable[str] = (),
        shipped_stopwords: bool = True,
        hmm: bool = True,
        merge_numbers: bool = True,
        backend: Backend = "rjieba",
    ) -> None:
        if backend not in ("rjieba", "jieba"):
            raise ValueError(f"backend must be 'rjieba' or 'jieba', got {backend!r}")
        if isinstance(user_words, str) or isinstance(stopwords, str):
            raise TypeError("user_words and stopwords take a list of words, not one string")
        self.lexicon = bool(lexicon)
        self.user_words = tuple(_as_entry(w) for w in user_words)
        self.user_dicts = tuple(Path(p) for p in user_dicts)
        self.hmm = bool(hmm)
        self.merge_numbers = bool(merge_numbers)
        self.backend = backend
        self.shipped_stopwords = bool(shipped_stopwords)
        self._extra_stopwords = frozenset(stopwords)
        self._impl = None
        self._fingerprint = None

    # Pickled (tokenize(n_jobs>1) where processes are spawned): settings only, rebuilt there.
    def __getstate__(self):
        state = self.__dict__.copy()
        state["_impl"] = None
        return state

    def __repr__(self) -> str:
        return (f"Tokenizer(backend={self.backend!r}, lexicon={self.lexicon}, hmm={self.hmm}, "
                f"user_words={len(self.user_words)}, user_dicts={len(self.user_dicts)})")

    @property
    def stopwords(self) -> frozenset[str]:
        """The stopwords that ``tokenize(drop_stopwords=True)`` removes."""
        base = get_stopwords() if self.shipped_stopwords else frozenset()
        return base | self._extra_stopwords

    def entries(self) -> list[tuple[str, int | None, str | None]]:
        """Every ``(word, freq, pos)`` added on top of jieba's dictionary, in the order added."""
        out = [e[:3] for e in _shipped_entries()] if self.lexicon else []
        for p in self.user_dicts:
            out.extend(read_user_dict(p))
        out.extend(self.user_words)
        return out

    @property
    def fingerprint(self) -> str:
        """sha256 of everything that decides this tokenizer's segmentation (for cache keys).

        Covers the backend, HMM and number settings (with the units read from
        ``resources/indicators/units.csv``), the shipped lexicon's content, the user
        dictionaries' content and the user words — not the stopwords, which only filter.
        """
        if self._fingerprint is None:
            from .cache import digest

            lex = [_resource_text(f"{n}.txt") for n in LEXICON_LISTS] if self.lexicon else []
            self._fingerprint = digest(
                "Tokenizer", __version__, self.backend, self.hmm, self.merge_numbers,
                _number_re().pattern if self.merge_numbers else "",
                lex, _file_digest(self.user_dicts), [list(e) for e in self.user_words],
                _library_version(self.backend),
            )
        return self._fingerprint

    def _backend(self):
        if self._impl is None:
            cls = RJiebaBackend if self.backend == "rjieba" else _JiebaBackend
            self._impl = cls(self.entries())
        return self._impl

    def spans(self, text: str, *, hmm: bool | None = None) -> list[Span]:
        """Segment ``text`` into tokens with POS tags and character offsets, nothing filtered.

        Returns:
            :class:`Span` tuples ``(token, pos, start, end)`` covering ``text`` end to end.
        """
        words, tags, starts, ends = self._segment(text, self.hmm if hmm is None else hmm)
        return [Span(*t) for t in zip(words, tags, starts, ends)]

    def cut(self, text: str, *, hmm: bool | None = None) -> list[str]:
        """Segment ``text``; nothing filtered, ``"".join(cut(text)) == text``."""
        return self._segment(text, self.hmm if hmm is None else hmm)[0]

    def tag(self, text: str, *, hmm: bool | None = None) -> list[tuple[str, str]]:
        """Segment and POS-tag ``text``: ``[(token, pos), …]``, nothing filtered."""
        words, tags, _, _ = self._segment(text, self.hmm if hmm is None else hmm)
        return list(zip(words, tags))

    def _segment(self, text: str, hmm: bool):
        raw = _segment_units(self, [text], hmm)
        return (raw["token"].astype(object).tolist(), raw["pos"].astype(object).tolist(),
                raw["start"].tolist(), raw["end"].tolist())


def _library_version(backend: str) -> str:
    from importlib.metadata import version

    return version(backend)


def _as_entry(word: UserWord) -> tuple[str, int | None, str | None]:
    if isinstance(word, str):
        return (word, None, None)
    if len(word) == 2:
        return (word[0], None, word[1])
    if len(word) == 3:
        if word[1] is not None and int(word[1]) < 1:
            raise ValueError(f"frequency must be ≥ 1: {word!r}")
        return (word[0], None if word[1] is None else int(word[1]), word[2])
    raise ValueError(f"user word must be 'word', (word, pos) or (word, freq, pos): {word!r}")


@functools.cache
def default_tokenizer() -> Tokenizer:
    """The process-wide ``Tokenizer()`` (shipped lexicon and stopwords, HMM on, rjieba),
    built on first use and reused by :func:`tokenize` when no tokenizer is given."""
    return Tokenizer()


def _preload() -> Callable[[], None]:
    """Load now what the default tokenizer loads at its first text that needs it: its
    dictionary, and jieba's dictionary tags (read, 0.3 CPU-s, at the first dictionary word that
    falls apart when cut on its own; see ``RJiebaBackend.tag_of``).

    Returns:
        A function that lets go of what this call loaded (not of what was loaded before it):
        for a process that loads only for the workers it forks (0.07 GB).

    Example:
        >>> release = _preload()  # then fork workers that tokenize: they start warm
        >>> release()
    """
    fresh = [cache for cache in (default_tokenizer, jieba_dict_tags) if not cache.cache_info().currsize]
    default_tokenizer()._backend()
    jieba_dict_tags()

    def release() -> None:
        for cache in fresh:
            cache.cache_clear()

    return release


# ---------------------------------------------------------------------------------------------
# tokenize

_TOKEN_COLUMNS = ("article_id", "para_no", "token_no", "token", "pos", "start", "end")


# Units of text segmented together: about 0.75 MB of UTF-8, so the Python strings of one chunk's
# tokens (the only per-token Python objects) stay in the tens of MB whatever the input's size.
_CHUNK_CHARS = 250_000


class _Cut(NamedTuple):
    """The tokens of units joined with NUL, as flat arrays (see :func:`_cut`)."""

    codes: np.ndarray  # index into words, per token
    words: np.ndarray  # distinct words (object)
    pos: np.ndarray  # index into tags, per token
    tags: pd.Index
    start: np.ndarray  # offsets in the joined text
    end: np.ndarray
    keep: np.ndarray  # False for the NUL separators and tokens joined into a number
    base: np.ndarray  # where each unit starts in the joined text


def _segment_units(tokenizer: Tokenizer, units: Sequence[str], hmm: bool) -> pd.DataFrame:
    """Segment each unit (paragraph text); one row per token, nothing filtered.

    Returns:
        DataFrame ``unit`` (index into ``units``), ``token_no`` (1-based in its unit), ``token``
        and ``pos`` (category), ``start``, ``end`` (offsets into the unit's text).
    """
    cut = _cut(tokenizer, units, hmm)
    keep = cut.keep
    codes, pos, start, end = cut.codes[keep], cut.pos[keep], cut.start[keep], cut.end[keep]
    unit = (np.searchsorted(cut.base, start, side="right") - 1).astype(np.int32)
    start -= cut.base[unit]
    end -= cut.base[unit]
    counts = np.bincount(unit, minlength=len(units))
    first_of_unit = np.cumsum(counts) - counts
    token_no = np.arange(len(unit), dtype=np.int64) - np.repeat(first_of_unit, counts) + 1
    return pd.DataFrame(
        {
            "unit": unit,
            "token_no": token_no.astype(np.int32),
            "token": pd.Categorical.from_codes(codes, categories=pd.Index(cut.words, dtype=object)),
            "pos": pd.Categorical.from_codes(pos, categories=cut.tags),
            "start": start.astype(np.int32),
            "end": end.astype(np.int32),
        }
    )


def _cut(tokenizer: Tokenizer, units: Sequence[str], hmm: bool) -> _Cut:
    """Segment the units joined with NUL: every token, the separators and joined numbers marked.

    The backend cuts each unit into words; everything after that is done on flat arrays:
    words become category codes, tags are looked up once per distinct word, offsets are
    cumulative sums of word lengths, and number merging joins runs of tokens by index.
    """
    backend = tokenizer._backend()
    joined = "\0".join(units)
    codes, words = backend.cut_many(units, hmm)
    codes = codes.astype(np.int32, copy=False)
    lens = np.fromiter(map(len, words), np.int64, len(words))[codes]
    end = np.cumsum(lens)  # offsets in `joined`, made local to each unit at the end
    start = end - lens
    unit_len = np.fromiter(map(len, units), np.int64, len(units))
    base = np.cumsum(unit_len + 1) - (unit_len + 1)  # where each unit starts in `joined`
    separator = np.searchsorted(start, base[1:] - 1)
    if (len(end) and end[-1] != len(joined)) or not np.array_equal(start[separator], base[1:] - 1) \
            or not (lens[separator] == 1).all():  # pragma: no cover - jieba is lossless
        raise RuntimeError("segmentation lost characters: the backend's words do not cover the text")
    drop = np.zeros(len(codes), bool)
    drop[separator] = True

    tags = [backend.tag_of(w) for w in words]
    tag_codes, tag_names = pd.factorize(np.asarray(tags + ["m"], dtype=object))
    pos = tag_codes[:-1].astype(np.int8 if len(tag_names) < 128 else np.int16)[codes]

    if tokenizer.merge_numbers:
        merged = _number_runs(joined, start, end)
        if merged is not None:
            first, last = merged
            new_words = [joined[s:e] for s, e in zip(start[first].tolist(), end[last].tolist())]
            new_codes = pd.Index(words, dtype=object).get_indexer(new_words)
            added = pd.unique(np.asarray(new_words, dtype=object)[new_codes < 0])
            if len(added):
                words = np.concatenate([words, added])
                new_codes = pd.Index(words, dtype=object).get_indexer(new_words)
            codes[first] = new_codes
            pos[first] = tag_codes[-1]
            end[first] = end[last]
            # Drop the tokens joined into the first of their run: +1 after each first, -1
            # after each last, so the running sum is 1 exactly on the dropped tokens.
            step = np.zeros(len(codes) + 1, np.int8)
            np.add.at(step, first + 1, 1)
            np.add.at(step, last + 1, -1)
            drop |= np.cumsum(step[:-1]) > 0
    return _Cut(codes, words, pos, pd.Index(tag_names, dtype=object), start, end, ~drop, base)


def _term_counts(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """``term_frequency(tokenize(paragraphs, cache=False, carry=[]))[["token", "count"]]``,
    counted on each chunk's token codes without making the token table.

    For the term counts of :func:`zzanalysis.run_pipeline`, which keeps no tokens: the
    offsets, token numbers, keys and categoricals of a table are a third of tokenizing.

    Args:
        paragraphs: a paragraphs table (``text``; rows without text have no tokens).

    Returns:
        DataFrame ``token`` (str), ``count`` (int64), in the order of :func:`term_frequency`.
    """
    from .frequency import term_shares

    tokenizer = default_tokenizer()
    units = [t for t in paragraphs["text"].tolist() if isinstance(t, str) and t != ""]
    decided: dict[str, bool] = {}
    words, counts = [], []
    for a, b in _chunks(units):
        cut = _cut(tokenizer, units[a:b], tokenizer.hmm)
        codes = cut.codes[cut.keep]
        tokens = pd.DataFrame({"token": pd.Categorical.from_codes(
            codes, categories=pd.Index(cut.words, dtype=object), validate=False)})
        # tokenize's default filters, decided once per distinct token
        keep = _keep_mask(tokens, tokenizer, drop_stopwords=True, drop_punct=True, keep_numbers=True, pos=None,
                          decided=decided)
        n = np.bincount(codes[keep], minlength=len(cut.words))
        seen = np.flatnonzero(n)
        words.append(np.asarray(cut.words, dtype=object)[seen])
        counts.append(n[seen])
    codes, names = pd.factorize(np.concatenate(words) if words else np.zeros(0, dtype=object))
    total = np.zeros(len(names), dtype=np.int64)
    np.add.at(total, codes, np.concatenate(counts) if counts else np.zeros(0, dtype=np.int64))
    table = pd.DataFrame({"token": pd.Series(names, dtype="str"), "count": total})
    return term_shares(table)[["token", "count"]]


def _number_runs(joined: str, start: np.ndarray, end: np.ndarray):
    """Token runs that make up one number-with-unit match, as (first, last) index arrays.

    Only whole tokens are joined: a match must start where a token starts, and it is cut back
    to the last token end inside it, so "30多年" (tokens 30 / 多年) stays as jieba cut it.
    ``joined`` is the units joined by NUL, which is neither a digit nor in the look-behind,
    so each match is the one its unit alone would give.
    """
    hits = [m.span() for m in _number_re().finditer(joined)]
    if not hits:
        return None
    hit_start, hit_end = np.asarray(hits, dtype=np.int64).T
    first = np.searchsorted(start, hit_start)
    last = np.searchsorted(end, hit_end, side="right") - 1
    ok = first < len(start)
    ok[ok] = start[first[ok]] == hit_start[ok]
    ok &= last > first
    first, last = first[ok], last[ok]
    return (first, last) if len(first) else None


_WORKER_TOKENIZER: Tokenizer | None = None


def _init_worker(tokenizer: Tokenizer) -> None:
    global _WORKER_TOKENIZER
    _WORKER_TOKENIZER = tokenizer


def _segment_chunk(args):
    units, hmm = args
    return _segment_units(_WORKER_TOKENIZER, units, hmm)


def _chunks(units: Sequence[str]) -> list[tuple[int, int]]:
    """Contiguous ``[a, b)`` ranges of units of about _CHUNK_CHARS characters each."""
    bounds, size, a = [], 0, 0
    for i, text in enumerate(units):
        size += len(text)
        if size >= _CHUNK_CHARS:
            bounds.append((a, i + 1))
            a, size = i + 1, 0
    if a < len(units) or not bounds:
        bounds.append((a, len(units)))
    return bounds


def _units_digest(units: Sequence[str]) -> str:
    h = hashlib.sha256()
    for u in units:
        b = u.encode("utf-8", "surrogatepass")
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


@renamed(frame="data")
def tokenize(
    data,
    tokenizer: Tokenizer | None = None,
    *,
    drop_stopwords: bool = True,
    drop_punct: bool = True,
    keep_numbers: bool = True,
    pos: str | Iterable[str] | None = None,
    hmm: bool | None = None,
    carry: Sequence[str] | None = None,
    n_jobs: int = 1,
    cache: bool = True,
) -> pd.DataFrame:
    """One row per token of the paragraphs of ``data`` (tidytext's ``unnest_tokens``).

    Args:
        data: a str, an articles / paragraphs / stories table, or a Corpus / Issue, turned into
            paragraphs by :func:`zzanalysis.spans.documents` (articles: paragraph k is
            ``text.split('\\n')[k-1]``; a Corpus: its articles). Headings are not tokenized.
        tokenizer: default :func:`default_tokenizer` (shipped lexicon and stopwords).
        drop_stopwords: drop tokens in ``tokenizer.stopwords``.
        drop_punct: drop tokens made only of punctuation, symbols or whitespace.
        keep_numbers: keep number tokens (``469亿元``, ``2.25倍``, ``2023``); False drops every
            token that starts with a digit.
        pos: keep only tokens whose POS tag starts with one of these (``"n"`` keeps ``n, nr,
            ns, nt, nz``…; ``["nr", "ns"]`` keeps people and places). Number tokens are ``m``.
        hmm: override the tokenizer's HMM setting.
        carry: input columns to repeat on every token row; default every column except the
            text and the keys (pass ``[]`` for a lean table on a large corpus). A column named
            like a token column gets the input's prefix (``article_``, ``paragraph_``,
            ``story_``), as in every analysis (``zzanalysis.spans``). Carried columns are
            categoricals with the smallest codes (1 or 2 bytes a token for a year's dates):
            text unordered; dates and numbers ordered over their sorted values, so ``min``,
            ``max`` and sorting work, but compare or compute on ``col.astype(
            col.cat.categories.dtype)``. Booleans, categoricals and lists keep their dtype. The
            frequency functions, ``filter_frame`` and ``read_parquet`` give dates back as dates.
        n_jobs: processes that segment (``-1``: one per core): this one and ``n_jobs - 1``
            forked workers, which inherit the loaded dictionary and the texts. This process
            takes chunks from the start and filters each, the workers take them from the end
            until they meet, so the work balances itself on a busy machine (spawned workers,
            ~0.3 s each to load the dictionary, where there is no fork). Segmenting is ~80 % of
            the time, so two cores give at most ~1.7× (see ``benchmarks/RESULTS_tokenize.md``).
            Output is identical for any n_jobs.
        cache: read/write the segmentation in the on-disk Parquet cache
            (:class:`zzanalysis.cache.ParquetCache` ``"tokens"``, one file per chunk of ~0.75 MB
            of text), keyed on the package version, ``tokenizer.fingerprint``, ``hmm`` and the
            exact paragraph texts. Filters are applied after the cache, so changing them does
            not re-segment. The cache is bounded; ``zz.cache.clear()`` empties it.

    Returns:
        DataFrame with columns ``article_id`` (category; ``story_id`` for a stories table),
        ``para_no``, ``token_no`` (1-based position in the paragraph counted *before*
        filtering, so positions stay comparable across filter settings and gaps show where
        tokens were dropped), ``token`` (category), ``pos`` (category, jieba's tag set; ``m`` for
        numbers), ``start``, ``end`` (character offsets: ``text[start:end] == token`` for the
        paragraph's text), then the carried columns (categoricals, see ``carry``). Integer
        columns are int16 when their values allow (int32 or int64 otherwise). Rows in input
        order, then para_no, then token_no. Work is done in chunks, so memory stays near the size of the result.

    Raises:
        TypeError: ``data`` is none of the accepted kinds.
        ColumnError: the table lacks ``text``, its key or a column named in ``carry``.
        ValueError: ``carry`` names the text or a key.

    Example:
        >>> paragraphs = zz.read_issue("data/raw/zzrb-2023-04-27-p01.md").paragraphs
        >>> tokens = paragraphs.pipe(zz.tokenize)  # one row per token, paragraph columns carried
        >>> paragraphs.pipe(zz.tokenize, pos="ns").token.value_counts().head(3)
        token
        株洲    37
        城市     8
        湖南     7
    """
    docs = documents(data, func="tokenize")
    frame = docs.frame
    carried = docs.carried(_TOKEN_COLUMNS)
    if carry is None:
        carry = carried
    else:
        own = [c for c in carry if c in frame.columns and c not in carried]
        if own:
            raise ValueError(f"cannot carry {own}: they are the text or the keys")
        missing = [c for c in carry if c not in frame.columns]
        if missing:
            raise ColumnError("tokenize", missing, frame.columns)
        carry = {c: carried[c] for c in carry}
    tokenizer = tokenizer or default_tokenizer()
    hmm = tokenizer.hmm if hmm is None else bool(hmm)

    ids = frame[docs.key].to_numpy()
    if docs.kind == "paragraphs":
        # One paragraph a row: the rows with text, without a Paragraph object for each.
        texts = frame["text"].to_numpy(dtype=object)
        unit_row = np.flatnonzero(np.fromiter((isinstance(t, str) and t != "" for t in texts), bool, len(texts)))
        units = texts[unit_row].tolist()
        unit_para = frame["para_no"].to_numpy()[unit_row].astype(np.int64)
        del texts
    else:
        rows, paras, units = [], [], []
        for p in docs:
            rows.append(p.row)
            paras.append(p.para_no)
            units.append(p.text)
        unit_row = np.asarray(rows, dtype=np.int64)
        unit_para = np.asarray(paras, dtype=np.int64)
        del rows, paras

    n_jobs = (os.cpu_count() or 1) if n_jobs == -1 else max(1, int(n_jobs))
    id_codes, id_names = pd.factorize(ids, sort=True)
    # Each integer column's dtype is fixed before the first chunk from what bounds its values
    # (offsets and token numbers by the longest paragraph), so chunks are stored compact and
    # the result's dtypes depend only on the input.
    longest = max(map(len, units), default=0)
    para_dtype = _int_dtype(unit_para.min(initial=0), unit_para.max(initial=0))
    offset_dtype = _int_dtype(0, longest)
    cols: dict[str, list] = {"row": [], "para_no": [], "token_no": [], "token": [], "pos": [],
                             "start": [], "end": []}
    firsts = []  # chunks may come in any order (n_jobs > 1): joined in input order below
    decided: dict[str, bool] = {}  # token → dropped by the filters, for every chunk
    for a, raw in _raw_chunks(tokenizer, units, hmm, n_jobs=n_jobs, cache=cache):
        firsts.append(a)
        keep = _keep_mask(raw, tokenizer, drop_stopwords=drop_stopwords, drop_punct=drop_punct,
                          keep_numbers=keep_numbers, pos=pos, decided=decided)
        raw = raw[keep] if not keep.all() else raw
        unit = a + raw["unit"].to_numpy(np.int64)
        row = unit_row[unit]
        cols["row"].append(row.astype(np.int32 if len(frame) < 2**31 else np.int64))
        cols["para_no"].append(unit_para[unit].astype(para_dtype))
        cols["token_no"].append(raw["token_no"].to_numpy().astype(offset_dtype))
        cols["start"].append(raw["start"].to_numpy().astype(offset_dtype))
        cols["end"].append(raw["end"].to_numpy().astype(offset_dtype))
        cols["token"].append(raw["token"])
        cols["pos"].append(raw["pos"])
        del raw, unit, row

    order = np.argsort(firsts, kind="stable")
    cols = {name: [parts[k] for k in order] for name, parts in cols.items()}

    def joined(name, dtype):
        # One column at a time, its chunks released as soon as they are joined.
        parts = cols.pop(name)
        return np.concatenate(parts) if parts else np.zeros(0, dtype)

    row = joined("row", np.int32)
    has_tokens = np.bincount(row, minlength=len(frame)) > 0
    out = pd.DataFrame(
        {
            "article_id": _row_categorical(id_codes, id_names, has_tokens, row),
            "para_no": joined("para_no", para_dtype),
            "token_no": joined("token_no", offset_dtype),
            "token": _union(cols.pop("token")),
            "pos": _union(cols.pop("pos")),
            "start": joined("start", offset_dtype),
            "end": joined("end", offset_dtype),
        },
        copy=False,
    )
    if docs.key != "article_id":
        out = out.rename(columns={"article_id": docs.key})
    for col, name in carry.items():
        out[name] = _carried(frame[col], row, has_tokens)
    return out


def _raw_chunks(tokenizer: Tokenizer, units: Sequence[str], hmm: bool, *, n_jobs: int, cache: bool):
    """Yield ``(first unit, raw table)`` for every chunk, from the cache or segmented.

    Chunks come in input order, except with ``n_jobs > 1``, where they come as they are done.
    A chunk's segmentation depends only on its own text, so each chunk has its own cache entry
    and the result does not depend on n_jobs.
    """
    bounds = _chunks(units)
    store = ParquetCache("tokens") if cache else None
    keys = [store.key(tokenizer.fingerprint, {"hmm": hmm}, _units_digest(units[a:b])) for a, b in bounds] \
        if store else [None] * len(bounds)

    def from_cache(key):
        raw = store.get(key) if store else None
        if raw is not None:
            # Parquet gives an empty categorical back as plain strings.
            raw = raw.astype({c: "category" for c in ("token", "pos")
                              if not isinstance(raw[c].dtype, pd.CategoricalDtype)})
        return raw

    def to_cache(key, raw):
        if store is None:
            return
        try:
            store.put(key, raw)
        except Exception as exc:  # a read-only or full disk, text Parquet cannot hold …
            # The tokens are computed: a cache that cannot be written is not worth failing on.
            warnings.warn(f"could not write the tokens cache in {store.folder}: {exc}",
                          RuntimeWarning, stacklevel=4)

    # Files are only looked for here and read one at a time below, so a year read back from
    # the cache never holds more than one chunk's raw table.
    present = [store is not None and store.path(k).is_file() for k in keys]
    missing = [k for k, p in enumerate(present) if not p]
    for k in (k for k, p in enumerate(present) if p):
        a, b = bounds[k]
        raw = from_cache(keys[k])
        if raw is None:
            # A damaged file was found unreadable (and deleted) only now: segment it here.
            raw = _segment_units(tokenizer, units[a:b], hmm)
            to_cache(keys[k], raw)
        yield a, raw
    chunks = [units[slice(*bounds[k])] for k in missing]
    if n_jobs > 1 and len(chunks) > 1:
        segmented = _segment_parallel(tokenizer, chunks, hmm, n_jobs)
    else:
        segmented = ((j, _segment_units(tokenizer, chunk, hmm)) for j, chunk in enumerate(chunks))
    for j, raw in segmented:
        to_cache(keys[missing[j]], raw)
        yield bounds[missing[j]][0], raw


def _segment_parallel(tokenizer: Tokenizer, chunks: list[Sequence[str]], hmm: bool, n_jobs: int):
    """Segment chunks in this process and ``n_jobs - 1`` others; yield ``(index, raw)`` as done.

    This process takes chunks from the start and filters each one it gets (the caller's share,
    ~20 % of the work) between them, while forked workers take chunks from the end, until they
    meet: the work balances itself whatever the machine's load, and no process waits for a
    chunk promised to another. Workers inherit the loaded dictionary and the texts with the
    fork and hand each result back through a file (a pipe would stall them until this process
    reads it). Where there is no fork, workers are spawned and given their chunks.
    """
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        yield from _segment_spawned(tokenizer, chunks, hmm, n_jobs)
        return
    import pickle
    from multiprocessing.connection import wait

    context = multiprocessing.get_context("fork")
    # The first chunk is cut here before the fork: the dictionary, jieba's tag table (read on
    # first use) and the tags of the commonest words are then loaded once, not once a process.
    first = _segment_units(tokenizer, chunks[0], hmm)
    lock = context.Lock()
    todo = context.RawArray("q", [1, len(chunks)])  # the unclaimed chunks: [todo[0], todo[1])
    workers, readers = [], []
    frozen_before = gc.get_freeze_count()  # a caller's own freeze is left as it was
    with tempfile.TemporaryDirectory(prefix="zz-tokens-") as folder:
        try:
            # Until the workers are done, the collector leaves the objects of before the fork
            # alone: a full collection writes to every one of them, and this process would
            # copy each page it shares with the workers (the whole heap, a second or more).
            gc.freeze()
            for _ in range(min(n_jobs, len(chunks)) - 1):
                reader, writer = context.Pipe(duplex=False)
                worker = context.Process(target=_claim_from_end, daemon=True,
                                         args=(tokenizer, chunks, hmm, lock, todo, folder, writer))
                worker.start()
                writer.close()
                workers.append(worker)
                readers.append(reader)

            def received(timeout):
                for reader in wait(readers, timeout):
                    try:
                        j, error = reader.recv()
                    except EOFError:  # the worker is done
                        readers.remove(reader)
                        reader.close()
                        continue
                    if error is not None:
                        raise error
                    path = os.path.join(folder, f"{j}.pkl")
                    with open(path, "rb") as fh:
                        raw = pickle.load(fh)
                    os.unlink(path)
                    yield j, raw

            yield 0, first
            del first
            done = 1
            while True:
                with lock:
                    j = todo[0]
                    if j >= todo[1]:
                        break
                    todo[0] = j + 1
                yield j, _segment_units(tokenizer, chunks[j], hmm)
                done += 1
                for item in received(0):
                    done += 1
                    yield item
            while readers:
                for item in received(None):
                    done += 1
                    yield item
            if done != len(chunks):  # a worker died without a word (killed, out of memory)
                raise RuntimeError(f"tokenize: {len(chunks) - done} chunk(s) lost with a worker process")
        finally:
            for worker in workers:
                if worker.is_alive():
                    worker.terminate()
                worker.join()
            for reader in readers:
                reader.close()
            if not frozen_before:
                gc.unfreeze()


def _claim_from_end(tokenizer, chunks, hmm, lock, todo, folder, conn) -> None:
    """A forked worker: segment the last unclaimed chunk until none is left."""
    import pickle

    try:
        while True:
            with lock:
                j = todo[1] - 1
                if j < todo[0]:
                    break
                todo[1] = j
            raw = _segment_units(tokenizer, chunks[j], hmm)
            with open(os.path.join(folder, f"{j}.pkl"), "wb") as fh:
                pickle.dump(raw, fh, protocol=pickle.HIGHEST_PROTOCOL)
            conn.send((j, None))
    except BaseException as exc:  # handed to the parent, which raises it
        conn.send((-1, exc))
    finally:
        conn.close()


def _segment_spawned(tokenizer: Tokenizer, chunks: list[Sequence[str]], hmm: bool, n_jobs: int):
    """Without fork: ``n_jobs`` spawned workers (each loads the dictionary), chunks in order."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(min(n_jobs, len(chunks)), mp_context=multiprocessing.get_context("spawn"),
                             initializer=_init_worker, initargs=(tokenizer,)) as pool:
        yield from enumerate(pool.map(_segment_chunk, [(list(c), hmm) for c in chunks]))


def _int_dtype(lo: int, hi: int) -> type:
    """int16 when every value in ``[lo, hi]`` fits, else int32, else int64: exact, never wrapped."""
    for dtype in (np.int16, np.int32):
        info = np.iinfo(dtype)
        if info.min <= int(lo) and int(hi) <= info.max:
            return dtype
    return np.int64


def _used(codes: np.ndarray, categories) -> pd.Categorical:
    """A categorical of only the categories that occur, in their given order (no sort of codes)."""
    codes = np.asarray(codes)
    valid = codes >= 0
    used = np.bincount(codes[valid], minlength=len(categories)) > 0
    if used.all():
        return pd.Categorical.from_codes(codes, categories=categories, validate=False)
    renumber = (np.cumsum(used) - 1).astype(codes.dtype)
    new = np.where(valid, renumber[np.where(valid, codes, 0)], -1).astype(codes.dtype)
    return pd.Categorical.from_codes(new, categories=categories[used], validate=False)


def _union(parts: Iterable[pd.Series]) -> pd.Categorical:
    """One categorical from the chunks' columns: sorted categories, only those that occur."""
    parts = [_used(p.cat.codes.to_numpy(), p.cat.categories) for p in parts]
    names = pd.Index(np.concatenate([p.categories.to_numpy(object) for p in parts]) if parts else [],
                     dtype=object).unique().sort_values()
    codes = np.concatenate([names.get_indexer(p.categories).astype(np.int32)[p.codes] for p in parts]) \
        if parts else np.zeros(0, np.int32)
    try:  # pandas' own string dtype, as for any text column …
        names = pd.Index(names.to_numpy(object))
    except UnicodeEncodeError:  # … unless a token holds a lone surrogate, which only object keeps
        pass
    return pd.Categorical.from_codes(codes, categories=names, validate=False)


def _code_dtype(n: int) -> type:
    """The smallest codes pandas keeps for ``n`` categories (-1 marks a missing value)."""
    for dtype in (np.int8, np.int16, np.int32):
        if n < np.iinfo(dtype).max:
            return dtype
    return np.int64


def _row_categorical(codes: np.ndarray, names, has_tokens: np.ndarray, row: np.ndarray,
                     *, ordered: bool = False) -> pd.Categorical:
    """Per-row category ``codes`` taken once per token: only the categories of rows that kept a
    token, renumbered on the rows (not the tokens) and in the smallest codes, so no per-token
    temporary is wider than the result."""
    used = np.zeros(len(names) + 1, bool)
    used[codes[has_tokens]] = True  # -1 (missing) marks the last
    used = used[:-1]
    renumber = np.append(np.cumsum(used) - 1, -1)[codes].astype(_code_dtype(int(used.sum())))
    return pd.Categorical.from_codes(renumber[row], categories=pd.Index(names)[used], ordered=ordered,
                                     validate=False)


def _carried(column: pd.Series, row: np.ndarray, has_tokens: np.ndarray):
    """``column`` repeated on each token's row, as a categorical in the smallest codes.

    Text keeps an unordered categorical; dates and numbers an ordered one over their sorted
    values, so ``min``, ``max`` and sorting still work (8-byte dates and integers become 1- or
    2-byte codes). Booleans (already one byte), categoricals and unhashable values (lists of
    reporters) are repeated as they are.
    """
    dtype = column.dtype
    text = pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)
    if not text and (isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_bool_dtype(dtype)
                     or not (pd.api.types.is_numeric_dtype(dtype)
                             or pd.api.types.is_datetime64_any_dtype(dtype)
                             or pd.api.types.is_timedelta64_dtype(dtype))):
        return column.take(row).reset_index(drop=True)
    try:
        codes, names = pd.factorize(column, sort=True)
    except TypeError:  # unhashable values: repeated as they are
        return column.take(row).reset_index(drop=True)
    return _row_categorical(codes, pd.Index(names, dtype=dtype) if not text else pd.Index(names), has_tokens,
                            row, ordered=not text)


def _keep_mask(raw, tokenizer, *, drop_stopwords, drop_punct, keep_numbers, pos, decided: dict) -> np.ndarray:
    """Row mask from per-category decisions: each distinct token is tested once a call
    (``decided`` holds the drop decisions of the chunks before) and each tag once a chunk."""
    keep = np.ones(len(raw), dtype=bool)
    tokens = raw["token"].cat
    cats = tokens.categories.astype(object)
    drop_cat = np.zeros(len(cats), dtype=bool)
    if drop_stopwords or drop_punct or not keep_numbers:
        stop = tokenizer.stopwords if drop_stopwords else frozenset()
        for c in [c for c in cats if c not in decided]:
            decided[c] = (c in stop or (drop_punct and _PUNCT_RE.match(c) is not None)
                          or (not keep_numbers and c[:1].isdigit()))
        drop_cat = np.fromiter(map(decided.__getitem__, cats), bool, len(cats))
    if drop_cat.any():
        keep &= ~drop_cat[np.asarray(tokens.codes)]
    if pos is not None:
        prefixes = (pos,) if isinstance(pos, str) else tuple(pos)
        tag_cats = raw["pos"].cat.categories.astype(object)
        ok = np.fromiter((str(t).startswith(prefixes) for t in tag_cats), bool, len(tag_cats))
        keep &= ok[np.asarray(raw["pos"].cat.codes)]
    return keep
