"""One article per file → the tables a page gives: plain text (title first) or HTML saved from a
browser (main text found by trafilatura).

Many researchers keep the paper as one article per file: e-paper article pages saved from the
browser, reposts copied into text files. Such a file becomes one ``issues`` row, one
``articles`` row and its ``paragraphs``, with the ids and columns of a page file:

- the date comes from a ``日期:`` header line (or the e-paper's ``2023年05月08日 第02版`` info
  line), else from the file name (``2023-05-08``, ``20230508``, ``2023年5月8日``);
- ``page`` is the ``第02版`` of that info line, else unknown (NA);
- ids: ``page_id`` is ``{issue_id}-x{first 10 hex digits of the file's sha256}`` (the file has no
  page of its own; the content names it, so renaming the file keeps its ids), the article is
  ``{page_id}-a01``;
- a byline at the top of the text (``株洲日报讯(记者 林可)``, or stand-alone lines ``记者 林可``)
  is parsed with the page grammar's byline functions;
- site chrome (``上一篇/下一篇``, ``分享``, ``放大 缩小``, copyright, the info line) and footers
  (``来源:株洲日报 作者:林可 编辑:周岚``) go to the issue's ``extras``, never to ``text``; a footer's
  source and author fill ``source`` and ``reporters`` when the byline gives none.

For HTML, ``line_start``/``line_end`` count lines of the extracted main text
(:func:`html_main_text`), not of the HTML source. Every character of that text ends up in
exactly one of ``byline``, ``subtitle``, the paragraphs and ``extras``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import pandas as pd

from .corpus import ARTICLE_COLUMNS, ISSUE_COLUMNS, Issue, _articles_frame, _paragraphs_frame
from .decode import decode_page
from .errors import ParseError
from .page import (
    CAPTION_RE, FULL_STOP_RE, find_credit, parse_bare_dateline, parse_editors, parse_footer, parse_inline_byline,
    parse_standalone_byline,
)
from .reader import DEFAULT_PAPER, PAPER_CODES, WEEKDAYS, _date, _file_name, facts_from_filename
from .text import normalize_text

HTML_SUFFIXES = (".html", ".htm")

# "日期:2023-05-08", "日期：2023年5月8日", "发布时间: 2023/05/08 10:21" (after normalisation)
DATE_HEADER_RE = re.compile(
    r"^(?:日期|时间|发布时间|发布日期|刊发日期)\s{0,2}[:：]\s{0,2}(?P<y>\d{4})\s{0,2}[-/.年]\s{0,2}(?P<m>\d{1,2})"
    r"\s{0,2}[-/.月]\s{0,2}(?P<d>\d{1,2})日?(?:\s{1,3}\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?$"
)
# the e-paper's info line: "2023年05月08日 第02版", "2023年5月8日 星期一 第2版：要闻"
INFO_LINE_RE = re.compile(
    r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日\s{0,3}(?:星期[一二三四五六日天])?\s{0,3}"
    r"(?:第(?P<page>\d{1,2})版(?:\s{0,2}[:：]\s{0,2}\S{1,10})?)?$"
)
# "2023-05-08", "2023_05_08", "2023年5月8日" in a file name; "20230508" alone
FILE_DATE_RE = re.compile(r"(?<!\d)(?P<y>\d{4})(?:[-_.年](?P<m>\d{1,2})[-_.月](?P<d>\d{1,2})|(?P<m2>\d{2})(?P<d2>\d{2}))(?!\d)")
# site chrome left in a saved page: pager, toolbar, copyright, sharing, print
CHROME_RE = re.compile(
    r"^(?:上一篇|下一篇|上一版|下一版|返回目录|返回首页|返回)\s{0,2}[:：]?|版权所有|ICP备|未经(?:书面)?授权不得|"
    r"^(?:字号\s{0,2}[:：]?\s{0,2})?(?:放大|缩小|默认|分享(?:到)?|打印|关闭|收藏|复制链接|微信|微博|QQ空间|[大中小]|\s){1,30}$"
)
# lists of names a byline, a footer or a credit fills
_NAME_LISTS = ("reporters", "correspondents", "photographers", "planners")


def is_html(path: str | Path) -> bool:
    return _file_name(path).lower().endswith(HTML_SUFFIXES)


def is_article_text(text: str, path: str | Path | None) -> bool:
    """True for a plain-text file holding one article rather than a page: no ``## `` headline,
    and a ``日期:`` header line near the top or a dated file name without a page number."""
    if text.startswith("#") or "\n#" in text:
        return False  # a headline at a line's start, found without splitting a page into lines
    lines = [line.strip() for line in text.split("\n")]
    if any(line.startswith("#") for line in lines):
        return False
    top = [line for line in lines if line][:6]
    if any(DATE_HEADER_RE.match(normalize_text(line)) for line in top):
        return True
    return path is not None and "page" not in facts_from_filename(path) and _file_date(path) is not None


def html_main_text(html: str) -> tuple[str | None, str, str | None]:
    """The main text of an article page saved from a browser, by trafilatura.

    Returns:
        ``(title, text, date)``: the title trafilatura found (None if none), the main text in
        normal form (:func:`zzanalysis.text.normalize_text`) with one paragraph per line, and
        the date in the page's metadata as ``YYYY-MM-DD`` (None if none).
    """
    try:
        import trafilatura
    except ImportError:
        raise ImportError("reading HTML article files needs trafilatura: pip install 'zzanalysis[html]'") from None

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False,
                                      include_images=False, favor_recall=True, deduplicate=False)
    if doc is None:
        return None, "", None
    title = normalize_text(doc.title).strip() if doc.title else None
    text = "\n".join(normalize_text(line).strip() for line in (doc.text or "").split("\n"))
    # htmldate falls back to the file's own date when the page names none: only a date from the page counts
    return title or None, text, doc.date if doc.date and doc.date != doc.filedate else None


def parse_article(text: str, *, path: str | Path | None = None, sha256: str | None = None,
                  html: bool = False) -> Issue:
    """Parse one article file's text (or HTML with ``html=True``) into tables; see :func:`read_article`."""
    meta, articles, paragraphs = _parse_rows(text, path=path, sha256=sha256, html=html)
    return Issue(meta, _articles_frame(articles), _paragraphs_frame(paragraphs))


def read_article(path: str | Path, *, encoding: str | None = None) -> Issue:
    """Read one article file: plain text (title on the first line) or HTML saved from a browser.

    Args:
        path: the file; ``.html``/``.htm`` is read as HTML, anything else as plain text.
        encoding: force an encoding (default: detected as for page files).

    Returns:
        An :class:`~zzanalysis.corpus.Issue` with one article: ``meta`` (the ``issues`` row:
        ``page`` NA unless the e-paper's info line names it, chrome and footers in ``extras``),
        ``articles`` (one row) and ``paragraphs``.

    Raises:
        ParseError: unreadable bytes, no title, no text, or no date (neither a ``日期:`` line nor a
            dated file name); the message names the file and line.

    Example:
        >>> issue = zz.read_article("clippings/2023-05-08 湘江边的夜市.txt")  # doctest: +SKIP
        >>> issue.articles[["headline", "reporters", "page"]]  # doctest: +SKIP
    """
    path = Path(path)
    data = path.read_bytes()
    text = decode_page(data, path=path, encoding=encoding)
    return parse_article(text, path=path, sha256=hashlib.sha256(data).hexdigest(), html=is_html(path))


def _file_date(path: str | Path) -> tuple[int, int, int] | None:
    m = FILE_DATE_RE.search(Path(path).name)
    if not m:
        return None
    return int(m["y"]), int(m["m"] or m["m2"]), int(m["d"] or m["d2"])


def _parse_rows(text: str, *, path, sha256: str | None, html: bool) -> tuple[dict, list[dict], list[dict]]:
    """:func:`parse_article` up to the rows (the issue's fields, the article, its paragraphs), as
    read_corpus builds its frames from rows of many files."""
    sha256 = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    if html:
        try:
            title, main, meta_date = html_main_text(text)
        except ImportError as e:
            raise ParseError(str(e), path=path, line=1) from None
        lines = main.split("\n")
    else:
        title, meta_date = None, None
        lines = [normalize_text(line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    numbered = [(no, line) for no, line in enumerate(lines, start=1) if line]
    if not numbered:
        raise ParseError("no text: the file holds no article" + (" that trafilatura could find" if html else ""),
                         path=path, line=1)
    if title is None:
        title = numbered.pop(0)[1]
    elif numbered[0][1] == title:
        numbered.pop(0)  # the headline repeated at the top of the main text
    paper = DEFAULT_PAPER
    extras: list[str] = []
    fields: dict = dict(byline=None, source=None, outlet=None, dateline=None,
                        **{k: [] for k in _NAME_LISTS})
    footer: dict = {}
    editors: list[str] = []
    warns: list[tuple[int, str]] = []
    date = page = None
    subtitle = None
    body: list[tuple[int, str]] = []

    def take(found: dict, no: int) -> None:
        # a byline block of several lines ("记者 林可" / "通讯员/吴迪 孙悦" / "株洲日报讯") is one byline
        fields["byline"] = found["byline"] if fields["byline"] is None else f"{fields['byline']} {found['byline']}"
        for key in ("source", "outlet", "dateline"):
            fields[key] = fields[key] or found.get(key)
        for key in _NAME_LISTS:
            fields[key] += found.get(key, [])
        warns.extend((no, f"byline names not split: {run!r} kept whole") for run in found.get("unsure", []))

    for no, line in numbered:
        if (m := DATE_HEADER_RE.match(line) or INFO_LINE_RE.match(line)) is not None:
            date = date or ((int(m["y"]), int(m["m"]), int(m["d"])), no)
            if m.groupdict().get("page"):
                page = page or int(m["page"])
            extras.append(line)
        elif CHROME_RE.search(line):
            extras.append(line)
        elif (found := parse_footer(line, paper)) is not None:
            # "来源：株洲日报 作者：林可 编辑：周岚": meta, filling what the byline leaves open
            for key, value in found.items():
                footer.setdefault(key, value)
            warns.extend((no, f"footer names not split: {run!r} kept whole") for run in found["unsure"])
            editors += parse_editors(line)
            extras.append(line)
        elif not body and subtitle is None and fields["byline"] is None and line.startswith("——"):
            subtitle = line
        elif not body and (standalone := parse_standalone_byline(line, paper)) is not None:
            take(standalone, no)
        elif not body and (lead := (parse_bare_dateline(line, paper) if fields["byline"] is not None
                                    else parse_inline_byline(line, paper))) is not None:
            take(lead[0], no)
            if lead[1].strip():
                body.append((no, lead[1].strip()))
        else:
            body.append((no, line))
    if not body:
        raise ParseError("no article text after the title", path=path, line=numbered[-1][0] if numbered else 1)
    if not any(FULL_STOP_RE.search(line) for _, line in body):
        # a saved index or navigation page: links and labels, no sentence
        raise ParseError(f"no article: the text under {title!r} has no sentence (an index or navigation page?)",
                         path=path, line=body[0][0])

    if date is not None:
        day = _date(date[0], path, date[1])
    elif path is not None and (ymd := _file_date(path)) is not None:
        day = _date(ymd, path, 1)
    elif meta_date is not None:
        day = dt.date.fromisoformat(meta_date)
    else:
        raise ParseError("no date: neither a 日期: line nor a dated file name (2023-05-08 标题.txt)",
                         path=path, line=1)
    for key in ("source", "outlet", "reporters", "correspondents"):
        if not fields[key] and footer.get(key):
            fields[key] = footer[key]
    for _, line in body:
        if (credit := find_credit(line)) is not None:
            fields["photographers"] += [n for n in credit[1] if n not in fields["photographers"]]
    facts = facts_from_filename(path) if path is not None else {}
    code = facts.get("code") or _file_code(path) or PAPER_CODES.get(paper, "zzrb")
    issue_id = f"{code}-{day.year:04d}-{day.month:02d}-{day.day:02d}"
    page_id = f"{issue_id}-x{sha256[:10]}"
    article_id = f"{page_id}-a01"
    ts = pd.Timestamp(day)
    paragraphs = [dict(
        article_id=article_id, issue_id=issue_id, date=ts, page=page, para_no=k, role=_role(line), text=line,
        line_start=no, line_end=no, repaired=False, split=False,
    ) for k, (no, line) in enumerate(body, start=1)]
    texts = [p["text"] for p in paragraphs]
    article = dict.fromkeys(ARTICLE_COLUMNS)
    article.update(
        article_id=article_id, issue_id=issue_id, date=ts, page=page, position=1, kind="article",
        headline=title, subtitle=subtitle, **{k: v for k, v in fields.items() if k in article},
        story_id=article_id, text="\n".join(texts), n_paragraphs=len(texts), n_chars=sum(len(t) for t in texts),
    )
    meta = dict.fromkeys(ISSUE_COLUMNS)
    meta.update(
        issue_id=issue_id, page_id=page_id, paper=paper, date=ts, weekday=f"星期{WEEKDAYS[day.weekday()]}",
        page=page, editors=editors, masthead=[], extras=extras,
        warnings=[f"line {line}: {msg}" for line, msg in warns], source_path=str(path) if path is not None else None,
        sha256=sha256, n_articles=1, n_chars=article["n_chars"],
    )
    return meta, [article], paragraphs


def _file_code(path) -> str | None:
    """``zzrb-2023-05-08-标题.html`` → ``zzrb``: a paper code opening the file name."""
    if path is None:
        return None
    m = re.match(r"(?P<code>[a-z]{2,8})[-_]\d{4}", Path(path).name, re.I)
    return m["code"].lower() if m else None


def _role(line: str) -> str:
    return "caption" if CAPTION_RE.search(line) or find_credit(line) is not None else "body"
