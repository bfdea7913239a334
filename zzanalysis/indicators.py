"""Economic figures in the text — amounts, counts, percentages, multiples, ranks — as a table.

``extract_indicators`` finds every number that carries a unit or measure word (469亿元, 261家,
9.57%, 2.25倍), a rank (居全省第二, 第三十二位, 前10名) or a change (下降16.3%), converts it to a
float in base units and records where it is, how hedged it is (余, 多, 超过, 左右 …), what it
measures (``subject``), whose it is (``place``, ``organization``), when (``period``), against
what (``basis``: 同比, 环比) and which sentence it came from. A number with none of these
(4月26日, 第23288期, CN 43-0005) is not an indicator. The word lists that make these decisions
are data in ``zzanalysis/resources/indicators/`` (units.csv, rules.toml, categories.toml) and
``zzanalysis/resources/places/`` (places.csv); their READMEs document the borderline cases.

Chinese numerals are converted with ``cn2an``, on the extracted span only (running a converter
over a sentence rewrites words such as 统一 → 统1).
"""
from __future__ import annotations

import bisect
import csv
import decimal
import functools
import importlib
import io
import itertools
import math
import operator
import os
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Literal, NamedTuple, get_args

import pandas as pd

from .spans import HAN_RE, Sentences, documents

__all__ = ["extract_indicators", "get_indicator_units", "INDICATOR_COLUMNS"]

Kind = Literal["money", "count", "measure", "duration", "percent", "growth", "multiple", "rank", "price"]

#: Columns of the indicators table, in order; input metadata columns follow them.
INDICATOR_COLUMNS = [
    "article_id", "para_no", "start", "end", "text", "value", "value_max", "unit", "kind",
    "approx", "qualifier", "subject", "category", "place", "organization", "period", "basis",
    "sentence",
]

# Decimal arithmetic with the default precision but an unbounded exponent: a run of a million
# digits before 亿元 is a value beyond float range (NaN in the table), not a decimal.Overflow.
_DECIMAL = decimal.Context(prec=28, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)

_CN_DIGITS = "〇零一二两三四五六七八九"
_CN_NUMERAL = _CN_DIGITS + "十百千万亿"
_MAGNITUDE = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}

# Arabic number, optionally with thousands separators and the space that scanned text puts
# around a decimal point: 469, 2.25, 1,500, 14467.1, 9 .57. Possessive quantifiers and the
# look-behind (no start inside a digit run) keep a 100,000-digit string linear.
# A number glued to an upper-case acronym (GDP1234.5亿元, CPI上涨2.1%) is checked in _scan.
_ARABIC = r"(?<![\d.])(?<!\d,)(?:\d{1,3}(?:,\d{3})++(?!\d)|\d++)(?:[ ]?\.[ ]?\d++)?"
# Chinese numeral run: 三十二, 百, 两百, 一千二百, 三点五 (never starts inside another run).
_CHINESE = rf"(?<![{_CN_NUMERAL}])[{_CN_NUMERAL}]{{1,16}}(?:点[{_CN_DIGITS}]{{1,8}})?"
# A number core: 469亿 (digits + magnitude), 1655.3万, 30余万 (a hedge before the magnitude),
# 三十二, 百分之三十.
# The look-ahead on the first character lets the regex engine skip ahead to a digit or numeral
# instead of trying the whole pattern at every character (four times faster, same matches).
_NUMBER_RE = re.compile(
    rf"(?=[\d{_CN_NUMERAL}])(?P<pct>百分之)?(?:(?P<arabic>{_ARABIC})(?:(?P<pre>[余多])(?=[十百千万亿]))?(?P<mag>[十百千万亿]{{0,3}})"
    rf"|(?P<chinese>{_CHINESE}))"
)
# Full-width forms that the reader normalises but a plain string may still hold: ４６９％.
# Each maps to one character, so offsets into the translated text are offsets into the original.
_FULLWIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "．": ".", "％": "%"})
_HAS_FULLWIDTH_RE = re.compile("[０-９．％]")
# Range separators between two numbers: 85%-95%, 3至5年, 10～15家.
_RANGE_SEPS = "-－~～—–至到"
# Connectors of a list whose items share the last item's unit: 0.5个、1.2个百分点, 7.5、6.8和7.1%.
_LIST_SEPS = "、和及与"
# Months of a period: 1至4月, 1-4月份, 3月份 (a bare 3月 is a date: 3月26日).
# The look-ahead lets the engine skip to a digit, as in _words_re.
_MONTHS_RE = re.compile(r"(?=[1-9])(?<!\d)(?:1[0-2]|[1-9])(?:(?:至|到|-|—|～)(?:1[0-2]|[1-9])月(?:份)?|月份)")
# Where a clause ends, for rank cues and subjects: “经济总量排在湖南第五，人均GDP居全省第二”.
_CLAUSE_END_RE = re.compile(r"[，,。！？!?；;：:、]")
_OPEN_QUOTES = "“‘《「『〈"
_QUOTES = "“”‘’《》「」『』〈〉\"'"


@dataclass(frozen=True)
class _Rules:
    units: dict[str, tuple[str, Decimal, str]]
    unit_re: re.Pattern
    hedge_prefix_re: re.Pattern
    hedge_reach: int  # the longest prefix hedge: how far before a number to look for one
    hedge_infix: frozenset[str]
    follow_chars: frozenset[str]  # infix hedges and range and list separators: a number goes on
    hedge_suffix_re: re.Pattern | None  # anchored by match(); longest first, as printed after a unit
    near_blockers: frozenset[str]
    rank_cue_re: re.Pattern
    rank_scopes: tuple[str, ...]
    rank_suffixes: frozenset[str]
    rank_bound_suffixes: frozenset[str]
    growth_re: re.Pattern
    growth_down: frozenset[str]
    growth_reach: int  # the longest change word plus the longest gap word
    period_re: re.Pattern
    year_re: re.Pattern
    basis_re: re.Pattern
    not_indicator_re: re.Pattern
    vague_before: tuple[str, ...]
    min_year: int
    max_year: int
    link_words: frozenset[str]
    nominal_verbs: frozenset[str]
    stop_words: frozenset[str]
    max_words: int
    max_chars: int
    term_re: re.Pattern | None
    people_words: tuple[str, ...]
    period_lookback: int
    clause_lookback: int
    subject_before: int
    subject_after: int
    list_items: int
    places: dict[str, str]
    place_re: re.Pattern
    place_prefixes: dict[str, tuple[str, ...]]
    scope_before: tuple[str, ...]
    scope_after: tuple[str, ...]
    place_rank_scopes: frozenset[str]
    companies: frozenset[str]
    org_re: re.Pattern
    company_suffixes: tuple[str, ...]
    legal_suffixes: tuple[str, ...]
    body_suffixes: tuple[str, ...]
    org_suffixes: tuple[str, ...]  # company_suffixes + body_suffixes
    org_max_chars: int
    anaphor_re: re.Pattern | None
    strip_suffixes: tuple[str, ...]
    examples_after: tuple[str, ...]
    categories: tuple[dict, ...]
    unit_reach: int  # an infix hedge (one character) and the longest unit
    # (kind, unit, subject) → category: a corpus has few distinct ones.
    category_memo: dict = field(default_factory=dict, compare=False, repr=False)
    # (word, tag) → whether it may be part of a subject: the same few thousand words recur.
    nounish_memo: dict = field(default_factory=dict, compare=False, repr=False)
    # window text → the subject read from it, before and after a figure: the short windows
    # (家企业, 个项目, 同比增长) recur, and tagging them again is most of the subject's cost.
    before_memo: dict = field(default_factory=dict, compare=False, repr=False)
    after_memo: dict = field(default_factory=dict, compare=False, repr=False)
    # (number match's groups, what follows it up to unit_reach) → _read_core's answer, relative
    # to the match's start.
    core_memo: dict = field(default_factory=dict, compare=False, repr=False)


def _resource(*parts: str) -> str:
    return resources.files("zzanalysis").joinpath("resources", *parts).read_text("utf-8")


def _alternation(words: Iterable[str]) -> str:
    # Longest first, so that 超过 wins over 超 and 个百分点 over 个.
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _words_re(words: Iterable[str]) -> re.Pattern:
    """One regex for a word list; it only tries positions holding a first character of a word."""
    words = set(words)
    if not words or "" in words:
        return re.compile(_alternation(words))
    # Without the look-ahead the engine tries every alternative at every character.
    return re.compile(f"(?=[{''.join(sorted({re.escape(w[0]) for w in words}))}])(?:{_alternation(words)})")


def _word_re(words: Iterable[str]) -> re.Pattern | None:
    words = [w for w in words if w]
    return _words_re(words) if words else None


def _csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO("".join(
        line for line in text.splitlines(keepends=True) if not line.startswith("#")
    ))))


def _merge(base: dict, extra: dict, where: str) -> dict:
    """``extra`` over ``base``: tables merge, lists are extended (no duplicates), scalars replaced."""
    out = dict(base)
    for key, value in extra.items():
        if key not in base:
            out[key] = value
        elif isinstance(base[key], dict) and isinstance(value, dict):
            out[key] = _merge(base[key], value, f"{where}.{key}")
        elif isinstance(base[key], list) and isinstance(value, list):
            out[key] = base[key] + [v for v in value if v not in base[key]]
        elif isinstance(base[key], dict) or isinstance(base[key], list) or isinstance(value, (dict, list)):
            raise ValueError(
                f"{where}.{key}: expected a {type(base[key]).__name__} as in the shipped rules.toml, "
                f"got a {type(value).__name__}"
            )
        else:
            out[key] = value
    return out


def _read_user_rules(path: str | os.PathLike) -> tuple[str, str]:
    path = Path(path)
    try:
        return str(path), path.read_text("utf-8")
    except OSError as exc:
        raise ValueError(f"cannot read indicator rules {path}: {exc.strerror or exc}") from exc


def _rules(user: tuple[str, str] | None = None) -> _Rules:
    """The shipped rules, with a user's rule file (``(path, text)``) merged over them."""
    return _build_rules(*(user or (None, None)))


@functools.lru_cache(maxsize=8)
def _build_rules(user_path: str | None, user_text: str | None) -> _Rules:
    units = {r["unit"]: (r["base_unit"], Decimal(r["multiplier"]), r["kind"])
             for r in _csv_rows(_resource("indicators", "units.csv"))}
    cfg = tomllib.loads(_resource("indicators", "rules.toml"))
    if user_text is not None:
        try:
            extra = tomllib.loads(user_text)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{user_path}: invalid TOML: {exc}") from exc  # the message names the line
        cfg = _merge(cfg, extra, user_path)
    cats = tomllib.loads(_resource("indicators", "categories.toml"))["rule"]
    hedges, rank, growth, subject = cfg["hedges"], cfg["rank"], cfg["growth"], cfg["subject"]
    windows, places_cfg, orgs = cfg["windows"], cfg["places"], cfg["organizations"]
    places = {r["printed"]: r["place"] for r in _csv_rows(_resource("places", "places.csv"))}
    places.update(places_cfg.get("extra", {}))
    lexicon = {}
    for name, kind in (("companies.txt", "company"), ("institutions.txt", "body")):
        for line in _resource("lexicon", name).splitlines():
            if line.strip():
                lexicon.setdefault(line.split(" ")[0], kind)
    return _Rules(
        units=units,
        unit_re=_words_re(units),
        # Anchored at the end of the text before a number: "…投资超过" → 超过.
        hedge_prefix_re=re.compile(f"(?:{_alternation(hedges['prefix'])})$"),
        hedge_reach=max(map(len, hedges["prefix"])),
        hedge_infix=frozenset(hedges["infix"]),
        follow_chars=frozenset(hedges["infix"]) | frozenset(_RANGE_SEPS + _LIST_SEPS),
        hedge_suffix_re=_words_re(hedges["suffix"]) if hedges["suffix"] else None,
        near_blockers=frozenset(hedges["near_blockers"]),
        rank_cue_re=_words_re(rank["cues"]),
        rank_scopes=tuple(rank["scopes"]),
        rank_suffixes=frozenset(rank["suffixes"]),
        rank_bound_suffixes=frozenset(cfg["rank_bounds"]["suffixes"]),
        # "…同比下降了" → verb 下降, gap 了 (matched against the text just before the number).
        growth_re=re.compile(
            f"(?P<verb>{_alternation(growth['up'] + growth['down'])})(?:{_alternation(growth['gap'])})?$"
        ),
        growth_down=frozenset(growth["down"]),
        growth_reach=max(map(len, growth["up"] + growth["down"])) + max(map(len, growth["gap"])),
        period_re=_words_re(cfg["periods"]["words"]),
        # A year as the period of a figure: 2022年, 2018年以来, 2023年一季度 (range checked on use);
        # the look-ahead lets the engine skip to a digit, as in _words_re.
        year_re=re.compile(rf"(?=\d)(?<!\d)\d{{4}}年(?:{_alternation(cfg['periods']['year_suffixes'])})?"),
        basis_re=_words_re(cfg["basis"]["words"]),
        not_indicator_re=_words_re(cfg["not_indicators"]["phrases"]),
        vague_before=tuple(cfg["not_indicators"]["vague_before"]),
        min_year=int(cfg["dates"]["min_year"]),
        max_year=int(cfg["dates"]["max_year"]),
        link_words=frozenset(subject["link_words"]),
        nominal_verbs=frozenset(subject["nominal_verbs"]),
        stop_words=frozenset(subject["stop_words"]),
        max_words=int(subject["max_words"]),
        max_chars=int(subject["max_chars"]),
        term_re=_word_re(subject.get("terms", [])),
        people_words=tuple(cfg["people"]["words"]),
        period_lookback=int(windows["period_lookback"]),
        clause_lookback=int(windows["clause_lookback"]),
        subject_before=int(windows["subject_before"]),
        subject_after=int(windows["subject_after"]),
        list_items=int(windows["list_items"]),
        places=places,
        place_re=_words_re(places),
        # Shorter names each name starts with, longest first: 湘潭市 → (湘潭,).
        place_prefixes={p: tuple(sorted((q for q in places if q != p and p.startswith(q)), key=len, reverse=True))
                        for p in places},
        scope_before=tuple(places_cfg["scope_before"]),
        scope_after=tuple(places_cfg["scope_after"]),
        place_rank_scopes=frozenset(places_cfg["rank_scopes"]),
        companies=frozenset(w for w, k in lexicon.items() if k == "company"),
        org_re=_words_re(lexicon),
        company_suffixes=tuple(orgs["company_suffixes"]),
        legal_suffixes=tuple(orgs["legal_suffixes"]),
        body_suffixes=tuple(orgs["body_suffixes"]),
        org_suffixes=tuple(orgs["company_suffixes"]) + tuple(orgs["body_suffixes"]),
        org_max_chars=int(orgs["max_chars"]),
        anaphor_re=_word_re(orgs["anaphors"]),
        strip_suffixes=tuple(orgs["strip_suffixes"]),
        examples_after=tuple(orgs["examples_after"]),
        categories=tuple(cats),
        unit_reach=1 + max(map(len, units)),
    )


def get_indicator_units() -> pd.DataFrame:
    """Return the units and measure words that make a number an indicator.

    Returns:
        DataFrame with columns ``unit`` (as printed), ``base_unit``, ``multiplier`` (float: value
        of one printed unit in base units) and ``kind``; one row per unit, file order.

    Example:
        >>> zz.get_indicator_units().query("kind == 'money'").unit.tolist()[:3]
        ['元', '人民币', '美元']
    """
    rules = _rules()
    return pd.DataFrame(
        [(u, b, float(m), k) for u, (b, m, k) in rules.units.items()],
        columns=["unit", "base_unit", "multiplier", "kind"],
    )


@functools.cache
def _tagger():
    # A private instance: adding words to it (we do not) would not touch anyone else's jieba.
    import rjieba

    return rjieba.Jieba()


def _preload() -> Callable[[], None]:
    """Load now what :func:`extract_indicators` loads at its first text that needs it: the
    shipped rules, the tagger and ``cn2an`` (whose import compiles its patterns: 0.3 CPU-s, at
    the first Chinese numeral).

    Returns:
        A function that lets go of the tagger if this call loaded it (0.02 GB; the rules and
        ``cn2an`` stay): for a process that loads only for the workers it forks.

    Example:
        >>> release = _preload()  # then fork workers that extract indicators: they start warm
        >>> release()
    """
    fresh = not _tagger.cache_info().currsize
    _rules()
    _tagger()
    importlib.import_module("cn2an")
    return _tagger.cache_clear if fresh else lambda: None


# --- numbers -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _chinese_value(run: str) -> Decimal | None:
    """Value of a Chinese numeral run: 三十二 → 32, 百 → 100, 两百 → 200, 二〇二三 → 2023."""
    import cn2an

    if len(run) > 1 and all(c in "〇零一二三四五六七八九" for c in run) and "点" not in run:
        # Digit by digit, as years are printed: 二〇二三.
        return Decimal("".join(str("〇一二三四五六七八九".index(c)) if c != "零" else "0" for c in run))
    if run[0] in _MAGNITUDE:
        run = "一" + run  # 百亿 → 一百亿, 万 → 一万: cn2an wants the leading 一.
    try:
        return Decimal(str(cn2an.cn2an(run, "normal")))
    except Exception:  # cn2an raises bare ValueError subclasses for malformed runs (五一)
        return None


def _float(value: Decimal) -> float:
    """``value`` as a float; NaN beyond float range (inf is not a figure anyone printed)."""
    number = float(value)
    return number if math.isfinite(number) else math.nan


def _arabic_value(digits: str, mag: str) -> Decimal:
    if len(digits) <= 20:
        # Short runs recur (2023, 10, 1.5); at most 20 digits times a power of ten is exact in
        # any context of 20 digits or more, so a remembered value is the value.
        return _short_arabic_value(digits, mag)
    return _parse_arabic(digits, mag)


@functools.lru_cache(maxsize=4096)
def _short_arabic_value(digits: str, mag: str) -> Decimal:
    return _parse_arabic(digits, mag)


def _parse_arabic(digits: str, mag: str) -> Decimal:
    value = Decimal(digits.replace(",", "").replace(" ", ""))
    for ch in mag:
        value *= _MAGNITUDE[ch]
    return value


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    value: Decimal
    value_max: Decimal | None
    unit: str
    kind: str
    qualifiers: list[str]
    printed: str | None = None  # the unit as printed: 位 counts people only before a person word
    down: bool = False  # a change downwards (下降), passed on to the next items of its list


def _match_unit(norm: str, pos: int, rules: _Rules) -> tuple[int, str | None, str | None]:
    """Infix hedge and unit at ``pos``: (end, infix hedge or None, printed unit or None)."""
    infix = None
    if pos < len(norm) and norm[pos] in rules.hedge_infix:
        infix, pos = norm[pos], pos + 1
    m = rules.unit_re.match(norm, pos)
    if m is None:
        return pos, infix, None
    return m.end(), infix, m.group()


def _parse_core(norm: str, m: re.Match, rules: _Rules):
    """(value, end after unit, infix, printed unit) for a number match, trying shorter magnitudes.

    The shortest magnitude that leaves a unit wins, so that 12千米 reads as 12 千米 (not 12千 米)
    and 30万千瓦 as 30万 千瓦.
    """
    s, e = m.span()
    if e - s > _CORE_MEMO_CHARS:
        return _read_core(norm, m, rules)
    # The answer depends only on the match's groups and the characters after it that an infix
    # hedge and the longest unit can reach: short tokens (3.5亿 + 元，), which recur.
    key = (m.groups(), norm[e:e + rules.unit_reach])
    memo = rules.core_memo
    found = memo.get(key, _MISSING)
    if found is _MISSING:
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        core = _read_core(norm, m, rules)
        found = memo[key] = None if core is None else (core[0], core[1] - s, core[2], core[3])
    return None if found is None else (found[0], s + found[1], found[2], found[3])


# Matches longer than this are read each time (a run of thousands of digits is no token).
_CORE_MEMO_CHARS = 24


def _read_core(norm: str, m: re.Match, rules: _Rules):
    if m.group("pct"):
        value = _chinese_value(m.group("chinese")) if m.group("chinese") else _arabic_value(m.group("arabic"), "")
        return (value, m.end(), None, "%") if value is not None else None
    if m.group("arabic") is not None:
        digits, mag = m.group("arabic"), m.group("mag")
        for k in range(len(mag) + 1):
            end, infix, unit = _match_unit(norm, m.start("mag") + k, rules)
            if unit is not None or k == len(mag):
                return _arabic_value(digits, mag[:k]), end, infix, unit
    run = m.group("chinese")
    cuts = ([len(run) - 1] if len(run) > 1 and run[-1] in "千百" else []) + [len(run)]
    for cut in cuts:
        value = _chinese_value(run[:cut])
        if value is None:
            continue
        end, infix, unit = _match_unit(norm, m.start() + cut, rules)
        if unit is not None or cut == cuts[-1]:
            return value, end, infix, unit
    return None


def _shared_unit(norm: str, pos: int, unit: str | None, rules: _Rules) -> str | None:
    """The unit a list shares with the number ending at ``pos``: 0.5个、1.2个百分点 → 个百分点.

    Followed over at most ``list_items`` items joined by 、/和/及/与; None when the list gives
    no longer unit than ``unit`` (3家、5个: each keeps its own).
    """
    for _ in range(rules.list_items):
        if pos >= len(norm) or norm[pos] not in _LIST_SEPS:
            return None
        m2 = _NUMBER_RE.match(norm, pos + 1)
        if m2 is None or m2.group("pct") or norm.endswith("第", 0, m2.start()):
            return None
        core2 = _parse_core(norm, m2, rules)
        if core2 is None:
            return None
        unit2 = core2[3]
        if unit2 is None:
            pos = m2.end()
        elif unit2 == unit:
            pos = core2[1]
        elif unit is None or unit2.startswith(unit):
            return unit2
        else:
            return None
    return None


def _acronym_before(norm: str, s: int) -> bool | None:
    """None if no Latin letter precedes ``s``; True for an upper-case acronym (GDP1234.5亿元)."""
    if not (s and norm[s - 1].isascii() and norm[s - 1].isalpha()):
        return None
    k = s - 1
    while k > 0 and s - k < 9 and norm[k - 1].isascii() and norm[k - 1].isalpha():
        k -= 1
    word = norm[k:s]
    # 1e400亿元, abc123: a letter run glued to digits or in lower case is not a name of a measure.
    return word.isupper() and s - k < 9 and not (k and (norm[k - 1].isdigit() or norm[k - 1] == "."))


class _Bounds:
    """Sentences (as :mod:`zzanalysis.spans` defines them) and clauses of one paragraph, found once.

    Looking them up per figure by bisection keeps a paragraph with thousands of figures linear;
    scanning the paragraph again for each figure made it quadratic.
    """

    def __init__(self, para: str, lookback: int):
        self.para = para
        self.lookback = lookback
        self.sentences = Sentences(para)
        self.sentence_no = self.sentences.number  # which sentence of the paragraph, 0-based, uncut
        self.clause_marks = [m.start() for m in _CLAUSE_END_RE.finditer(para)]
        # The marks that end a comma-bounded segment: those of a clause but 、 (which does not end
        # a clause of a list: the list before 分别 is within one segment).
        self.segment_marks = [k for k in self.clause_marks if para[k] != "、"]

    def clause(self, start: int, end: int) -> tuple[int, int]:
        return _clause_start(self.clause_marks, start, self.lookback), self._clause_end(end)

    def _clause_end(self, end: int) -> int:
        k = bisect.bisect_left(self.clause_marks, end)
        return self.clause_marks[k] if k < len(self.clause_marks) else len(self.para)


def _clause_start(marks: list[int], start: int, lookback: int) -> int:
    """End of the last clause mark within ``lookback`` characters before ``start`` (else start-lookback, or 0)."""
    k = bisect.bisect_left(marks, start)
    if k and marks[k - 1] >= start - lookback:
        return marks[k - 1] + 1
    return start - lookback if start > lookback else 0


def _is_rank(norm: str, first: int, after: int, rules: _Rules) -> tuple[bool, int]:
    """Decide whether 第N (第 at ``first``, numeral ending at ``after``) is a rank; return its end."""
    nxt = norm[after] if after < len(norm) else ""
    if nxt in rules.rank_suffixes:
        return True, after + 1
    if nxt and HAN_RE.match(nxt):
        # 第五次, 第八届, 第23288期, 第一家, 第一条: an ordinal of an event or an item, not a rank.
        return False, after
    if norm.endswith(rules.rank_scopes, 0, first):
        return True, after
    lookback = rules.clause_lookback
    marks = [m.start() for m in _CLAUSE_END_RE.finditer(norm, max(0, first - lookback - 1), first)]
    cstart = _clause_start(marks, first, lookback)
    return rules.rank_cue_re.search(norm, cstart, first) is not None, after


def _scan(norm: str, rules: _Rules) -> list[_Hit]:
    hits: list[_Hit] = []
    blocked = None  # the not-indicator phrases, looked for once the paragraph has a candidate
    last_end = 0
    for m in _NUMBER_RE.finditer(norm):
        if m.start() < last_end:
            continue  # second half of a range already taken
        s = m.start()
        pct, arabic, pre, mag, run = m.groups()
        prev = norm[s - 1] if s else ""
        if arabic is not None and prev.isascii() and prev.isalpha() and _acronym_before(norm, s) is False:
            continue
        # 前N: a bound on a rank (进入全省前三, 全国前10名, 前50强), not a count of people.
        if prev == "前" and not pct and not mag:
            after = m.end() if run is not None else m.end("arabic")
            nxt = norm[after] if after < len(norm) else ""
            if nxt in rules.rank_bound_suffixes or not (
                HAN_RE.match(nxt or " ") or rules.unit_re.match(norm, after)
            ):
                value = _chinese_value(run) if run is not None else _arabic_value(arabic, "")
                if value is not None and value > 1:
                    end = after + (nxt in rules.rank_bound_suffixes)
                    hits.append(_Hit(s - 1, end, value, None, "位", "rank", ["前"]))
                    last_end = end
                    continue
        # 第N: a rank or nothing — an ordinal is never a count (第五次, 第23288期).
        if prev == "第":
            if pct:
                continue
            value = (_chinese_value(run) if run is not None
                     else _arabic_value(arabic, ""))
            after = m.end() if run is not None else m.end("arabic")
            ok, end = _is_rank(norm, s - 1, after, rules)
            if ok and value is not None:
                hits.append(_Hit(s - 1, end, value, None, "位", "rank", []))
                last_end = end
            continue
        if run is not None and not pct:
            if run == "一" or (len(run) == 1 and run in "〇零"):
                continue  # 一个好项目, 一台机车: a determiner, not a quantity
            if norm.startswith("几", m.end()) or (
                run[0] in _MAGNITUDE and norm.endswith(rules.vague_before, 0, s)
            ):
                continue  # 十几家, 数百家, 几十个, 成千: no definite value
            if prev and prev in _OPEN_QUOTES:
                continue  # “五个确保”, 《十四五规划》: a slogan or a title
            if set(run) <= set("万亿") and rules.hedge_prefix_re.search(norm, max(0, s - rules.hedge_reach), s) is None:
                continue  # 投资亿元, 万元户, 1e400亿元: a unit word, no quantity (上万个 has its hedge)
        e = m.end()
        if not pct and (mag == "" if run is None else not (len(run) > 1 and run[-1] in "千百")) and not (
            norm[e:e + 1] in rules.follow_chars or rules.unit_re.match(norm, e)
        ):
            continue  # 4月26日, 今日8版: no unit, hedge, range or list after the number
        core = _parse_core(norm, m, rules)
        if core is None:
            continue
        value, end, infix, unit = core
        value_max = None
        # A range: 85%-95%, 3至5年, 1000万-2000万元, 10～15家.
        if end < len(norm) and norm[end] in _RANGE_SEPS:
            m2 = _NUMBER_RE.match(norm, end + 1)
            if m2 is not None and not m2.group("pct"):
                core2 = _parse_core(norm, m2, rules)
                if core2 is not None and core2[3] is not None and (unit is None or unit == core2[3]):
                    low = value
                    if unit is None and arabic is not None and not mag and m2.group("mag"):
                        # 1000-2000万元: the magnitude after the second number applies to both.
                        low = _arabic_value(arabic, m2.group("mag"))
                    if low <= core2[0]:
                        value, value_max = low, core2[0]
                        end, infix, unit = core2[1], infix or core2[2], core2[3]
        if value_max is None and end < len(norm) and norm[end] in _LIST_SEPS:
            shared = _shared_unit(norm, end, unit, rules)
            if shared is not None:
                unit = shared  # 0.5个、1.2个百分点: the 0.5 is 百分点 too (span stays 0.5个)
        if unit is None:
            continue  # a bare number: 4月26日, 今日8版, CN 43-0005
        base, mult, kind = rules.units[unit]
        if kind == "duration" and base == "年":
            if norm.startswith("代", end):
                continue  # 80年代: a decade
            if (infix is None and value_max is None and value == value.to_integral_value()
                    and rules.min_year <= value <= rules.max_year):
                continue  # 2023年: a year, not a duration
            if value_max is not None and rules.min_year <= value <= rules.max_year:
                continue  # 2023-2025年
        quals: list[str] = []
        # Prefix hedge: 超过90亿美元, 上万个, 近百家.
        pm = rules.hedge_prefix_re.search(norm, max(0, s - rules.hedge_reach), s)
        if pm is not None:
            word = pm.group()
            ok = True
            if word == "上":
                ok = run is not None and run[0] in _MAGNITUDE
            elif word == "近":
                ok = norm[pm.start() - 1:pm.start()] not in rules.near_blockers
            if ok:
                quals.append(word)
                s = pm.start()
        if arabic is not None and pre:
            quals.append(pre)  # 30余万人
        if infix:
            quals.append(infix)
        # Suffix hedge: 1小时左右, 100人以上; 余/多 after the unit only for durations (1年多).
        sm = None if rules.hedge_suffix_re is None else rules.hedge_suffix_re.match(norm, end)
        if sm is not None and (sm.group() not in ("余", "多") or kind == "duration"):
            quals.append(sm.group())
            end = sm.end()
        # A price: 3000元/吨, 5元每斤.
        if kind == "money" and end < len(norm) and norm[end] in "/每":
            um = rules.unit_re.match(norm, end + 1)
            if um is not None and rules.units[um.group()][2] in ("measure", "count", "duration"):
                base = f"{base}/{rules.units[um.group()][0]}"
                kind = "price"
                end = um.end()
        # A change: 增长12.3%, 下降16.3%, 提高2个百分点.
        down = False
        if kind == "percent":
            gm = rules.growth_re.search(norm, max(0, s - rules.growth_reach), s)
            if gm is not None:
                kind = "growth"
                s = gm.start()
                down = gm.group("verb") in rules.growth_down
            elif (hits and norm[s - 1:s] in _LIST_SEPS and hits[-1].end == s - 1
                  and hits[-1].kind == "growth" and hits[-1].unit == base):
                kind, down = "growth", hits[-1].down  # 分别增长7.5%、6.8%: the list shares the verb
            if down:
                mult = -mult
        if blocked is None:
            blocked = [x.span() for x in rules.not_indicator_re.finditer(norm)]
        if any(bs < end and s < be for bs, be in blocked):
            continue
        hits.append(_Hit(s, end, value * mult, None if value_max is None else value_max * mult,
                         base, kind, quals, printed=unit, down=down))
        last_end = end
    return hits


# --- subjects, periods, categories ----------------------------------------------------------

# Part-of-speech tags that end a noun phrase: verbs, adverbs, prepositions, conjunctions,
# particles, pronouns, numerals, measure words, locatives, punctuation.
_STOP_POS = ("v", "d", "p", "c", "u", "r", "m", "q", "f", "x", "t", "s", "y", "o")


def _nounish(word: str, pos: str, rules: _Rules) -> bool:
    key = (word, pos)
    found = rules.nounish_memo.get(key)
    if found is None:
        found = rules.nounish_memo[key] = _is_nounish(word, pos, rules)
    return found


def _is_nounish(word: str, pos: str, rules: _Rules) -> bool:
    if word in rules.stop_words or word in rules.link_words or rules.period_re.fullmatch(word):
        return False  # 一季度 in 比一季度加快1.2个百分点 is when, not what
    if word in rules.nominal_verbs:
        return True
    if pos in ("vn", "mq"):
        return True  # 污染, 零部件 (the tagger reads 零 as a numeral)
    if not (HAN_RE.match(word[0]) or word.isascii() and word.isalpha()):
        return False
    if word[0] in _CN_DIGITS and len(word) <= 2:
        return False  # 两市, 三县: a count of the owners, not what is measured
    return pos != "e" and not pos.startswith(_STOP_POS)


def _join(words: list[str], rules: _Rules) -> str | None:
    words = words[-rules.max_words:]
    while words and len("".join(words)) > rules.max_chars:
        words = words[1:]
    return "".join(words) or None


def _subject_after(text: str, rules: _Rules) -> str | None:
    if not text:
        return None  # the clause ends right after the figure (a third of all figures)
    words: list[str] = []
    for word, pos in _tagger().tag(text):
        if word in _QUOTES:
            continue  # 六家高精尖新“小巨人”企业: quotes do not end the phrase
        if not _nounish(word, pos, rules):
            break
        words.append(word)
    return _join(words, rules)


def _subject_before(text: str, rules: _Rules) -> str | None:
    tokens = _tagger().tag(text)
    i = len(tokens) - 1
    # Skip what links the subject to the number: 规模达, 居全省, 排在湖南, 年均超过.
    skipped = 0
    while i >= 0 and skipped < 5 and (
        tokens[i][0] in rules.link_words or tokens[i][1] in ("ns", "ul", "p") or tokens[i][0] in _QUOTES
    ):
        i -= 1
        skipped += 1
    words: list[str] = []
    while i >= 0 and len(words) < rules.max_words:
        word, pos = tokens[i]
        if word in _QUOTES:
            i -= 1
            continue
        if not _nounish(word, pos, rules) or (pos == "ns" and words) or word in rules.places:
            break  # a place owns the figure (place column); it is not what is measured
        words.insert(0, word)
        i -= 1
    return _join(words, rules)


def _term_before(text: str, rules: _Rules) -> str | None:
    """The last name of a measured quantity (rules: [subject] terms) in ``text``."""
    found, end = None, -1
    if rules.term_re is not None:
        for m in rules.term_re.finditer(text):
            # Adjacent names make one: GDP + 增速 → GDP增速, 社会消费品零售总额 + 增速.
            found = found + m.group() if m.start() == end else m.group()
            end = m.end()
    return found


def _prefer(phrase: str | None, term: str | None, rules: _Rules) -> str | None:
    """Choose between the tagger's noun phrase and the nearest known term before a figure."""
    if term is None or phrase is None:
        return phrase or term
    if len(term) > len(phrase) and term.endswith(phrase):
        return term  # 地区生产总值, where the tagger stopped at 生产总值
    if rules.term_re is not None and rules.term_re.search(phrase):
        return phrase  # 高新技术产业增加值, 就业人员: a longer name of a known quantity
    return term


def _subject(para: str, hit: _Hit, cstart: int, cend: int, rules: _Rules) -> str | None:
    """What the figure measures; ``cstart``/``cend`` bound its clause, ``cend`` also the next figure."""
    before = para[max(cstart, hit.start - rules.subject_before):hit.start]
    if hit.kind in ("rank", "percent", "growth", "multiple"):
        return _phrase_before(before, rules)
    after = para[hit.end:min(cend, hit.end + rules.subject_after)]
    if hit.kind != "money" and after.startswith("的"):
        after = after[1:]  # 5000余人的国家重点领域创新团队
    found = _memo(rules.after_memo, after, _subject_after, rules)
    if found and hit.end + len(found) == cend and rules.term_re is not None:
        # 86个项目总投资521.6亿元: the name running into the next figure is that figure's.
        tail = _term_before(found, rules)
        if tail and found.endswith(tail) and len(found) > len(tail):
            found = found[:-len(tail)]
    return found or _phrase_before(before, rules)


def _phrase_before(before: str, rules: _Rules) -> str | None:
    return _memo(rules.before_memo, before, _prefer_before, rules)


def _prefer_before(before: str, rules: _Rules) -> str | None:
    return _prefer(_subject_before(before, rules), _term_before(before, rules), rules)


# Entries per memo: enough for the windows of a year's recurring phrases, bounded in memory.
_MEMO_SIZE = 1 << 16
_MISSING = object()


def _memo(memo: dict, text: str, read, rules: _Rules):
    """``read(text, rules)``, remembered in ``memo`` (emptied when full: results never depend on it)."""
    found = memo.get(text, _MISSING)
    if found is _MISSING:
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        found = memo[text] = read(text, rules)
    return found


def _period(para: str, sstart: int, start: int, rules: _Rules) -> str | None:
    # Only the last `period_lookback` characters of the sentence: a period word further back
    # rarely governs the figure, and an unbounded look-back is quadratic in a long sentence.
    sstart = max(sstart, start - rules.period_lookback)
    # A year ends in 年 and a month range in 月: most windows hold neither, so skip those scans.
    years = [m for m in rules.year_re.finditer(para, sstart, start)
             if para[m.start():m.start() + 4].isdigit()
             and rules.min_year <= int(para[m.start():m.start() + 4]) <= rules.max_year
             ] if para.find("年", sstart, start) >= 0 else []
    found = [(m.end(), m.start(), m.group()) for m in rules.period_re.finditer(para, sstart, start)]
    if found:
        compared = [m.span() for m in rules.basis_re.finditer(para, sstart, start)]
        found = [f for f in found if not any(a < f[0] and f[1] < b for a, b in compared)]  # 上年 in 比上年同期
    found += [(m.end(), m.start(), m.group()) for m in years]
    if para.find("月", sstart, start) >= 0:
        found += [(m.end(), m.start(), m.group()) for m in _MONTHS_RE.finditer(para, sstart, start)]
    if not found:
        return None
    end, begin, text = max(found)
    year = next((m.group() for m in years if m.end() == begin), None)
    return year + text if year else text  # 2023年 + 1至4月


def _category(kind: str, unit: str, subject: str | None, rules: _Rules) -> str:
    key = (kind, unit, subject)
    found = rules.category_memo.get(key)
    if found is None:
        found = rules.category_memo[key] = _find_category(kind, unit, subject, rules)
    return found


def _find_category(kind: str, unit: str, subject: str | None, rules: _Rules) -> str:
    for rule in rules.categories:
        if "kinds" in rule and kind not in rule["kinds"]:
            continue
        if "units" in rule and unit not in rule["units"]:
            continue
        if "subject" in rule and not (subject and any(w in subject for w in rule["subject"])):
            continue
        return rule["category"]
    return "other"


# --- whose figure: places and organisations ------------------------------------------------


_START = operator.attrgetter("start")


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    name: str  # canonical place or organisation name
    kind: str  # place, company, body, anaphor
    printed: str
    scope: bool = False  # a yardstick (居全省第二, 低于全国平均), not an owner
    sentence: int = -1


# Word classes that may stand before 公司, 集团, 局 … in a name: nouns, names, abbreviations.
_NAME_POS = ("n", "j", "l", "b", "eng", "vn", "an", "a")
_PROPER_POS = ("ns", "nr", "nz", "nt", "j", "eng", "nrt")
# Word classes that never stand inside a name: prepositions, conjunctions, particles, pronouns,
# numerals, measure words, times, locatives, adverbs, punctuation.
_NOT_NAME_POS = ("p", "c", "u", "r", "m", "q", "t", "f", "d", "x", "y", "o", "e", "w")


class _Tokens(NamedTuple):
    """rjieba's words of a paragraph, or of some of its runs (_tokens_near), as parallel columns."""

    starts: list[int]
    ends: list[int]
    words: list[str] | tuple[str, ...]
    tags: list[str] | tuple[str, ...]


def _tokens(para: str) -> _Tokens | None:
    """rjieba's words of ``para`` with their offsets; None if offsets would not hold."""
    tagged = _tagger().tag(para)
    if not tagged:
        return _Tokens([], [], (), ()) if not para else None
    words, tags = zip(*tagged)
    ends = list(itertools.accumulate(map(len, words)))
    if ends[-1] != len(para):
        return None
    return _Tokens([0] + ends[:-1], ends, words, tags)


# rjieba cuts each run of characters other than these separators (a run is what jieba's
# RE_HAN_DEFAULT matches) on its own, and every separator is a word by itself tagged x: the words
# of a run are the same whether the tagger sees the run alone or the whole paragraph.
_SEPARATOR_RE = re.compile(r"[^\u4e00-\u9fffa-zA-Z0-9+#&._%\-]")
# Paragraphs only of characters whose cutting was checked one by one against rjieba (U+0020 to
# U+33FF, the CJK unified ideographs, U+FE30 to U+FFEF: each outside a run is a word by itself,
# tagged x); any other paragraph is tagged whole.
_CHECKED_RE = re.compile(r"[\x20-\u33ff\u4e00-\u9fff\ufe30-\uffef]*")
# Runs this close are tagged in one call (with what lies between): a call costs about as much as
# tagging that many characters.
_RUN_GAP = 16


class _Marks(NamedTuple):
    """Where a paragraph may name a place or an organisation, found once for all the steps using them."""

    places: list[tuple[int, int]]  # spans of the place names (rules.place_re)
    suffix_ends: list[int]  # offsets after a last character of an organisation suffix (_suffix_ends)


def _marks(para: str, rules: _Rules) -> _Marks:
    return _Marks([m.span() for m in rules.place_re.finditer(para)],
                  _suffix_ends(para, rules.org_suffixes))


def _tokens_near(para: str, marks: _Marks) -> _Tokens | None:
    """rjieba's words of the runs of ``para`` that may hold a place or an organisation's suffix.

    Only those runs are tagged (about a third of a paragraph holding figures); the paragraph's
    other words are left out, and a run's neighbouring characters stand for the one-character
    words (tag x) around it in the whole paragraph's tagging, so that a name read backwards
    stops at the run's start as it does there. Same words, offsets and tags as :func:`_tokens`
    gives for those runs; a paragraph of unchecked characters is tagged whole.
    """
    if not _CHECKED_RE.fullmatch(para):
        return _tokens(para)
    starts: list[int] = []
    ends: list[int] = []
    words: list[str] = []
    tags: list[str] = []
    places, suffixes = marks
    if not places and not suffixes:
        return _Tokens(starts, ends, words, tags)
    # The run around each mark, found from the mark: the separators before it are searched for
    # in the reversed paragraph.
    n = len(para)
    backwards = para[::-1]
    spans: list[list[int]] = []
    for a, b in sorted(places + [(e - 1, e) for e in suffixes]):
        if spans and b <= spans[-1][1]:
            continue  # in the run just found
        after = _SEPARATOR_RE.search(para, a)
        end = after.start() if after is not None else n
        if end < b or end == a:
            return _tokens(para)  # a name across a run's end: its word edges need the whole
        before = _SEPARATOR_RE.search(backwards, n - a)
        start = n - before.start() if before is not None else 0
        if spans and start - spans[-1][1] <= _RUN_GAP:
            spans[-1][1] = end
        else:
            spans.append([start, end])
    tagger = _tagger()
    for a, b in spans:
        if a and (not ends or ends[-1] < a):
            starts.append(a - 1), ends.append(a), words.append(para[a - 1]), tags.append("x")
        run_words, run_tags = zip(*tagger.tag(para[a:b]))
        edges = list(itertools.accumulate(map(len, run_words), initial=a))
        if edges[-1] != b:
            return _tokens(para)  # offsets would not hold: as the whole paragraph's tagging
        starts += edges[:-1]
        del edges[0]
        ends += edges
        words += run_words
        tags += run_tags
        if b < n:
            starts.append(b), ends.append(b + 1), words.append(para[b]), tags.append("x")
    return _Tokens(starts, ends, words, tags)


def _suffix_ends(para: str, suffixes: tuple[str, ...]) -> list[int]:
    """Offsets, in order, where one of ``suffixes`` ends in ``para``.

    One regex pass finds their last characters; half of those end no suffix (行 of 进行, 心 of
    核心, 会 of 社会), and a run holding only such needs no tagging.
    """
    return [e for e in (m.end() for m in _last_char_re(suffixes).finditer(para)) if para.endswith(suffixes, 0, e)]


@functools.lru_cache(maxsize=8)
def _last_char_re(suffixes: tuple[str, ...]) -> re.Pattern:
    return re.compile(f"[{''.join(sorted({re.escape(x[-1]) for x in suffixes}))}]")


def _organization_mentions(para: str, tokens, marks: _Marks, rules: _Rules) -> list[_Mention]:
    # (start, start - end, source, end, kind): plain tuple order is leftmost first, the longest of
    # those that start together, the lexicon's before the tagger's (no two share the first three).
    companies = rules.companies
    spans = [(a, a - b, 0, b, "company" if para[a:b] in companies else "body")
             for a, b in map(re.Match.span, rules.org_re.finditer(para))]
    every = rules.org_suffixes
    if tokens is not None:
        starts, words, tags = tokens.starts, tokens.words, tokens.tags
        if "" in every:
            candidates = range(len(words))
        else:
            # Only the words ending on a suffix's last character: few, found by one regex pass and
            # looked up by bisection (cheaper than a map of all the paragraph's word ends).
            ends = tokens.ends
            candidates = [k for e, k in ((e, bisect.bisect_left(ends, e)) for e in marks.suffix_ends)
                          if k < len(ends) and ends[k] == e]
        for i in candidates:
            b, word = tokens.ends[i], words[i]
            if not word.endswith(every):
                continue
            kind = "company" if word.endswith(rules.company_suffixes) else "body"
            legal = word.endswith(rules.legal_suffixes)
            j, proper = i, False
            while j > 0:
                pa, pword, ptag = starts[j - 1], words[j - 1], tags[j - 1]
                if legal:
                    fits = not ptag.startswith(_NOT_NAME_POS) and (
                        pword not in rules.link_words or pword in rules.places)  # 株洲 starts many names
                else:
                    fits = ptag.startswith(_NAME_POS)
                if b - pa > rules.org_max_chars or not fits or pword in rules.stop_words:
                    break
                proper = proper or ptag in _PROPER_POS or pword in ("市", "省", "县", "区", "国家")
                j -= 1
            # A name needs a proper part (株洲旗滨集团, 市统计局): 研发中心, 工厂 alone are not names.
            if j < i and proper:
                spans.append((starts[j], starts[j] - b, 1, b, kind))
    # Leftmost first, the longest of those that start together; one sweep keeps this n log n.
    spans.sort()
    taken: list[tuple[int, int, str]] = []
    for a, _, _, b, kind in spans:
        if not taken or a >= taken[-1][1]:
            taken.append((a, b, kind))
    out = []
    for a, b, kind in sorted(taken):
        name = para[a:b]
        for x in rules.strip_suffixes:
            # 康宁公司 → 康宁: the lexicon's name, when the paper adds the generic word.
            if name.endswith(x) and name[:-len(x)] in rules.companies:
                name, kind = name[:-len(x)], "company"
                break
        example = para.startswith(rules.examples_after, b)
        out.append(_Mention(a, b, name, kind, para[a:b], scope=example))
    if rules.anaphor_re is not None:
        names = list(out)
        for m in rules.anaphor_re.finditer(para):
            if not _overlaps(names, m.start(), m.end()):
                out.append(_Mention(m.start(), m.end(), "", "anaphor", m.group()))
    return sorted(out, key=_START)


def _overlaps(spans: list[_Mention], a: int, b: int) -> bool:
    """Whether ``[a, b)`` overlaps one of ``spans`` (sorted, not overlapping each other)."""
    k = _bisect_start(spans, b)
    return k > 0 and spans[k - 1].end > a


def _bisect_start(spans: list[_Mention], pos: int) -> int:
    """Index of the first of ``spans`` (sorted by start) starting at or after ``pos``."""
    return bisect.bisect_left(spans, pos, key=_START)


def _place_mentions(para: str, tokens, orgs: list[_Mention], marks: _Marks, rules: _Rules) -> list[_Mention]:
    if not marks.places:
        return []
    names = [o for o in orgs if o.kind != "anaphor"]
    # Tokens cover every run holding a place name and the characters around it: the word edges
    # there are their starts (and the paragraph's end).
    edges = None if tokens is None else {*tokens.starts, len(para)}
    out = []
    for a, b in marks.places:
        if edges is not None and not (a in edges and b in edges):
            # 中国 in 其中国家 cuts across words; 湘潭市委 still holds 湘潭.
            b = next((a + len(n) for n in rules.place_prefixes.get(para[a:b], ()) if a + len(n) in edges), None)
            if a not in edges or b is None:
                continue
        if _overlaps(names, a, b):
            continue  # 株洲 in 中车株洲所 is part of a name
        scope = para.endswith(rules.scope_before, 0, a) or para.startswith(rules.scope_after, b)
        out.append(_Mention(a, b, rules.places[para[a:b]], "place", para[a:b], scope))
    # A list shares its yardstick: 低于全国、全省平均水平.
    for left, right in zip(out, out[1:]):
        if right.start - left.end == 1 and para[left.end] in _LIST_SEPS and (left.scope or right.scope):
            left.scope = right.scope = True
    for right, left in zip(reversed(out), list(reversed(out))[1:]):
        if right.start - left.end == 1 and para[left.end] in _LIST_SEPS and right.scope:
            left.scope = True
    return out


def _segment_start(marks: list[int], sstart: int, pos: int) -> int:
    """Start of the comma-bounded part of the sentence that holds ``pos`` (、 does not end it).

    ``marks`` are the offsets of the paragraph's segment ends (_Bounds.segment_marks).
    """
    k = bisect.bisect_left(marks, pos) - 1
    return marks[k] + 1 if k >= 0 and marks[k] >= sstart else sstart


def _listed(para: str, items: list[_Mention]) -> list[str]:
    """Names of the last run of ``items`` printed as one list (长沙、株洲和湘潭), in order."""
    run: list[_Mention] = []
    for item in items:
        if run and item.start == run[-1].end:
            # 社会消费品零售总额 + 增速: one item
            run[-1] = _Mention(run[-1].start, item.end, run[-1].name + item.name, item.kind, "")
            continue
        if run and not (item.start - run[-1].end == 1 and para[run[-1].end] in _LIST_SEPS):
            run = []
        run.append(item)
    return [o.name for o in run]


def _earlier_owners(mentions: list[_Mention], k: int, sstart: int, limit: int = 64) -> list[_Mention]:
    """The owners (places, companies) named by the last earlier sentence that named one.

    Looks back over at most ``limit`` mentions, so a paragraph of yardsticks stays linear.
    """
    found: list[_Mention] = []
    for o in reversed(mentions[max(0, k - limit):k]):
        if o.end > sstart or o.scope or o.kind == "body":
            continue
        if found and o.sentence != found[0].sentence:
            break
        found.insert(0, o)
    return found


# --- rows ------------------------------------------------------------------------------------


def _resolve_anaphors(orgs: list[_Mention], state: dict) -> list[_Mention]:
    """该公司 → the last company named before it in the article; ``state`` keeps it across paragraphs."""
    last_company = state.get("company")
    for o in orgs:
        if o.kind == "anaphor":
            o.name, o.kind = (last_company or ""), "company"
        elif o.kind == "company":
            last_company = o.name
    if last_company:
        state["company"] = last_company
    return [o for o in orgs if o.name]


@dataclass(slots=True)
class _Context:
    """Where one figure sits: its sentence and clause, and what was named before it."""

    sstart: int  # sentence start (cut as spans.Sentences cuts it)
    cstart: int  # clause start
    cend: int  # clause end, or the next figure's start if sooner
    seg: int  # start of the comma-bounded part of the sentence holding the figure
    starts: list[int]  # starts of all figures of the paragraph
    segment_marks: list[int]  # offsets of the paragraph's segment ends (，。；： but not 、)
    mentions: list[_Mention]  # places and organisations of the paragraph, by start
    window: list[_Mention]  # those from the sentence's or clause's start up to the figure
    before: list[_Mention]  # those of the sentence before the figure
    same: list[tuple]  # the row of the figure before it in the same sentence, if any
    mention_starts: list[int]  # starts of ``mentions``, for bisection
    own_places: list[_Mention] = field(default_factory=list)  # places that may own it


def _figure_subject(para: str, hit: _Hit, ctx: _Context, rules: _Rules) -> str | None:
    """What ``hit`` measures: its own words, else what the sentence's last figure measured."""
    cstart, cend, window, same = ctx.cstart, ctx.cend, ctx.window, ctx.same
    # The name of what is measured starts after whose it is and when: 株洲中鑫电气有限公司|产值,
    # 今年一季度|硬质合金产量.
    start, floor = hit.start, cstart
    for o in window:
        if cstart <= o.start and floor < o.end <= start and not o.scope:
            floor = o.end
    for m in rules.period_re.finditer(para, cstart, start):
        floor = max(floor, m.end())
    subject = _subject(para, hit, floor, cend, rules)
    if subject is None and floor > cstart:
        subject = _subject(para, hit, cstart, cend, rules)  # 就业人员年均超过6万人
    if subject is None and same and (
        hit.kind in ("growth", "percent", "multiple", "rank") or same[-1][_UNIT] == hit.unit
    ):
        # 总额1023.4亿元，增长6.5%: the change of that total; 居全省第二位: its rank; 每10台中小航空
        # 发动机，有9台: the same engines.
        subject = same[-1][_SUBJECT]
    if subject is None and hit.kind == "rank":
        subject = _term_before(para[ctx.sstart:hit.start], rules)  # 从经济总量看，株洲排在全省第五位
    return subject


def _figure_owner(para: str, hit: _Hit, ctx: _Context, rules: _Rules) -> tuple[str | None, str | None]:
    """Whose figure: (place, organization) named before it in its sentence, or carried."""
    sstart, seg, same = ctx.sstart, ctx.seg, ctx.same
    rank = hit.kind == "rank"
    own_places: list[_Mention] = []
    place = org = None
    named_in_segment = False  # an owner named in the figure's comma-bounded part
    for o in ctx.before:
        if o.scope:
            continue
        kind = o.kind
        if kind == "place":
            if rank and o.start >= seg and o.printed in rules.place_rank_scopes:
                continue
            own_places.append(o)
            place = o.name
        elif kind == "company" or (kind == "body" and o.start >= seg):
            org = o.name
        else:
            continue
        named_in_segment = named_in_segment or o.start >= seg
    ctx.own_places = own_places
    if same and not named_in_segment:
        # 比上年末减少1.8万人, 同比增长42.6%: a clause naming no owner goes on with the last one.
        place, org = same[-1][_PLACE], same[-1][_ORGANIZATION]
    if place is None and org is None:
        # An implicit owner: the one of the last sentence before this one that named one.
        earlier = _earlier_owners(ctx.mentions, bisect.bisect_left(ctx.mention_starts, sstart), sstart)
        place = next((o.name for o in reversed(earlier) if o.kind == "place"), None)
        org = next((o.name for o in reversed(earlier) if o.kind == "company"), None)
    return place, org


def _distributed(para: str, hit: _Hit, ctx: _Context, rules: _Rules) -> dict[str, str]:
    """长沙、株洲、湘潭分别为7.5%、6.8%、7.1%: the k-th figure after 分别 takes the k-th item."""
    sstart = ctx.sstart
    split = para.rfind("分别", sstart, hit.start)
    if split < 0:
        return {}
    starts = ctx.starts
    k = bisect.bisect_left(starts, hit.start) - bisect.bisect_left(starts, split)
    lseg = _segment_start(ctx.segment_marks, sstart, split)
    listed = [o for o in ctx.before if lseg <= o.start and o.end <= split]
    terms = [] if rules.term_re is None else [
        _Mention(m.start(), m.end(), m.group(), "term", m.group()) for m in rules.term_re.finditer(para, lseg, split)
    ]
    lists = {
        "place": _listed(para, [o for o in listed if o in ctx.own_places]),
        "organization": _listed(para, [o for o in listed if o.kind in ("company", "body")]),
        "subject": _listed(para, terms),
    }
    return {what: items[k] for what, items in lists.items() if len(items) >= 2 and k < len(items)}


def _basis(para: str, hit: _Hit, ctx: _Context, rules: _Rules) -> str | None:
    """The comparison word before ``hit``: for the first figure after it, and for every change."""
    found = None
    for m in rules.basis_re.finditer(para, ctx.sstart, hit.start):
        found = m
    if found is None:
        return None
    starts = ctx.starts
    first_after = bisect.bisect_left(starts, hit.start) == bisect.bisect_left(starts, found.end())
    return found.group() if hit.kind in ("growth", "multiple") or first_after else None


# The table's own columns after the key, in order (the order of the keys of a row), and their types.
_DTYPES = {
    "para_no": "int64", "start": "int64", "end": "int64",
    "text": "str", "value": "float64", "value_max": "float64", "unit": "str",
    "kind": "str", "approx": "bool", "qualifier": "str", "subject": "str",
    "category": "str", "place": "str", "organization": "str", "period": "str", "basis": "str",
    "sentence": "str",
}
# Where a column sits in a row of _paragraph_rows (the columns of _DTYPES after para_no).
_UNIT, _KIND, _SUBJECT, _PLACE, _ORGANIZATION, _PERIOD = (
    list(_DTYPES).index(name) - 1 for name in ("unit", "kind", "subject", "place", "organization", "period"))


def _paragraph_rows(para: str, rules: _Rules, state: dict) -> list[tuple]:
    """Rows of one paragraph; ``state`` carries, across the paragraphs of an article, its last company
    (for 该公司) and the paragraphs without figures not yet read for companies."""
    # translate() copies every paragraph; most hold no full-width digit.
    norm = para.translate(_FULLWIDTH) if _HAS_FULLWIDTH_RE.search(para) else para
    rows: list[tuple] = []
    hits = _scan(norm, rules)
    if not hits:
        # No figure here, but a company named here is what a later 该公司 points back to. Tagging
        # the paragraph waits until a 该公司 comes: most articles have none.
        state.setdefault("pending", []).append(para)
        return rows
    if state.get("pending") and rules.anaphor_re is not None and rules.anaphor_re.search(para):
        for earlier in state.pop("pending"):
            if rules.org_re.search(earlier) or any(x in earlier for x in rules.company_suffixes):
                marks = _marks(earlier, rules)
                _resolve_anaphors(_organization_mentions(earlier, _tokens_near(earlier, marks), marks, rules), state)
    bounds = _Bounds(para, rules.clause_lookback)
    starts = [h.start for h in hits]
    sentence_nos: list[int] = []  # of each row, for the rows of the same sentence
    marks = _marks(para, rules)
    tokens = _tokens_near(para, marks)
    orgs = _resolve_anaphors(_organization_mentions(para, tokens, marks, rules), state)
    if any(o.kind == "company" for o in orgs):
        state.pop("pending", None)  # a company named here is the one a later 该公司 means
    mentions = sorted(_place_mentions(para, tokens, orgs, marks, rules) + orgs, key=_START)
    sentence_no_of, sentence_at = bounds.sentence_no, bounds.sentences.at
    segment_marks = bounds.segment_marks
    mention_starts = [o.start for o in mentions]
    for o in mentions:
        o.sentence = sentence_no_of(o.start)
    bisect_left = bisect.bisect_left
    for i, hit in enumerate(hits):
        start = hit.start
        # Cut to 300 characters each side in text without sentence ends (a flattened table).
        sstart, send = sentence_at(start, hit.end)
        cstart, cend = bounds.clause(start, hit.end)
        if i + 1 < len(hits):
            cend = min(cend, starts[i + 1])
        sentence_no = sentence_no_of(start)
        # Only the mentions of this sentence and clause: a look-up over the paragraph for each
        # figure would be quadratic in a long paragraph.
        upto = bisect_left(mention_starts, start)
        window = mentions[bisect_left(mention_starts, min(sstart, cstart), 0, upto):upto]
        ctx = _Context(
            sstart, cstart, cend, _segment_start(segment_marks, sstart, start), starts, segment_marks,
            mentions, window, [o for o in window if sstart <= o.start and o.end <= start],
            rows[-1:] if sentence_nos and sentence_nos[-1] == sentence_no else [],
            mention_starts,
        )
        subject = _figure_subject(para, hit, ctx, rules)
        place, org = _figure_owner(para, hit, ctx, rules)
        shared = _distributed(para, hit, ctx, rules)
        place, org = shared.get("place", place), shared.get("organization", org)
        subject = shared.get("subject", subject)
        unit = hit.unit
        if hit.printed == "位" and hit.kind == "count":
            unit = "人" if subject and any(w in subject for w in rules.people_words) else "位"
        sentence_nos.append(sentence_no)
        # In the order of _DTYPES after para_no (a tuple: a dict per figure costs more than the rest
        # of the row).
        rows.append((
            start,
            hit.end,
            para[start:hit.end],
            # Decimal arithmetic first, so 1655.3万 is exactly 16553000.0, not 16553000.000000002.
            _float(hit.value),
            math.nan if hit.value_max is None else _float(hit.value_max),
            unit,
            hit.kind,
            bool(hit.qualifiers),
            ",".join(hit.qualifiers) or None,
            subject,
            _category(hit.kind, unit, subject, rules),
            place,
            org,
            # A sentence naming no period goes on with the paragraph's last one (其中，…增长4.1%).
            _period(para, sstart, start, rules) or (rows[-1][_PERIOD] if rows else None),
            _basis(para, hit, ctx, rules),
            para[sstart:send],
        ))
    return rows


# --- the public function --------------------------------------------------------------------


def extract_indicators(
    data: pd.DataFrame | str,
    *,
    kinds: Iterable[Kind] | None = None,
    rules: str | os.PathLike | None = None,
) -> pd.DataFrame:
    """Find the economic figures in any text input: one row per figure, with what and whose it is.

    A figure is a number with a unit or measure word (469亿元, 261家, 5公里, 9.57%, 2.25倍,
    1小时左右), a rank (居全省第二, 第三十二位, a bound such as 前10名 or 前三) or a change
    (增长12.3%, 下降2个百分点). Numbers may be Arabic (1,500; 9 .57 as scanned; GDP1234.5亿元
    glued to an acronym), carry magnitudes (1655.3万吨, 30余万人), be Chinese numerals (三十二,
    百亿元, 上万个) or full-width digits; a list shares its last unit (0.5个、1.2个百分点 are both
    百分点). Dates, years, issue numbers, event ordinals (第五次), slogans (三高四新, “五个确保”)
    and bare numbers are not figures. The word lists behind every decision are data in
    ``zzanalysis/resources/indicators/`` and ``resources/places/`` (see their READMEs).

    Args:
        data: a str, an articles / paragraphs / stories table, or a Corpus / Issue — read into
            paragraphs by :func:`zzanalysis.spans.documents` (a string is one article whose
            ``article_id`` is None, its lines paragraphs 1, 2, …).
        kinds: keep only these kinds (default: all).
        rules: a TOML file in the form of the shipped ``resources/indicators/rules.toml``, merged
            over it: tables merge, lists are extended, single values (window sizes, the year range
            ``[dates]``) replaced. E.g. ``[places] extra = {"浏阳" = "浏阳"}`` or
            ``[subject] terms = ["快递业务量"]``.

    Returns:
        New DataFrame, one row per figure, ordered by input row, ``para_no`` and ``start``:
        ``article_id`` (``story_id`` for a stories table), ``para_no``; ``start``, ``end``
        (offsets into the paragraph, so ``paragraph[start:end] == text``); ``text`` (as printed,
        hedges included: ``800余个``, ``超过90亿美元``, ``下降16.3%``); ``value`` (float in base
        units: 469亿元 → 4.69e10, 下降16.3% → -16.3, rank 第五 → 5; for a range, its low end;
        NaN for a number beyond float range, such as a run of hundreds of digits — the row and
        its ``text`` stay, so nothing printed is lost);
        ``value_max`` (high end of a range such as 85%-95%, else NaN); ``unit`` (base unit: 元,
        美元, 家, 人, 吨, %, 百分点, 倍, 位 for ranks and for 位 not counting people …); ``kind``
        (money, count, measure, duration, percent, growth, multiple, rank, price); ``approx``
        (True when hedged or a bound); ``qualifier`` (the hedge words, comma-joined: ``余``,
        ``超过``, ``上``, ``左右``, ``前``; None); ``subject`` (what is measured: ``地区生产总值``,
        ``污染企业``, ``岗位``; None when unclear); ``category`` (from ``categories.toml``: output,
        enterprises, employment, investment, rank, trade …); ``place`` (whose figure, as a
        region: ``株洲`` — also for 全市/我市 —, ``长沙``, ``醴陵``, ``天元区``, ``全省``, ``全国``;
        None); ``organization`` (whose figure, as a company or body: ``康宁``,
        ``株洲恒远精工有限公司``; None); ``period`` (the time it refers to: ``2022年``,
        ``一季度``, ``2023年1至4月``, ``年均``; the paragraph's last one when its sentence names
        none); ``basis`` (the comparison: ``同比``, ``环比``, ``比上年``; None); ``sentence`` (as
        :mod:`zzanalysis.spans` defines it). The owner is the nearest place or organisation before
        the figure in its sentence, leaving out yardsticks (居全省第二, 低于全国平均); the k-th
        figure after 分别 belongs to the k-th item of the list before it; a sentence naming no
        owner takes the previous sentence's; 该公司/该集团 is the article's last company. Every
        other input column (date, page, headline …) follows, repeated per row; one named like a
        column above gets the input table's name as prefix (an article's ``kind`` →
        ``article_kind``).

    Raises:
        TypeError: ``data`` is none of the accepted kinds.
        ColumnError: the table lacks ``text`` or its id column.
        ValueError: ``kinds`` names an unknown kind; the rule file cannot be read, is not valid
            TOML (the message names the file and line) or gives a value of the wrong type.

    Example:
        >>> zz.read_corpus("data/raw").pipe(zz.extract_indicators).query(
        ...     "place.notna()")[["text", "subject", "place", "organization"]]  # doctest: +SKIP
        >>> zz.extract_indicators("长沙、株洲GDP增速分别为5.1%、4.8%。")[["text", "subject", "place"]]
           text subject place
        0  5.1%   GDP增速    长沙
        1  4.8%   GDP增速    株洲
    """
    wanted = None if kinds is None else set(kinds)
    if wanted is not None and not wanted <= set(get_args(Kind)):
        raise ValueError(f"unknown kind(s) {sorted(wanted - set(get_args(Kind)))}; choose from {get_args(Kind)}")
    docs = documents(data, fields=("text",), func="extract_indicators")
    rule_set = _rules(None if rules is None else _read_user_rules(rules))
    # Windows are remembered within one call only: what a call costs does not depend on the calls before it.
    rule_set.before_memo.clear()
    rule_set.after_memo.clear()
    rule_set.core_memo.clear()

    records: list[tuple] = []
    positions: list[int] = []
    ids = docs.frame[docs.key].tolist()
    state: dict = {}
    previous: int | None = None
    with decimal.localcontext(_DECIMAL):
        for pos, _field, para_no, para in docs:
            if pos != previous and (previous is None or ids[pos] is None or ids[pos] != ids[previous]):
                state = {}  # 该公司 points back within one article (or story) only
            previous = pos
            for row in _paragraph_rows(para, rule_set, state):
                if wanted is not None and row[_KIND] not in wanted:
                    continue
                records.append((para_no, *row))
                positions.append(pos)

    own = [docs.key] + INDICATOR_COLUMNS[1:]
    # Each column straight from its values: no object column converted afterwards.
    columns = list(zip(*records)) or [()] * len(_DTYPES)
    out = pd.DataFrame({name: pd.Series(values, dtype=dtype)
                        for (name, dtype), values in zip(_DTYPES.items(), columns)})
    out.insert(0, docs.key, docs.ids(positions).astype("str"))
    out = pd.concat([out, docs.meta(positions, own)], axis=1)
    return out
