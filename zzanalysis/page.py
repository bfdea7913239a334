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

All patterns of the grammar live in this module. The functions here work on text already
normalised by :func:`zzanalysis.text.normalize_text` (full-width punctuation in Chinese text).

Text is kept as printed — a page set in traditional characters stays traditional — but the words
the grammar keys on are recognised in both forms (``記者``/``记者``, ``通訊員``, ``下轉``, ``圖為``,
``掃一掃``), so such a page yields the same fields. Patterns that can meet a line of megabytes
(a whole page exported without line breaks) have bounded repeats or look only at the line's ends,
so parsing stays linear in the size of the file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

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
_SENTENCE_END_RE = re.compile(r"[。！？]")
_MASTHEAD_RES = (DATE_RE, LUNAR_RE, ISSUE_NO_RE, PAGES_TOTAL_RE, PUBLISHER_RE, CN_RE)

# --- page furniture: lines that belong to the page, not to an article -----------------------
# "扫一扫关注株洲日报社新媒体", "本版编辑/张三", "责任编辑：李四 校对：王五"
FURNITURE_RE = re.compile(
    r"^(?:[扫掃]一[扫掃]|[扫掃][码碼]|(?:本版|[责責]任|值班)?[编編][辑輯]\s*[/：:]|校[对對]\s*[/：:]"
    r"|美[编編]\s*[/：:]|版式\s*[/：:]|[组組]版\s*[/：:]|新[闻聞][热熱][线線]|[广廣]告[热熱][线線]"
    r"|[发發]行[热熱][线線]|投稿[邮郵]箱|本[报報]地址)"
)

# --- bylines -------------------------------------------------------------------------------
# "全媒体记者", "通讯员", "实习生" and their traditional forms ("全媒體記者", "通訊員")
_ROLE = (r"(?:(?:全媒[体體]|融媒[体體]|特[约約]|[见見][习習]|[实實][习習]|本[报報])?[记記]者"
         r"|(?:特[约約])?通[讯訊][员員]|[实實][习習]生)")
ROLE_RE = re.compile(_ROLE)
# inline: "株洲日报（全媒体记者/温琳 通讯员/彭玲 赵小茵） 4月26日，" (after normalisation);
# the bracket holds at most a few dozen characters, which bounds the search on a giant paragraph.
INLINE_BYLINE_RE = re.compile(
    rf"^(?P<source>[^\s（）()，。]{{0,16}}?)\s{{0,3}}（(?P<roles>[^（）]{{0,40}}?{_ROLE}[^（）]{{0,80}})）"
    r"\s*(?:(?P<dateline>\d{1,2}月\d{1,2}日)(?:电)?\s*[，、]?)?\s*"
)
# stand-alone: "人民日报记者/余建斌 吴齐强 邱超奕", "株洲日报全媒体记者/廖明"
STANDALONE_BYLINE_RE = re.compile(rf"^(?P<source>[^\s，。（）/]{{0,12}}?)(?P<roles>{_ROLE}.*)$")
# "温琳", "余建斌", a rare character outside the BMP ("王𠀀"), "David Smith"
_NAME_RE = re.compile(r"^(?:[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f·]{2,5}"
                      r"|[A-Za-z][A-Za-z .'-]{1,30})$")
# "新华社北京4月26日电" → source 新华社, dateline 4月26日
_AGENCY_DATELINE_RE = re.compile(
    r"^(?P<source>新[华華]社|中新社|人民日[报報]|湖南日[报報])\S*?(?P<dateline>\d{1,2}月\d{1,2}日)[电電]$")
# the house's own bylines say "本报讯" where others print the paper's name
_OWN_PAPER = ("本报讯", "本报", "本報訊", "本報")

# --- jumps and teasers ---------------------------------------------------------------------
# "▶下转02版①", "（下转第2版）", "▶下轉02版①" — alone on a line or at the end of a paragraph.
# Searched only in the last JUMP_WINDOW characters of a line (see find_jump_to).
JUMP_TO_RE = re.compile(r"\s{0,8}[▶►→]?\s{0,3}[（(]?\s{0,3}下[转轉]\s{0,3}(?P<to>第?\d{1,2}版[①-⑳]?)\s{0,3}[）)]?\s*$")
# "（上接01版①）" at the start of a continued fragment
JUMP_FROM_RE = re.compile(r"^\s{0,3}[▶►→]?\s{0,3}[（(]?\s{0,3}上接\s{0,3}(?P<from>第?\d{1,2}版[①-⑳]?)\s{0,3}[）)]?\s*")
JUMP_WINDOW = 48
# "《人民日报》专版特别报道 《增强创新动力 …》 封二版", "株洲GDP增长5% 详见3版" — a box on page 1
# pointing elsewhere; searched in the headline's last JUMP_WINDOW characters (see _teaser).
TEASER_RE = re.compile(r"\s{0,8}(?:[详詳][见見]|[见見])?\s{0,3}(?P<to>封[一二三四]版|第?\d{1,2}版|[A-D]\d{1,2}版)$")

# --- paragraphs ----------------------------------------------------------------------------
# Sentence ends; a paragraph ending in anything else was broken by the PDF export.
TERMINAL = tuple("。！？；…：”’」』）》") + ("——",)
# Characters that cannot start a paragraph: one that does is the tail of the one before.
CONTINUATION_START = tuple("，、；：。！？）》”")
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

Kind = Literal["h1", "h2", "h3", "text"]


@dataclass
class Block:
    """One non-blank source line."""

    kind: Kind
    text: str
    line: int  # 1-based line in the source file


@dataclass
class Paragraph:
    role: Literal["body", "subhead", "caption"]
    text: str
    line_start: int
    line_end: int
    repaired: bool = False
    split: bool = False


@dataclass
class Fragment:
    """An article fragment as parsed, before it becomes a DataFrame row."""

    headline: str
    line: int
    kind: Literal["article", "teaser", "photo"] = "article"
    column: str | None = None
    kicker: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    source: str | None = None
    reporters: list[str] = field(default_factory=list)
    correspondents: list[str] = field(default_factory=list)
    dateline: str | None = None
    continued_to: str | None = None
    continued_from: str | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass
class Page:
    masthead: dict
    masthead_lines: list[str]
    extras: list[str]
    fragments: list[Fragment]
    warnings: list[tuple[int, str]]


def to_blocks(lines: list[str]) -> list[Block]:
    """Classify each non-blank (already normalised) line as a heading level or text."""
    blocks = []
    for no, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        m = HEADING_RE.match(line)
        if m:
            text = m["text"].strip().rstrip("#").rstrip()
            if not text:
                continue  # a bare "##": markup with no content
            level = len(m["hashes"])
            blocks.append(Block("h1" if level == 1 else "h2" if level == 2 else "h3", text, no))
        else:
            blocks.append(Block("text", line, no))
    return blocks


def _ends_sentence(text: str) -> bool:
    return text.endswith(TERMINAL)


def is_furniture(block: Block) -> bool:
    return block.kind == "text" and len(block.text) <= 40 and FURNITURE_RE.match(block.text) is not None


def _is_kicker(block: Block) -> bool:
    text = block.text
    return (
        block.kind == "text"
        and len(text) <= KICKER_MAX
        and not _ends_sentence(text)
        and not any(p in text for p in "。！？")
        and parse_standalone_byline(text) is None
        and find_jump_to(text) is None
        and not is_furniture(block)
        and not any(r.search(text) for r in _MASTHEAD_RES)
    )


def _names(chunk: str) -> list[str] | None:
    names = [n for n in re.split(r"[\s、，]+", chunk.strip()) if n]
    if not names or not all(_NAME_RE.match(n) for n in names):
        return None
    return names


def parse_roles(roles: str) -> tuple[list[str], list[str]] | None:
    """``"全媒体记者/温琳 通讯员/彭玲 赵小茵"`` → (['温琳'], ['彭玲', '赵小茵']); None if not a byline."""
    reporters: list[str] = []
    correspondents: list[str] = []
    marks = list(ROLE_RE.finditer(roles))
    if not marks or roles[: marks[0].start()].strip():
        return None
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(roles)
        names = _names(roles[m.end() : end].lstrip("/／:： "))
        if names is None:
            return None
        (correspondents if "通" in m.group() else reporters).extend(names)
    return reporters, correspondents


def _source(prefix: str, paper: str | None) -> tuple[str | None, str | None]:
    """Printed source prefix → (source, dateline)."""
    prefix = prefix.strip()
    if not prefix:
        return None, None
    m = _AGENCY_DATELINE_RE.match(prefix)
    if m:
        return m["source"], m["dateline"]
    if prefix in _OWN_PAPER:
        return paper or prefix, None
    return prefix, None


def parse_standalone_byline(text: str, paper: str | None = None) -> dict | None:
    """A line that is only a byline → its fields, else None."""
    if len(text) > 60:
        return None
    m = STANDALONE_BYLINE_RE.match(text)
    if not m:
        return None
    roles = parse_roles(m["roles"])
    if roles is None:
        return None
    source, dateline = _source(m["source"], paper)
    return dict(byline=text, source=source, reporters=roles[0], correspondents=roles[1], dateline=dateline)


def parse_inline_byline(text: str, paper: str | None = None) -> tuple[dict, str] | None:
    """A paragraph opening with a byline → (its fields, the rest of the paragraph), else None."""
    m = INLINE_BYLINE_RE.match(text)
    if not m:
        return None
    roles = parse_roles(m["roles"])
    if roles is None:
        return None
    source, dateline = _source(m["source"], paper)
    fields = dict(
        byline=m.group().strip(),
        source=source,
        reporters=roles[0],
        correspondents=roles[1],
        dateline=m["dateline"] or dateline,
    )
    return fields, text[m.end() :]


def find_jump_to(text: str) -> tuple[int, str] | None:
    """``"…拿起一根“细针”， ▶下转02版①"`` → (where the marker starts, ``"02版①"``), else None."""
    offset = max(0, len(text) - JUMP_WINDOW)
    # A substring test first: nearly every line has no jump, and the regex costs 10× more.
    if "下转" not in text[offset:] and "下轉" not in text[offset:]:
        return None
    m = JUMP_TO_RE.search(text, offset)
    return (m.start(), m["to"]) if m else None


def _teaser(headline: str) -> tuple[str, str] | None:
    """``"… 封二版"`` → (the headline without the pointer, ``"封二版"``), else None."""
    offset = max(0, len(headline) - JUMP_WINDOW)
    m = TEASER_RE.search(headline, offset)
    if m is None or not headline[: m.start()].strip():
        return None
    return headline[: m.start()].rstrip(), m["to"]


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
        if len(b.text) > MASTHEAD_LINE_MAX or _SENTENCE_END_RE.search(b.text):
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
        if found:
            lines.append(b.text)
        else:
            extras.append(b)
    return meta, lines, extras


def _article_starts(blocks: list[Block]) -> list[tuple[int, int]]:
    """(first block, headline block) of every article; columns and kickers precede headlines."""
    heads = [
        i
        for i, b in enumerate(blocks)
        if b.kind == "h2" and not (b.text.startswith("——") and i > 0 and blocks[i - 1].kind == "h2")
    ]
    starts = []
    floor = -1
    for i in heads:
        s = i
        if s - 1 > floor and _is_kicker(blocks[s - 1]):
            s -= 1
        if s - 1 > floor and blocks[s - 1].kind == "h3":
            s -= 1
        starts.append((s, i))
        floor = i
    return starts


def _may_be_caption(text: str) -> bool:
    # The characters CAPTION_RE needs, tested as substrings before the regex scans the paragraph.
    return "图" in text or "圖" in text or "摄" in text or "攝" in text or text.startswith("▲")


def _paragraphs(blocks: list[Block]) -> list[Paragraph]:
    """Body blocks → paragraphs: glued lines split, PDF line breaks rejoined, roles assigned."""
    pieces: list[Paragraph] = []
    for b in blocks:
        if b.kind != "text":
            pieces.append(Paragraph("subhead", b.text, b.line, b.line))
            continue
        parts = GLUED_RE.split(b.text) if (" " in b.text or "\t" in b.text) else [b.text]
        # re.split with one group yields text, close, text, close, …: glue the closing quotes back.
        texts = [parts[0]]
        for close, rest in zip(parts[1::2], parts[2::2]):
            texts[-1] += close
            texts.append(rest)
        for k, t in enumerate(texts):
            t = t.strip()
            if t:
                pieces.append(Paragraph("body", t, b.line, b.line, split=len(texts) > 1))
    joined: list[Paragraph] = []
    # Pieces of each joined paragraph, concatenated once at the end: appending to the text on
    # every join is quadratic on a page of a hundred thousand broken lines.
    texts: list[list[str]] = []
    for p in pieces:
        prev = joined[-1] if joined else None
        if (
            prev is not None
            and p.role == prev.role == "body"
            and p.line_start != prev.line_end
            and (not _ends_sentence(prev.text) or p.text.startswith(CONTINUATION_START))
        ):
            sep = " " if prev.text[-1].isascii() and p.text[0].isascii() and prev.text[-1].isalpha() else ""
            texts[-1] += [sep, p.text]
            prev.text = (prev.text[-2:] + sep + p.text)[-2:]  # enough of the end for the test above
            prev.line_end = p.line_end
            prev.repaired = True
            continue
        joined.append(p)
        texts.append([p.text])
    for p, parts in zip(joined, texts):
        p.text = normalize_punctuation("".join(parts)) if p.repaired else parts[0]
    for p in joined:
        if p.role == "body" and _may_be_caption(p.text) and CAPTION_RE.search(p.text):
            p.role = "caption"
        elif p.role == "body" and p.split and p.text.startswith("——") and len(p.text) <= SUBHEAD_MAX:
            # "——活力株洲，制造业名城有朝气。" opens a section of a long report
            p.role = "subhead"
    return joined


def _fragment(blocks: list[Block], head: int, paper: str | None, warnings: list) -> list[Fragment]:
    """One article region (column/kicker, headline, subtitle, byline, body) → fragments."""
    frag = Fragment(headline=blocks[head].text, line=blocks[head].line)
    for b in blocks[:head]:
        if b.kind == "h3":
            frag.column = b.text
        else:
            frag.kicker = b.text
    rest = blocks[head + 1 :]
    if rest and rest[0].text.startswith("——") and rest[0].kind in ("h2", "h3"):
        frag.subtitle = rest[0].text
        rest = rest[1:]
    if rest and rest[0].kind == "text":
        if (m := JUMP_FROM_RE.match(rest[0].text)) is not None:
            frag.continued_from = m["from"]
            tail = rest[0].text[m.end() :].strip()
            rest = ([Block("text", tail, rest[0].line)] if tail else []) + rest[1:]
    if rest and rest[0].kind == "text":
        if (fields := parse_standalone_byline(rest[0].text, paper)) is not None:
            vars(frag).update(fields)
            rest = rest[1:]
        elif (found := parse_inline_byline(rest[0].text, paper)) is not None:
            fields, tail = found
            vars(frag).update(fields)
            tail = tail.strip()
            rest = ([Block("text", tail, rest[0].line)] if tail else []) + rest[1:]
    body: list[Block] = []
    after_jump: list[Block] = []
    for b in rest:
        if frag.continued_to is not None:
            after_jump.append(b)
            continue
        jump = find_jump_to(b.text) if b.kind == "text" else None
        if jump:
            frag.continued_to = jump[1]
            head_text = b.text[: jump[0]].strip()
            if head_text:
                body.append(Block("text", head_text, b.line))
            continue
        body.append(b)
    frag.paragraphs = _paragraphs(body)
    if not frag.paragraphs and (teaser := _teaser(frag.headline)):
        frag.kind = "teaser"
        frag.headline, frag.continued_to = teaser
    elif not frag.paragraphs:
        warnings.append((frag.line, f"headline without body: {_shorten(frag.headline)!r}"))
    fragments = [frag]
    if after_jump:
        fragments += _orphans(after_jump, warnings)
    return fragments


def _shorten(text: str, limit: int = 30) -> str:
    # Messages are one line each; a headline of a megabyte must not make one a megabyte.
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _orphans(blocks: list[Block], warnings: list) -> list[Fragment]:
    """Text outside any article (after a jump, or before the first headline on an inner page)."""
    paragraphs = _paragraphs(blocks)
    if all(p.role == "caption" for p in paragraphs):
        return [Fragment(headline="", line=blocks[0].line, kind="photo", paragraphs=paragraphs)]
    warnings.append((blocks[0].line, "text without a headline: kept as an article with an empty headline"))
    return [Fragment(headline="", line=blocks[0].line, paragraphs=paragraphs)]


def parse_page(lines: list[str]) -> Page:
    """Parse the normalised lines of one page. Pure: no I/O, no file names.

    Args:
        lines: the file's lines after :func:`zzanalysis.text.normalize_text`, line numbers kept.

    Returns:
        A :class:`Page` with the masthead fields, the masthead lines as printed, the extras,
        the article fragments in reading order, and (line, message) warnings.
    """
    blocks = to_blocks(lines)
    furniture = [b.text for b in blocks if is_furniture(b)]
    blocks = [b for b in blocks if not is_furniture(b)]
    starts = _article_starts(blocks)
    first = starts[0][0] if starts else len(blocks)
    preamble = blocks[:first]
    warnings: list[tuple[int, str]] = []
    masthead, masthead_lines, extra_blocks = _split_masthead(preamble)
    # Body text before any headline with no masthead pattern in it is a headless fragment (the
    # continuation at the top of an inner page), not page furniture.
    stray = [b for b in extra_blocks if b.kind == "text" and len(b.text) > KICKER_MAX]
    extras = [b.text for b in extra_blocks if not (b.kind == "text" and len(b.text) > KICKER_MAX)]
    fragments: list[Fragment] = _orphans(stray, warnings) if stray else []
    for k, (s, head) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(blocks)
        fragments += _fragment(blocks[s:end], head - s, masthead.get("paper"), warnings)
    return Page(masthead, masthead_lines, extras + furniture, fragments, warnings)
