"""People in the news: every mention of a person in article text, with the title the paper gives.

A person needs evidence; a name-shaped string alone is not enough (jieba's ``nr`` tag calls 公正,
惠民 and 荣获 names on the sample page). Four kinds of evidence, from strongest:

- ``title``: a title phrase right before the name, as the paper prints it — 市委书记曹慧泉;
  several joined by 、 (市委副书记、市委政法委书记胡长春); with the organisation
  (国网湖南省电力有限公司副总经理李艺波); former posts (原中国南车集团董事长赵小刚,
  国家能源局原监管总监李冶); or a known official followed by a title (习近平总书记).
- ``quote``: a name opening a clause and followed by a speech verb (丁荣军介绍, 李冶表示).
- ``lexicon``: a name in the shipped list of officials (``resources/people/officials.csv``).
- ``repeat``: a later (or earlier, e.g. in the kicker) bare mention of a name that has evidence
  elsewhere in the same article or story; it carries that person's title.

Names are a surname from ``resources/people/surnames.txt`` plus one or two characters, ended by a
clause boundary or a word from the ``followers`` list (so 李冶出席 is 李冶), or a foreign name in
Chinese joined with · (约翰·史密斯). A titled name followed by a word the list lacks
(市委书记李乐成专程…) counts when the same article shows it standing alone elsewhere (李乐成说):
the surname pattern confirmed by context. Byline reporters are not mentions.

Why rules and not a tagger: Baidu's LAC (the statistical PER/ORG tagger installable from PyPI)
was measured against these rules on the hand-annotated sample and fixture pages (precision 1.00
against 0.69, 30-50x faster, no 110 MB dependency); numbers, method and a held-out check are in
``resources/people/README.md``.
"""
from __future__ import annotations

import functools
import io
import re
import tomllib
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from .errors import ColumnError
from ._resources import resource_text
from .organizations import _longest_first, get_aliases
from .spans import HAN, HAN_RE, Sentences, documents
from .jieba_parity import jieba_dict_tags as _jieba_dict_tags

Evidence = Literal["title", "quote", "lexicon", "repeat"]

_OFFICIAL_KINDS = ("party", "government")

# Where a title phrase or a clause begins: punctuation, quotes, brackets, spaces.
_BOUNDARY = set("，,。.；;：:、！!？?“”‘’\"'（）()《》〈〉【】[]「」『』—… \t\n\u3000")
# A foreign name in Chinese: 约翰·史密斯, 埃隆·马斯克 (1-6 characters each side, up to 3 parts).
_FOREIGN_RE = re.compile(f"[{HAN}]{{1,6}}(?:[·•・][{HAN}]{{1,8}}){{1,2}}")


@dataclass(frozen=True)
class _Rules:
    titles: tuple[str, ...]  # longest first
    title_kind: dict[str, str]
    modifiers: tuple[str, ...]
    former: tuple[str, ...]
    starts_after: re.Pattern
    followers: re.Pattern
    not_names: tuple[str, ...]
    not_last: frozenset[str]
    not_after_title: tuple[str, ...]
    verbs: tuple[str, ...]
    org_suffixes: re.Pattern
    org_aliases: tuple[str, ...]  # longest first
    surnames: frozenset[str]
    compound_surnames: frozenset[str]
    levels: dict[str, tuple[str, ...]]
    officials: pd.DataFrame
    title_re: re.Pattern
    max_titles: int


def _at_each_position(words) -> re.Pattern:
    # A lookahead finds the longest word starting at every position, overlapping ones included.
    return re.compile("(?=(" + "|".join(map(re.escape, _longest_first(words))) + "))")


def _last_end(pattern: re.Pattern, text: str, start: int, end: int) -> int | None:
    """The largest end of a word of ``pattern`` lying wholly inside ``text[start:end]``, or None."""
    ends = [m.start() + len(m.group(1)) for m in pattern.finditer(text, start, end)]
    return max(ends, default=None)


_TITLE_KINDS = ("party", "government", "enterprise", "institution", "academic", "public")
_LEVELS = ("national", "provincial", "municipal", "county")


def _read_csv(text: str, origin: str, columns: list[str]) -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    if list(frame.columns) != columns:
        raise ValueError(f"{origin}:1: the header must be {','.join(columns)}, not {','.join(frame.columns)}")
    return frame


def _check_titles(frame: pd.DataFrame, origin: str) -> pd.DataFrame:
    """Each title once, non-empty, with a known kind; errors name the file and line."""
    seen = set()
    for line, (title, kind) in enumerate(zip(frame["title"], frame["kind"]), start=2):
        if not title.strip():
            raise ValueError(f"{origin}:{line}: empty title")
        if kind not in _TITLE_KINDS:
            raise ValueError(f"{origin}:{line}: kind {kind!r} of {title} is not one of {_TITLE_KINDS}")
        if title in seen:
            raise ValueError(f"{origin}:{line}: {title} is listed twice")
        seen.add(title)
    return frame


def _check_officials(frame: pd.DataFrame, origin: str) -> pd.DataFrame:
    """Names, titles and sources present, a known level, first_seen ≤ last_seen as years."""
    years = {}
    for line, row in enumerate(frame.itertuples(index=False), start=2):
        for col in ("name", "title", "source"):
            if not getattr(row, col).strip():
                raise ValueError(f"{origin}:{line}: empty {col}")
        if row.level not in _LEVELS:
            raise ValueError(f"{origin}:{line}: level {row.level!r} is not one of {_LEVELS}")
        try:
            first, last = int(row.first_seen), int(row.last_seen)
        except ValueError:
            raise ValueError(f"{origin}:{line}: first_seen and last_seen must be years, "
                             f"got {row.first_seen!r}, {row.last_seen!r}") from None
        if first > last:
            raise ValueError(f"{origin}:{line}: first_seen {first} is after last_seen {last}")
        years[line] = (first, last)
    out = frame.copy()
    out["first_seen"] = pd.Series([f for f, _ in years.values()], index=frame.index, dtype="int64")
    out["last_seen"] = pd.Series([last for _, last in years.values()], index=frame.index, dtype="int64")
    return out


@functools.cache
def _rules() -> _Rules:
    origin = "zzanalysis/resources/people/"
    rules = tomllib.loads(resource_text("people", "rules.toml"))
    titles = _check_titles(
        _read_csv(resource_text("people", "titles.csv"), origin + "titles.csv", ["title", "kind"]), origin + "titles.csv"
    )
    surnames = [
        s for line in resource_text("people", "surnames.txt").splitlines()
        if not line.startswith("#") for s in line.split()
    ]
    title_words = _longest_first(titles["title"])
    try:
        return _Rules(
            titles=title_words,
            title_kind=dict(zip(titles["title"], titles["kind"])),
            modifiers=_longest_first(rules["title"]["modifiers"]),
            former=tuple(rules["title"]["former"]),
            starts_after=_at_each_position(rules["title"]["starts_after"]),
            followers=re.compile("|".join(map(re.escape, _longest_first(
                [*rules["name"]["followers"], *rules["quote"]["verbs"]])))),
            not_names=tuple(rules["name"]["not_names"]),
            not_last=frozenset(rules["name"]["not_last"]),
            not_after_title=_longest_first(rules["name"]["not_after_title"]),
            verbs=_longest_first(rules["quote"]["verbs"]),
            org_suffixes=_at_each_position(rules["organization"]["suffixes"]),
            org_aliases=_longest_first(get_aliases()["alias"]),
            surnames=frozenset(s for s in surnames if len(s) == 1),
            compound_surnames=frozenset(s for s in surnames if len(s) == 2),
            levels={k: _longest_first(rules["level"][k]) for k in _LEVELS},
            officials=get_officials(),
            # Literal alternation, longest first: linear in the text, no backtracking.
            title_re=re.compile("|".join(map(re.escape, title_words))),
            max_titles=int(rules["title"]["max_titles"]),
        )
    except KeyError as exc:
        raise ValueError(f"{origin}rules.toml: missing key {exc}") from None


def get_officials() -> pd.DataFrame:
    """The shipped lexicon of officials: who held which post, in which years it is attested.

    Returns:
        DataFrame with ``name``, ``title`` (as the paper prints it, e.g. ``市委书记``),
        ``organization``, ``level`` (national / provincial / municipal / county), ``first_seen``,
        ``last_seen`` (years in which a source shows the person in the post, not the full
        tenure) and ``source``; one row per person and post.

    Raises:
        ValueError: a malformed row, naming the file and line (an unknown level, a year that is
            not a number, first_seen after last_seen, an empty name, title or source).

    Example:
        >>> zz.get_officials().query("name == '曹慧泉'")[["title", "first_seen"]]
    """
    origin = "zzanalysis/resources/people/officials.csv"
    columns = ["name", "title", "organization", "level", "first_seen", "last_seen", "source"]
    return _check_officials(_read_csv(resource_text("people", "officials.csv"), origin, columns), origin)


# --------------------------------------------------------------------------- names


def _starts_with(text: str, pos: int, words: tuple[str, ...]) -> str | None:
    return next((w for w in words if text.startswith(w, pos)), None)


def _ends_at(text: str, pos: int, words: tuple[str, ...]) -> str | None:
    return next((w for w in words if pos - len(w) >= 0 and text.startswith(w, pos - len(w))), None)


def _ends_name(text: str, pos: int, rules: _Rules) -> bool:
    return pos >= len(text) or text[pos] in _BOUNDARY or rules.followers.match(text, pos) is not None


def _is_name(candidate: str, rules: _Rules) -> bool:
    if candidate[-1] in rules.not_last or any(w in candidate for w in rules.not_names):
        return False
    # 王经理, 李书记: a surname and a title, not a full name.
    given = candidate[2:] if candidate[:2] in rules.compound_surnames else candidate[1:]
    return given not in rules.title_kind and _starts_with(candidate, 1, rules.titles) is None


def _surname_at(text: str, pos: int, rules: _Rules) -> int:
    """The length of the surname starting at ``pos``: 2 for a compound one (欧阳), 1, or 0 for none."""
    if text[pos:pos + 2] in rules.compound_surnames:
        return 2
    return 1 if text[pos:pos + 1] in rules.surnames else 0


def _name_at(text: str, pos: int, rules: _Rules, known: tuple[str, ...]) -> str | None:
    """The person's name starting at ``pos``, or None: a known name, a foreign name, or surname + 1-2."""
    hit = _starts_with(text, pos, known)
    if hit and _ends_name(text, pos + len(hit), rules):
        return hit
    foreign = _FOREIGN_RE.match(text, pos)
    if foreign:
        # The last part ends at the first place a name can end: 约翰·史密斯|表示, not 史密斯表示.
        last = max(foreign.group().rfind(c) for c in "·•・") + pos
        for end in range(last + 2, foreign.end() + 1):
            if _ends_name(text, end, rules):
                return text[pos:end]
    surname = _surname_at(text, pos, rules)
    if not surname:
        return None
    # Prefer the two-character name when the third character starts a follower word
    # (李冶出席, 杨军深有体会); otherwise the three-character one (曹慧泉现场观展).
    for given in (1, 2):
        end = pos + surname + given
        candidate = text[pos:end]
        if len(candidate) < surname + given or not all(HAN_RE.match(c) for c in candidate):
            break
        if _ends_name(text, end, rules) and _is_name(candidate, rules):
            if given == 1 or not _ends_name(text, pos + surname + 1, rules):
                return candidate
    return None


def _candidates(text: str, pos: int, rules: _Rules) -> tuple[str, ...]:
    """Three- then two-character names starting at ``pos`` whose end the text does not confirm."""
    surname = _surname_at(text, pos, rules)
    if not surname:
        return ()
    found = []
    for given in (2, 1):
        candidate = text[pos:pos + surname + given]
        if len(candidate) == surname + given and all(HAN_RE.match(c) for c in candidate) and _is_name(candidate, rules):
            found.append(candidate)
    return tuple(found)


def _standing_alone(texts: list[str], rules: _Rules) -> set[str]:
    """Every 2-4 character string that ends where a name can end, in one linear pass per text."""
    found = set()
    for text in texts:
        for end in range(2, len(text) + 1):
            if HAN_RE.match(text[end - 1]) and _ends_name(text, end, rules):
                found.update(text[max(0, end - n):end] for n in (2, 3, 4))
    return found


# --------------------------------------------------------------------------- title phrases


def _phrase_start(text: str, end: int, rules: _Rules, limit: int = 40) -> int:
    """Where the title phrase ending at ``end`` begins: after a boundary or a starts_after word."""
    start = end
    while start > 0 and end - start < limit and text[start - 1] not in _BOUNDARY:
        start -= 1
    # Only a word ending before the title counts: 由省工信厅 drops 由, 在…公司 keeps its org.
    cut = _last_end(rules.starts_after, text, start, end - 1)
    cut = start if cut is None else cut
    return cut


def _title_core(segment: str, rules: _Rules) -> tuple[str, str, bool] | None:
    """Split a title segment into (organisation part, title core, former) or None if no title ends it."""
    word = _ends_at(segment, len(segment), rules.titles)
    if word is None:
        return None
    cut = len(segment) - len(word)
    while (mod := _ends_at(segment, cut, rules.modifiers)) is not None and cut > 0:
        cut -= len(mod)
    former = False
    if (f := _ends_at(segment, cut, rules.former)) is not None:
        former, cut = True, cut - len(f)
    rest = segment[:cut]
    if (f := _starts_with(rest, 0, rules.former)) is not None:
        former, rest = True, rest[len(f):]
    return rest, segment[cut:], former


def _organization(rest: str, rules: _Rules) -> str | None:
    if not rest:
        return None
    known = _starts_with(rest, 0, rules.org_aliases)
    if known:
        return known
    end = _last_end(rules.org_suffixes, rest, 0, len(rest))
    return rest[:end] if end is not None and end >= 2 else None


def _context_org(text: str, start: int, rules: _Rules) -> str | None:
    # 在株洲硬质合金集团有限公司，总经理毛善文: the organisation is the 在… clause just before.
    if start < 2 or text[start - 1] not in "，,":
        return None
    clause_start = start - 1
    while clause_start > 0 and text[clause_start - 1] not in _BOUNDARY:
        clause_start -= 1
    clause = text[clause_start:start - 1]
    if clause.startswith("在") and len(clause) > 1:
        org = _organization(clause[1:], rules)
        return org if org == clause[1:] else None
    return None


class _Taken:
    """The characters of one paragraph already given to a mention: overlap checks in O(name length)."""

    def __init__(self, n: int):
        self._used = bytearray(n)

    def claim(self, start: int, end: int) -> bool:
        """Take ``[start, end)`` if none of it is taken yet; say whether it was free."""
        if any(self._used[start:end]):
            return False
        self._used[start:end] = b"\x01" * (end - start)
        return True


@dataclass
class _Mention:
    start: int
    end: int
    name: str
    title: str | None
    organization: str | None
    former: bool
    evidence: str
    # The officials lexicon's title and organisation, used when the article gives none.
    official: tuple[str, str] | None = None
    # For a title whose name ends in a word the rules do not know (市委书记李乐成专程…): the
    # possible names, accepted when the same article shows one standing alone elsewhere.
    candidates: tuple[str, ...] = ()


def _titled(text: str, rules: _Rules, known: tuple[str, ...]) -> list[_Mention]:
    found = []
    for m in rules.title_re.finditer(text):
        if _starts_with(text, m.end() - 1, rules.not_after_title):
            continue
        name = _name_at(text, m.end(), rules, known)
        candidates = () if name is not None else _candidates(text, m.end(), rules)
        if name is None and not candidates:
            continue
        start = _phrase_start(text, m.end(), rules)
        segments = [text[start:m.end()]]
        # 市委副书记、市委政法委书记胡长春: earlier segments joined by 、 that also end in a title.
        while start > 0 and text[start - 1] == "、" and len(segments) < rules.max_titles:
            prev = _phrase_start(text, start - 1, rules)
            if prev == start - 1 or _title_core(text[prev:start - 1], rules) is None:
                break
            segments.insert(0, text[prev:start - 1])
            start = prev
        cores = [_title_core(s, rules) for s in segments]
        if any(c is None for c in cores):
            continue
        orgs = list(dict.fromkeys(o for rest, _, _ in cores if (o := _organization(rest, rules))))
        org = "、".join(orgs) or _context_org(text, start, rules)
        found.append(_Mention(
            m.end(), m.end() + len(name or ""), name or "", text[start:m.end()], org,
            any(f for _, _, f in cores), "title" if name else "pending", candidates=candidates,
        ))
    return found


def _after_title(text: str, rules: _Rules, names: tuple[str, ...]) -> list[_Mention]:
    """A known official followed by a title word: 习近平总书记."""
    found = []
    for name in names:
        pos = text.find(name)
        while pos >= 0:
            title = _starts_with(text, pos + len(name), rules.titles)
            if title:
                found.append(_Mention(pos, pos + len(name), name, title, None, False, "title"))
            pos = text.find(name, pos + len(name))
    return found


def _quoted(text: str, rules: _Rules, known: tuple[str, ...]) -> list[_Mention]:
    found = []
    for pos in range(len(text)):
        if pos and text[pos - 1] not in _BOUNDARY:
            continue
        name = _name_at(text, pos, rules, known)
        if name and _starts_with(text, pos + len(name), rules.verbs) and not _common_word(name):
            found.append(_Mention(pos, pos + len(name), name, None, None, False, "quote"))
    return found


def _common_word(word: str) -> bool:
    """True for a word jieba's dictionary knows as something other than a name.

    车主说, 游客表示, 党员表示, 曾经说: a role noun or adverb that starts with a surname character
    is the commonest false person of the quote rule.
    """
    tag = _jieba_dict_tags().get(word)
    return tag is not None and not tag.startswith("nr")


@functools.lru_cache(maxsize=4096)
def _official(name: str, year: int | None) -> tuple[str, str] | None:
    """The lexicon's (title, organization) for ``name`` in ``year``: the post attested then, else the latest."""
    officials = _rules().officials
    rows = officials[officials["name"] == name]
    if rows.empty:
        return None
    if year is not None:
        within = rows[(rows["first_seen"] <= year) & (rows["last_seen"] >= year)]
        rows = within if not within.empty else rows
    row = rows.sort_values("last_seen", kind="stable").iloc[-1]
    return row["title"], row["organization"]


def _describe(name: str, title: str | None, rules: _Rules) -> tuple[str | None, str | None]:
    """(title_kind, level) of a mention: the kind of the first post; the level of an official's post."""
    kind = level = None
    for segment in (title or "").split("、"):
        core = _title_core(segment, rules)
        if core is None:
            continue
        title_core = core[1]
        word_kind = rules.title_kind[_ends_at(title_core, len(title_core), rules.titles)]
        kind = kind or word_kind
        if level is None and word_kind in _OFFICIAL_KINDS:
            # 市长 and 区委书记 carry their level in the title itself, so read the whole segment.
            former = _starts_with(segment, 0, rules.former)
            post = segment[len(former):] if former else segment
            level = next((lv for lv, prefixes in rules.levels.items() if _starts_with(post, 0, prefixes)), None)
    if level is None and (kind is None or kind in _OFFICIAL_KINDS):
        known = rules.officials.loc[rules.officials["name"] == name, "level"]
        level = known.iloc[-1] if len(known) else None
    return kind, level


def _group_keys(frame: pd.DataFrame) -> list:
    for key in ("story_id", "article_id"):
        if key in frame:
            return [k if isinstance(k, str) else f"\0row{i}" for i, k in enumerate(frame[key].tolist())]
    return [f"\0row{i}" for i in range(len(frame))]


def _bylines(frame: pd.DataFrame) -> list[set[str]]:
    names = [set() for _ in range(len(frame))]
    for col in ("reporters", "correspondents", "photographers"):
        if col in frame:
            for i, value in enumerate(frame[col].tolist()):
                if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
                    names[i].update(list(value))
    return names


def _years(frame: pd.DataFrame) -> list[int | None]:
    if "date" not in frame:
        return [None] * len(frame)
    dates = pd.to_datetime(frame["date"], errors="coerce")
    return [None if pd.isna(d) else int(d.year) for d in dates]


# --------------------------------------------------------------------------- people


def people(data, *, evidence: tuple[Evidence, ...] = ("title", "quote", "lexicon", "repeat")) -> pd.DataFrame:
    """Find the people named in articles, paragraphs, stories, a Corpus or a string.

    Args:
        data: an articles frame (kicker, headline, subtitle and body are read), a paragraphs
            frame (body only; repeats are linked within each article), a stories frame (repeats
            linked across the story's pages), a Corpus (its articles) or a plain string.
        evidence: which kinds of evidence make a person (see the module docs); drop
            ``"repeat"`` to keep only mentions with evidence of their own.

    Returns:
        DataFrame, one row per mention in reading order: ``article_id``, ``para_no`` (0 for
        kicker/headline/subtitle), ``field``, ``start``, ``end`` (offsets into that paragraph or
        heading: ``paragraph[start:end] == name``), ``name``, ``title`` (the title phrase as
        printed, e.g. ``市委副书记、市委政法委书记``; for a repeat, the person's title from
        elsewhere in the article or the officials lexicon; None if unknown), ``organization``
        (the organisation named in the title, as printed, several joined by 、), ``former``
        (True for 原/前 titles), ``title_kind`` (kind of the first post in ``title``: party,
        government, enterprise, institution, academic or public, from ``titles.csv``), ``level``
        (national, provincial, municipal or county for a party or government post, read from the
        title's first organisation or else from the officials lexicon; None for others),
        ``evidence``, ``sentence``, then every other column of the input
        except ``text`` (a clashing one with a prefix, see :mod:`zzanalysis.spans`). For a
        stories table the key is ``story_id``.

    Raises:
        TypeError: an input that is none of the above.
        ColumnError: a table without ``text`` or its key column.
        ValueError: an unknown evidence kind.

    Example:
        >>> corpus = zz.read_corpus("data/raw")
        >>> zz.people(corpus.articles)[["name", "title", "organization", "evidence"]]
    """
    unknown = set(evidence) - {"title", "quote", "lexicon", "repeat"}
    if unknown:
        raise ValueError(f"unknown evidence kind(s) {sorted(unknown)}; known: title, quote, lexicon, repeat")
    rules = _rules()
    docs = documents(data, fields=None, func="people")
    frame = docs.frame
    officials = _longest_first(rules.officials["name"])
    groups = _group_keys(frame)
    bylines = _bylines(frame)
    years = _years(frame)
    units = list(docs)

    # First pass: mentions with evidence of their own, and each group's people with their titles.
    rank = {"title": 0, "quote": 1, "lexicon": 2}
    own: dict[int, list[_Mention]] = {}
    pending: dict[int, list[_Mention]] = {}
    taken_of: dict[int, _Taken] = {}
    person_of: dict[object, dict[str, tuple[str | None, str | None, bool]]] = {}
    for u, (pos, _field, _para, text) in enumerate(units):
        found = []
        if "title" in evidence:
            found += _titled(text, rules, officials) + _after_title(text, rules, officials)
        if "quote" in evidence:
            found += _quoted(text, rules, officials)
        if "lexicon" in evidence:
            for name in officials:
                p = text.find(name)
                while p >= 0:
                    official = _official(name, years[pos])
                    found.append(_Mention(p, p + len(name), name, None, None, False, "lexicon", official))
                    p = text.find(name, p + len(name))
        pending[u] = [m for m in found if m.evidence == "pending"]
        found = [m for m in found if m.evidence != "pending"]
        kept, taken = [], _Taken(len(text))
        # One mention per span: a titled one wins over a quote or lexicon hit on the same name.
        for m in sorted(found, key=lambda m: (rank[m.evidence], m.start)):
            if m.name in bylines[pos] or not taken.claim(m.start, m.end):
                continue
            kept.append(m)
        for m in kept:
            if m.official is None and m.name in officials:
                m.official = _official(m.name, years[pos])
        own[u], taken_of[u] = kept, taken
        people_here = person_of.setdefault(groups[pos], {})
        for m in sorted(kept, key=lambda m: (rank[m.evidence], m.start)):
            current = people_here.get(m.name)
            if current is None or (current[0] is None and m.title is not None):
                people_here[m.name] = (m.title, m.organization, m.former)

    # A title whose name the rules could not end (市委书记李乐成专程) counts when the article shows
    # one of the possible names standing alone elsewhere (李乐成说); three characters first.
    texts_of: dict[object, list[str]] = {}
    for pos, _field, _para, text in units:
        texts_of.setdefault(groups[pos], []).append(text)
    alone: dict[object, set[str]] = {}
    for u, waiting in pending.items():
        pos = units[u][0]
        people_here = person_of[groups[pos]]
        for m in waiting:
            if groups[pos] not in alone:
                alone[groups[pos]] = _standing_alone(texts_of[groups[pos]], rules)
            name = next((c for c in m.candidates if c in people_here or c in alone[groups[pos]]), None)
            end = m.start + len(name or "")
            if name is None or name in bylines[pos] or not taken_of[u].claim(m.start, end):
                continue
            m.name, m.end, m.evidence = name, end, "title"
            own[u].append(m)
            current = people_here.get(name)
            if current is None or current[0] is None:
                people_here[name] = (m.title, m.organization, m.former)

    # Bare mentions (quote / lexicon hits without a title, and repeats) take the group's title.
    rows = []
    for u, (pos, field, para_no, text) in enumerate(units):
        people_here = person_of.get(groups[pos], {})
        mentions = list(own[u])
        for m in mentions:
            if m.title is None and m.name in people_here:
                m.title, m.organization, m.former = people_here[m.name]
            if m.title is None and m.official is not None:
                m.title, m.organization = m.official
        if "repeat" in evidence:
            for name in _longest_first(people_here):
                p = text.find(name)
                while p >= 0:
                    end = p + len(name)
                    if taken_of[u].claim(p, end):
                        title, org, former = people_here[name]
                        mentions.append(_Mention(p, end, name, title, org, former, "repeat"))
                    p = text.find(name, end)
        found_sentences = Sentences(text) if mentions else None
        for m in sorted(mentions, key=lambda m: m.start):
            rows.append((pos, para_no, field, m, found_sentences.text(m.start, m.end)))

    positions = [r[0] for r in rows]
    described = {(r[3].name, r[3].title): _describe(r[3].name, r[3].title, rules) for r in rows}
    out = pd.DataFrame({
        docs.key: docs.ids(positions).astype(object),
        "para_no": pd.Series([r[1] for r in rows], dtype="int64"),
        "field": pd.Series([r[2] for r in rows], dtype="str"),
        "start": pd.Series([r[3].start for r in rows], dtype="int64"),
        "end": pd.Series([r[3].end for r in rows], dtype="int64"),
        "name": pd.Series([r[3].name for r in rows], dtype="str"),
        "title": pd.Series([r[3].title for r in rows], dtype=object),
        "organization": pd.Series([r[3].organization for r in rows], dtype=object),
        "former": pd.Series([r[3].former for r in rows], dtype="bool"),
        "title_kind": pd.Series([described[r[3].name, r[3].title][0] for r in rows], dtype=object),
        "level": pd.Series([described[r[3].name, r[3].title][1] for r in rows], dtype=object),
        "evidence": pd.Series([r[3].evidence for r in rows], dtype="str"),
        "sentence": pd.Series([r[4] for r in rows], dtype="str"),
    })
    return pd.concat([out, docs.meta(positions, list(out.columns))], axis=1)


# --------------------------------------------------------------------------- summaries

_HEADINGS = ("kicker", "headline", "subtitle")


def people_summary(mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per person: how often, where and with which titles the paper names them.

    Args:
        mentions: output of :func:`people` (``date`` and ``page`` are used when it carries them,
            as it does for articles or a Corpus).

    Returns:
        DataFrame with ``name``, ``mentions`` (rows), ``articles`` (distinct ``article_id``, or
        ``story_id`` for stories), ``headline_mentions`` (in kicker, headline or subtitle),
        ``lead_mentions`` (in body paragraph 1), ``pages`` (sorted list of page numbers),
        ``first_date``, ``last_date``, ``titles`` (distinct titles in reading order),
        ``title_kind`` and ``level`` (of the first titled mention), ``quoted`` (mentions with
        quote evidence); most mentions first, then by name.

    Raises:
        ColumnError: ``mentions`` lacks ``name``, ``field``, ``para_no`` or its key column.

    Example:
        >>> zz.read_corpus("data/raw").articles.pipe(zz.people).pipe(zz.people_summary).head()
    """
    key = "article_id" if "article_id" in mentions else "story_id"
    need = [c for c in (key, "name", "field", "para_no", "title", "evidence") if c not in mentions]
    if need:
        raise ColumnError("people_summary", need, mentions.columns)
    m = mentions.assign(
        _heading=mentions["field"].isin(_HEADINGS),
        _lead=(mentions["field"] == "text") & (mentions["para_no"] == 1),
        _quoted=mentions["evidence"] == "quote",
    )
    groups = m.groupby("name", sort=False)
    out = pd.DataFrame({
        "mentions": groups.size(),
        "articles": groups[key].nunique(),
        "headline_mentions": groups["_heading"].sum().astype("int64"),
        "lead_mentions": groups["_lead"].sum().astype("int64"),
    })
    if "page" in m:
        out["pages"] = groups["page"].agg(lambda s: sorted(set(int(p) for p in s.dropna())))
    else:
        out["pages"] = [[] for _ in range(len(out))]
    if "date" in m:
        dates = pd.to_datetime(m["date"])
        out["first_date"] = dates.groupby(m["name"]).min()
        out["last_date"] = dates.groupby(m["name"]).max()
    else:
        out["first_date"] = out["last_date"] = pd.NaT
    out["titles"] = groups["title"].agg(lambda s: list(dict.fromkeys(s.dropna())))
    titled = m.dropna(subset=["title"]).groupby("name", sort=False)
    for col in ("title_kind", "level"):
        out[col] = titled[col].first() if col in m else None
        out[col] = out[col].astype(object).where(out[col].notna(), None)
    out["quoted"] = groups["_quoted"].sum().astype("int64")
    out = out.rename_axis("name").reset_index()
    return out.sort_values(["mentions", "name"], ascending=[False, True], kind="stable").reset_index(drop=True)


def person_organizations(
    mentions: pd.DataFrame,
    organizations: pd.DataFrame,
    *,
    unit: Literal["sentence", "paragraph", "article"] = "sentence",
) -> pd.DataFrame:
    """Which people are named together with which organisations: person × organisation, long form.

    Args:
        mentions: output of :func:`people`.
        organizations: output of :func:`zz.organizations` on the same input.
        unit: where both must appear to count: the same ``sentence`` (default; the tightest tie,
            e.g. 康宁大中国区副总裁李萌说), the same ``paragraph`` or the same ``article``.

    Returns:
        DataFrame with ``name`` (person), ``organization`` (normalised name), ``kind``
        (company / government / institution / media) and ``units`` (number of sentences,
        paragraphs or articles naming both); most units first, then by person and organisation.

    Raises:
        ColumnError: a table lacks the key, ``field``, ``para_no``, ``start`` or ``end``.

    Example:
        >>> arts = zz.read_corpus("data/raw").articles
        >>> zz.person_organizations(zz.people(arts), zz.organizations(arts), unit="article")
    """
    key = "article_id" if "article_id" in mentions else "story_id"
    cols = [key, "field", "para_no", "start", "end"]
    for func, table in (("person_organizations", mentions), ("person_organizations", organizations)):
        need = [c for c in cols if c not in table]
        if need:
            raise ColumnError(func, need, table.columns)
    units = {"article": [key], "paragraph": [key, "field", "para_no"], "sentence": [key, "field", "para_no", "sentence"]}
    if unit not in units:
        raise ValueError(f"unit must be one of {sorted(units)}, got {unit!r}")
    by = units[unit]
    people_units = mentions[[*by, "name"]].drop_duplicates()
    org_units = organizations[[*by, "name", "kind"]].rename(columns={"name": "organization"}).drop_duplicates()
    pairs = people_units.merge(org_units, on=by)
    out = pairs.groupby(["name", "organization", "kind"]).size().rename("units").reset_index()
    out["units"] = out["units"].astype("int64")
    return out.sort_values(["units", "name", "organization"], ascending=[False, True, True], kind="stable").reset_index(drop=True)
