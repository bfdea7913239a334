"""Tokenization: jieba with a Zhuzhou lexicon, one token per row.

``tokenize(articles_or_paragraphs)`` returns the tokens table of DATA_MODEL.md
(``article_id, para_no, token_no, token, pos, start, end`` + the input's other columns), like
tidytext's ``unnest_tokens``. Segmentation is jieba's algorithm and dictionary, run by one of
two backends that give the same tokens:

* ``"rjieba"`` (default): the Rust port jieba-rs through the ``rjieba`` binding, 5–20× faster;
* ``"jieba"``: the reference Python implementation.

Where jieba-rs departs from jieba (it keeps ``43-0005`` whole, reads rare ideographs such as
䶮 as Chinese, keeps a dictionary word's tag on ``add_word``) the rjieba backend is corrected
to jieba's result; ``tests/test_tokens.py`` checks that both give identical tokens, tags and
offsets on the sample page, with and without the lexicon and the HMM. One difference is left:
in a run of a repeated unit (课课课 = 课课+课 = 课+课课) two splits tie exactly and each library's
floating-point rounding picks its own.

Each :class:`Tokenizer` owns its dictionary: user words added to one never reach another nor
jieba's global ``jieba.dt``. Nothing is loaded on import; a tokenizer builds its dictionary on
first use, and :func:`default_tokenizer` is built once per process.
"""
from __future__ import annotations

import bisect
import functools
import hashlib
import importlib.resources
import marshal
import os
import re
import tempfile
import warnings
from collections.abc import Iterable, Sequence
from itertools import accumulate, chain
from pathlib import Path
from typing import Literal, NamedTuple, Union

import numpy as np
import pandas as pd

from .cache import ParquetCache, cache_dir

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

# Units (and 余/多/万/亿 approximators and magnitudes) that stay with their number as one
# token: "469亿元", "2.25倍", "800余个", "9.57%", "5000余人", "90亿美元", "1,500吨". Dates and
# clock times (年 月 日 时) are deliberately not units: "2023年" stays "2023" + "年".
_UNITS = sorted(
    """亿美元 万美元 美元 亿欧元 欧元 亿元 万元 千元 元 个百分点 百分点 % ％ ‰ 倍 个 家 人 人次 项 台
    套 件 辆 列 条 座 所 户 名 位 批 种 款 场 次 亩 吨 万吨 千瓦 万千瓦 千瓦时 兆瓦 度 平方米
    平方公里 公顷 公里 千米 米 厘米 毫米 纳米 立方米 千克 公斤 克 小时 分钟 秒 天 周 GW MW kW kWh km""".split(),
    key=len,
    reverse=True,  # longest first so "亿元" is not cut to "亿" + "元"
)
# Example: "作业效率提升2.25倍" → 2.25倍; "集群规模达469亿元" → 469亿元; "800余个岗位" → 800余个.
NUMBER_RE = re.compile(
    r"(?<![0-9A-Za-z.])[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?(?:[余多])?(?:[十百千万亿]+)?(?:[余多])?"
    rf"(?:{'|'.join(map(re.escape, _UNITS))})?"
)
_HAS_DIGIT_RE = re.compile(r"[0-9]")
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
# Backends: each wraps a private dictionary and answers tag(text, hmm) -> [(word, pos), …].
# Both follow jieba-rs's rules where the two libraries differ, so that they agree token for
# token: a re-added dictionary word replaces its old frequency in the total, a user word's tag
# wins over the dictionary's, user words given without a tag are "nz", and a word the HMM
# found is tagged by jieba's POS-HMM (the tag of its longest span).

_USER_DEFAULT_TAG = "nz"
# Ideographs outside jieba's Chinese range [\u4E00-\u9FD5] that jieba-rs counts as Chinese:
# CJK extension A, U+9FD6–9FFF, compatibility ideographs, extensions B and later. Example: 䶮.
_RARE_HAN = r"\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RARE_HAN_RE = re.compile(f"[{_RARE_HAN}]")
_RARE_HAN_SPLIT_RE = re.compile(f"([{_RARE_HAN}])")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# A letter or digit run joined to another by one of the symbols jieba keeps inside a block.
_ALNUM_JOINER_RE = re.compile(r"[A-Za-z0-9][+#&._%\-]+[A-Za-z0-9.+#&_%\-]")
# jieba.finalseg.re_skip: how jieba splits a non-Chinese run that is not a dictionary word.
_FINALSEG_SKIP_RE = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")


class _RJiebaBackend:
    def __init__(self, entries):
        import rjieba

        # rjieba.Jieba() embeds jieba's dict.txt (same words, frequencies and tags); an
        # instance of our own, never rjieba's module-level default.
        jb = rjieba.Jieba()
        overrides = {}
        for word, freq, tag in entries:
            if tag and jb.has_word(word):
                # jieba-rs keeps a known word's dictionary tag on add_word: remember ours.
                overrides[word] = tag
            jb.add_word(word, freq, tag or _USER_DEFAULT_TAG)
        self._jieba = jb
        self._overrides = overrides
        # One search per text tells whether any overridden word can occur in it at all.
        self._overrides_re = (
            re.compile("|".join(map(re.escape, sorted(overrides, key=len, reverse=True))))
            if overrides else None
        )

    def tag(self, text: str, hmm: bool) -> list[tuple[str, str]]:
        if _SURROGATE_RE.search(text):
            # Rust strings cannot hold lone surrogates (text decoded with "surrogateescape"):
            # cut a stand-in of the same length, which jieba also treats as one symbol each.
            out, pos = [], 0
            for word, tag in self.tag(_SURROGATE_RE.sub("\ufffd", text), hmm):
                out.append((text[pos:pos + len(word)], tag))
                pos += len(word)
            return out
        if _RARE_HAN_RE.search(text):
            # jieba reads these characters as symbols, each a block of its own; jieba-rs reads
            # them as Chinese and may join them to a neighbour. Cut around them as jieba does.
            pairs = []
            for piece in _RARE_HAN_SPLIT_RE.split(text):
                if not piece:
                    continue
                if _RARE_HAN_RE.fullmatch(piece):
                    pairs.append((piece, self._known_tag(piece) or "x"))
                else:
                    pairs.extend(self._jieba.tag(piece, hmm))
        else:
            pairs = self._jieba.tag(text, hmm)
        if hmm and _ALNUM_JOINER_RE.search(text):
            pairs = self._split_alnum_compounds(pairs)
        if self._overrides_re is not None and self._overrides_re.search(text):
            get = self._overrides.get
            pairs = [(w, get(w, t)) for w, t in pairs]
        return pairs

    def _known_tag(self, word: str) -> str | None:
        if not self._jieba.has_word(word):
            return None
        return self._overrides.get(word) or self._jieba.tag(word, False)[0][1]

    def _split_alnum_compounds(self, pairs):
        # The HMM path of jieba-rs keeps "43-0005" or "1.2.3" whole where jieba splits them
        # with finalseg's pattern into "43" "-" "0005": split as jieba does (dictionary words
        # such as "c++" or "AT&T" are left alone, as in jieba).
        out = []
        for w, t in pairs:
            if (len(w) > 1 and w.isascii() and _ALNUM_JOINER_RE.search(w)
                    and not _FINALSEG_SKIP_RE.fullmatch(w) and not self._jieba.has_word(w)):
                out.extend((p, self._known_tag(p) or _guess_tag(p)) for p in _FINALSEG_SKIP_RE.split(w) if p)
            else:
                out.append((w, t))
        return out


def _jieba_dict_path() -> str:
    import jieba

    return os.path.join(os.path.dirname(jieba.__file__), jieba.DEFAULT_DICT_NAME)


@functools.cache
def _jieba_dict_tags() -> dict[str, str]:
    tags = {}
    with open(_jieba_dict_path(), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3:
                tags[parts[0]] = parts[2]
    return tags


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
    def __init__(self, entries):
        import jieba

        tok = jieba.Tokenizer()
        freq, total = _jieba_prefix_dict()
        tok.FREQ, tok.total = dict(freq), total
        tok.initialized = True  # FREQ is loaded: initialize() would only re-read and log
        tags = dict(_jieba_dict_tags())
        for word, f, tag in entries:
            known = tok.FREQ.get(word, 0)
            f = tok.suggest_freq(word, False) if f is None else f
            tok.total -= known  # jieba adds the new frequency without removing the old one
            tok.add_word(word, f, None)  # tags kept here, not in jieba's user_word_tag_tab
            if tag or not known:
                tags[word] = tag or tags.get(word) or _USER_DEFAULT_TAG
        self._tok = tok
        self._tags = tags

    def tag(self, text: str, hmm: bool) -> list[tuple[str, str]]:
        get = self._tags.get
        return [(w, get(w) or _guess_tag(w)) for w in self._tok.lcut(text, HMM=hmm)]


# jieba's own Chinese range: rarer ideographs stand alone as symbols in jieba (see _RARE_HAN).
_CJK_RE = re.compile(r"[\u4e00-\u9fd5]")


@functools.lru_cache(maxsize=65536)
def _guess_tag(word: str) -> str:
    """POS of a word not in the dictionary, by jieba-rs's rule (see module notes above)."""
    alnum = sum(c.isascii() and c.isalnum() for c in word)
    if alnum:
        return "m" if alnum == sum(c.isascii() and c.isdigit() for c in word) else "eng"
    if not _CJK_RE.search(word):
        return "x"
    best_len, best = 0, "x"
    for start, end, tag in _posseg_spans(word):
        if end - start >= best_len:  # the longest span, the last one on ties
            best_len, best = end - start, tag
    return best


def _posseg_spans(word: str) -> list[tuple[int, int, str]]:
    """Viterbi over jieba's POS-HMM (states like ("B", "nr")), ending in an E or S state."""
    from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P

    floor, never = -3.14e100, float("-inf")
    all_states = trans_P.keys()
    V = [{y: start_P[y] + emit_P[y].get(word[0], floor) for y in char_state_tab_P.get(word[0], all_states)}]
    back = [dict.fromkeys(V[0], None)]
    for ch in word[1:]:
        prev = [x for x in back[-1] if trans_P[x]]
        expected = {y for x in prev for y in trans_P[x]}
        states = set(char_state_tab_P.get(ch, all_states)) & expected or expected or set(all_states)
        col, ptr = {}, {}
        for y in states:
            col[y], ptr[y] = max((V[-1][x] + trans_P[x].get(y, never) + emit_P[y].get(ch, floor), x)
                                 for x in prev)
        V.append(col)
        back.append(ptr)
    last = [(p, y) for y, p in V[-1].items() if y[0] in "ES"]
    if not last or max(last)[0] < floor / 2:
        # No path ends a word at the last character, or only through an impossible start,
        # transition or emission: jieba-rs gives up on such words ("x").
        return []
    state = max(last)[1]
    route = [None] * len(word)
    for i in range(len(word) - 1, -1, -1):
        route[i] = state
        state = back[i][state]
    spans, begin = [], None
    for i, (bmes, tag) in enumerate(route):
        if bmes == "B":
            begin = i
        elif bmes == "E":
            spans.append((i if begin is None else begin, i + 1, tag))
            begin = None
        elif bmes == "S":
            spans.append((i, i + 1, tag))
            begin = None
    if begin is not None:
        spans.append((begin, len(word), "x"))
    return spans


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

        Covers the backend, HMM and number settings, the shipped lexicon's content, the user
        dictionaries' content and the user words — not the stopwords, which only filter.
        """
        if self._fingerprint is None:
            from . import __version__
            from .cache import digest

            lex = [_resource_text(f"{n}.txt") for n in LEXICON_LISTS] if self.lexicon else []
            self._fingerprint = digest(
                "Tokenizer", __version__, self.backend, self.hmm, self.merge_numbers,
                lex, _file_digest(self.user_dicts), [list(e) for e in self.user_words],
                _library_version(self.backend),
            )
        return self._fingerprint

    def _backend(self):
        if self._impl is None:
            cls = _RJiebaBackend if self.backend == "rjieba" else _JiebaBackend
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
        if not text:
            return [], [], [], []
        words, tags = map(list, zip(*self._backend().tag(text, hmm)))
        ends = list(accumulate(map(len, words)))
        if ends[-1] != len(text) or "".join(words) != text:  # pragma: no cover - jieba is lossless
            raise RuntimeError(f"segmentation lost characters of {text[:40]!r}")
        starts = [0, *ends[:-1]]
        if self.merge_numbers and _HAS_DIGIT_RE.search(text):
            words, tags, starts, ends = _merge_numbers(text, words, tags, starts, ends)
        return words, tags, starts, ends


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


def _merge_numbers(text, words, tags, starts, ends):
    """Join the tokens that make up one NUMBER_RE match into a single token tagged ``m``.

    Only whole tokens are joined: a match must start where a token starts, and it is cut back
    to the last token end inside it, so "30多年" (tokens 30 / 多年) stays as jieba cut it.
    """
    out_w, out_t, out_s, out_e = [], [], [], []
    i = 0
    n = len(words)
    for m in NUMBER_RE.finditer(text):
        s, e = m.span()
        j = bisect.bisect_left(starts, s, i)
        if j >= n or starts[j] != s:
            continue
        k = bisect.bisect_right(ends, e, j) - 1  # last token ending inside the match
        if k <= j:
            continue
        out_w += words[i:j]
        out_t += tags[i:j]
        out_s += starts[i:j]
        out_e += ends[i:j]
        out_w.append(text[s : ends[k]])
        out_t.append("m")
        out_s.append(s)
        out_e.append(ends[k])
        i = k + 1
    if i == 0:
        return words, tags, starts, ends
    out_w += words[i:]
    out_t += tags[i:]
    out_s += starts[i:]
    out_e += ends[i:]
    return out_w, out_t, out_s, out_e


@functools.cache
def default_tokenizer() -> Tokenizer:
    """The process-wide ``Tokenizer()`` (shipped lexicon and stopwords, HMM on, rjieba),
    built on first use and reused by :func:`tokenize` when no tokenizer is given."""
    return Tokenizer()


# ---------------------------------------------------------------------------------------------
# tokenize

_TOKEN_COLUMNS = ("article_id", "para_no", "token_no", "token", "pos", "start", "end")


def _segment_lists(tokenizer: Tokenizer, units: Sequence[str], hmm: bool, offset: int = 0):
    """Segment each unit (paragraph text); parallel lists, one entry per token, unfiltered."""
    unit_idx: list[int] = []
    token_no: list[int] = []
    words: list[str] = []
    tags: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    seg = tokenizer._segment
    for u, text in enumerate(units, offset):
        if not text:
            continue
        w, t, s, e = seg(text, hmm)
        n = len(w)
        unit_idx += [u] * n
        token_no += range(1, n + 1)
        words += w
        tags += t
        starts += s
        ends += e
    return unit_idx, token_no, words, tags, starts, ends


def _lists_to_frame(unit_idx, token_no, words, tags, starts, ends) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit": np.asarray(unit_idx, dtype=np.int64),
            "token_no": np.asarray(token_no, dtype=np.int32),
            "token": pd.Categorical(words),
            "pos": pd.Categorical(tags),
            "start": np.asarray(starts, dtype=np.int32),
            "end": np.asarray(ends, dtype=np.int32),
        }
    )


_WORKER_TOKENIZER: Tokenizer | None = None


def _init_worker(tokenizer: Tokenizer) -> None:
    global _WORKER_TOKENIZER
    _WORKER_TOKENIZER = tokenizer


def _segment_chunk(args):
    units, hmm, offset = args
    return _segment_lists(_WORKER_TOKENIZER, units, hmm, offset)


def _segment_parallel(tokenizer: Tokenizer, units: Sequence[str], hmm: bool, n_jobs: int) -> pd.DataFrame:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Contiguous chunks, results joined in chunk order: the output does not depend on n_jobs.
    bounds = np.linspace(0, len(units), n_jobs * 4 + 1).astype(int)
    jobs = [(list(units[a:b]), hmm, int(a)) for a, b in zip(bounds[:-1], bounds[1:]) if b > a]
    # fork (where there is one) hands each worker the loaded dictionary for free; workers only
    # run the segmenter and return plain lists, so nothing that fork could break (threads of
    # pyarrow, say) is used in them. Elsewhere spawn pickles the settings and rebuilds.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    tokenizer._backend()  # build once here, before the fork
    with ProcessPoolExecutor(n_jobs, mp_context=context, initializer=_init_worker,
                             initargs=(tokenizer,)) as pool:
        parts = list(pool.map(_segment_chunk, jobs))
    return _lists_to_frame(*(list(chain.from_iterable(p[i] for p in parts)) for i in range(6)))


def _units_digest(units: Sequence[str]) -> str:
    h = hashlib.sha256()
    for u in units:
        b = u.encode("utf-8", "surrogatepass")
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


def tokenize(
    frame: pd.DataFrame,
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
    """One row per token of an articles or paragraphs frame (tidytext's ``unnest_tokens``).

    Args:
        frame: an articles frame (``article_id, text``; paragraph k is
            ``text.split('\\n')[k-1]``) or a paragraphs frame (``article_id, para_no, text``).
            Without an ``article_id`` column the frame's index is used as the id.
        tokenizer: default :func:`default_tokenizer` (shipped lexicon and stopwords).
        drop_stopwords: drop tokens in ``tokenizer.stopwords``.
        drop_punct: drop tokens made only of punctuation, symbols or whitespace.
        keep_numbers: keep number tokens (``469亿元``, ``2.25倍``, ``2023``); False drops every
            token that starts with a digit.
        pos: keep only tokens whose POS tag starts with one of these (``"n"`` keeps ``n, nr,
            ns, nt, nz``…; ``["nr", "ns"]`` keeps people and places). Number tokens are ``m``.
        hmm: override the tokenizer's HMM setting.
        carry: input columns to repeat on every token row; default every column except
            ``text`` (pass ``[]`` for a lean table on a large corpus).
        n_jobs: worker processes for segmentation (``-1``: one per core). Workers are forked
            with the loaded dictionary (spawned where there is no fork, ~0.3 s each to load it);
            sending tokens back costs about what a second core saves below tens of MB (see
            ``benchmarks/RESULTS_tokenize.md``). Output is identical for any n_jobs.
        cache: read/write the segmentation in the on-disk Parquet cache
            (:class:`zzanalysis.cache.ParquetCache` ``"tokens"``), keyed on the package version,
            ``tokenizer.fingerprint``, ``hmm`` and the exact paragraph texts. Filters are applied
            after the cache, so changing them does not re-segment.

    Returns:
        DataFrame with columns ``article_id`` (category), ``para_no`` (int), ``token_no`` (int,
        1-based position in the paragraph counted *before* filtering, so positions stay
        comparable across filter settings and gaps show where tokens were dropped), ``token``
        (category), ``pos`` (category, jieba's tag set; ``m`` for numbers), ``start``, ``end``
        (int, character offsets: ``text[start:end] == token`` for the paragraph's text), then the
        carried columns. Rows in input order, then para_no, then token_no.

    Example:
        >>> paragraphs = zz.read_issue("data/raw/zzrb-2023-04-27-p01.md").paragraphs
        >>> tokens = paragraphs.pipe(zz.tokenize)  # one row per token, paragraph columns carried
        >>> paragraphs.pipe(zz.tokenize, pos="ns").token.value_counts().head(3)
        token
        株洲    37
        城市     8
        湖南     7
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"tokenize expects a DataFrame, got {type(frame).__name__}")
    if "text" not in frame.columns:
        raise ValueError("tokenize needs a 'text' column (an articles or paragraphs frame)")
    tokenizer = tokenizer or default_tokenizer()
    hmm = tokenizer.hmm if hmm is None else bool(hmm)

    ids = frame["article_id"].to_numpy() if "article_id" in frame.columns else frame.index.to_numpy()
    texts = frame["text"].astype(object).where(frame["text"].notna(), "").to_numpy()
    if "para_no" in frame.columns:
        units = list(texts)
        unit_row = np.arange(len(frame), dtype=np.int64)
        unit_para = frame["para_no"].to_numpy(dtype=np.int64)
    else:
        units, rows, paras = [], [], []
        for r, text in enumerate(texts):
            parts = text.split("\n")
            units += parts
            rows += [r] * len(parts)
            paras += range(1, len(parts) + 1)
        unit_row = np.asarray(rows, dtype=np.int64)
        unit_para = np.asarray(paras, dtype=np.int64)

    raw = None
    if cache:
        store = ParquetCache("tokens")
        key = store.key(tokenizer.fingerprint, {"hmm": hmm}, _units_digest(units))
        raw = store.get(key)
        if raw is not None:
            # Parquet gives an empty categorical back as plain strings.
            raw = raw.astype({c: "category" for c in ("token", "pos")
                              if not isinstance(raw[c].dtype, pd.CategoricalDtype)})
    if raw is None:
        n_jobs = (os.cpu_count() or 1) if n_jobs == -1 else max(1, int(n_jobs))
        if n_jobs > 1 and len(units) > n_jobs:
            raw = _segment_parallel(tokenizer, units, hmm, n_jobs)
        else:
            raw = _lists_to_frame(*_segment_lists(tokenizer, units, hmm))
        if cache:
            try:
                store.put(key, raw)
            except Exception as exc:  # a read-only or full disk, text Parquet cannot hold …
                # The tokens are computed: a cache that cannot be written is not worth failing on.
                warnings.warn(f"could not write the tokens cache in {store.folder}: {exc}",
                              RuntimeWarning, stacklevel=2)

    keep = _keep_mask(raw, tokenizer, drop_stopwords=drop_stopwords, drop_punct=drop_punct,
                      keep_numbers=keep_numbers, pos=pos)
    raw = raw[keep] if not keep.all() else raw
    unit = raw["unit"].to_numpy()
    row = unit_row[unit]

    out = pd.DataFrame(
        {
            "article_id": pd.Categorical(ids[row]),
            "para_no": unit_para[unit],
            "token_no": raw["token_no"].to_numpy(),
            "token": raw["token"].array.remove_unused_categories(),
            "pos": raw["pos"].array.remove_unused_categories(),
            "start": raw["start"].to_numpy(),
            "end": raw["end"].to_numpy(),
        }
    )
    if carry is None:
        carry = [c for c in frame.columns if c not in ("text", *_TOKEN_COLUMNS)]
    else:
        clash = [c for c in carry if c in ("text", *_TOKEN_COLUMNS)]
        if clash:
            raise ValueError(f"cannot carry {clash}: they are token columns or the text")
    for col in carry:
        out[col] = frame[col].take(row).reset_index(drop=True)
    return out


def _keep_mask(raw, tokenizer, *, drop_stopwords, drop_punct, keep_numbers, pos) -> np.ndarray:
    """Row mask from per-category decisions: each distinct token/tag is tested once."""
    keep = np.ones(len(raw), dtype=bool)
    tokens = raw["token"].cat
    cats = tokens.categories.astype(object)
    drop_cat = np.zeros(len(cats), dtype=bool)
    if drop_stopwords:
        stop = tokenizer.stopwords
        drop_cat |= np.fromiter((c in stop for c in cats), bool, len(cats))
    if drop_punct:
        drop_cat |= np.fromiter((_PUNCT_RE.match(c) is not None for c in cats), bool, len(cats))
    if not keep_numbers:
        drop_cat |= np.fromiter((c[:1].isdigit() for c in cats), bool, len(cats))
    if drop_cat.any():
        keep &= ~drop_cat[np.asarray(tokens.codes)]
    if pos is not None:
        prefixes = (pos,) if isinstance(pos, str) else tuple(pos)
        tag_cats = raw["pos"].cat.categories.astype(object)
        ok = np.fromiter((str(t).startswith(prefixes) for t in tag_cats), bool, len(tag_cats))
        keep &= ok[np.asarray(raw["pos"].cat.codes)]
    return keep
