"""Text primitives every analysis shares: Han characters, sentences, paragraphs and input kinds.

One definition of each, so two analyses never disagree about the same text.

**Han characters.** :data:`HAN` is the body of a regex character class holding the CJK ideographs:
the unified block (U+4E00–U+9FFF), extension A (U+3400–U+4DBF), the compatibility ideographs
(U+F900–U+FAFF), every supplementary-plane block (extensions B–H and the compatibility
supplement, U+20000–U+323AF) and 〇 (U+3007, the ideographic zero of 二〇二三年). Punctuation
and full-width forms are not Han. Use ``f"[{HAN}]"`` inside larger patterns, :data:`HAN_RE`
or :func:`is_han`.

**Sentences.** A sentence ends after a run of the marks 。！？； (or their ASCII forms ``!?;``,
which text not normalised by the reader may still hold) or after an ellipsis …… (two or more
``…``; a lone ``…`` is PDF damage more often than an ending); closing quotes and brackets right
after the mark (”’"」』）)】》) stay with the sentence. A paragraph's end ends its last sentence,
so a sentence never crosses paragraphs. White space around a sentence is not part of it. So in
``产业规模达469亿元；风电产业增长12%。`` the sentences are ``产业规模达469亿元；`` and
``风电产业增长12%。``. A "sentence" of a text without end marks (a table flattened by the PDF
export) could be thousands of characters long: :meth:`Sentences.at` keeps at most
:data:`SENTENCE_CONTEXT` characters on each side of the span asked about. Cut a paragraph once
with :class:`Sentences` and ask it everything: :meth:`Sentences.at` / :meth:`Sentences.text` for
the sentence of a span, :meth:`Sentences.number` for which sentence a position is in (so two
spans are in the same sentence when their numbers are equal) and :attr:`Sentences.bounds` for
the list :func:`sentence_bounds` gives.

**Paragraphs.** In an articles or stories table ``text`` holds the paragraphs joined with ``\\n``,
so paragraph ``k`` (1-based ``para_no``) is ``text.split("\\n")[k - 1]`` (:func:`paragraphs`).
Headings (``kicker``, ``headline``, ``subtitle``) are paragraph 0 of their own field.

**Inputs.** Every analysis that scans text accepts the same inputs, turned into paragraphs by
:func:`documents`:

- a ``str``: one article whose ``article_id`` is None, its lines paragraphs 1, 2, …;
- an articles table (``article_id``, ``text``, optionally ``kicker``/``headline``/``subtitle``);
- a paragraphs table (``article_id``, ``para_no``, ``text``);
- a stories table (``story_id``, ``text``, …; no ``article_id``): rows are keyed by ``story_id``
  and ``para_no`` counts the paragraphs of the joined story text;
- a Corpus or Issue (anything with an ``articles`` table): its articles table, which carries
  all article metadata and numbers paragraphs exactly as its paragraphs table does.

**Clashing columns.** Results carry every input column except the scanned ``text``, the key
(``article_id`` or ``story_id``) and ``para_no`` (they are the result's own keys). An input column
named like one of the result's own columns is carried under the input's table name as prefix:
``article_`` (articles, Corpus), ``paragraph_`` (paragraphs) or ``story_`` (stories); an article's
``kind`` next to an indicator's ``kind`` becomes ``article_kind``. Nothing is dropped silently.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

import pandas as pd

from .errors import ColumnError

__all__ = [
    "FIELDS",
    "HAN",
    "HAN_RE",
    "SENTENCE_CONTEXT",
    "Documents",
    "Paragraph",
    "Sentences",
    "documents",
    "is_han",
    "paragraphs",
    "sentence_bounds",
]

HAN = r"\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af"
HAN_RE = re.compile(f"[{HAN}]")

# A run of end marks and the closing quotes or brackets after it: "很惊喜。”" ends after ”.
# One character class repeated, then another: matched in one pass, no backtracking.
_CLOSERS = "”’\"」』）)】》"
_SPACE_RE = re.compile(r"\s")
_MARKS = "。！？；!?;…"
_END_RE = re.compile(f"[{_MARKS}]+[{_CLOSERS}]*")

SENTENCE_CONTEXT = 300  # characters kept on each side of a span in an overlong sentence

Field = Literal["kicker", "headline", "subtitle", "text"]
# Reading order on the page: 引题 above the headline, the headline, 副题, then the body.
FIELDS: tuple[Field, ...] = ("kicker", "headline", "subtitle", "text")

Kind = Literal["text", "articles", "paragraphs", "stories"]
_PREFIX = {"text": "", "articles": "article_", "paragraphs": "paragraph_", "stories": "story_"}


def is_han(ch: str) -> bool:
    """True if ``ch`` is one Han character (see :data:`HAN`): ``is_han("株")``, not ``is_han("，")``."""
    return len(ch) == 1 and HAN_RE.match(ch) is not None


# --------------------------------------------------------------------------- sentences


def _segments(text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Raw sentence ends (for bisection) and each segment's bounds without surrounding space."""
    ends = []
    for m in _END_RE.finditer(text):
        marks = m.group()
        if marks[0] == "…" and marks.rstrip(_CLOSERS) == "…":
            continue  # a lone ellipsis character does not end a sentence
        ends.append(m.end())
    if not ends or ends[-1] < len(text):
        ends.append(len(text))
    if _SPACE_RE.search(text) is None:
        # Most paragraphs hold no white space: nothing to trim (the regex's \s is str.isspace).
        return ends, list(zip([0, *ends[:-1]], ends))
    segments, start = [], 0
    for end in ends:
        s, e = start, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        segments.append((s, e))
        start = end
    return ends, segments


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """The sentences of one paragraph as ``(start, end)`` offsets, in order.

    Args:
        text: one paragraph (a ``\\n`` in it does not end a sentence: split paragraphs first).

    Returns:
        ``[(start, end), …]`` with ``text[start:end]`` each sentence, white space around it left
        out; empty sentences (white space only) are not listed.

    Example:
        >>> sentence_bounds("规模达469亿元；风电增长12%。")
        [(0, 9), (9, 17)]
    """
    return [(s, e) for s, e in _segments(text)[1] if s < e]


class Sentences:
    """The sentences of one paragraph, found once, for many look-ups.

    Bisection makes each look-up logarithmic, so a paragraph with thousands of hits stays linear.

    Args:
        text: one paragraph.

    Example:
        >>> s = Sentences("规模达469亿元；风电增长12%。")
        >>> s.text(10)
        '风电增长12%。'
        >>> s.number(3), s.number(10), s.bounds
        (0, 1, [(0, 9), (9, 17)])
    """

    def __init__(self, text: str):
        self._text = text
        self._ends, self._segments = _segments(text)

    @property
    def bounds(self) -> list[tuple[int, int]]:
        """``(start, end)`` of every sentence, as :func:`sentence_bounds` gives them."""
        return [(s, e) for s, e in self._segments if s < e]

    def number(self, pos: int) -> int:
        """Which sentence ``text[pos]`` is in, counted from 0, uncut by :data:`SENTENCE_CONTEXT`.

        Numbers only compare positions within one paragraph: white space between two sentences
        may count as a sentence of its own, so they are not indexes into :attr:`bounds`.
        """
        return bisect.bisect_right(self._ends, pos)

    def at(self, start: int, end: int | None = None) -> tuple[int, int]:
        """``(start, end)`` of the sentence holding the span ``text[start:end]``.

        The sentence is the one ``start`` falls in, cut to :data:`SENTENCE_CONTEXT` characters
        before ``start`` and after ``end`` (default ``start + 1``).
        """
        end = start + 1 if end is None else end
        k = min(bisect.bisect_right(self._ends, start), len(self._segments) - 1)
        s, e = self._segments[k]
        return max(s, start - SENTENCE_CONTEXT), min(e, end + SENTENCE_CONTEXT)

    def text(self, start: int, end: int | None = None) -> str:
        """The sentence holding ``text[start:end]`` as a string (see :meth:`at`)."""
        s, e = self.at(start, end)
        return self._text[s:e]


# --------------------------------------------------------------------------- paragraphs and inputs


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """``(para_no, paragraph)`` for each line of an article's ``text``, ``para_no`` from 1.

    Example:
        >>> list(paragraphs("第一段。\\n第二段。"))
        [(1, '第一段。'), (2, '第二段。')]
    """
    return enumerate(text.split("\n"), start=1)


class Paragraph(NamedTuple):
    """One paragraph or heading to scan: input row position, field, ``para_no`` (0 for headings), text."""

    row: int
    field: str
    para_no: int
    text: str


@dataclass(frozen=True)
class Documents:
    """The paragraphs of an input, with what the result must carry. Made by :func:`documents`.

    Attributes:
        kind: ``text``, ``articles``, ``paragraphs`` or ``stories``.
        frame: the table scanned (a string becomes one row with ``article_id`` None).
        key: the result's id column: ``story_id`` for stories, else ``article_id``.
        fields: the columns scanned, in reading order.
    """

    kind: Kind
    frame: pd.DataFrame
    key: str
    fields: tuple[str, ...]

    def __iter__(self) -> Iterator[Paragraph]:
        columns = {f: self.frame[f].tolist() for f in self.fields}
        para_nos = self.frame["para_no"].tolist() if self.kind == "paragraphs" else None
        for row in range(len(self.frame)):
            for field in self.fields:
                value = columns[field][row]
                if not isinstance(value, str) or not value:
                    continue  # a missing heading or text has nothing to find
                if field != "text":
                    yield Paragraph(row, field, 0, value)
                elif para_nos is not None:
                    yield Paragraph(row, field, int(para_nos[row]), value)
                else:
                    for para_no, para in paragraphs(value):
                        yield Paragraph(row, field, para_no, para)

    def ids(self, rows: Sequence[int]) -> pd.Series:
        """The key (``article_id`` or ``story_id``) of the given input rows, index 0…n-1."""
        return self.frame[self.key].iloc[list(rows)].reset_index(drop=True).rename(self.key)

    def carried(self, output: Sequence[str]) -> dict[str, str]:
        """``{input column: result column}`` for every column the result carries.

        Args:
            output: the result's own columns; an input column named like one gets the prefix.
        """
        own = {self.key, "text", *(["para_no"] if self.kind == "paragraphs" else [])}
        taken = set(output)
        return {
            c: (_PREFIX[self.kind] + c if c in taken else c)
            for c in self.frame.columns
            if c not in own
        }

    def meta(self, rows: Sequence[int], output: Sequence[str]) -> pd.DataFrame:
        """The carried columns (see :meth:`carried`) of the given input rows, index 0…n-1."""
        names = self.carried(output)
        part = self.frame[list(names)].iloc[list(rows)].reset_index(drop=True)
        return part.rename(columns=names)


def _table(data) -> tuple[Kind, pd.DataFrame]:
    if isinstance(data, str):
        return "text", pd.DataFrame({"article_id": pd.Series([None], dtype=object), "text": [data]})
    if isinstance(data, pd.DataFrame):
        if "article_id" in data.columns:
            return ("paragraphs" if "para_no" in data.columns else "articles"), data
        if "story_id" in data.columns:
            return "stories", data
        return "articles", data  # lacks article_id: documents() names it
    for name in ("articles", "stories", "paragraphs"):
        table = getattr(data, name, None)
        if isinstance(table, pd.DataFrame):
            return _table(table)
    raise TypeError(
        "expected a str, an articles / paragraphs / stories DataFrame, or a Corpus; "
        f"got {type(data).__name__}"
    )


def documents(data, *, fields: Sequence[Field] | None = ("text",), func: str = "documents") -> Documents:
    """Turn any input an analysis accepts into its paragraphs (see the module notes).

    Args:
        data: a str, an articles / paragraphs / stories table, or a Corpus / Issue.
        fields: the columns to scan, any of ``kicker``, ``headline``, ``subtitle``, ``text``;
            ``None`` for every one of them the table has. A paragraphs table has only ``text``.
        func: the calling function's name, for error messages.

    Returns:
        A :class:`Documents`: iterate it for :class:`Paragraph` tuples ``(row, field, para_no,
        text)`` in reading order (input row, then headings, then body paragraphs); ``ids(rows)``
        and ``meta(rows, output)`` give the key and the carried columns of result rows.

    Raises:
        TypeError: ``data`` is none of the accepted kinds.
        ColumnError: the table lacks ``text``, its key, ``para_no`` or a field asked for.
        ValueError: an unknown field, or a heading field asked of a paragraphs table.

    Example:
        >>> docs = documents(zz.read_corpus("data/raw"), fields=None)
        >>> [(p.row, p.field, p.para_no) for p in docs][:2]  # doctest: +SKIP
        [(0, 'headline', 0), (0, 'text', 1)]
    """
    kind, frame = _table(data)
    key = "story_id" if kind == "stories" else "article_id"
    missing = [c for c in (key, "text") if c not in frame.columns]
    if missing:
        raise ColumnError(func, missing, frame.columns)
    if fields is None:
        chosen = ("text",) if kind == "paragraphs" else tuple(f for f in FIELDS if f in frame.columns)
    else:
        unknown = sorted(set(fields) - set(FIELDS))
        if unknown:
            raise ValueError(f"{func}(): fields must be among {FIELDS}, got {unknown}")
        if kind == "paragraphs" and set(fields) != {"text"}:
            raise ValueError(f"{func}(): a paragraphs table has only the 'text' field; pass the articles for headings")
        absent = [f for f in FIELDS if f in fields and f not in frame.columns]
        if absent:
            raise ColumnError(func, absent, frame.columns)
        chosen = tuple(f for f in FIELDS if f in fields)  # reading order, whatever the order asked
    return Documents(kind, frame, key, chosen)
