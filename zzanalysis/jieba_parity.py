"""rjieba made to give jieba's answers: a reproduction of Python jieba's choices.

:mod:`zzanalysis.tokens` runs jieba's algorithm and dictionary through one of two backends:
``rjieba`` (jieba-rs, the Rust port, default) and ``jieba`` (the Python reference). jieba-rs
departs from jieba 0.42.1 in a few places; this module holds everything that makes the rjieba
backend give exactly jieba's tokens, and the rules both backends share so that their tags agree.
Nothing here is a linguistic choice of this project: each rule copies what one of the two
libraries does, and ``tests/test_tokens.py`` (``test_backend_parity_*``) checks the result
against the Python reference.

Where the libraries differ and which one we follow:

1. HMM path, non-Chinese runs: jieba-rs keeps ``43-0005`` or ``1.2.3`` whole; jieba splits them
   with ``finalseg.re_skip`` (``43`` ``-`` ``0005``). We follow jieba.
2. Rare ideographs (CJK extension A/B…, U+9FD6–9FFF, compatibility ideographs, e.g. 䶮): jieba-rs
   reads them as Chinese and may join them to a neighbour; jieba treats each as a symbol. We
   follow jieba.
3. Lone surrogates (bytes decoded with ``surrogateescape``) cannot enter a Rust string; jieba cuts
   each as a one-character symbol. We cut a same-length stand-in and slice the original text.
4. ``add_word`` on a word already in the dictionary: jieba-rs keeps the dictionary's POS tag and
   replaces the old frequency in the total; jieba takes the new tag and adds to the total. Both
   backends use the new tag (:class:`RJiebaBackend` remembers it) and replace the frequency.
5. POS of words the dictionary does not have: jieba-rs's rule (:func:`guess_tag`: ``m`` for
   digits, ``eng`` for other ASCII letters and digits, ``x`` for symbols, else the tag of the
   longest span of jieba's POS-HMM), which the jieba backend reproduces in Python.

A word's tag does not depend on its context in either library (jieba-rs tags each word after
cutting), so the tag is computed once per distinct word and remembered (:meth:`RJiebaBackend.tag_of`).
"""
from __future__ import annotations

import bisect
import functools
import importlib.util
import os
import re
from itertools import accumulate

import numpy as np

__all__ = ["USER_DEFAULT_TAG", "RJiebaBackend", "guess_tag", "jieba_dict_tags"]

# jieba-rs's tag for a user word added without one; the jieba backend gives the same.
USER_DEFAULT_TAG = "nz"
# Ideographs outside jieba's Chinese range [\u4E00-\u9FD5] that jieba-rs counts as Chinese:
# CJK extension A, U+9FD6–9FFF, compatibility ideographs, extensions B and later. Example: 䶮.
_RARE_HAN = r"\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RARE_HAN_RE = re.compile(f"[{_RARE_HAN}]")
_RARE_HAN_SPLIT_RE = re.compile(f"([{_RARE_HAN}])")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# A letter or digit run joined to another by one of the symbols jieba keeps inside a block:
# "43-0005", "1.2.3", "A+1".
_ALNUM_JOINER_RE = re.compile(r"[A-Za-z0-9][+#&._%\-]+[A-Za-z0-9.+#&_%\-]")
# jieba.finalseg.re_skip: how jieba splits a non-Chinese run that is not a dictionary word.
_FINALSEG_SKIP_RE = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
# One search tells whether a text needs any correction at all (most do not).
_NEEDS_FIX = {
    False: re.compile(f"[\ud800-\udfff{_RARE_HAN}]"),
    True: re.compile(f"[\ud800-\udfff{_RARE_HAN}]|{_ALNUM_JOINER_RE.pattern}"),
}
# jieba's own Chinese range: rarer ideographs stand alone as symbols in jieba (see _RARE_HAN).
_CJK_RE = re.compile(r"[\u4e00-\u9fd5]")
# Distinct words whose tag an RJiebaBackend remembers before it starts afresh (~100 MB at most).
_TAG_MEMO_SIZE = 1 << 20


def _jieba_dict_path() -> str:
    # Found without importing jieba (0.2 CPU-s, with pkg_resources), which the rjieba backend
    # never runs; "dict.txt" is jieba's DEFAULT_DICT_NAME.
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("jieba is needed for its dictionary's tags", name="jieba")
    return os.path.join(os.path.dirname(spec.origin), "dict.txt")


@functools.cache
def jieba_dict_tags() -> dict[str, str]:
    """word → POS tag of jieba's ``dict.txt`` (the dictionary both backends start from)."""
    tags = {}
    with open(_jieba_dict_path(), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3:
                tags[parts[0]] = parts[2]
    return tags


class RJiebaBackend:
    """An rjieba dictionary of our own, corrected to jieba's tokens and tags.

    Args:
        entries: ``(word, freq or None, pos or None)`` added on top of jieba's dictionary, in
            order (a later entry wins).
    """

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
            jb.add_word(word, freq, tag or USER_DEFAULT_TAG)
        self._jieba = jb
        self._overrides = overrides
        self._entry_tags = {w: t for w, _, t in entries if t}  # a later entry's tag wins
        self._tags: dict[str, str] = dict(overrides)

    def cut_many(self, texts: list[str], hmm: bool) -> tuple[np.ndarray, np.ndarray]:
        """The tokens of ``"\\0".join(texts)``, factorized: (codes, distinct words).

        Each text's tokens are its :meth:`cut`, with a ``"\\0"`` between two texts. NUL stands
        alone in jieba and jieba-rs (outside every pattern, one symbol), so cutting the joined
        texts in one call gives each text's own tokens with far fewer calls; the few texts with
        rare ideographs or surrogates are cut on their own, and the HMM's alphanumeric compounds
        are split once per distinct word.
        """
        import pandas as pd

        joined = "\0".join(texts)
        cut = self._jieba.cut
        hits = [m.start() for m in _NEEDS_FIX[False].finditer(joined)]
        if not hits:
            words = cut(joined, hmm)
        else:
            bounds = list(accumulate(len(text) + 1 for text in texts))
            words, a = [], 0
            for i in sorted({bisect.bisect_right(bounds, h) for h in hits}):
                if i > a:
                    words += cut("\0".join(texts[a:i]), hmm)
                    words.append("\0")
                words += self.cut(texts[i], hmm, split_alnum=False)
                words.append("\0")
                a = i + 1
            if a < len(texts):
                words += cut("\0".join(texts[a:]), hmm)
            else:
                words.pop()
        codes, uniques = pd.factorize(np.array(words, dtype=object))
        del words
        if hmm:
            codes, uniques = self._split_alnum_codes(codes, uniques)
        return codes, uniques

    def _split_alnum_codes(self, codes: np.ndarray, uniques: np.ndarray):
        # _split_alnum_compounds on factorized tokens: each distinct word is checked once and
        # only the tokens of the few words that split are expanded.
        pieces = {i: self._split_alnum_compounds([w]) for i, w in enumerate(uniques)
                  if len(w) > 1 and w.isascii() and _ALNUM_JOINER_RE.search(w)}
        pieces = {i: p for i, p in pieces.items() if len(p) > 1}
        if not pieces:
            return codes, uniques
        import pandas as pd

        known = set(uniques.tolist())
        added = sorted({p for ps in pieces.values() for p in ps} - known)
        uniques = np.concatenate([uniques, np.array(added, dtype=object)])
        index = pd.Index(uniques, dtype=object)
        piece_codes = {i: index.get_indexer(p) for i, p in pieces.items()}
        bad = np.flatnonzero(np.isin(codes, list(pieces)))
        repeat = np.ones(len(codes), np.int64)
        repeat[bad] = [len(pieces[c]) for c in codes[bad].tolist()]
        out = np.repeat(codes, repeat)
        at = (np.cumsum(repeat) - repeat)[bad]
        for c, j in zip(codes[bad].tolist(), at.tolist()):
            out[j:j + len(pieces[c])] = piece_codes[c]
        return out, uniques

    def cut(self, text: str, hmm: bool, *, split_alnum: bool = True) -> list[str]:
        """jieba's tokens of ``text`` (``"".join(cut(text)) == text``)."""
        if _NEEDS_FIX[hmm and split_alnum].search(text) is None:
            return self._jieba.cut(text, hmm)
        if _SURROGATE_RE.search(text):
            # Cut a stand-in of the same length, which jieba also treats as one symbol each.
            out, pos = [], 0
            for word in self.cut(_SURROGATE_RE.sub("\ufffd", text), hmm, split_alnum=split_alnum):
                out.append(text[pos:pos + len(word)])
                pos += len(word)
            return out
        if _RARE_HAN_RE.search(text):
            # jieba reads these characters as symbols, each a block of its own; jieba-rs reads
            # them as Chinese and may join them to a neighbour. Cut around them as jieba does.
            words = []
            for piece in _RARE_HAN_SPLIT_RE.split(text):
                if _RARE_HAN_RE.fullmatch(piece):
                    words.append(piece)
                elif piece:
                    words.extend(self._jieba.cut(piece, hmm))
        else:
            words = self._jieba.cut(text, hmm)
        if hmm and split_alnum and _ALNUM_JOINER_RE.search(text):
            words = self._split_alnum_compounds(words)
        return words

    def _split_alnum_compounds(self, words: list[str]) -> list[str]:
        # The HMM path of jieba-rs keeps "43-0005" or "1.2.3" whole where jieba splits them
        # with finalseg's pattern into "43" "-" "0005" (dictionary words such as "c++" or
        # "AT&T" are left alone, as in jieba).
        out = []
        for w in words:
            if (len(w) > 1 and w.isascii() and _ALNUM_JOINER_RE.search(w)
                    and not _FINALSEG_SKIP_RE.fullmatch(w) and not self._jieba.has_word(w)):
                out.extend(p for p in _FINALSEG_SKIP_RE.split(w) if p)
            else:
                out.append(w)
        return out

    def tag_of(self, word: str) -> str:
        """The POS tag jieba gives ``word`` (a token of :meth:`cut`), computed once per word."""
        tag = self._tags.get(word)
        if tag is None:
            if len(self._tags) >= _TAG_MEMO_SIZE:
                self._tags = dict(self._overrides)
            tag = self._tags[word] = self._find_tag(word)
        return tag

    def _find_tag(self, word: str) -> str:
        stand_in = _SURROGATE_RE.sub("\ufffd", word)
        jb = self._jieba
        if _RARE_HAN_RE.fullmatch(stand_in) and not jb.has_word(stand_in):
            return "x"  # a symbol to jieba (rule 2)
        # jieba-rs tags a word the same wherever it stands, so the word cut on its own gives
        # its tag, unless cut on its own it falls apart.
        for hmm in (False, True):
            pairs = jb.tag(stand_in, hmm)
            if len(pairs) == 1:
                return pairs[0][1]
        if jb.has_word(stand_in):
            return self._entry_tags.get(stand_in) or jieba_dict_tags().get(stand_in) or USER_DEFAULT_TAG
        return guess_tag(stand_in)


@functools.lru_cache(maxsize=65536)
def guess_tag(word: str) -> str:
    """POS of a word not in the dictionary, by jieba-rs's rule (rule 5 of the module notes)."""
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
