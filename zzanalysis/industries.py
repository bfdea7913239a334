"""Industry, company and place mentions: dictionary hits on the text, each traceable to the character.

A terms table (term → label) is compiled once into an Aho–Corasick automaton (``ahocorasick_rs``)
and run over the raw paragraph text, not over tokens, so a segmenter that splits 轨道|交通 cannot
hide a term. Hits are chosen by forward maximum matching, the classic dictionary method for
Chinese: scanning left to right, at each position the longest term wins and the hits never
overlap, so 轨道交通装备 is one hit and not also 轨道交通. Exclusions (e.g. 北斗大厦, a building,
not the Beidou industry) take part in the same longest match; when one wins, its span yields no
hit. Paragraphs are scanned many at a time, joined with ``\\n``, and the hits of all of them
are chosen, placed and given their sentence with array operations, not one by one.

The shipped industry taxonomy lives in ``resources/taxonomy/industries.toml`` (format and sources
in the README next to it); :func:`get_taxonomy` loads it, or your own, as a tidy table.
"""
from __future__ import annotations

import functools
import itertools
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from ._deprecate import renamed
from .errors import ColumnError
from .spans import _CLOSERS, _MARKS, SENTENCE_CONTEXT, Documents, Field, documents


TAXONOMY_COLUMNS = ["label", "label_zh", "term", "kind"]
_KINDS = ("term", "organisation", "exclude")
_ENTRY_KEYS = {"label_zh", "description", "terms", "organisations", "exclude"}

# Weights of the prominence score in industry_summary: where a hit sits, times a front-page factor.
DEFAULT_WEIGHTS: dict[str, float] = {
    "headline": 3.0,
    "kicker": 2.0,
    "subtitle": 2.0,
    "lead": 1.5,  # paragraph 1 of the body
    "body": 1.0,  # every later paragraph
    "front_page": 2.0,  # multiplies hits in articles on page 1
}

_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")


# --------------------------------------------------------------------------- taxonomy


@functools.cache
def _shipped_taxonomy() -> pd.DataFrame:
    # Parsed once per process; callers get a copy, so nobody can change it for everyone else.
    text = (
        resources.files("zzanalysis")
        .joinpath("resources", "taxonomy", "industries.toml")
        .read_text(encoding="utf-8")
    )
    return _read_source(tomllib.loads(text), "industries.toml")


@functools.cache
def _shipped_validated() -> pd.DataFrame:
    # Validating the shipped taxonomy costs ~30 ms; its result never changes within a process.
    return _validate(_shipped_taxonomy().copy())


@functools.cache
def _shipped_terms() -> pd.DataFrame:
    # What industry_mentions matches with the shipped taxonomy; _mentions only reads it.
    return _terms_table(_shipped_validated()[TAXONOMY_COLUMNS], "industry")


def _entries_to_rows(entries: Mapping, origin: str) -> list[tuple[str, str, str, str]]:
    rows = []
    for key, entry in entries.items():
        if not isinstance(key, str) or not key:
            raise ValueError(f"{origin}: industry keys must be non-empty strings, got {key!r}")
        # Shorthand for quick extensions: {"hydrogen": ["氢能", "燃料电池"]}.
        if isinstance(entry, (list, tuple)):
            entry = {"terms": list(entry)}
        if not isinstance(entry, Mapping):
            raise ValueError(f"{origin}: industry {key!r} must be a table or a list of terms")
        unknown = set(entry) - _ENTRY_KEYS
        if unknown:
            raise ValueError(
                f"{origin}: industry {key!r} has unknown field(s) {sorted(unknown)}; "
                f"allowed: {sorted(_ENTRY_KEYS)}"
            )
        # None when not given, so extending a key keeps its shipped Chinese label.
        label_zh = entry.get("label_zh")
        if not any(entry.get(f) for f in ("terms", "organisations", "exclude")):
            raise ValueError(f"{origin}: industry {key!r} has no terms")
        for field, kind in (("terms", "term"), ("organisations", "organisation"), ("exclude", "exclude")):
            for term in entry.get(field, []):
                rows.append((key, label_zh, term, kind))
    return rows


def _read_source(source, origin: str) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        missing = [c for c in ("label", "term") if c not in source.columns]
        if missing:
            raise ColumnError("get_taxonomy", missing, source.columns)
        table = source.copy()
        if "label_zh" not in table:
            table["label_zh"] = None
        if "kind" not in table:
            table["kind"] = "term"
        return table[TAXONOMY_COLUMNS]
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path}: not valid TOML: {exc}") from None
        origin = str(path)
    elif isinstance(source, Mapping):
        data = source
    else:
        raise TypeError(f"taxonomy must be None, a path, a dict or a DataFrame, not {type(source).__name__}")
    # A whole file ({"meta": …, "industries": {…}}) or just the industries table.
    entries = data["industries"] if "industries" in data else {k: v for k, v in data.items() if k != "meta"}
    return pd.DataFrame(_entries_to_rows(entries, origin), columns=TAXONOMY_COLUMNS)


def _validate(table: pd.DataFrame) -> pd.DataFrame:
    bad = table["term"].map(lambda t: not isinstance(t, str) or not t.strip())
    if bad.any():
        raise ValueError(f"empty or non-string terms for {sorted(set(table.loc[bad, 'label']))}")
    bad_kind = ~table["kind"].isin(_KINDS)
    if bad_kind.any():
        raise ValueError(f"kind must be one of {_KINDS}, got {sorted(set(table.loc[bad_kind, 'kind']))}")
    table = table.drop_duplicates(["label", "term", "kind"], ignore_index=True)
    # One label_zh per industry: the last one given wins, so an extension can relabel; the key
    # stands in for an industry that never got one.
    label_zh = table.groupby("label", sort=False)["label_zh"].last()
    table["label_zh"] = table["label"].map(label_zh).fillna(table["label"]).astype("str")

    matching = table[table["kind"] != "exclude"]
    owners = matching.groupby("term")["label"].unique()
    clash = owners[owners.map(len) > 1]
    if len(clash):
        raise ValueError(
            "a term may belong to one industry only: "
            + "; ".join(f"{t} → {', '.join(ls)}" for t, ls in clash.items())
        )
    excluded = table[table["kind"] == "exclude"]
    both = sorted(set(excluded["term"]) & set(matching["term"]))
    if both:
        raise ValueError(f"listed both as a term and as an exclusion: {both}")
    terms_of = matching.groupby("label")["term"].agg(list)
    for label in table["label"].unique():
        if label not in terms_of:
            raise ValueError(f"industry {label!r} has no terms")
    for label, phrase in excluded[["label", "term"]].itertuples(index=False):
        # An exclusion that contains none of its industry's terms is almost always a typo.
        if not any(t in phrase for t in terms_of[label]):
            raise ValueError(f"exclusion {phrase!r} of {label!r} contains none of its terms")
    return table


def get_taxonomy(source=None, *, extend: bool = False) -> pd.DataFrame:
    """Load an industry taxonomy as a tidy table, one row per term.

    Args:
        source: ``None`` for the shipped taxonomy (``resources/taxonomy/industries.toml``); a path
            to a TOML file in the same format; a dict, either the whole file
            (``{"industries": {key: {...}}}``) or just the industries
            (``{"hydrogen": {"label_zh": "氢能", "terms": ["氢能"], "exclude": []}}``, or the
            shorthand ``{"hydrogen": ["氢能", "燃料电池"]}``); or a DataFrame with this function's
            columns (``label`` and ``term`` required).
        extend: add ``source`` to the shipped taxonomy instead of replacing it: new industries are
            added, an existing key gets the extra terms and exclusions (and the new ``label_zh``
            if one is given).

    Returns:
        DataFrame with columns ``label`` (industry key, e.g. ``rail_transit``), ``label_zh``
        (``轨道交通``), ``term`` and ``kind`` (``term``, ``organisation`` for company and
        institution names, ``exclude`` for phrases in which terms must not count), in file order.

    Raises:
        ValueError: a term listed under two industries, a term that is also an exclusion, an
            exclusion containing none of its industry's terms, an industry without terms, an
            unknown field in an entry, or invalid TOML.

    Example:
        >>> tax = zz.get_taxonomy({"hydrogen": {"label_zh": "氢能", "terms": ["氢能"]}}, extend=True)
        >>> tax.query("label == 'hydrogen'")[["label_zh", "term", "kind"]].values.tolist()
        [['氢能', '氢能', 'term']]
    """
    if source is None:
        return _shipped_validated().copy()
    shipped = extend
    parts = []
    if shipped:
        parts.append(_shipped_taxonomy().copy())
    if source is not None:
        parts.append(_read_source(source, "taxonomy"))
    return _validate(pd.concat(parts, ignore_index=True))


# --------------------------------------------------------------------------- matcher


class _Matcher(NamedTuple):
    """An automaton of terms and, per term index, what the match needs to know about the term."""

    automaton: object
    index: np.ndarray  # the term index of each pattern of the automaton
    length: np.ndarray  # characters in the term
    latin_first: np.ndarray  # starts with a Latin letter or digit
    latin_last: np.ndarray  # ends with one


@functools.lru_cache(maxsize=16)
def _matcher(words: tuple[str, ...]) -> _Matcher:
    """The automaton of ``words`` (UTF-8 patterns, every match reported, overlapping ones too).

    A word listed twice (an exclusion of two industries) is one pattern, standing for its last
    index.
    """
    import ahocorasick_rs

    last = {word: i for i, word in enumerate(words)}
    automaton = ahocorasick_rs.BytesAhoCorasick([w.encode("utf-8", "surrogatepass") for w in last],
                                                matchkind=ahocorasick_rs.MatchKind.Standard)
    return _Matcher(automaton, np.fromiter(last.values(), dtype=np.int64, count=len(last)),
                    np.fromiter(map(len, words), dtype=np.int64, count=len(words)),
                    np.array([bool(_ASCII_ALNUM.match(w[0])) for w in words], dtype=bool),
                    np.array([bool(_ASCII_ALNUM.match(w[-1])) for w in words], dtype=bool))


# Classes of characters, as bits of a table over the code points 0…0xFFFF (none of these is
# above U+FFFF: the last white space is U+3000, tests/test_industries_batch.py checks it).
_ALNUM, _SPACE, _MARK, _CLOSER = 1, 2, 4, 8


@functools.cache
def _classes() -> np.ndarray:
    table = np.zeros(0x10000, dtype=np.uint8)
    for bit, chars in ((_ALNUM, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
                       (_SPACE, [c for c in map(chr, range(0x3001)) if c.isspace()]),
                       (_MARK, _MARKS), (_CLOSER, _CLOSERS)):
        table[[ord(c) for c in chars]] |= bit
    return table


# Paragraphs are scanned together, joined with \n, this many characters at a time (at least one
# paragraph): the per-character arrays of one batch stay small whatever the size of the input.
_BATCH_CHARS = 1 << 21


class _Batch(NamedTuple):
    """Paragraphs joined with ``\\n``: their text, code points and character classes, where each
    paragraph starts and ends, and its input row, field (index into the fields scanned) and
    ``para_no``."""

    text: str
    codes: np.ndarray
    classes: np.ndarray
    classed: np.ndarray  # positions of the characters of any class (few in Chinese text)
    starts: np.ndarray
    ends: np.ndarray
    rows: np.ndarray
    fields: np.ndarray
    para_nos: np.ndarray

    def of_class(self, bit: int) -> np.ndarray:
        """Positions of the characters of a class, in order."""
        return self.classed[(self.classes[self.classed] & bit) != 0]


def _batches(docs: Documents) -> Iterator[_Batch]:
    """The paragraphs of ``docs`` in reading order (as iterating it gives them), in batches."""
    columns = [docs.frame[f].tolist() for f in docs.fields]
    # what iterating docs skips: a missing heading or text has nothing to find
    given = np.array([[isinstance(v, str) and v != "" for v in column] for column in columns],
                     dtype=bool).reshape(len(columns), len(docs.frame))
    rows, fields = np.nonzero(given.T)  # row by row, headings before the text
    pieces = [columns[f][r] for r, f in zip(rows.tolist(), fields.tolist())]
    if docs.kind == "paragraphs":
        para_nos = docs.frame["para_no"].to_numpy(dtype=np.int64)[rows]
    else:
        # headings are paragraph 0; -1: the lines of an article's text are paragraphs 1, 2 …
        para_nos = np.where(np.array(docs.fields)[fields] == "text", -1, 0)
    ends = np.cumsum(np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces)) + 1)
    first = 0
    while first < len(pieces):
        last = max(first + 1, int(np.searchsorted(ends, ends[first] - 1 + _BATCH_CHARS)))
        yield _batch(pieces[first:last], rows[first:last], fields[first:last], para_nos[first:last])
        first = last


def _batch(pieces: list[str], rows: np.ndarray, fields: np.ndarray, para_nos: np.ndarray) -> _Batch:
    text = "\n".join(pieces)
    # lone surrogates (bytes decoded with surrogateescape) are code points like any other here
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    piece_starts = np.zeros(len(pieces), dtype=np.int64)
    np.cumsum(lengths[:-1] + 1, out=piece_starts[1:])
    # A line break inside an article's text starts a paragraph; one inside a heading or a
    # paragraphs table's text does not; the ones joining the pieces end a piece.
    classes = _classes()[np.minimum(codes, 0xFFFF)]
    classed = np.flatnonzero(classes)
    breaks = classed[codes[classed] == 10]
    piece = np.searchsorted(piece_starts, breaks, side="right") - 1
    inner = breaks < piece_starts[piece] + lengths[piece]
    breaks = breaks[inner & (para_nos[piece] == -1)]
    starts = np.sort(np.concatenate([piece_starts, breaks + 1]))
    piece = np.searchsorted(piece_starts, starts, side="right") - 1
    line = np.arange(len(starts)) - np.searchsorted(starts, piece_starts)[piece]
    return _Batch(text, codes, classes, classed, starts,
                  np.append(starts[1:] - 1, len(text)), rows[piece], fields[piece],
                  np.where(para_nos[piece] == -1, line + 1, para_nos[piece]))


class _Runs(NamedTuple):
    """Runs of consecutive positions: where each starts and where it ends (exclusive)."""

    first: np.ndarray
    end: np.ndarray

    @classmethod
    def of(cls, positions: np.ndarray) -> _Runs:
        cut = np.flatnonzero(np.diff(positions) != 1) + 1
        if not len(positions):
            return cls(positions, positions)
        return cls(positions[np.r_[0, cut]], positions[np.r_[cut - 1, len(positions) - 1]] + 1)

    def holding(self, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each position: whether a run holds it, and that run's index (0 where none does)."""
        if not len(self.first):
            return np.zeros(len(pos), dtype=bool), np.zeros(len(pos), dtype=np.int64)
        run = np.minimum(np.searchsorted(self.end, pos, side="right"), len(self.first) - 1)
        return (self.first[run] <= pos) & (pos < self.end[run]), run


def _select(start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Forward maximum matching over candidate spans: leftmost first, the longest at a position,
    no overlaps. Returns the positions of the chosen candidates, in text order."""
    order = np.lexsort((-length, start))
    start, end = start[order], start[order] + length[order]
    # only the longest candidate at a position can win there
    first = np.ones(len(start), dtype=bool)
    first[1:] = start[1:] != start[:-1]
    order, start, end = order[first], start[first], end[first]
    # A candidate that overlaps no earlier one is chosen. Those that do (mostly terms nested in
    # a longer hit) follow one that does not, and are decided left to right from its end, as
    # the cursor of the greedy scan moves.
    reach = np.maximum.accumulate(end)
    chosen = np.ones(len(start), dtype=bool)
    chosen[1:] = start[1:] >= reach[:-1]
    for k in np.flatnonzero(~chosen[1:] & chosen[:-1]).tolist():
        cursor = end[k]
        j = k + 1
        while j < len(start) and not chosen[j]:
            if start[j] >= cursor:
                chosen[j], cursor = True, end[j]
            j += 1
    return order[chosen]


def _terms_table(terms, category: str) -> pd.DataFrame:
    if isinstance(terms, pd.DataFrame):
        if "term" not in terms:
            raise ColumnError("term_mentions", ["term"], terms.columns)
        table = terms.copy()
        if "label" not in table:
            table["label"] = table["term"]
    elif isinstance(terms, Mapping):
        table = pd.DataFrame({"term": list(terms), "label": list(terms.values())})
    elif isinstance(terms, Sequence) and not isinstance(terms, str):
        table = pd.DataFrame({"term": list(terms), "label": list(terms)})
    else:
        raise TypeError("terms must be a DataFrame, a {term: label} dict or a list of terms")
    if "kind" not in table:
        table["kind"] = "term"
    if "category" not in table:
        table["category"] = category
    if table["term"].isna().any() or (table["term"].str.len() == 0).any():
        raise ValueError("terms must be non-empty strings")
    matching = table[table["kind"] != "exclude"]
    dup = matching["term"][matching["term"].duplicated()]
    if len(dup):
        raise ValueError(f"terms listed more than once: {sorted(set(dup))}")
    both = sorted(set(matching["term"]) & set(table.loc[table["kind"] == "exclude", "term"]))
    if both:
        raise ValueError(f"listed both as a term and as an exclusion: {both}")
    return table.reset_index(drop=True)


@renamed(source="data")
def term_mentions(
    data,
    terms,
    *,
    category: str = "term",
    fields: Sequence[Field] | None = None,
) -> pd.DataFrame:
    """Find every dictionary term in articles or paragraphs: one row per hit.

    The generic matcher behind :func:`industry_mentions`; use it for company or place names with
    your own terms table. Forward maximum matching on the raw text: at each position the longest
    term wins and hits never overlap. Rows of ``kind == "exclude"`` in ``terms`` take part in the
    match but produce no row, so a term inside a winning exclusion does not count.

    Args:
        data: a string, an articles table (``text`` holds paragraphs joined with ``\\n``;
            ``kicker``, ``headline`` and ``subtitle`` are searched too), a paragraphs table (only
            ``text`` is searched), a stories table, or a Corpus (its articles); see
            :mod:`zzanalysis.spans`.
        terms: a DataFrame with a ``term`` column and optionally ``label``, ``kind``, ``category``
            and any further columns to carry (e.g. ``label_zh``); a ``{term: label}`` dict; or a
            list of terms (each its own label).
        category: value of the ``category`` column where ``terms`` has none, e.g. ``"company"``.
        fields: which columns to search; default all of ``kicker, headline, subtitle, text`` the
            frame has.

    Returns:
        DataFrame, one row per hit, in reading order: ``article_id`` (``story_id`` for a stories
        table; None for a string), ``para_no`` (1-based for the
        body; 0 for ``kicker``/``headline``/``subtitle``), ``field`` (the column the hit is in),
        ``start``, ``end`` (character offsets into that paragraph or heading, so
        ``text.split("\\n")[para_no - 1][start:end] == term`` for the body and
        ``row[field][start:end] == term`` for headings), ``term``, ``category``, ``label``, further
        columns of ``terms`` (e.g. ``label_zh``), ``sentence`` (the sentence the hit sits in, as
        defined in :mod:`zzanalysis.spans`), then every other column of ``data`` (``date``,
        ``page``, ``headline``…) except ``text``; one named like a column above gets the input's
        table name as prefix (an article's ``category`` → ``article_category``).

    Raises:
        ColumnError: ``data`` lacks ``text`` or its id column, or a field asked for.
        ValueError: empty or duplicate terms, or a term that is also an exclusion.

    Example:
        >>> companies = {"康宁": "Corning", "蓝思科技": "Lens Technology"}
        >>> zz.read_corpus("data/raw").articles.pipe(zz.term_mentions, companies, category="company")
    """
    return _mentions(data, _terms_table(terms, category), fields, "term_mentions")


def _mentions(source, table: pd.DataFrame, fields, func: str) -> pd.DataFrame:
    docs = documents(source, fields=fields, func=func)
    words = tuple(table["term"])
    names = ("row", "field", "para_no", "start", "end", "i", "sentence")
    parts = []
    if words:
        matcher = _matcher(words)
        excluded = (table["kind"] == "exclude").to_numpy()
        parts = [_hits(batch, matcher, excluded) for batch in _batches(docs)]
    rows = {name: [x for part in parts for x in part[k]] if name == "sentence"
            else np.concatenate([part[k] for part in parts] or [np.zeros(0, dtype=np.int64)])
            for k, name in enumerate(names)}

    hits = table.iloc[rows["i"]].reset_index(drop=True)
    extra = [c for c in hits.columns if c not in ("term", "label", "kind", "category")]
    out = pd.DataFrame(
        {
            docs.key: docs.ids(rows["row"]),
            "para_no": pd.Series(rows["para_no"], dtype="int64"),
            "field": pd.Series(docs.fields, dtype="str").take(rows["field"]).reset_index(drop=True),
            "start": pd.Series(rows["start"], dtype="int64"),
            "end": pd.Series(rows["end"], dtype="int64"),
            "term": hits["term"],
            "category": hits["category"],
            "label": hits["label"],
        }
    )
    for c in extra:
        out[c] = hits[c]
    out["sentence"] = pd.Series(rows["sentence"], dtype="str")
    return pd.concat([out, docs.meta(rows["row"], out.columns)], axis=1)


def _hits(batch: _Batch, matcher: _Matcher, excluded: np.ndarray) -> tuple:
    """The hits in one batch: input row, field, ``para_no``, start and end in the paragraph, term
    index and sentence, in reading order."""
    utf8 = batch.text.encode("utf-8", "surrogatepass")
    found = matcher.automaton.find_matches_as_indexes(utf8, overlapping=True)
    found = np.fromiter(itertools.chain.from_iterable(found), dtype=np.int64, count=3 * len(found))
    i = matcher.index[found[::3]]
    length = matcher.length[i]
    # The automaton counts bytes: a match starts on the first byte of a character, and the
    # character's number is how many characters start before that byte.
    char_starts = np.flatnonzero((np.frombuffer(utf8, dtype=np.uint8) & 0xC0) != 0x80)
    start = np.searchsorted(char_starts, found[1::3])
    end = start + length
    para = np.searchsorted(batch.starts, start, side="right") - 1
    para_start, para_end = batch.starts[para], batch.ends[para]
    # Latin terms (IGBT, 5G) must not be the middle of a longer Latin word or number (15G); a
    # term holding a line break must not join two paragraphs.
    ok = end <= para_end
    before = matcher.latin_first[i] & (start > para_start)
    ok[before] &= (batch.classes[start[before] - 1] & _ALNUM) == 0
    after = matcher.latin_last[i] & (end < para_end)
    ok[after] &= (batch.classes[end[after]] & _ALNUM) == 0
    ok = np.flatnonzero(ok)
    chosen = ok[_select(start[ok], length[ok])]
    chosen = chosen[~excluded[i[chosen]]]
    i, start, end, para = i[chosen], start[chosen], end[chosen], para[chosen]
    para_start = batch.starts[para]
    s, e = _sentences(batch, start, para_start)
    s = np.maximum(s, start - SENTENCE_CONTEXT)
    e = np.minimum(e, end + SENTENCE_CONTEXT)
    text = batch.text
    sentences = [text[a:b] for a, b in zip(s.tolist(), e.tolist())]
    return (batch.rows[para], batch.fields[para], batch.para_nos[para], start - para_start, end - para_start,
            i, sentences)


def _sentences(batch: _Batch, start: np.ndarray, para_start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bounds of the sentence each position ``start`` is in, without the white space around it:
    :class:`zzanalysis.spans.Sentences` for all paragraphs of a batch at once."""
    bounds = np.union1d(_mark_ends(batch), batch.ends)
    k = np.searchsorted(bounds, start, side="right")
    e = bounds[k]
    s = np.maximum(np.where(k > 0, bounds[k - 1], 0), para_start)
    # white space at either end is left out (all of it, when the sentence is only white space)
    space = _Runs.of(batch.of_class(_SPACE))
    inside, run = space.holding(s)
    s = np.minimum(np.where(inside, space.end[run] if len(space.end) else s, s), e)
    inside, run = space.holding(e - 1)
    e = np.maximum(np.where(inside, space.first[run] if len(space.first) else e, e), s)
    return s, e


def _mark_ends(batch: _Batch) -> np.ndarray:
    """Where end marks end sentences: the end of each match of ``spans._END_RE``, a lone
    ellipsis excepted (as ``spans.Sentences`` finds them), from the character classes: a match
    is a run of marks and the run of closers right after it."""
    marks = _Runs.of(batch.of_class(_MARK))
    lone = (marks.end - marks.first == 1) & (batch.codes[marks.first] == ord("…"))
    ends = marks.end[~lone]
    closers = _Runs.of(batch.of_class(_CLOSER))
    inside, run = closers.holding(ends)
    return np.where(inside, closers.end[run] if len(closers.end) else ends, ends)


@renamed(source="data")
def industry_mentions(
    data,
    taxonomy=None,
    *,
    fields: Sequence[Field] | None = None,
) -> pd.DataFrame:
    """Find industry mentions in articles or paragraphs: the mentions table, one row per hit.

    Args:
        data: articles (kicker, headline, subtitle and body are searched; headline hits are what
            the prominence score of :func:`industry_summary` rewards), paragraphs (body only),
            stories, a Corpus, or a plain string (see :mod:`zzanalysis.spans`).
        taxonomy: anything :func:`get_taxonomy` accepts: ``None`` for the shipped taxonomy, a TOML
            path, a dict, or a taxonomy table (e.g. ``zz.get_taxonomy(mine, extend=True)``).
        fields: which columns to search (see :func:`term_mentions`).

    Returns:
        DataFrame with ``article_id``, ``para_no`` (0 for kicker/headline/subtitle), ``field``,
        ``start``, ``end``, ``term``, ``category`` (always ``industry``), ``label`` (industry key,
        e.g. ``rail_transit``), ``label_zh`` (``轨道交通``), ``sentence``, then the other columns of
        ``data``. See :func:`term_mentions` for how positions point at the term.

    Example:
        >>> arts = zz.read_issue("data/raw/zzrb-2023-04-27-p01.md").articles
        >>> m = zz.industry_mentions(arts)
        >>> m.groupby("headline")["label"].unique()
    """
    if taxonomy is None:
        return _mentions(data, _shipped_terms(), fields, "industry_mentions")
    table = taxonomy if _is_taxonomy_table(taxonomy) else get_taxonomy(taxonomy)
    return _mentions(data, _terms_table(table[TAXONOMY_COLUMNS], "industry"), fields, "industry_mentions")


def _is_taxonomy_table(taxonomy) -> bool:
    return isinstance(taxonomy, pd.DataFrame) and set(TAXONOMY_COLUMNS) <= set(taxonomy.columns)


# --------------------------------------------------------------------------- summaries


def _as_list(by) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _hit_weights(m: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    field = m["field"] if "field" in m else pd.Series("text", index=m.index)
    para = m["para_no"] if "para_no" in m else pd.Series(2, index=m.index)
    body = para.eq(1).map({True: weights["lead"], False: weights["body"]})
    where = field.map({k: weights[k] for k in ("headline", "kicker", "subtitle")}).astype("float64")
    where = where.fillna(body.astype("float64"))
    if "page" in m:
        page = pd.to_numeric(m["page"], errors="coerce")
        return where * page.eq(1).map({True: weights["front_page"], False: 1.0}).astype("float64")
    return where


def industry_summary(
    mentions: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Per industry (and per ``by`` group): hits, articles, shares and a prominence score.

    Args:
        mentions: output of :func:`industry_mentions` (or :func:`term_mentions`).
        articles: the articles the mentions were found in; every article counts in the
            denominator of ``share_articles``, including those without hits. ``by`` columns and
            ``page`` are taken from here.
        by: column(s) of ``articles`` to group by, e.g. ``"date"``, ``"page"``, ``"article_id"``.
        weights: override any of :data:`DEFAULT_WEIGHTS`. A hit weighs ``headline`` 3, ``kicker``
            2, ``subtitle`` 2, first body paragraph (``lead``) 1.5, any later paragraph (``body``)
            1, and that is multiplied by ``front_page`` 2 when the article is on page 1.

    Returns:
        DataFrame with the ``by`` columns, ``label``, ``label_zh`` (when the mentions have it),
        ``hits`` (rows of mentions), ``articles`` (distinct articles with a hit), ``n_articles``
        (articles in the group), ``share_articles`` (articles / n_articles), ``share_of_voice``
        (hits / all industry hits in the group) and ``prominence`` (sum of hit weights); sorted by
        group, then most hits first.

    Raises:
        ColumnError: ``mentions`` lacks ``article_id`` or ``label``, or ``articles`` lacks
            ``article_id`` or a ``by`` column.
        ValueError: mentions of articles that ``articles`` does not hold, or unknown weights.

    Example:
        >>> arts = zz.read_corpus("data/raw").articles
        >>> zz.industry_summary(zz.industry_mentions(arts), arts, by="date")
    """
    by = _as_list(by)
    needs = ((mentions, "mentions", ["article_id", "label"]), (articles, "articles", ["article_id", *by]))
    for table, name, needed in needs:
        missing = [c for c in needed if c not in table.columns]
        if missing:
            raise ColumnError("industry_summary", missing, table.columns, table=f"`{name}`")
    w = dict(DEFAULT_WEIGHTS)
    if weights:
        unknown = set(weights) - set(w)
        if unknown:
            raise ValueError(f"unknown weights {sorted(unknown)}; known: {sorted(w)}")
        w.update(weights)
    art_cols = ["article_id", *by, *(["page"] if "page" in articles and "page" not in by else [])]
    art = articles[list(dict.fromkeys(art_cols))].drop_duplicates("article_id")
    unknown_ids = set(mentions["article_id"]) - set(art["article_id"])
    if unknown_ids:
        raise ValueError(f"mentions of articles not in `articles`: {sorted(map(str, unknown_ids))[:5]}")

    keep = [c for c in ("article_id", "label", "label_zh", "field", "para_no") if c in mentions]
    m = mentions[keep].merge(art, on="article_id", how="left", validate="m:1")
    m["weight"] = _hit_weights(m, w)
    keys = [*by, "label"]
    out = (
        m.groupby(keys, sort=False, dropna=False)
        .agg(hits=("article_id", "size"), articles=("article_id", "nunique"), prominence=("weight", "sum"))
        .reset_index()
    )
    if "label_zh" in m:
        out.insert(len(keys), "label_zh", out["label"].map(m.groupby("label")["label_zh"].first()))
    if by:
        n_art = art.groupby(by, dropna=False)["article_id"].nunique().rename("n_articles")
        n_hits = out.groupby(by, dropna=False)["hits"].sum().rename("group_hits")
        out = out.join(n_art, on=by).join(n_hits, on=by)
    else:
        out["n_articles"] = art["article_id"].nunique()
        out["group_hits"] = out["hits"].sum()
    out["n_articles"] = out["n_articles"].astype("int64")
    out["share_articles"] = out["articles"] / out["n_articles"]
    out["share_of_voice"] = out["hits"] / out["group_hits"]
    out = out.drop(columns="group_hits")
    cols = [*keys[:-1], "label", *(["label_zh"] if "label_zh" in out else []), "hits", "articles",
            "n_articles", "share_articles", "share_of_voice", "prominence"]
    out = out[cols].sort_values([*by, "hits", "articles", "label"],
                                ascending=[True] * len(by) + [False, False, True], kind="stable")
    return out.reset_index(drop=True)


def co_mentions(
    mentions: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Pairs of industries mentioned together: in how many articles (or other units) both occur.

    Args:
        mentions: output of :func:`industry_mentions`.
        by: the column(s) that define a unit in which two industries co-occur; default
            ``"article_id"``. ``["article_id", "para_no"]`` counts paragraphs, ``"date"`` days.

    Returns:
        Long DataFrame, one row per ordered pair of industries found, every pair listed (zeros
        too): ``label_1``, ``label_2``, ``label_zh_1`` and ``label_zh_2`` (when the mentions have
        ``label_zh``), ``units`` (int64: units mentioning both; for ``label_1 == label_2``, units
        mentioning it at all). Symmetric. Industries are ordered by the units mentioning them,
        descending, then by key; rows by ``label_1``, then ``label_2`` in that order. The
        square matrix is one pivot away:
        ``co.pivot(index="label_1", columns="label_2", values="units")``.

    Raises:
        ColumnError: ``mentions`` lacks ``label`` or a ``by`` column.

    Example:
        >>> co = zz.co_mentions(zz.industry_mentions(arts))
        >>> co.query("label_1 == 'rail_transit' and units > 0")
    """
    by = _as_list(by) or ["article_id"]
    missing = [c for c in [*by, "label"] if c not in mentions.columns]
    if missing:
        raise ColumnError("co_mentions", missing, mentions.columns)
    units = mentions[[*by, "label"]].drop_duplicates()
    order: list[str] = []
    counts = np.zeros(0, dtype="int64")
    if len(units):
        unit = units.groupby(by, dropna=False, sort=False).ngroup()
        incidence = pd.crosstab(unit.to_numpy(), units["label"].to_numpy()).clip(upper=1)
        matrix = incidence.T @ incidence
        diag = pd.Series(matrix.to_numpy().diagonal(), index=matrix.index)
        order = sorted(diag.index, key=lambda k: (-diag[k], k))
        counts = matrix.loc[order, order].to_numpy().reshape(-1)
    pairs = pd.MultiIndex.from_product([order, order], names=["label_1", "label_2"])
    out = pd.DataFrame(index=pairs).reset_index()
    out["units"] = counts.astype("int64")
    if "label_zh" in mentions.columns:
        zh = mentions.groupby("label")["label_zh"].first()
        out.insert(2, "label_zh_1", out["label_1"].map(zh))
        out.insert(3, "label_zh_2", out["label_2"].map(zh))
    return out.astype({c: "str" for c in out.columns if c != "units"})
