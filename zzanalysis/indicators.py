"""Economic figures in the text — amounts, counts, percentages, multiples, ranks — as a table.

``extract_indicators`` finds every number that carries a unit or measure word (469亿元, 261家,
9.57%, 2.25倍), a rank (居全省第二, 第三十二位) or a change (下降16.3%), converts it to a float in
base units and records where it is, how hedged it is (余, 多, 超过, 左右 …), what it measures and
which sentence it came from. A number with none of these (4月26日, 第23288期, CN 43-0005) is not
an indicator. The word lists that make these decisions are data in
``zzanalysis/resources/indicators/`` (units.csv, rules.toml, categories.toml); its README documents
the borderline cases.

Chinese numerals are converted with ``cn2an``, on the extracted span only (running a converter
over a sentence rewrites words such as 统一 → 统1).
"""
from __future__ import annotations

import csv
import functools
import io
import bisect
import math
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Literal, get_args

import pandas as pd

__all__ = ["extract_indicators", "get_indicator_units", "INDICATOR_COLUMNS"]

Kind = Literal["money", "count", "measure", "duration", "percent", "growth", "multiple", "rank", "price"]

#: Columns of the indicators table, in order; input metadata columns follow them.
INDICATOR_COLUMNS = [
    "article_id", "para_no", "start", "end", "text", "value", "value_max", "unit", "kind",
    "approx", "qualifier", "subject", "category", "period", "sentence",
]

_CN_DIGITS = "〇零一二两三四五六七八九"
_CN_NUMERAL = _CN_DIGITS + "十百千万亿"
_MAGNITUDE = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}

# Arabic number, optionally with thousands separators and the space that scanned text puts
# around a decimal point: 469, 2.25, 1,500, 14467.1, 9 .57. Possessive quantifiers and the
# look-behind (no start inside a digit run) keep a 100,000-digit string linear.
_ARABIC = r"(?<![\d.A-Za-z])(?<!\d,)(?:\d{1,3}(?:,\d{3})++(?!\d)|\d++)(?:[ ]?\.[ ]?\d++)?"
# Chinese numeral run: 三十二, 百, 两百, 一千二百, 三点五 (never starts inside another run).
_CHINESE = rf"(?<![{_CN_NUMERAL}])[{_CN_NUMERAL}]{{1,16}}(?:点[{_CN_DIGITS}]{{1,8}})?"
# A number core: 469亿 (digits + magnitude), 1655.3万, 三十二, 百分之三十.
_NUMBER_RE = re.compile(
    rf"(?P<pct>百分之)?(?:(?P<arabic>{_ARABIC})(?P<mag>[十百千万亿]{{0,3}})|(?P<chinese>{_CHINESE}))"
)
# Full-width forms that the reader normalises but a plain string may still hold: ４６９％.
# Each maps to one character, so offsets into the translated text are offsets into the original.
_FULLWIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "．": ".", "％": "%"})
# Range separators between two numbers: 85%-95%, 3至5年, 10～15家.
_RANGE_SEPS = "-－~～—–至到"
# Where a sentence ends: 。！？； (a closing quote after the mark stays with the sentence).
_SENTENCE_END_RE = re.compile(r"[。！？!?；;…]+[”’」』）)]*")
# Where a clause ends, for rank cues and subjects: “经济总量排在湖南第五，人均GDP居全省第二”.
_CLAUSE_END_RE = re.compile(r"[，,。！？!?；;：:、]")
# A Chinese character (not punctuation): the 次 that makes 第五次 an ordinal, not a rank.
_CJK_IDEOGRAPH_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_OPEN_QUOTES = "“‘《「『〈"
_QUOTES = "“”‘’《》「」『』〈〉\"'"


@dataclass(frozen=True)
class _Rules:
    units: dict[str, tuple[str, Decimal, str]]
    unit_re: re.Pattern
    hedge_prefix_re: re.Pattern
    hedge_infix: frozenset[str]
    hedge_suffix: tuple[str, ...]
    near_blockers: frozenset[str]
    rank_cue_re: re.Pattern
    rank_scopes: tuple[str, ...]
    rank_suffixes: frozenset[str]
    growth_re: re.Pattern
    growth_down: frozenset[str]
    period_re: re.Pattern
    year_re: re.Pattern
    not_indicator_re: re.Pattern
    vague_before: tuple[str, ...]
    min_year: int
    max_year: int
    link_words: frozenset[str]
    nominal_verbs: frozenset[str]
    stop_words: frozenset[str]
    max_words: int
    max_chars: int
    categories: tuple[dict, ...]


def _resource(name: str) -> str:
    return resources.files("zzanalysis").joinpath("resources", "indicators", name).read_text("utf-8")


def _alternation(words: Iterable[str]) -> str:
    # Longest first, so that 超过 wins over 超 and 个百分点 over 个.
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@functools.cache
def _rules() -> _Rules:
    rows = csv.DictReader(io.StringIO("".join(
        line for line in _resource("units.csv").splitlines(keepends=True) if not line.startswith("#")
    )))
    units = {r["unit"]: (r["base_unit"], Decimal(r["multiplier"]), r["kind"]) for r in rows}
    cfg = tomllib.loads(_resource("rules.toml"))
    cats = tomllib.loads(_resource("categories.toml"))["rule"]
    hedges, rank, growth, subject = cfg["hedges"], cfg["rank"], cfg["growth"], cfg["subject"]
    return _Rules(
        units=units,
        unit_re=re.compile(_alternation(units)),
        # Anchored at the end of the text before a number: "…投资超过" → 超过.
        hedge_prefix_re=re.compile(f"(?:{_alternation(hedges['prefix'])})$"),
        hedge_infix=frozenset(hedges["infix"]),
        hedge_suffix=tuple(sorted(hedges["suffix"], key=len, reverse=True)),
        near_blockers=frozenset(hedges["near_blockers"]),
        rank_cue_re=re.compile(_alternation(rank["cues"])),
        rank_scopes=tuple(rank["scopes"]),
        rank_suffixes=frozenset(rank["suffixes"]),
        # "…同比下降了" → verb 下降, gap 了 (matched against the text just before the number).
        growth_re=re.compile(
            f"(?P<verb>{_alternation(growth['up'] + growth['down'])})(?:{_alternation(growth['gap'])})?$"
        ),
        growth_down=frozenset(growth["down"]),
        period_re=re.compile(_alternation(cfg["periods"]["words"])),
        # A year as the period of a figure: 2022年, 2018年以来, 2023年一季度.
        year_re=re.compile(rf"(?<!\d)(?:19|20)\d{{2}}年(?:{_alternation(cfg['periods']['year_suffixes'])})?"),
        not_indicator_re=re.compile(_alternation(cfg["not_indicators"]["phrases"])),
        vague_before=tuple(cfg["not_indicators"]["vague_before"]),
        min_year=int(cfg["dates"]["min_year"]),
        max_year=int(cfg["dates"]["max_year"]),
        link_words=frozenset(subject["link_words"]),
        nominal_verbs=frozenset(subject["nominal_verbs"]),
        stop_words=frozenset(subject["stop_words"]),
        max_words=int(subject["max_words"]),
        max_chars=int(subject["max_chars"]),
        categories=tuple(cats),
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


# --- numbers -------------------------------------------------------------------------------


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


def _arabic_value(digits: str, mag: str) -> Decimal:
    value = Decimal(digits.replace(",", "").replace(" ", ""))
    for ch in mag:
        value *= _MAGNITUDE[ch]
    return value


@dataclass
class _Hit:
    start: int
    end: int
    value: Decimal
    value_max: Decimal | None
    unit: str
    kind: str
    qualifiers: list[str]


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


PERIOD_LOOKBACK = 120
SENTENCE_CONTEXT = 300  # characters kept each side of a figure in an overlong "sentence"


class _Bounds:
    """Sentence and clause boundaries of one paragraph, found once.

    Looking them up per figure by bisection keeps a paragraph with thousands of figures linear;
    scanning the paragraph again for each figure made it quadratic.
    """

    def __init__(self, para: str):
        self.para = para
        sentences = [(m.start(), m.end()) for m in _SENTENCE_END_RE.finditer(para)]
        self.sentence_starts = [a for a, _ in sentences]
        self.sentence_ends = [b for _, b in sentences]
        self.clause_marks = [m.start() for m in _CLAUSE_END_RE.finditer(para)]

    def sentence(self, pos: int) -> tuple[int, int]:
        k = bisect.bisect_right(self.sentence_ends, pos)
        start = self.sentence_ends[k - 1] if k else 0
        k = bisect.bisect_left(self.sentence_starts, pos)
        end = self.sentence_ends[k] if k < len(self.sentence_ends) else len(self.para)
        while start < end and self.para[start].isspace():
            start += 1
        return start, end

    def clause(self, start: int, end: int) -> tuple[int, int]:
        return _clause_start(self.clause_marks, start), self._clause_end(end)

    def _clause_end(self, end: int) -> int:
        k = bisect.bisect_left(self.clause_marks, end)
        return self.clause_marks[k] if k < len(self.clause_marks) else len(self.para)


def _clause_start(marks: list[int], start: int) -> int:
    """End of the last clause mark within 60 characters before ``start`` (else start-60, or 0)."""
    k = bisect.bisect_left(marks, start)
    if k and marks[k - 1] >= start - 60:
        return marks[k - 1] + 1
    return start - 60 if start > 60 else 0


def _is_rank(norm: str, first: int, after: int, rules: _Rules) -> tuple[bool, int]:
    """Decide whether 第N (第 at ``first``, numeral ending at ``after``) is a rank; return its end."""
    nxt = norm[after] if after < len(norm) else ""
    if nxt in rules.rank_suffixes:
        return True, after + 1
    if nxt and _CJK_IDEOGRAPH_RE.match(nxt):
        # 第五次, 第八届, 第23288期, 第一家, 第一条: an ordinal of an event or an item, not a rank.
        return False, after
    if norm.endswith(rules.rank_scopes, 0, first):
        return True, after
    cstart = _clause_start([m.start() for m in _CLAUSE_END_RE.finditer(norm, max(0, first - 61), first)], first)
    return rules.rank_cue_re.search(norm, cstart, first) is not None, after


def _scan(norm: str, rules: _Rules) -> list[_Hit]:
    hits: list[_Hit] = []
    blocked = [(m.start(), m.end()) for m in rules.not_indicator_re.finditer(norm)]
    last_end = 0
    for m in _NUMBER_RE.finditer(norm):
        if m.start() < last_end:
            continue  # second half of a range already taken
        s = m.start()
        run = m.group("chinese")
        # 第N: a rank or nothing — an ordinal is never a count (第五次, 第23288期).
        if norm.endswith("第", 0, s):
            if m.group("pct"):
                continue
            value = (_chinese_value(run) if run is not None
                     else _arabic_value(m.group("arabic"), ""))
            after = m.end() if run is not None else m.end("arabic")
            ok, end = _is_rank(norm, s - 1, after, rules)
            if ok and value is not None:
                hits.append(_Hit(s - 1, end, value, None, "位", "rank", []))
                last_end = end
            continue
        if run is not None and not m.group("pct"):
            if run == "一" or (len(run) == 1 and run in "〇零"):
                continue  # 一个好项目, 一台机车: a determiner, not a quantity
            if norm.startswith("几", m.end()) or (
                run[0] in _MAGNITUDE and norm.endswith(rules.vague_before, 0, s)
            ):
                continue  # 十几家, 数百家, 几十个, 成千: no definite value
            if s > 0 and norm[s - 1] in _OPEN_QUOTES:
                continue  # “五个确保”, 《十四五规划》: a slogan or a title
            if set(run) <= set("万亿") and rules.hedge_prefix_re.search(norm, max(0, s - 4), s) is None:
                continue  # 投资亿元, 万元户, 1e400亿元: a unit word, no quantity (上万个 has its hedge)
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
                    if unit is None and m.group("arabic") is not None and not m.group("mag") and m2.group("mag"):
                        # 1000-2000万元: the magnitude after the second number applies to both.
                        low = _arabic_value(m.group("arabic"), m2.group("mag"))
                    if low <= core2[0]:
                        value, value_max = low, core2[0]
                        end, infix, unit = core2[1], infix or core2[2], core2[3]
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
        pm = rules.hedge_prefix_re.search(norm, max(0, s - 4), s)
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
        if infix:
            quals.append(infix)
        # Suffix hedge: 1小时左右, 100人以上; 余/多 after the unit only for durations (1年多).
        for word in rules.hedge_suffix:
            if norm.startswith(word, end) and (word not in ("余", "多") or kind == "duration"):
                quals.append(word)
                end += len(word)
                break
        # A price: 3000元/吨, 5元每斤.
        if kind == "money" and end < len(norm) and norm[end] in "/每":
            um = rules.unit_re.match(norm, end + 1)
            if um is not None and rules.units[um.group()][2] in ("measure", "count", "duration"):
                base = f"{base}/{rules.units[um.group()][0]}"
                kind = "price"
                end = um.end()
        # A change: 增长12.3%, 下降16.3%, 提高2个百分点.
        if kind == "percent":
            gm = rules.growth_re.search(norm, max(0, s - 8), s)
            if gm is not None:
                kind = "growth"
                s = gm.start()
                if gm.group("verb") in rules.growth_down:
                    mult = -mult
        if any(bs < end and s < be for bs, be in blocked):
            continue
        hits.append(_Hit(s, end, value * mult, None if value_max is None else value_max * mult,
                         base, kind, quals))
        last_end = end
    return hits


# --- subjects, periods, categories ----------------------------------------------------------

# Part-of-speech tags that end a noun phrase: verbs, adverbs, prepositions, conjunctions,
# particles, pronouns, numerals, measure words, locatives, punctuation.
_STOP_POS = ("v", "d", "p", "c", "u", "r", "m", "q", "f", "x", "t", "s", "y", "o")


def _nounish(word: str, pos: str, rules: _Rules) -> bool:
    if word in rules.stop_words or word in rules.link_words:
        return False
    if word in rules.nominal_verbs:
        return True
    if pos in ("vn", "mq"):
        return True  # 污染, 零部件 (the tagger reads 零 as a numeral)
    if not (_CJK_IDEOGRAPH_RE.match(word[0]) or word.isascii() and word.isalpha()):
        return False
    return pos != "e" and not pos.startswith(_STOP_POS)


def _join(words: list[str], rules: _Rules) -> str | None:
    words = words[-rules.max_words:]
    while words and len("".join(words)) > rules.max_chars:
        words = words[1:]
    return "".join(words) or None


def _subject_after(text: str, rules: _Rules) -> str | None:
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
        if not _nounish(word, pos, rules) or (pos == "ns" and words):
            break
        words.insert(0, word)
        i -= 1
    return _join(words, rules)


def _subject(para: str, hit: _Hit, cstart: int, cend: int, rules: _Rules) -> str | None:
    before = para[max(cstart, hit.start - 24):hit.start]
    if hit.kind in ("rank", "percent", "growth", "multiple"):
        return _subject_before(before, rules)
    after = para[hit.end:min(cend, hit.end + 16)]
    if hit.kind != "money" and after.startswith("的"):
        after = after[1:]  # 5000余人的国家重点领域创新团队
    return _subject_after(after, rules) or _subject_before(before, rules)


def _period(para: str, sstart: int, start: int, rules: _Rules) -> str | None:
    # Only the last PERIOD_LOOKBACK characters of the sentence: a period word further back
    # rarely governs the figure, and an unbounded look-back is quadratic in a long sentence.
    sstart = max(sstart, start - PERIOD_LOOKBACK)
    found = [(m.end(), m.group()) for m in rules.period_re.finditer(para, sstart, start)]
    found += [(m.end(), m.group()) for m in rules.year_re.finditer(para, sstart, start)]
    return max(found)[1] if found else None


def _category(kind: str, unit: str, subject: str | None, rules: _Rules) -> str:
    for rule in rules.categories:
        if "kinds" in rule and kind not in rule["kinds"]:
            continue
        if "units" in rule and unit not in rule["units"]:
            continue
        if "subject" in rule and not (subject and any(w in subject for w in rule["subject"])):
            continue
        return rule["category"]
    return "other"


def _paragraph_rows(para: str, rules: _Rules) -> list[dict]:
    norm = para.translate(_FULLWIDTH)
    rows: list[dict] = []
    bounds = _Bounds(para)
    for hit in _scan(norm, rules):
        sstart, send = bounds.sentence(hit.start)
        # Text without sentence ends (a table flattened by the export) would otherwise copy the
        # whole paragraph into every row's sentence.
        sstart, send = max(sstart, hit.start - SENTENCE_CONTEXT), min(send, hit.end + SENTENCE_CONTEXT)
        cstart, cend = bounds.clause(hit.start, hit.end)
        subject = _subject(para, hit, cstart, cend, rules)
        if (subject is None and hit.kind == "count" and para[hit.start - 1:hit.start] == "有" and rows
                and rows[-1]["unit"] == hit.unit and rows[-1]["sentence"] == para[sstart:send]):
            # 每10台中小航空发动机，有9台…: the second count is of the same thing.
            subject = rows[-1]["subject"]
        rows.append({
            "start": hit.start,
            "end": hit.end,
            "text": para[hit.start:hit.end],
            # Decimal arithmetic first, so 1655.3万 is exactly 16553000.0, not 16553000.000000002.
            "value": float(hit.value),
            "value_max": math.nan if hit.value_max is None else float(hit.value_max),
            "unit": hit.unit,
            "kind": hit.kind,
            "approx": bool(hit.qualifiers),
            "qualifier": ",".join(hit.qualifiers) or None,
            "subject": subject,
            "category": _category(hit.kind, hit.unit, subject, rules),
            "period": _period(para, sstart, hit.start, rules),
            "sentence": para[sstart:send],
        })
    return rows


# --- the public function --------------------------------------------------------------------


def extract_indicators(
    data: pd.DataFrame | str,
    *,
    kinds: Iterable[Kind] | None = None,
) -> pd.DataFrame:
    """Find the economic figures in articles, paragraphs or a string: one row per figure.

    A figure is a number with a unit or measure word (469亿元, 261家, 5公里, 9.57%, 2.25倍,
    1小时左右), a rank (居全省第二, 第三十二位) or a change (增长12.3%, 下降2个百分点). Numbers
    may be Arabic (1,500; 9 .57 as scanned), carry magnitudes (1655.3万吨), be Chinese numerals
    (三十二, 百亿元, 上万个) or full-width digits. Dates, years, issue numbers, event ordinals
    (第五次), slogans (三高四新, “五个确保”) and bare numbers are not figures.

    Args:
        data: an articles frame (``article_id``, ``text``; paragraph k is
            ``text.split('\\n')[k-1]``), a paragraphs frame (``article_id``, ``para_no``,
            ``text``) or a plain string. A string is read as one article whose ``article_id`` is
            None; its lines are paragraphs 1, 2, … (a one-line string is ``para_no`` 1).
        kinds: keep only these kinds (default: all).

    Returns:
        New DataFrame, one row per figure, ordered by input row, ``para_no`` and ``start``:
        ``article_id``, ``para_no``; ``start``, ``end`` (offsets into the paragraph's text, so
        ``paragraph[start:end] == text``); ``text`` (as printed, hedges included: ``800余个``,
        ``超过90亿美元``, ``下降16.3%``); ``value`` (float in base units: 469亿元 → 4.69e10,
        下降16.3% → -16.3, rank 第五 → 5; for a range, its low end); ``value_max`` (high end of a
        range such as 85%-95%, else NaN); ``unit`` (base unit: 元, 美元, 家, 人, 吨, %, 百分点, 倍,
        位 for ranks …); ``kind`` (money, count, measure, duration, percent, growth, multiple,
        rank, price); ``approx`` (True when hedged); ``qualifier`` (the hedge words, comma-joined:
        ``余``, ``超过``, ``上``, ``左右``; None); ``subject`` (what is measured, from nearby words:
        ``产业集群规模``, ``污染企业``, ``岗位``; None when unclear); ``category`` (from
        ``resources/indicators/categories.toml``: output, enterprises, employment, investment,
        rank, trade …); ``period`` (the nearest period word or year before it in the sentence:
        ``年均``, ``同比``, ``2022年``, at most 120 characters back; None); ``sentence`` (the
        sentence it sits in, cut to 300 characters each side of the figure when text has no
        sentence ends). Every other input column (date, page,
        headline …) follows, repeated per row; input columns named like an output column are
        carried with an ``article_`` (articles) or ``paragraph_`` (paragraphs) prefix, e.g. an
        article's ``kind`` as ``article_kind``.

    Raises:
        TypeError: if ``data`` is neither a DataFrame nor a string.
        ValueError: if the frame lacks ``article_id`` or ``text``, or ``kinds`` names an unknown kind.

    Example:
        >>> zz.read_corpus("data/raw").articles.pipe(zz.extract_indicators).query(
        ...     "kind == 'money'")[["text", "value", "unit", "subject"]]  # doctest: +SKIP
        >>> zz.extract_indicators("株洲功率半导体器件产业集群规模达469亿元")[["text", "value", "subject"]]
                text         value subject
        0  469亿元  4.690000e+10  产业集群规模
    """
    rules = _rules()
    wanted = None if kinds is None else set(kinds)
    if wanted is not None and not wanted <= set(get_args(Kind)):
        raise ValueError(f"unknown kind(s) {sorted(wanted - set(get_args(Kind)))}; choose from {get_args(Kind)}")
    if isinstance(data, str):
        frame = pd.DataFrame({"article_id": [None], "text": [data]})
        meta_cols: list[str] = []
        is_paragraphs = False
    elif isinstance(data, pd.DataFrame):
        missing = {"article_id", "text"} - set(data.columns)
        if missing:
            raise ValueError(f"extract_indicators needs columns {sorted(missing)} in the frame")
        frame = data
        is_paragraphs = "para_no" in data.columns
        meta_cols = [c for c in data.columns if c not in ("article_id", "para_no", "text")]
    else:
        raise TypeError(f"extract_indicators takes a DataFrame or a str, not {type(data).__name__}")

    prefix = "paragraph_" if is_paragraphs else "article_"
    renamed = {c: (prefix + c if c in INDICATOR_COLUMNS else c) for c in meta_cols}

    records: list[dict] = []
    texts = frame["text"].tolist()
    ids = frame["article_id"].tolist()
    paras_no = frame["para_no"].tolist() if is_paragraphs else None
    meta = {c: frame[c].tolist() for c in meta_cols}
    for i, (article_id, text) in enumerate(zip(ids, texts)):
        if not isinstance(text, str):
            continue  # a missing text (NA) has no figures
        pieces = [(paras_no[i], text)] if is_paragraphs else enumerate(text.split("\n"), start=1)
        for para_no, para in pieces:
            for row in _paragraph_rows(para, rules):
                if wanted is not None and row["kind"] not in wanted:
                    continue
                row = {"article_id": article_id, "para_no": para_no, **row}
                row.update({renamed[c]: meta[c][i] for c in meta_cols})
                records.append(row)

    columns = INDICATOR_COLUMNS + [renamed[c] for c in meta_cols]
    out = pd.DataFrame.from_records(records, columns=columns)
    dtypes = {
        "article_id": "str", "para_no": "int64", "start": "int64", "end": "int64",
        "text": "str", "value": "float64", "value_max": "float64", "unit": "str",
        "kind": "str", "approx": "bool", "qualifier": "str", "subject": "str",
        "category": "str", "period": "str", "sentence": "str",
    }
    out = out.astype(dtypes)
    for c in meta_cols:
        try:
            out[renamed[c]] = out[renamed[c]].astype(frame[c].dtype)
        except (TypeError, ValueError):
            pass  # a column whose values do not fit its own dtype once repeated stays as is
    return out
