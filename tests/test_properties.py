"""Invariants of the reader on pages generated from the page grammar (hypothesis).

``pages()`` writes a page the way the PDF exports print one — optional masthead, then articles
with optional column, kicker, subtitle, inline or stand-alone byline, paragraphs in ASCII or
full-width punctuation, subheads, captions, glued paragraphs, PDF line breaks inside paragraphs
with blank lines around them, jumps, teasers, page furniture — and keeps what it wrote as the
expected result. The properties:

- the parser gets back exactly what was written (articles, fields, paragraphs, roles);
- nothing is lost: every non-blank character of the source is in exactly one place;
- ids are stable across runs and parses are deterministic;
- normalisation is idempotent, and every paragraph is in normal form;
- ``text[start:end]`` is the token / term / figure for ``tokenize``, ``industry_mentions`` and
  ``extract_indicators`` on the parsed paragraphs.
"""
from __future__ import annotations

import collections
import datetime as dt
import re
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import zzanalysis as zz
from zzanalysis.reader import parse_text
from zzanalysis.text import normalize_text

pytestmark = pytest.mark.filterwarnings("ignore::zzanalysis.errors.PageWarning")
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PATH = "zzrb-2023-04-27-p01.md"

# Words with no grammar keyword in them (no role word, 图为, 下转, 版, dates): body material.
WORDS = ["株洲", "制造业", "名城", "轨道交通", "装备", "功率半导体", "产业链", "企业", "发展", "高质量",
         "创新", "动力", "北斗", "航空", "发动机", "湘江", "清水塘", "新材料", "硬质合金", "招聘会",
         "岗位", "GDP", "5G", "100多个", "469亿元", "2.25倍", "9.57%", "800余个", "第三十二位", "𠀀",
         "“金名片”", "《关于进一步促进房地产业良性循环的若干措施》", "康宁", "北交所", "株洲造"]
NAMES = ["温琳", "彭玲", "赵小茵", "余建斌", "吴齐强", "邱超奕", "廖明", "何春林", "颜小波", "刘芳", "王𠀀"]
COLUMNS = ["央媒看株洲", "开局之年", "一线传真"]
KICKERS = ["胡长春在相关会议上强调", "陈恢清主持召开市政府常务会议", "株洲“牵手”康宁"]
ENDS = ["。", "！", "？", "；"]
# punctuation as printed: the sample's ASCII or the usual full-width, chosen per mark
COMMA = st.sampled_from([",", "，"])


@dataclass
class Para:
    role: str  # body, subhead, caption
    text: str  # as printed (ASCII or full-width marks)


@dataclass
class Art:
    headline: str
    kind: str = "article"
    column: str | None = None
    kicker: str | None = None
    subtitle: str | None = None
    source: str | None = None
    reporters: list = field(default_factory=list)
    correspondents: list = field(default_factory=list)
    dateline: str | None = None
    continued_to: str | None = None
    continued_from: str | None = None
    paras: list = field(default_factory=list)


@st.composite
def sentences(draw) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))
    out = words[0]
    for w in words[1:]:
        # a space only between Chinese words, never after a sentence end (that would glue)
        out += draw(st.sampled_from(["", "", "", " ", draw(COMMA), "、"]))
        out += w
    return out + draw(st.sampled_from(ENDS))


@st.composite
def paragraph_texts(draw) -> str:
    return "".join(draw(st.lists(sentences(), min_size=1, max_size=3)))


def _split_points(text: str) -> list[int]:
    """Where a PDF line break can fall so that repair must rejoin it: not after a sentence end
    (that is a paragraph end), not next to a space, not inside a Latin word or number."""
    ok = []
    for i in range(1, len(text)):
        left, right = text[:i], text[i:]
        if left.endswith(("。", "！", "？", "；", "…", "：", "”", "’", "）", "》", "——", ":", ")", "?", "!", ";")):
            continue
        if left[-1].isspace() or right[0].isspace() or (left[-1].isascii() and right[0].isascii()):
            continue
        ok.append(i)
    return ok


@st.composite
def bodies(draw, caption_ok=True) -> list[Para]:
    paras = [Para("body", draw(paragraph_texts()))]
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["body", "body", "body", "subhead", "caption"] if caption_ok else ["body"]))
        if kind == "subhead":
            paras.append(Para("subhead", draw(st.sampled_from(["为什么选择株洲?", "活力株洲", "创新驱动 制造强市"]))))
            paras.append(Para("body", draw(paragraph_texts())))  # a subhead never ends an article
        elif kind == "caption":
            # "…挑选。图为招聘会现场。": 图为 right after a full stop (after "；" it is body text)
            lead = draw(paragraph_texts()).rstrip("。！？；")
            paras.append(Para("caption", lead + "。图为" + draw(st.sampled_from(["招聘会现场", "车间一角"])) + "。"))
        else:
            paras.append(Para("body", draw(paragraph_texts())))
    return paras


@st.composite
def bylines(draw, art: Art) -> tuple[str, str]:
    """(printed byline, how it is printed: inline|standalone); fills the article's fields."""
    reporters = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3, unique=True))
    corr = draw(st.lists(st.sampled_from([n for n in NAMES if n not in reporters]), max_size=2, unique=True))
    form = draw(st.sampled_from(["inline", "inline", "standalone", "agency", "own"]))
    art.reporters, art.correspondents = reporters, corr
    roles = "全媒体记者/" + " ".join(reporters) + (" 通讯员/" + " ".join(corr) if corr else "")
    if form == "standalone":
        art.source = draw(st.sampled_from(["人民日报", "株洲日报"]))
        art.correspondents = []
        return f"{art.source}全媒体记者/{' '.join(reporters)}", form
    lp, rp = draw(st.sampled_from([("(", ")"), ("（", "）")]))
    if form == "own":
        # "本报讯（记者 张三）": the paper's own name, which only the nameplate tells (pages() fills it)
        art.source, art.correspondents = "本报讯", []
        return f"本报讯{lp}记者 {' '.join(reporters)}{rp}", "inline"
    if form == "agency":
        art.source, art.dateline = "新华社", "4月26日"
        return f"新华社北京4月26日电{lp}{roles}{rp}", "inline"
    art.source = "株洲日报"
    if draw(st.booleans()):
        art.dateline = "4月26日"
        return f"株洲日报{lp}{roles}{rp} 4月26日{draw(COMMA)}", "inline"
    return f"株洲日报{lp}{roles}{rp}", "inline"


@st.composite
def articles(draw) -> tuple[Art, list[str]]:
    """One article as printed lines (pages() puts blank lines between them) and as expected."""
    if draw(st.integers(0, 9)) == 0:
        art = Art(headline="《人民日报》专版特别报道 《增强创新动力 壮大优势产业》", kind="teaser")
        art.continued_to = draw(st.sampled_from(["封二版", "3版", "第5版"]))
        return art, [f"## {art.headline} {draw(st.sampled_from(['', '详见', '见']))}{art.continued_to}"]
    art = Art(headline=draw(st.sampled_from(["制造业名城展新颜", "半导体产业链“盟”聚株洲", "北交所株洲服务基地揭牌",
                                             "我市创建全国公共就业创业服务示范城市", "“制造名城 周周好精彩”活动启动"])))
    lines: list[str] = []
    if draw(st.booleans()):
        art.column = draw(st.sampled_from(COLUMNS))
        lines.append(f"### {art.column}")
    if draw(st.booleans()):
        art.kicker = draw(st.sampled_from(KICKERS))
        lines.append(art.kicker)
    lines.append(f"## {art.headline}")
    if draw(st.booleans()):
        art.subtitle = "——开局之年看株洲"
        lines.append(f"{draw(st.sampled_from(['##', '###']))} {art.subtitle}")
    art.paras = draw(bodies())
    body_lines = _render_body(draw, art.paras)
    if draw(st.integers(0, 5)) == 0:
        # the rest of a story from another page: "（上接01版①）" opens it, no byline
        art.continued_from = draw(st.sampled_from(["01版①", "01版②"]))
        body_lines[0] = draw(st.sampled_from(["（上接{}）", "上接{}", "▶上接{} "])).format(art.continued_from) + body_lines[0]
    else:
        byline, form = draw(bylines(art))
        if form == "standalone":
            lines.append(byline)
        else:
            body_lines[0] = byline + body_lines[0]
    lines += body_lines
    if draw(st.integers(0, 3)) == 0:
        art.continued_to = draw(st.sampled_from(["02版①", "02版②", "03版", "第2版"]))
        marker = draw(st.sampled_from(["▶下转{}", "（下转{}）", "下转{}", "► 下转 {}"])).format(art.continued_to)
        if draw(st.booleans()):
            lines.append(marker)
        else:
            lines[-1] += marker  # at the end of the last paragraph
    return art, lines


def _render_body(draw, paras: list[Para]) -> list[str]:
    """Paragraphs → printed lines: some glued on one line, some broken by the PDF export."""
    out: list[str] = []
    k = 0
    while k < len(paras):
        p = paras[k]
        if p.role == "subhead":
            out.append(f"### {p.text}")
            k += 1
            continue
        nxt = paras[k + 1] if k + 1 < len(paras) else None
        if k > 0 and nxt is not None and nxt.role != "subhead" and draw(st.integers(0, 5)) == 0:
            out.append(p.text + " " + nxt.text)  # glued: split again at the sentence end
            k += 2
            continue
        points = _split_points(p.text)
        if points and draw(st.integers(0, 2)) == 0:
            cuts = sorted(draw(st.lists(st.sampled_from(points), min_size=1, max_size=2, unique=True)))
            pieces = [p.text[a:b] for a, b in zip([0] + cuts, cuts + [len(p.text)])]
            out += pieces
        else:
            out.append(p.text)
        k += 1
    return out


@st.composite
def pages(draw) -> tuple[str, dict, list[Art]]:
    lines: list[str] = []
    masthead: dict = {}
    if draw(st.booleans()):
        day = draw(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31)))
        masthead = dict(paper="株洲日报", date=day, issue_no=draw(st.integers(1, 99999)))
        lines += ["# 株洲日报", f"{day.year}年{day.month}月{day.day}日 星期{'一二三四五六日'[day.weekday()]}  ",
                  f"癸卯年三月初八 第{masthead['issue_no']}期 今日8版",
                  "中共株洲市委主管、主办 国内统一连续出版物号CN 43-0005"]
    arts = []
    for art, art_lines in draw(st.lists(articles(), min_size=1, max_size=5)):
        if art.source == "本报讯":  # the nameplate's paper, or the reader's default (issue 12)
            art.source = "株洲日报"
        arts.append(art)
        lines += art_lines
    for _ in range(draw(st.integers(0, 2))):
        lines.append(draw(st.sampled_from(["扫一扫关注株洲日报社新媒体", "本版编辑/张三", "责任编辑：李四 校对：王五"])))
    # blank lines (some with spaces) between every two printed lines, as the exports have them
    out: list[str] = []
    for line in lines:
        out.append(line)
        out += draw(st.lists(st.sampled_from(["", "", "  ", "\t"]), min_size=1, max_size=3))
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    return eol.join(out), masthead, arts


# --- properties ------------------------------------------------------------------------------

def _none(v):
    return None if v is None or v != v else v  # NaN → None


@SETTINGS
@given(pages())
def test_the_parser_gets_back_what_was_printed(page):
    text, masthead, arts = page
    issue = parse_text(text, path=PATH)
    got = issue.articles
    assert len(got) == len(arts)
    for row, art in zip(got.itertuples(), arts):
        assert (row.kind, row.headline, _none(row.column), _none(row.kicker), _none(row.subtitle)) == (
            art.kind, art.headline, art.column, art.kicker, art.subtitle)
        assert (_none(row.source), row.reporters, row.correspondents, _none(row.dateline), _none(row.continued_to),
                _none(row.continued_from)) == (
            art.source, art.reporters, art.correspondents, art.dateline, art.continued_to, art.continued_from)
        paras = issue.paragraphs[issue.paragraphs["article_id"] == row.article_id]
        assert paras["text"].tolist() == [normalize_text(p.text) for p in art.paras]
        assert paras["role"].tolist() == [p.role for p in art.paras]
    m = issue.meta
    if masthead:
        assert (m["paper"], m["date"].date(), m["issue_no"]) == ("株洲日报", masthead["date"], masthead["issue_no"])
        # the file name says 2023-04-27: any other masthead date wins, with a warning
        assert len(m["warnings"]) == (masthead["date"] != dt.date(2023, 4, 27))
        assert all("disagrees with the file name" in w for w in m["warnings"])
    else:
        assert (m["date"].date(), m["masthead"], m["warnings"]) == (dt.date(2023, 4, 27), [], [])


# Full-width and ASCII forms of a mark are the same character for the accounting: the parser
# normalises each line, and a repaired paragraph's join can make ",株" into "，株".
_FOLD = str.maketrans("，；：？！（）", ",;:?!()")


def _chars(parts) -> collections.Counter:
    return collections.Counter(
        ch for part in parts if isinstance(part, str) for ch in part.translate(_FOLD) if not ch.isspace())


def accounted(issue) -> list[str]:
    """Every place a source character can end up."""
    parts = list(issue.meta["masthead"]) + list(issue.meta["extras"])
    for a in issue.articles.itertuples():
        parts += [a.column, a.kicker, a.headline, a.subtitle, a.byline, a.text]
        if isinstance(a.continued_to, str):
            parts.append(a.continued_to)
        if isinstance(a.continued_from, str):
            parts.append(a.continued_from)
    return parts


# Markup, like "#": the arrows, brackets and words around a jump or a teaser's pointer.
# "▶下转02版①", "（上接01版①）", "详见3版" → "02版①", "01版①", "3版"
_JUMP_MARKUP_RE = re.compile(r"[▶►→]?\s*[（(]?\s*(?:下转|上接|详见|见)\s*(第?\d{1,2}版[①-⑳]?|封[一二三四]版)\s*[）)]?"
                             r"|(?<= )(封[一二三四]版|第?\d{1,2}版)$")


def source_chars(text: str) -> collections.Counter:
    lines = [normalize_text(line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return _chars(_JUMP_MARKUP_RE.sub(lambda m: m[1] or m[2], line.lstrip("#")) for line in lines)


@SETTINGS
@given(pages())
def test_nothing_lost(page):
    text, _masthead, _arts = page
    assert source_chars(text) == _chars(accounted(parse_text(text, path=PATH)))


@SETTINGS
@given(pages())
def test_ids_are_stable_and_parsing_deterministic(page):
    text = page[0]
    one, two = parse_text(text, path=PATH), parse_text(text, path=PATH)
    assert one.articles["article_id"].tolist() == [f"{one.meta['page_id']}-a{k:02d}" for k in range(1, len(one.articles) + 1)]
    assert one.articles.equals(two.articles) and one.paragraphs.equals(two.paragraphs)
    assert {k: v for k, v in one.meta.items()} == {k: v for k, v in two.meta.items()}
    # the same page with other line ends gives the same tables
    three = parse_text(text.replace("\r\n", "\n").replace("\n", "\r\n"), path=PATH)
    assert three.articles.equals(one.articles) and three.paragraphs.equals(one.paragraphs)


@SETTINGS
@given(pages())
def test_paragraphs_are_in_normal_form(page):
    issue = parse_text(page[0], path=PATH)
    for t in issue.paragraphs["text"]:
        assert normalize_text(t) == t
    for a in issue.articles.itertuples():
        assert a.text.split("\n") == issue.paragraphs.loc[issue.paragraphs["article_id"] == a.article_id, "text"].tolist() \
            or (a.text == "" and a.n_paragraphs == 0)


# Characters that exercise every rule of normalize_text: both punctuation forms, full-width
# letters and digits, odd spaces, invisible marks, combining marks, HTML fragments, CJK and
# characters outside the BMP.
NORMAL_ALPHABET = st.sampled_from(list(
    "株洲 ,;:?!()（），；：？！。ab12１２Ａｚ\u3000\u00a0\u200b\u00ad\ufeff\u0301\u0308<>/&#;xpbrampnbsplt"
    "𠀀😀\n\t—…“”《》"))


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(NORMAL_ALPHABET, max_size=40), st.text(max_size=40)))
def test_normalisation_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert once.count("\n") == text.count("\n")  # never adds or removes a line


# --- offsets of the extractors -----------------------------------------------------------------

EXTRACTORS = ["tokenize", "industry_mentions", "extract_indicators"]


@pytest.fixture(scope="module", autouse=True)
def _private_cache(tmp_path_factory):
    # tokenize caches segmentations on disk; keep them out of the user's cache
    mp = pytest.MonkeyPatch()
    mp.setenv("ZZ_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    yield
    mp.undo()


def test_the_extractors_exist():
    # the offset properties below need all three; missing ones fail here, never skip
    assert [name for name in EXTRACTORS if not hasattr(zz, name)] == []


def _check_offsets(paragraphs, found, column):
    text = paragraphs.set_index(["article_id", "para_no"])["text"]
    assert {"article_id", "para_no", "start", "end", column} <= set(found.columns)
    for r in found.itertuples():
        t = text[(r.article_id, r.para_no)]
        assert 0 <= r.start < r.end <= len(t)
        assert t[r.start:r.end] == getattr(r, column)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_extractor_offsets_point_at_what_they_found(page):
    paragraphs = parse_text(page[0], path=PATH).paragraphs
    _check_offsets(paragraphs, zz.tokenize(paragraphs, drop_stopwords=False, drop_punct=False), "token")
    mentions = zz.industry_mentions(paragraphs)
    _check_offsets(paragraphs, mentions[mentions["field"] == "text"] if "field" in mentions else mentions, "term")
    _check_offsets(paragraphs, zz.extract_indicators(paragraphs), "text")
