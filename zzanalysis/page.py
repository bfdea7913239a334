"""The page grammar: the lines of one exported newspaper page → masthead, articles, paragraphs.

A page file is Markdown exported from the printed PDF (see ``data/README.md``)::

    # 株洲日报                                   ← nameplate (paper)
    2023年4月27日 星期四                         ← masthead: date, weekday
    癸卯年三月初八 第23288期 今日8版             ← lunar date, issue number, pages today
    中共株洲市委主管、主办 国内统一连续出版物号CN 43-0005
    ### 央媒看株洲                               ← column (栏目): a ### line right before a headline
    胡长春在相关会议上强调                       ← kicker (引题): short plain line right before a headline
    ## 制造业名城展新颜                          ← headline: ## starts an article
    ### ——开局之年看株洲                         ← subtitle (副题): a ——… line right after it
    人民日报记者/余建斌 吴齐强 邱超奕            ← byline on its own line, or inline:
    株洲日报(全媒体记者/温琳 通讯员/彭玲) 4月26日,…  ← inline byline + dateline, then the body
    ### 为什么选择株洲?                          ← subhead inside a body
    ▶下转02版①                                   ← jump: ends the fragment (continued_to)
    扫一扫关注株洲日报社新媒体                   ← page furniture: goes to the issue's extras

Inside pages and the forms of other years (issue 12)::

    02 要闻                                      ← folio: the page's section (版名)
    2023年4月27日 星期四 责任编辑/王芳 美术编辑/李强  ← the page's editors
    ▶上接01版②                                  ← jump-from, before or after the repeated headline,
                                                   or opening a fragment with no headline
    ## 动力谷再添重大项目
    总投资超百亿元                               ← deck under the headline: the subtitle
    【开栏语】 / 编者按：…                       ← editor's note paragraphs (role editor_note)
    记者 王明 / 通讯员/李华 张强                 ← stand-alone byline block, then a bare
    株洲日报讯 石峰区…                           ←   dateline opening the lead
    红网株洲站6月22日讯（株洲日报记者 王明）…    ← a repost: outlet 红网株洲站, source 株洲日报
    株洲日报5月22日讯（记者王明 赵亮 通讯员李华）  ← 2010s: names straight after the role word
    …种下樟树苗。 全媒体记者/张晓 摄             ← caption with its credit: photographers
    策划/执行 王明 李华                          ← planners
    来源：株洲日报 作者：王明 编辑：李华         ← footer: source and reporters
    ## 简讯                                      ← a briefs box: one ``brief`` fragment per item
    ■醴陵举办陶瓷技能大赛 / 【…】… / a short title line, each item with its own byline
    ### 短评                                     ← opinion: kind ``commentary``

Every byline part found is kept in ``byline`` as printed, one line each; ``source`` is the
paper's name, never ``株洲日报讯``. Names are split on spaces only: a run that is not one name
(2–3 characters, or 4 starting with a compound surname from ``resources/names``) is kept whole
and reported as a warning. A PDF line break is rejoined only between body lines, never across a
caption, credit, label, byline, bullet or numbered subhead (see :func:`_paragraphs`).

All patterns of the grammar live in this module. The functions here work on text already
normalised by :func:`zzanalysis.text.normalize_text` (full-width punctuation in Chinese text).

Text is kept as printed — a page set in traditional characters stays traditional — but the words
the grammar keys on are recognised in both forms (``記者``/``记者``, ``通訊員``, ``下轉``, ``圖為``,
``掃一掃``), so such a page yields the same fields. Patterns that can meet a line of megabytes
(a whole page exported without line breaks) have bounded repeats or look only at the line's ends,
so parsing stays linear in the size of the file.
"""
from __future__ import annotations

import functools
import itertools
import operator
import re
from dataclasses import dataclass, field
from typing import Literal

from ._resources import resource_text
from .spans import HAN
from .text import normalize_punctuation

# --- masthead ---------------------------------------------------------------------------
# "2023年4月27日 星期四"
DATE_RE = re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日\s*(?P<weekday>星期[一二三四五六日天])?")
# "癸卯年三月初八"
LUNAR_RE = re.compile(r"[甲乙丙丁戊己庚辛壬癸][子丑寅卯辰巳午未申酉戌亥]年闰?[正一二三四五六七八九十冬腊]{1,2}月[初十廿卅二三][一二三四五六七八九十]")
# "第23288期"
ISSUE_NO_RE = re.compile(r"第(?P<n>\d+)期")
# "今日8版"
PAGES_TOTAL_RE = re.compile(r"今日(?P<n>\d+)版")
# "第2版", "02版 要闻" at the top of an inner page (not "今日8版", not a jump "02版①")
PAGE_RE = re.compile(r"(?<!今日)(?<![\d版])第?(?P<n>\d{1,2})\s*版(?![①-⑳\d])")
# "中共株洲市委主管、主办", "中共株洲市委主管、主辦"
PUBLISHER_RE = re.compile(r"\S{0,30}?主管[、，]?\S{0,30}?主[办辦]")
# "国内统一连续出版物号CN 43-0005"
CN_RE = re.compile(r"(?:[国國]内[统統]一[连連][续續]出版物[号號]\s*)?(?P<cn>CN\s*\d{2}\s*-\s*\d{4}(?:/[A-Z]+)?)")
# Masthead lines are short and are not sentences; a longer line, or one with a full stop in it
# ("…2023年4月26日，会议在株洲举行。"), is body text and is not searched for masthead fields.
MASTHEAD_LINE_MAX = 120
# A full stop, question or exclamation mark: a line holding one is a sentence, not a label.
FULL_STOP_RE = re.compile(r"[。！？]")
_MASTHEAD_RES = (DATE_RE, LUNAR_RE, ISSUE_NO_RE, PAGES_TOTAL_RE, PUBLISHER_RE, CN_RE)

# --- page furniture: lines that belong to the page, not to an article -----------------------
# "扫一扫关注株洲日报社新媒体", "本版编辑/张三", "责任编辑：李四 校对：王五"
FURNITURE_RE = re.compile(
    r"^(?:[扫掃]一[扫掃]|[扫掃][码碼]|(?:本版|[责責]任|值班)?[编編][辑輯]\s*[/：:]|校[对對]\s*[/：:]"
    r"|美[编編]\s*[/：:]|版式\s*[/：:]|[组組]版\s*[/：:]|新[闻聞][热熱][线線]|[广廣]告[热熱][线線]"
    r"|[发發]行[热熱][线線]|投稿[邮郵]箱|本[报報]地址)"
)
# The characters a FURNITURE_RE match starts with (its alternatives' first characters): every
# block is tested, so the first character rules out nearly all of them before the regex.
_FURNITURE_FIRST = frozenset("扫掃本责責值编編校美版组組新广廣发發投")

# --- bylines -------------------------------------------------------------------------------
# Role words, each with the column its names go to. "全媒体记者", "通讯员", "实习生", "摄影记者",
# "策划/执行" and their traditional forms ("全媒體記者", "通訊員"). Longer forms come first.
_ROLE = (r"(?:(?:摄影|攝影)[记記]者|(?:全媒[体體]|融媒[体體]|特[约約]|[见見][习習]|[实實][习習]|本[报報])?[记記]者"
         r"|(?:特[约約])?通[讯訊][员員]|[实實][习習]生|(?:本[报報])?(?:特[约約])?[评評][论論][员員]"
         r"|(?:摄影|攝影)|策[划劃](?:\s?/\s?[执執]行)?|[执執]行|[统統]筹)")
ROLE_RE = re.compile(_ROLE)
# Every role word holds one of these characters at most 4 characters into it ("本报特约评论员"),
# so a stand-alone byline (a source of at most 12 characters, then the role) holds one in its
# first 17: tested before STANDALONE_BYLINE_RE, whose lazy source tries the role words at 13 places.
_ROLE_CHARS = frozenset("摄攝记記通实實评評策执執统統")
_ROLE_REACH = 17
# A paper named before the role inside a repost's bracket: "（株洲日报记者 王明 通讯员 李华）"
_ROLE_PAPER_RE = re.compile(rf"^(?P<paper>[{HAN}]{{2,8}}?(?:日[报報]|晚[报報]|[报報]社|新[闻聞]社))(?=" + _ROLE + ")")
# inline: "株洲日报（全媒体记者/温琳 通讯员/彭玲 赵小茵） 4月26日，" (after normalisation),
# "株洲日报5月22日讯（记者王明 赵亮 通讯员李华 孙伟）", "红网株洲站6月22日讯（株洲日报记者 王明）";
# the bracket holds at most a few dozen characters, which bounds the search on a giant paragraph.
INLINE_BYLINE_RE = re.compile(
    rf"^(?P<source>[^\s（）()，。]{{0,16}}?)\s{{0,3}}（(?P<roles>[^（）]{{0,40}}?{_ROLE}[^（）]{{0,80}})）"
    r"\s*(?:(?P<dateline>\d{1,2}月\d{1,2}日)(?:电)?(?=[\s，、])\s*[，、]?)?\s*"
)
# stand-alone: "人民日报记者/余建斌 吴齐强 邱超奕", "株洲日报全媒体记者/廖明", "策划/执行 王明 李华"
STANDALONE_BYLINE_RE = re.compile(rf"^(?P<source>[^\s，。（）/]{{0,12}}?)(?P<roles>{_ROLE}.*)$")
# a bare dateline opening the lead after a stand-alone byline block: "株洲日报讯 近日，",
# "本报讯 ", "株洲日报5月22日讯 ", "株洲新闻网8月30日讯：" — a paper, site or 本报, then 讯.
BARE_DATELINE_RE = re.compile(
    r"^(?P<prefix>(?:本[报報]|[^\s，。（）：]{1,12}?(?:[报報]|网|網|站|社|客户端|客戶端))"
    r"(?:[^\s，。（）：\d]{0,4}?\d{1,2}月\d{1,2}日)?[讯訊])(?:\s{1,3}|[：:]\s{0,3})(?=\S)"
)
# A printed source: paper or site, optional place, optional date, optional 讯/电.
# "株洲日报讯", "株洲日报5月22日讯", "红网株洲站6月22日讯", "新华社北京4月26日电", "人民日报"
_SOURCE_RE = re.compile(r"^(?P<name>[^\d]{1,16}?)(?P<dateline>\d{1,2}月\d{1,2}日)?[讯訊电電]?$")
# the name split into paper and place: "湖南日报株洲" → 湖南日报; agencies: "新华社北京" → 新华社
_PAPER_IN_NAME_RE = re.compile(r"^(?P<paper>新[华華]社|中新社|.{1,8}?(?:日[报報]|晚[报報]|[报報]))")
# a site that reposts the paper: "红网株洲站", "株洲新闻网", "新湖南客户端"
# "人民网株洲" → 人民网, "红网时刻株洲" → 红网时刻 (greedy: the longest site name before the place)
_OUTLET_RE = re.compile(r"^(?P<outlet>.{0,10}(?:网|網|站|客户端|客戶端|时刻|時刻|APP|app))")
# "…通讯员/汤胜兰 摄影报道": everyone named took the pictures too
# (a bracket ending "…张三 摄）" is a caption's credit, not a byline: see CREDIT_RE)
_PHOTO_SUFFIX_RE = re.compile(r"\s{0,2}(?:摄影报道|攝影報道)$")
# "温琳", "余建斌", a rare character outside the BMP ("王𠀀"), "阿依古丽·买买提", "David Smith"
_HAN_RUN_RE = re.compile(f"^[{HAN}]+$")
_DOT_NAME_RE = re.compile(f"^[{HAN}]{{1,10}}·[{HAN}·]{{1,15}}$")
_LATIN_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z .'-]{1,30}$")
# A run of Han characters with no space longer than this is not a list of names glued together.
_GLUED_NAMES_MAX = 12
# names are separated by spaces or enumeration commas: "彭玲 赵小茵", "司马文、李华"
_NAME_SEP_RE = re.compile(r"[\s、，,]+")
# footer of a reposted or web article: "来源：株洲日报 作者：王明 编辑：李华"
FOOTER_RE = re.compile(r"^(?:来源|來源|作者|[责責]任[编編][辑輯]|[责責][编編])[：:]")
_FOOTER_FIELD_RE = re.compile(r"(?P<key>来源|來源|作者|记者|記者|通讯员|通訊員|[责責]任[编編][辑輯]|[责責][编編]|[编編][辑輯])[：:]\s{0,3}")
# photo credits ending a caption: "王明 摄", "通讯员/李华摄", "（全媒体记者 张三 摄）", "通讯员供图", "（资料图）"
_CREDIT_NAME = r"[^\s，。（）()/]{2,10}"
CREDIT_RE = re.compile(
    rf"(?:^|(?<=[。！？\s（(]))(?P<credit>(?:{_ROLE})?\s{{0,2}}/?\s{{0,2}}"
    rf"(?P<names>{_CREDIT_NAME}(?:\s{{1,2}}{_CREDIT_NAME}){{0,3}})?(?P<gap>\s{{0,2}})[摄攝](?:影)?"
    r"|[^\s，。（）()]{0,12}?供[图圖]|[资資]料[图圖](?:片)?)[）)]?$"
)
# the house's own bylines say "本报讯" where others print the paper's name
_OWN_PAPER = ("本报讯", "本报", "本報訊", "本報")

# --- editor's notes, briefs, commentary ------------------------------------------------------
# "编者按", "【开栏语】", "编者按：…", "【编者的话】"
EDITOR_NOTE_RE = re.compile(r"^[【\[]?\s{0,2}(?:[编編]者按|[开開]栏语|[开開]欄語|[编編]者的[话話]|[编編]者按语)\s{0,2}[】\]]?")
# the heading of a briefs box: "简讯", "【快讯】", "株洲简讯", "新闻短讯"
BRIEF_BOX_RE = re.compile(rf"^[【\[]?[{HAN}]{{0,4}}(?:[简簡][讯訊]|短[讯訊]|快[讯訊])[】\]]?$")
# an item title in a box: "■芦淞区开展消防演练", "【芦淞区开展消防演练】株洲日报讯…"
BULLETS = "■●▲◆□◇"
_BRACKET_TITLE_RE = re.compile(r"^【(?P<title>[^【】]{2,30})】")
# a trailing byline ending a brief: "…使用方法。（通讯员 陈静）"
_TRAILING_BYLINE_RE = re.compile(rf"（(?P<roles>[^（）]{{0,20}}?{_ROLE}[^（）]{{0,40}})）$")
# the label of an opinion piece, as column or kicker: "短评", "株洲时评", "本报评论员文章"
COMMENTARY_RE = re.compile(rf"^[【\[]?[{HAN}]{{0,6}}(?:评论|評論|短评|短評|时评|時評|快评|快評|社论|社論|评论员文章|評論員文章)[】\]]?$")

# the label printed in the headline itself: "短评｜让城市书房亮到更晚", "【时评】…"
COMMENTARY_HEADLINE_RE = re.compile(r"^[【\[]?(?:评论|評論|短评|短評|时评|時評|快评|快評|社论|社論)[】\]：:｜|]")

# --- inside pages ------------------------------------------------------------------------------
# the folio of an inside page: "02 要闻", "第02版：要闻", "A2 要闻", "02版 经济"
FOLIO_RE = re.compile(rf"^第?\s?(?P<n>[A-D]?\d{{1,2}})\s{{0,3}}版?\s{{0,3}}[：:·|]?\s{{0,3}}(?P<section>[{HAN}]{{2,8}})$")
# "责任编辑/王芳 美术编辑/李强", "本版编辑：张三", "美编 李四"
EDITORS_RE = re.compile(r"(?:[责責]任|美[术術]|本版|值班)?[编編][辑輯]\s?[/：:]\s{0,2}|美[编編]\s?[/：:]\s{0,2}")
# where an editor's names stop: the next role of the header, "王芳 校对：李四" → before "校对"
_NEXT_HEADER_ROLE_RE = re.compile(r"\s(?=\S{1,4}[/：:])")

# --- jumps and teasers ---------------------------------------------------------------------
# "▶下转02版①", "（下转第2版）", "▶下轉02版①" — alone on a line or at the end of a paragraph.
# Searched only in the last JUMP_WINDOW characters of a line (see find_jump_to).
JUMP_TO_RE = re.compile(r"\s{0,8}[▶►→]?\s{0,3}[（(]?\s{0,3}下[转轉]\s{0,3}(?P<to>第?\d{1,2}版[①-⑳]?)\s{0,3}[）)]?\s*$")
# "（上接01版①）" at the start of a continued fragment
JUMP_FROM_RE = re.compile(r"^\s{0,3}[▶►→]?\s{0,3}[（(]?\s{0,3}上接\s{0,3}(?P<from>第?\d{1,2}版[①-⑳]?)\s{0,3}[）)]?\s*")
# "## 制造业名城展新颜 ▶上接01版①": the marker printed after the repeated headline, on its line
JUMP_FROM_END_RE = re.compile(r"\s{0,8}[▶►→]\s{0,3}上接\s{0,3}(?P<from>第?\d{1,2}版[①-⑳]?)\s*$")
JUMP_WINDOW = 48
# "《人民日报》专版特别报道 《增强创新动力 …》 封二版", "株洲GDP增长5% 详见3版" — a box on page 1
# pointing elsewhere; searched in the headline's last JUMP_WINDOW characters (see _teaser).
TEASER_RE = re.compile(r"\s{0,8}(?:[详詳][见見]|[见見])?\s{0,3}(?P<to>封[一二三四]版|第?\d{1,2}版|[A-D]\d{1,2}版)$")

# --- paragraphs ----------------------------------------------------------------------------
# Sentence ends; a paragraph ending in anything else was broken by the PDF export.
TERMINAL = tuple("。！？；…：”’」』）》") + ("——",)
# Characters that cannot start a paragraph: one that does is the tail of the one before.
CONTINUATION_START = tuple("，、；：。！？）》”")
# TERMINAL's one-character ends, and CONTINUATION_START as a set, for the common line's tests
# in _paragraphs.
_SENTENCE_END = frozenset(t for t in TERMINAL if len(t) == 1)
_CONTINUATION_FIRST = frozenset(CONTINUATION_START)
# Two paragraphs glued on one line: end punctuation, optional closing quote, then spaces.
# "…杨军深有体会。 从拼数量到拼质量…" → split after "。"
GLUED_RE = re.compile(r"(?<=[。！？；…])(?P<close>[”’」』）]*)[ \t]+(?=\S)")
# "…挑选。图为招聘会现场。", "（记者 张三 摄）"
CAPTION_RE = re.compile(r"(?:^|[。！？])\s{0,3}[图圖][为為]|[（(][^（）()]{0,40}[摄攝][）)]\s*$|^▲")
# Markdown heading marks: "## 制造业名城展新颜", "### 央媒看株洲 ###" (closing hashes are stripped
# in to_blocks: a lazy pattern for them is quadratic on a line of thousands of "#").
HEADING_RE = re.compile(r"^(?P<hashes>#{1,6})(?P<text>.*)$")
KICKER_MAX = 40
SUBHEAD_MAX = 30
# A numbered subhead set as a plain line: "一、坚持创新驱动", "（二）抓好项目建设"
ORDINAL_SUBHEAD_RE = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）)[^。！？]{1,28}$")

Kind = Literal["h1", "h2", "h3", "text"]
Role = Literal["body", "subhead", "caption", "editor_note"]


@dataclass(slots=True)
class Block:
    """One non-blank source line."""

    kind: Kind
    text: str
    line: int  # 1-based line in the source file


@dataclass(slots=True)
class Paragraph:
    role: Role
    text: str
    line_start: int
    line_end: int
    repaired: bool = False
    split: bool = False


_TEXT_OF = operator.attrgetter("text")
_ROLE_OF = operator.attrgetter("role")


@dataclass(slots=True)
class Fragment:
    """An article fragment as parsed, before it becomes a DataFrame row."""

    headline: str
    line: int
    kind: Literal["article", "teaser", "photo", "brief", "commentary"] = "article"
    column: str | None = None
    kicker: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    source: str | None = None
    outlet: str | None = None
    reporters: list[str] = field(default_factory=list)
    correspondents: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)
    planners: list[str] = field(default_factory=list)
    dateline: str | None = None
    continued_to: str | None = None
    continued_from: str | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass(slots=True)
class Page:
    masthead: dict
    masthead_lines: list[str]
    extras: list[str]
    fragments: list[Fragment]
    warnings: list[tuple[int, str]]


def to_blocks(lines: list[str]) -> list[Block]:
    """Classify each non-blank (already normalised) line as a heading level or text."""
    # one comprehension over every line (most are text, tested by their first character);
    # a bare "##" gives None, filtered out after
    blocks = [Block("text", line, no) if line[0] != "#" else _heading(line, no)
              for no, line in enumerate(map(str.strip, lines), start=1) if line]
    return list(filter(None, blocks))


def _heading(line: str, no: int) -> Block | None:
    """A line starting with ``#``: its heading level and text; None for markup with no content."""
    if (m := HEADING_RE.match(line)) is None:
        return Block("text", line, no)
    text = m["text"].strip().rstrip("#").rstrip()
    if not text:
        return None
    level = len(m["hashes"])
    return Block("h1" if level == 1 else "h2" if level == 2 else "h3", text, no)


def _ends_sentence(text: str) -> bool:
    return text.endswith(TERMINAL)


def is_furniture(block: Block) -> bool:
    t = block.text
    return block.kind == "text" and len(t) <= 40 and t[0] in _FURNITURE_FIRST and FURNITURE_RE.match(t) is not None


def _is_folio(block: Block) -> bool:
    return block.kind == "text" and len(block.text) <= 16 and FOLIO_RE.match(block.text) is not None


def _is_jump_from_line(block: Block) -> bool:
    """A line that is only a ``▶上接01版①`` marker."""
    if "上接" not in block.text[:8]:
        return False
    m = JUMP_FROM_RE.match(block.text)
    return m is not None and m.end() == len(block.text)


def _is_label(text: str) -> bool:
    """``【开栏语】``, ``编者按``: an editor's-note label alone on its line."""
    m = EDITOR_NOTE_RE.match(text)
    return m is not None and not text[m.end():].strip("：: ")


def _is_kicker(block: Block) -> bool:
    text = block.text
    return (
        block.kind == "text"
        and len(text) <= KICKER_MAX
        and not _ends_sentence(text)
        and not any(p in text for p in "。！？")
        and parse_standalone_byline(text) is None
        and find_jump_to(text) is None
        and not _is_jump_from_line(block)
        and not _is_folio(block)
        and not _is_caption(text)  # "王明 摄" closing the article before
        and parse_footer(text) is None
        and not EDITOR_NOTE_RE.match(text)
        and not BRIEF_BOX_RE.match(text)
        and not is_furniture(block)
        and not any(r.search(text) for r in _MASTHEAD_RES)
    )


@functools.cache
def get_compound_surnames() -> frozenset[str]:
    """The shipped two-character surnames (``resources/names/compound_surnames.txt``).

    Returns:
        A frozenset of surnames (欧阳, 司马, 诸葛 …). Lines starting with ``#`` are comments.
        Source and licence: ``resources/names/README.md``.

    Example:
        >>> "欧阳" in zz.get_compound_surnames()
        True
    """
    text = resource_text("names", "compound_surnames.txt")
    return frozenset(w for w in (line.strip() for line in text.splitlines()) if w and not w.startswith("#"))


def split_names(chunk: str) -> tuple[list[str], list[str]] | None:
    """The names after a role word → (names, runs kept whole because they could not be split
    with confidence); None if the chunk is not a list of names.

    ``"彭玲 赵小茵"`` → (['彭玲', '赵小茵'], []); ``"欧阳明华"`` → (['欧阳明华'], []);
    ``"王明赵亮李华"`` → (['王明赵亮李华'], ['王明赵亮李华']); ``"站的工作人员说了很多话。"`` → None.
    """
    names: list[str] = []
    unsure: list[str] = []
    for n in _NAME_SEP_RE.split(chunk.strip()):
        if not n:
            continue
        if _LATIN_NAME_RE.match(n) or _DOT_NAME_RE.match(n):
            names.append(n)
        elif not _HAN_RUN_RE.match(n) or len(n) < 2 or len(n) > _GLUED_NAMES_MAX:
            return None
        elif len(n) <= 3 or (len(n) == 4 and n[:2] in get_compound_surnames()):
            names.append(n)
        else:
            # "王明赵亮": one four-character name or two names? Kept whole, never guessed apart.
            names.append(n)
            unsure.append(n)
    return (names, unsure) if names else None


def _role_column(role: str) -> str:
    if "摄" in role or "攝" in role:
        return "photographers"
    if "通" in role:
        return "correspondents"
    if "策" in role or "执" in role or "執" in role or "统" in role or "統" in role:
        return "planners"
    return "reporters"


def _parse_roles(roles: str, *, bare: bool = False) -> dict | None:
    """``"全媒体记者/温琳 通讯员/彭玲 赵小茵"`` → role columns, the paper named inside the bracket,
    and the name runs that could not be split; None if not a byline.

    With ``bare`` (the bracket follows a ``…讯``/``…电`` dateline) names before the first role word
    are reporters: ``"人民网株洲6月3日电（彭应兵 实习生 胡子逸）"``.
    """
    found = _roles_of(roles, bare)
    # the cached lists are never handed out: callers extend theirs
    if found is None:
        return None
    return dict(found, reporters=found["reporters"].copy(), correspondents=found["correspondents"].copy(),
                photographers=found["photographers"].copy(), planners=found["planners"].copy(),
                unsure=found["unsure"].copy())


# A paper prints the same bylines day after day (the same reporters, the same pairs), so each
# distinct one is parsed once; the bound keeps a corpus of many papers from growing it forever.
@functools.lru_cache(maxsize=4096)
def _roles_of(roles: str, bare: bool) -> dict | None:
    out: dict = dict(reporters=[], correspondents=[], photographers=[], planners=[], paper=None, unsure=[],
                     commentary=False)
    if (m := _ROLE_PAPER_RE.match(roles)) is not None:
        out["paper"] = m["paper"]
        roles = roles[m.end():]
    photo = _PHOTO_SUFFIX_RE.search(roles)
    if photo is not None:
        roles = roles[: photo.start()]
    marks = list(ROLE_RE.finditer(roles))
    if not marks:
        return None
    if lead := roles[: marks[0].start()].strip():
        found = split_names(lead) if bare else None
        if found is None:
            return None
        out["reporters"].extend(found[0])
        out["unsure"].extend(found[1])
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(roles)
        chunk = roles[m.end() : end].lstrip("/／:： ")
        if "评" in m.group() or "評" in m.group():
            if chunk.strip() == "文章":
                return None  # "本报评论员文章": the label of the piece (a kicker), not a byline
            out["commentary"] = True
            if not chunk.strip():
                continue  # "本报评论员": the house's voice, no name printed
        found = split_names(chunk)
        if found is None:
            if not chunk.strip() and i + 1 < len(marks):
                continue  # "策划 执行 王明": two roles sharing the names after them
            return None
        out[_role_column(m.group())].extend(found[0])
        out["unsure"].extend(found[1])
    if photo is not None:
        out["photographers"] += [n for n in out["reporters"] + out["correspondents"] if n not in out["photographers"]]
    return out


def _source(prefix: str, paper: str | None) -> dict:
    """Printed source prefix → source (the paper), outlet (a reposting site), dateline.

    ``"株洲日报5月22日讯"`` → 株洲日报, None, 5月22日; ``"红网株洲站6月22日讯"`` → None, 红网株洲站,
    6月22日 (the caller fills the paper in from the bracket or the page); ``"新华社北京4月26日电"``
    → 新华社, None, 4月26日; ``"本报讯"`` → the page's paper.
    """
    return dict(_source_of(prefix, paper))  # a copy: callers fill fields in


@functools.lru_cache(maxsize=4096)  # few prefixes, printed over and over (see _roles_of)
def _source_of(prefix: str, paper: str | None) -> dict:
    prefix = prefix.strip()
    out = dict(source=None, outlet=None, dateline=None)
    if not prefix:
        return out
    if prefix in _OWN_PAPER:
        out["source"] = paper or prefix  # no nameplate on the page: kept as printed
        return out
    m = _SOURCE_RE.match(prefix)
    if m is None:
        out["source"] = prefix
        return out
    name = m["name"]
    out["dateline"] = m["dateline"]
    if name in _OWN_PAPER:
        out["source"] = paper or name
    elif (om := _OUTLET_RE.match(name)) is not None:
        out["outlet"] = om["outlet"]
    elif (pm := _PAPER_IN_NAME_RE.match(name)) is not None:
        out["source"] = pm["paper"]
    else:
        out["source"] = name
    return out


def _byline_fields(text: str, prefix: str, roles: dict, paper: str | None) -> dict:
    src = _source(prefix, paper)
    fields = dict(
        byline=text, source=roles["paper"] or src["source"], outlet=src["outlet"],
        reporters=roles["reporters"], correspondents=roles["correspondents"],
        photographers=roles["photographers"], planners=roles["planners"], dateline=src["dateline"],
        unsure=roles["unsure"], commentary=roles["commentary"],
    )
    if fields["source"] is None and fields["outlet"] is not None:
        fields["source"] = paper  # a site reposting the page's paper without naming it
    return fields


def parse_standalone_byline(text: str, paper: str | None = None) -> dict | None:
    """A line that is only a byline → its fields, else None.

    Returns:
        ``byline`` (as printed), ``source``, ``outlet``, ``reporters``, ``correspondents``,
        ``photographers``, ``planners``, ``dateline``, ``unsure`` (name runs kept whole) and
        ``commentary`` (a 评论员 byline).
    """
    if len(text) > 60 or _ROLE_CHARS.isdisjoint(text[:_ROLE_REACH]):
        return None
    m = STANDALONE_BYLINE_RE.match(text)
    if not m:
        return None
    roles = _parse_roles(m["roles"])
    if roles is None:
        return None
    return _byline_fields(text, m["source"], roles, paper)


def parse_inline_byline(text: str, paper: str | None = None) -> tuple[dict, str] | None:
    """A paragraph opening with a byline → (its fields, the rest of the paragraph), else None."""
    m = INLINE_BYLINE_RE.match(text)
    if not m:
        return None
    roles = _parse_roles(m["roles"], bare=m["source"].endswith(("讯", "訊", "电", "電")))
    if roles is None:
        return None
    fields = _byline_fields(m.group().strip(), m["source"], roles, paper)
    fields["dateline"] = m["dateline"] or fields["dateline"]
    return fields, text[m.end() :]


def parse_bare_dateline(text: str, paper: str | None = None) -> tuple[dict, str] | None:
    """A lead opening with a dateline and no names (``"株洲日报讯 近日，…"``, after a stand-alone
    byline block) → (source, outlet, dateline and the prefix as printed, the rest), else None."""
    m = BARE_DATELINE_RE.match(text)
    if m is None:
        return None
    src = _source(m["prefix"], paper)
    if src["source"] is None and src["outlet"] is not None:
        src["source"] = paper
    return dict(byline=m.group().strip(), **src), text[m.end() :]


def parse_footer(text: str, paper: str | None = None) -> dict | None:
    """``"来源：株洲日报 作者：王明 编辑：李华"`` → source, reporters, correspondents; None if not a footer."""
    if len(text) > 80 or FOOTER_RE.match(text) is None:
        return None
    keys = list(_FOOTER_FIELD_RE.finditer(text))
    if not keys or keys[0].start() != 0:
        return None
    out: dict = dict(byline=text, source=None, outlet=None, reporters=[], correspondents=[], unsure=[])
    for i, k in enumerate(keys):
        value = text[k.end() : keys[i + 1].start() if i + 1 < len(keys) else len(text)].strip()
        key = k["key"]
        if key in ("来源", "來源"):
            src = _source(value, paper)
            out["source"] = src["source"] or (paper if src["outlet"] else None)
            out["outlet"] = src["outlet"]
        elif "编" in key or "編" in key:
            continue  # the web editor: kept in the byline as printed, not a reporter
        else:
            found = split_names(value)
            if found is None:
                return None
            out["correspondents" if "通" in key else "reporters"].extend(found[0])
            out["unsure"].extend(found[1])
    return out


def find_credit(text: str) -> tuple[int, list[str]] | None:
    """A photo credit ending a paragraph → (where it starts, the photographers' names), else None.

    ``"…樟树苗。 全媒体记者/张晓 摄"`` → (…, ['张晓']); ``"通讯员供图"`` → (0, []).
    """
    offset = max(0, len(text) - JUMP_WINDOW)
    tail = text[offset:]
    if not any(c in tail for c in "摄攝图圖"):
        return None
    m = CREDIT_RE.search(text, offset)
    if m is None:
        return None
    if m["names"] is None:
        return m.start("credit"), []
    has_role = ROLE_RE.match(m["credit"]) is not None
    found = split_names(m["names"])
    # without a role word only "王明 摄" or "（王明 摄）" is a credit: "去拍摄" is a verb
    spaced = bool(m["gap"]) or text.endswith(("）", ")"))
    if found is None or found[1] or not (has_role or spaced):
        return None  # "大家一起去拍摄": not names before 摄
    return m.start("credit"), found[0]


def find_jump_to(text: str) -> tuple[int, str] | None:
    """``"…拿起一根“细针”， ▶下转02版①"`` → (where the marker starts, ``"02版①"``), else None."""
    offset = max(0, len(text) - JUMP_WINDOW)
    # A substring test first: nearly every line has no jump, and the regex costs 10× more.
    if text.find("下转", offset) < 0 and text.find("下轉", offset) < 0:
        return None
    m = JUMP_TO_RE.search(text, offset)
    return (m.start(), m["to"]) if m else None


def _jump_from_in_headline(headline: str) -> tuple[str, str] | None:
    """``"▶上接01版① 制造业名城展新颜"`` or ``"制造业名城展新颜 ▶上接01版①"`` → (the headline,
    ``"01版①"``), else None."""
    if (m := JUMP_FROM_RE.match(headline)) is not None and headline[m.end() :].strip():
        return headline[m.end() :].strip(), m["from"]
    offset = max(0, len(headline) - JUMP_WINDOW)
    if (m := JUMP_FROM_END_RE.search(headline, offset)) is not None and headline[: m.start()].strip():
        return headline[: m.start()].strip(), m["from"]
    return None


def _teaser(headline: str) -> tuple[str, str] | None:
    """``"… 封二版"`` → (the headline without the pointer, ``"封二版"``), else None."""
    offset = max(0, len(headline) - JUMP_WINDOW)
    m = TEASER_RE.search(headline, offset)
    if m is None or not headline[: m.start()].strip():
        return None
    return headline[: m.start()].rstrip(), m["to"]


def parse_editors(text: str) -> list[str]:
    """``"2023年4月27日 星期四 责任编辑/王芳 美术编辑/李强"`` → ['王芳', '李强']."""
    marks = list(EDITORS_RE.finditer(text))
    editors: list[str] = []
    for i, m in enumerate(marks):
        chunk = text[m.end() : marks[i + 1].start() if i + 1 < len(marks) else len(text)]
        # the names run to the next role word of the page header ("校对：…") or the line's end
        chunk = _NEXT_HEADER_ROLE_RE.split(chunk, maxsplit=1)[0]
        found = split_names(chunk)
        if found is not None:
            editors += found[0]
    return editors


def parse_masthead(blocks: list[Block]) -> tuple[dict, list[str], list[str]]:
    """Masthead fields from the blocks before the first article; the lines that were not masthead
    are returned as extras."""
    meta, lines, extras = _split_masthead(blocks)
    return meta, lines, [b.text for b in extras]


def _split_masthead(blocks: list[Block]) -> tuple[dict, list[str], list[Block]]:
    meta: dict = {}
    lines: list[str] = []
    extras: list[Block] = []
    for b in blocks:
        if b.kind == "h1" and "paper" not in meta and len(b.text) <= KICKER_MAX:
            meta["paper"] = b.text
            meta["paper_line"] = b.line
            lines.append(b.text)
            continue
        found = False
        if len(b.text) > MASTHEAD_LINE_MAX or FULL_STOP_RE.search(b.text):
            extras.append(b)
            continue
        if (m := DATE_RE.search(b.text)) and "date" not in meta:
            meta["date"] = (int(m["y"]), int(m["m"]), int(m["d"]))
            meta["date_line"] = b.line
            meta["weekday"] = m["weekday"]
            found = True
        if (m := LUNAR_RE.search(b.text)) and "lunar_date" not in meta:
            meta["lunar_date"] = m.group()
            found = True
        if (m := ISSUE_NO_RE.search(b.text)) and "issue_no" not in meta:
            meta["issue_no"] = int(m["n"])
            found = True
        if (m := PAGES_TOTAL_RE.search(b.text)) and "pages_total" not in meta:
            meta["pages_total"] = int(m["n"])
            found = True
        if (m := PAGE_RE.search(PAGES_TOTAL_RE.sub("", b.text))) and "page" not in meta:
            meta["page"] = int(m["n"])
            found = True
        if (m := PUBLISHER_RE.search(b.text)) and "publisher" not in meta:
            meta["publisher"] = m.group()
            found = True
        if (m := CN_RE.search(b.text)) and "cn_number" not in meta:
            meta["cn_number"] = re.sub(r"\s*-\s*", "-", m["cn"])
            found = True
        if _is_folio(b) and "section" not in meta:
            # "02 要闻": the page's number and its name (版名); "A2" pages keep only the name
            m = FOLIO_RE.match(b.text)
            meta["section"] = m["section"]
            if m["n"].isdigit() and "page" not in meta:
                meta["page"] = int(m["n"])
            found = True
        if editors := parse_editors(b.text):
            meta.setdefault("editors", []).extend(editors)
            found = True
        if found:
            lines.append(b.text)
        else:
            extras.append(b)
    return meta, lines, extras


def _is_box_heading(blocks: list[Block], i: int) -> bool:
    """A 简讯/短讯/快讯 heading followed by its items (text, not a headline)."""
    b = blocks[i]
    return (
        len(b.text) <= 10 and BRIEF_BOX_RE.match(b.text) is not None
        and i + 1 < len(blocks) and blocks[i + 1].kind != "h2"
    )


def _article_starts(blocks: list[Block]) -> list[tuple[int, int]]:
    """(first block, headline block) of every article; a jump marker, column and kicker may precede
    a headline; a briefs box heading starts a region of its own."""
    heads = [
        i
        for i, b in enumerate(blocks)
        if (b.kind == "h2" and not (b.text.startswith("——") and i > 0 and blocks[i - 1].kind == "h2"))
        or (b.kind != "h2" and len(b.text) <= 10 and _is_box_heading(blocks, i))
    ]
    starts = []
    floor = -1
    for i in heads:
        s = i
        if blocks[i].kind == "h2":
            if s - 1 > floor and _is_jump_from_line(blocks[s - 1]):
                s -= 1
            if s - 1 > floor and _is_kicker(blocks[s - 1]):
                s -= 1
            if s - 1 > floor and blocks[s - 1].kind == "h3" and not _is_box_heading(blocks, s - 1):
                s -= 1
            if s - 1 > floor and _is_jump_from_line(blocks[s - 1]):
                s -= 1
        starts.append((s, i))
        floor = i
    return starts


def _may_be_caption(text: str) -> bool:
    # The characters CAPTION_RE needs, tested as substrings before the regex scans the paragraph.
    return "图" in text or "圖" in text or "摄" in text or "攝" in text or text.startswith("▲")


def _is_caption(text: str) -> bool:
    return _may_be_caption(text) and (CAPTION_RE.search(text) is not None or find_credit(text) is not None)


# First characters of a line that may stand alone or take a role of its own: bullets, "【",
# "图为", a numbered subhead, an editor's note ("编者按", "开栏语", "[编者按]") — the anchored
# patterns below (EDITOR_NOTE_RE, ORDINAL_SUBHEAD_RE) cannot match a line starting otherwise.
_NOTE_FIRST = frozenset("【[编編开開")
_ORDINAL_FIRST = frozenset("一二三四五六七八九十（")
_SPECIAL_FIRST = frozenset(BULLETS + "图圖▲") | _NOTE_FIRST | _ORDINAL_FIRST


def _is_plain(text: str) -> bool:
    """A body line none of :func:`_starts_alone`, :func:`_ends_alone` and the paragraph roles
    can apply to, by their cheapest tests: too long for a byline, no special first character,
    no character a caption or credit needs. Most lines are plain; they skip the regexes."""
    return (len(text) > 60 and text[0] not in _SPECIAL_FIRST and not text[0].isspace()
            and not _may_be_caption(text))


def _starts_alone(text: str) -> bool:
    """A line that is never the tail of a broken paragraph: it opens a caption (``图为…``, ``▲``)
    or is a credit, an editor's-note label, a byline, a bullet or ``【…】`` item, a numbered subhead."""
    return (
        text.startswith(tuple(BULLETS) + ("【", "图为", "圖為"))
        or EDITOR_NOTE_RE.match(text) is not None
        or ORDINAL_SUBHEAD_RE.match(text) is not None
        or (_may_be_caption(text) and (c := find_credit(text)) is not None and c[0] == 0)
        or parse_standalone_byline(text) is not None
    )


def _ends_alone(text: str) -> bool:
    """A line no broken paragraph continues from: a label, a numbered subhead, a byline, or a
    caption closed by its credit (``王明 摄``)."""
    return (
        _is_label(text)
        or ORDINAL_SUBHEAD_RE.match(text) is not None
        or (_may_be_caption(text) and find_credit(text) is not None)
        or parse_standalone_byline(text) is not None
    )


def _paragraphs(blocks: list[Block]) -> list[Paragraph]:
    """Body blocks → paragraphs: glued lines split, PDF line breaks rejoined, roles assigned.

    A line break is rejoined only between two body lines where the first does not end a sentence
    (or the second opens with a mark no sentence starts with), and never where either side stands
    alone (:func:`_starts_alone`, :func:`_ends_alone`): a caption, credit, label or byline is not
    part of a sentence.
    """
    if not blocks:
        return []  # no lead before the body (most fragments)
    joined: list[Paragraph] = []
    plain_of: list[bool] = []  # _is_plain of each paragraph (of its first piece until the end)
    # The pieces of each paragraph a broken line joined (by its index), concatenated once at the
    # end: appending to the text on every join is quadratic on a page of a hundred thousand
    # broken lines.
    parts_of: dict[int, list[str]] = {}
    # Whether the paragraph before stands alone (nothing joins onto it): True, False, or None
    # for "_ends_alone of its text", asked only when every other test allows a join (rarely:
    # most paragraphs end a sentence).
    closed: bool | None = False
    prev: Paragraph | None = None
    # True when the paragraph before was made by the fast path below (or there is none): it ends
    # a sentence, so only a line opening with a CONTINUATION_START mark could join onto it.
    finished = True
    for b in blocks:
        text = b.text
        if (b.kind == "text" and text[-1:] in _SENTENCE_END and text[0] not in _CONTINUATION_FIRST
                and not text[0].isspace()
                and (finished or prev is None or prev.role != "body" or prev.text.endswith(TERMINAL))
                and ((" " not in text and "\t" not in text) or GLUED_RE.search(text) is None)):
            # The common line: one whole paragraph ending a sentence (nothing glued in it), after
            # one that ends a sentence too, so no line break is rejoined on either side.
            # _is_plain, inlined ("▲" is in _SPECIAL_FIRST):
            plain = (len(text) > 60 and text[0] not in _SPECIAL_FIRST and "图" not in text and "圖" not in text
                     and "摄" not in text and "攝" not in text)
            prev = Paragraph("body", text, b.line, b.line)
            joined.append(prev)
            plain_of.append(plain)
            closed = False if plain else None
            finished = True
            continue
        finished = False
        if b.kind != "text":
            prev = Paragraph("subhead", b.text, b.line, b.line)
            joined.append(prev)
            plain_of.append(False)
            closed = False
            continue
        if " " not in text and "\t" not in text:
            texts = (text,)  # no space, so nothing glued: most lines are one paragraph each
        else:
            parts = GLUED_RE.split(text)
            # re.split with one group yields text, close, text, close, …: glue the closing quotes back.
            texts = [parts[0]]
            for close, rest in zip(parts[1::2], parts[2::2]):
                texts[-1] += close
                texts.append(rest)
            if len(texts) > 1 and (credit := find_credit(texts[-1])) is not None and credit[0] == 0:
                # "…种下樟树苗。 全媒体记者/张晓 摄": the credit belongs to its caption, not a paragraph
                at = len(text) - len(texts[-1])
                texts[-2:] = [texts[-2] + text[len(text[:at].rstrip()) : at] + texts[-1]]
        split = len(texts) > 1
        for t in texts:
            t = t.strip()
            if not t:
                continue
            # _is_plain, inlined: it is asked of every piece
            plain = (len(t) > 60 and t[0] not in _SPECIAL_FIRST and not t[0].isspace()
                     and not _may_be_caption(t))
            if (
                prev is not None
                and prev.role == "body"
                and b.line != prev.line_end
                and closed is not True
                and (not prev.text.endswith(TERMINAL) or t.startswith(CONTINUATION_START))
                and (plain or not _starts_alone(t))
                and (closed is False or not _ends_alone(prev.text))
            ):
                parts = parts_of.get(k := len(joined) - 1)
                if parts is None:
                    parts = parts_of[k] = [prev.text]
                sep = " " if prev.text[-1].isascii() and t[0].isascii() and prev.text[-1].isalpha() else ""
                parts += [sep, t]
                prev.text = (prev.text[-2:] + sep + t)[-2:]  # enough of the end for the test above
                prev.line_end = b.line
                prev.repaired = True
                # a caption broken by the export and closed by its credit ("…和" / "铭牌。 王明 摄")
                closed = find_credit("".join(parts[-3:])) is not None
                continue
            prev = Paragraph("body", t, b.line, b.line, split=split)
            joined.append(prev)
            plain_of.append(plain)
            closed = False if plain else None
    for k, parts in parts_of.items():
        joined[k].text = normalize_punctuation("".join(parts))
        plain_of[k] = _is_plain(joined[k].text)
    note_next = False
    for p, plain in zip(joined, plain_of):
        if plain and not note_next:
            continue  # a body paragraph with no role of its own (see _is_plain)
        # EDITOR_NOTE_RE and ORDINAL_SUBHEAD_RE match only text opening with one of their first
        # characters: tested first, as most paragraphs here are merely short
        first = p.text[:1]
        if p.role == "body" and (first in _NOTE_FIRST or first.isspace()) and EDITOR_NOTE_RE.match(p.text):
            p.role = "editor_note"
            note_next = _is_label(p.text)  # "【开栏语】" alone: the note is the next paragraph
            continue
        if note_next and p.role == "body":
            p.role = "editor_note"
        elif p.role == "body" and _is_caption(p.text):
            p.role = "caption"
        elif p.role == "body" and p.split and p.text.startswith("——") and len(p.text) <= SUBHEAD_MAX:
            # "——活力株洲，制造业名城有朝气。" opens a section of a long report
            p.role = "subhead"
        elif p.role == "body" and first in _ORDINAL_FIRST and ORDINAL_SUBHEAD_RE.match(p.text):
            p.role = "subhead"
        note_next = False
    return joined


def _merge_byline(frag: Fragment, fields: dict, line: int, warnings: list) -> None:
    """Add one printed byline part to the fragment: its text after the earlier parts (one line
    each), its names after theirs; the first source, outlet and dateline found are kept."""
    frag.byline = fields["byline"] if frag.byline is None else frag.byline + "\n" + fields["byline"]
    # one statement per field, not a loop of getattr/setattr: every fragment has a byline
    get = fields.get
    if frag.source is None and (value := get("source")):
        frag.source = value
    if frag.outlet is None and (value := get("outlet")):
        frag.outlet = value
    if frag.dateline is None and (value := get("dateline")):
        frag.dateline = value
    if names := get("reporters"):
        frag.reporters.extend(names)
    if names := get("correspondents"):
        frag.correspondents.extend(names)
    if names := get("photographers"):
        frag.photographers.extend(names)
    if names := get("planners"):
        frag.planners.extend(names)
    for run in get("unsure", ()):
        warnings.append((line, f"byline names not split: {run!r} kept whole"))
    if fields.get("commentary"):
        frag.kind = "commentary"


def _opens_with_byline(block: Block, paper: str | None) -> bool:
    t = block.text
    return block.kind == "text" and (
        parse_standalone_byline(t, paper) is not None or parse_inline_byline(t, paper) is not None
        or parse_bare_dateline(t, paper) is not None or EDITOR_NOTE_RE.match(t) is not None
    )


def _is_deck_line(block: Block) -> bool:
    """``总投资超百亿元``: a short line under the headline, no sentence in it."""
    t = block.text
    return (block.kind == "text" and len(t) <= KICKER_MAX and not _ends_sentence(t)
            and not any(c in t for c in "。！？；") and not _is_caption(t) and not _is_jump_from_line(block))


def _decks(rest: list[Block], paper: str | None) -> int:
    """How many deck lines open ``rest``: short lines followed by the byline (up to three)."""
    n = 0
    while n < min(3, len(rest)) and _is_deck_line(rest[n]) and not _opens_with_byline(rest[n], paper):
        n += 1
    return n if n and n < len(rest) and _opens_with_byline(rest[n], paper) else 0


def _author_line(text: str) -> dict | None:
    """``"王明"``, ``"□ 王明"``: the author of a commentary on a line of their own."""
    if len(text) > 16:
        return None
    found = split_names(text.lstrip("□◎■● "))
    if found is None or found[1]:
        return None
    return dict(byline=text, reporters=found[0])


def _body(frag: Fragment, rest: list[Block], paper: str | None, warnings: list) -> list[Block]:
    """Fill ``frag`` from the blocks after its headline: jump marker, deck, editor's notes and
    byline parts (in any order before the lead), the lead's inline byline or bare dateline, the
    body up to a jump, a footer. Returns the blocks after a jump (text of other fragments)."""
    lead: list[Block] = []
    while rest and rest[0].kind == "text":
        b, t = rest[0], rest[0].text
        if frag.continued_from is None and t.find("上接", 0, 8) >= 0 and (m := JUMP_FROM_RE.match(t)) is not None:
            frag.continued_from = m["from"]
            tail = t[m.end() :].strip()
            rest = ([Block("text", tail, b.line)] if tail else []) + rest[1:]
            continue
        if EDITOR_NOTE_RE.match(t):
            lead.append(b)
            rest = rest[1:]
            if _is_label(t) and rest and rest[0].kind == "text":
                lead.append(rest[0])
                rest = rest[1:]
            continue
        if (fields := parse_standalone_byline(t, paper)) is not None:
            _merge_byline(frag, fields, b.line, warnings)
            rest = rest[1:]
            continue
        found = parse_inline_byline(t, paper) or parse_bare_dateline(t, paper)
        if found is not None:
            _merge_byline(frag, found[0], b.line, warnings)
            tail = found[1].strip()
            rest = ([Block("text", tail, b.line)] if tail else []) + rest[1:]
            break
        if frag.kind == "commentary" and frag.byline is None and (found := _author_line(t)) is not None:
            _merge_byline(frag, found, b.line, warnings)
            rest = rest[1:]
            continue
        if frag.byline is None and (n := _decks(rest, paper)):
            deck = "\n".join(x.text for x in rest[:n])
            frag.subtitle = deck if frag.subtitle is None else frag.subtitle + "\n" + deck
            rest = rest[n:]
            continue
        break
    body: list[Block] = []
    after: list[Block] = []
    whole = "\n".join(map(_TEXT_OF, rest))
    if "上接" not in whole and "下转" not in whole and "下轉" not in whole:
        body = list(rest)  # no jump marker in the piece (most pieces): no line to test
    else:
        for k, b in enumerate(rest):
            if b.kind != "text":
                body.append(b)
                continue
            t = b.text
            if t.find("上接", 0, 8) >= 0 and JUMP_FROM_RE.match(t) is not None:
                after = rest[k:]  # "▶上接01版①" with no repeated headline: another fragment starts
                break
            # find_jump_to's own first test, here to spare nearly every line a call
            if t.find("下转", max(0, len(t) - JUMP_WINDOW)) < 0 and t.find("下轉", max(0, len(t) - JUMP_WINDOW)) < 0:
                body.append(b)
                continue
            if jump := find_jump_to(t):
                frag.continued_to = jump[1]
                head_text = b.text[: jump[0]].strip()
                if head_text:
                    body.append(Block("text", head_text, b.line))
                after = rest[k + 1 :]
                break
            body.append(b)
    # footers and credits closing the piece: "来源：株洲日报 作者：王明", "策划/执行 王明 李华"
    tail: list[tuple[dict, int]] = []
    while body and body[-1].kind == "text":
        t = body[-1].text
        fields = parse_footer(t, paper) or parse_standalone_byline(t, paper)
        if fields is None:
            break
        tail.append((fields, body[-1].line))
        body = body[:-1]
    last = body[-1].text if body and body[-1].kind == "text" else ""
    if frag.byline is None and (m := _TRAILING_BYLINE_RE.search(last, max(0, len(last) - JUMP_WINDOW * 2))):
        # "…正确使用方法。（通讯员 陈静）": a brief's byline printed at its end
        roles = _parse_roles(m["roles"])
        if roles is not None:
            _merge_byline(frag, _byline_fields(m.group(), "", roles, paper), body[-1].line, warnings)
            text = body[-1].text[: m.start()].rstrip()
            body = body[:-1] + ([Block("text", text, body[-1].line)] if text else [])
    for fields, line in reversed(tail):
        _merge_byline(frag, fields, line, warnings)
    # the editor's note and the lead are separate paragraphs even when the note has no full stop
    frag.paragraphs = _paragraphs(lead) + _paragraphs(body)
    if "caption" in map(_ROLE_OF, frag.paragraphs):  # a test in C: few pieces have a caption
        for p in frag.paragraphs:
            if p.role == "caption" and (credit := find_credit(p.text)) is not None:
                frag.photographers.extend(credit[1])
    return after


def _fragment(blocks: list[Block], head: int, paper: str | None, warnings: list) -> list[Fragment]:
    """One article region (jump marker, column/kicker, headline, subtitle, byline, body) → fragments."""
    if head == 0 and blocks[0].kind != "h2":
        return _briefs(blocks, paper, warnings)
    frag = Fragment(headline=blocks[head].text, line=blocks[head].line)
    if "上接" in frag.headline and (m := _jump_from_in_headline(frag.headline)) is not None:
        frag.headline, frag.continued_from = m
    for b in blocks[:head]:
        if _is_jump_from_line(b):
            frag.continued_from = JUMP_FROM_RE.match(b.text)["from"]
        elif b.kind == "h3":
            frag.column = b.text
        else:
            frag.kicker = b.text
    if any(x is not None and COMMENTARY_RE.match(x) for x in (frag.column, frag.kicker)) or COMMENTARY_HEADLINE_RE.match(
            frag.headline):
        frag.kind = "commentary"
    if BRIEF_BOX_RE.match(frag.headline) and head + 1 < len(blocks) and blocks[head + 1].kind == "text":
        return _briefs(blocks[head:], paper, warnings, column=frag.column)
    rest = blocks[head + 1 :]
    if rest and rest[0].kind in ("h2", "h3") and (
            rest[0].text.startswith("——") or (len(rest) > 1 and _opens_with_byline(rest[1], paper))):
        # "### ——开局之年看株洲", or a deck set as a heading right above the byline
        frag.subtitle = rest[0].text
        rest = rest[1:]
    after = _body(frag, rest, paper, warnings)
    if not frag.paragraphs and (teaser := _teaser(frag.headline)):
        frag.kind = "teaser"
        frag.headline, frag.continued_to = teaser
    elif not frag.paragraphs:
        warnings.append((frag.line, f"headline without body: {_shorten(frag.headline)!r}"))
    fragments = [frag]
    if after:
        fragments += _orphans(after, paper, warnings)
    return fragments


def _is_item_title(block: Block, paper: str | None) -> bool:
    t = block.text
    return (len(t) <= SUBHEAD_MAX and not any(c in t for c in "。！？；") and not t.endswith(("，", "、", "：", "——"))
            and not _opens_with_byline(block, paper) and not _is_caption(t))


def _briefs(blocks: list[Block], paper: str | None, warnings: list, *, column: str | None = None) -> list[Fragment]:
    """A 简讯 box (its heading first) → one ``brief`` fragment per item, the heading as column.

    An item starts at a bullet (``■ ● ▲``), a ``【…】`` title, a heading, or a short title line
    after a finished sentence; each item reads its own byline.
    """
    heading = blocks[0].text
    items: list[tuple[str, int, list[Block]]] = []
    for b in blocks[1:]:
        t = b.text
        ended = not items or not items[-1][2] or _ends_sentence(items[-1][2][-1].text)
        if b.kind != "text":
            items.append((t, b.line, []))
        elif t.startswith(tuple(BULLETS)):
            text = t[1:].strip()
            if _is_item_title(Block("text", text, b.line), paper):
                items.append((text, b.line, []))
            else:
                items.append(("", b.line, [Block("text", text, b.line)] if text else []))
        elif (m := _BRACKET_TITLE_RE.match(t)) is not None and not EDITOR_NOTE_RE.match(t):
            text = t[m.end() :].strip()
            items.append((m["title"].strip(), b.line, [Block("text", text, b.line)] if text else []))
        elif ended and _is_item_title(b, paper) and b is not blocks[-1]:
            items.append((t, b.line, []))
        elif items:
            items[-1][2].append(b)
        else:
            items.append(("", b.line, [b]))
    fragments = []
    for title, line, item_blocks in items:
        frag = Fragment(headline=title, line=line, kind="brief", column=column or heading)
        if column:
            frag.kicker = heading  # "### 本地新闻" over a "## 简讯" box: the box is the kicker's place
        after = _body(frag, item_blocks, paper, warnings)
        frag.kind = "brief"
        fragments.append(frag)
        if after:
            fragments += _orphans(after, paper, warnings)
    return fragments


def _shorten(text: str, limit: int = 30) -> str:
    # Messages are one line each; a headline of a megabyte must not make one a megabyte.
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _orphans(blocks: list[Block], paper: str | None, warnings: list) -> list[Fragment]:
    """Text outside any article: a continuation opening with ``▶上接01版①`` and no repeated
    headline, text after a jump, or before the first headline on an inner page."""
    frag = Fragment(headline="", line=blocks[0].line)
    if blocks[0].text.find("上接", 0, 8) >= 0 and JUMP_FROM_RE.match(blocks[0].text) is not None:
        after = _body(frag, blocks, paper, warnings)
        return [frag] + (_orphans(after, paper, warnings) if after else [])
    paragraphs = _paragraphs(blocks)
    if all(p.role == "caption" for p in paragraphs):
        frag.kind = "photo"
        frag.paragraphs = paragraphs
        for p in paragraphs:
            if (credit := find_credit(p.text)) is not None:
                frag.photographers.extend(credit[1])
        return [frag]
    warnings.append((blocks[0].line, "text without a headline: kept as an article with an empty headline"))
    frag.paragraphs = paragraphs
    return [frag]


def parse_page(lines: list[str], *, paper: str | None = None) -> Page:
    """Parse the normalised lines of one page. Pure: no I/O, no file names.

    Args:
        lines: the file's lines after :func:`zzanalysis.text.normalize_text`, line numbers kept.
        paper: the paper a ``本报讯`` byline names when the page prints no nameplate (inside pages).

    Returns:
        A :class:`Page` with the masthead fields (an inside page's ``section`` and ``editors``
        among them), the masthead lines as printed, the extras, the article fragments in reading
        order, and (line, message) warnings.
    """
    blocks = to_blocks(lines)
    # is_furniture, inlined: it is asked of every block
    is_furn = [b.kind == "text" and len(b.text) <= 40 and b.text[0] in _FURNITURE_FIRST
               and FURNITURE_RE.match(b.text) is not None for b in blocks]
    furniture = list(itertools.compress(blocks, is_furn))
    blocks = list(itertools.compress(blocks, map(operator.not_, is_furn)))
    starts = _article_starts(blocks)
    first = starts[0][0] if starts else len(blocks)
    preamble = blocks[:first]
    # "▶上接01版①" before any headline: the continuation at the top of an inner page
    cont = next((k for k, b in enumerate(preamble) if b.kind == "text" and b.text.find("上接", 0, 8) >= 0
                 and JUMP_FROM_RE.match(b.text) is not None), len(preamble))
    warnings: list[tuple[int, str]] = []
    masthead, masthead_lines, extra_blocks = _split_masthead(preamble[:cont])
    for b in furniture:
        if editors := parse_editors(b.text):
            masthead.setdefault("editors", []).extend(editors)
    paper = masthead.get("paper") or paper
    # Body text before any headline with no masthead pattern in it is a headless fragment (the
    # continuation at the top of an inner page), not page furniture.
    stray = [b for b in extra_blocks if b.kind == "text" and len(b.text) > KICKER_MAX]
    extras = [b.text for b in extra_blocks if not (b.kind == "text" and len(b.text) > KICKER_MAX)]
    fragments: list[Fragment] = _orphans(stray, paper, warnings) if stray else []
    if cont < len(preamble):
        fragments += _orphans(preamble[cont:], paper, warnings)
    for k, (s, head) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(blocks)
        fragments += _fragment(blocks[s:end], head - s, paper, warnings)
    return Page(masthead, masthead_lines, extras + [b.text for b in furniture], fragments, warnings)
