"""One page file → tables: ``read_issue`` for a file, ``parse_text`` for its text.

Tables and columns are those of :mod:`zzanalysis.corpus` (``DATA_MODEL.md``); decoding bytes is
:mod:`zzanalysis.decode`, reading many files (in parallel, through the parse cache) is
:mod:`zzanalysis.loader`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import operator
import re
import warnings
from pathlib import Path

import pandas as pd

from .corpus import (
    ARTICLE_COLUMNS, ISSUE_COLUMNS, PARAGRAPH_COLUMNS, PROBLEM_COLUMNS, Corpus, Issue, _articles_frame,
    _paragraphs_frame,
)
from .decode import decode_page
from .errors import PageWarning, ParseError
from .facts import get_year_range
from .page import _TEXT_OF, Fragment, Page, parse_page
from .text import normalize_text

# Names that lived here before the split, imported from here by callers: kept importable.
__all__ = [
    "ARTICLE_COLUMNS", "ISSUE_COLUMNS", "PARAGRAPH_COLUMNS", "PROBLEM_COLUMNS", "PARSER_VERSION", "Corpus",
    "Issue", "decode_page", "facts_from_filename", "parse_text", "read_issue",
]

# "zzrb-2023-04-27-p01.md" (paper code, date, page)
FILENAME_RE = re.compile(r"(?P<code>[a-z]+)[-_](?P<y>\d{4})-?(?P<m>\d{2})-?(?P<d>\d{2})[-_]p?(?P<page>\d{1,2})(?!\d)", re.I)
# "20230427_01.txt" (date, page)
FILENAME_DIGITS_RE = re.compile(r"(?<!\d)(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})[-_]p?(?P<page>\d{1,2})(?!\d)")
# Short codes for ids; a page of another paper gets its code from its file name.
PAPER_CODES = {"株洲日报": "zzrb"}
DEFAULT_PAPER = "株洲日报"
WEEKDAYS = "一二三四五六日"
# Bump whenever parse_text or the page grammar returns something else for the same bytes: the
# parse cache of read_corpus keys on it, so tables parsed by older rules are never served.
PARSER_VERSION = "3"  # 2: HTML remnants, traditional keywords, masthead only from non-sentences; 3: story_id


def _file_name(path: str | Path) -> str:
    # a Path's own name: Path(path) parses the whole path again, 13 µs a file (read_corpus asks per file)
    return path.name if isinstance(path, Path) else Path(path).name


def facts_from_filename(path: str | Path) -> dict:
    """``zzrb-2023-04-27-p01.md`` or ``20230427_01.txt`` → ``{code, date, page}`` (whatever is there)."""
    name = _file_name(path)
    m = FILENAME_RE.search(name) or FILENAME_DIGITS_RE.search(name)
    if not m:
        return {}
    facts = {"page": int(m["page"])}
    try:
        facts["date"] = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return {}
    if "code" in m.groupdict() and m["code"]:
        facts["code"] = m["code"].lower()
    return facts


# U+D800–U+DFFF alone: what "surrogateescape" leaves for undecodable bytes.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _date(ymd: tuple[int, int, int], path, line) -> dt.date:
    # Years a daily paper's masthead can print (one range for the package, zz.get_year_range());
    # "0023年" is damage, not the year 23.
    if ymd[0] not in get_year_range():
        raise ParseError(f"implausible masthead year {ymd[0]:04d}年{ymd[1]}月{ymd[2]}日", path=path, line=line)
    try:
        return dt.date(*ymd)
    except ValueError:
        raise ParseError(f"impossible masthead date {ymd[0]}年{ymd[1]}月{ymd[2]}日", path=path, line=line) from None


def parse_text(text: str, *, path: str | Path | None = None, sha256: str | None = None) -> Issue:
    """Parse the text of one page file (see :func:`read_issue`); ``path`` names it in ids and errors.

    Raises:
        ParseError: as :func:`read_issue`; also for a string holding a lone surrogate (text that
            went through ``errors="surrogateescape"``), which no file can contain.
    """
    meta, articles, paragraphs = _parse_rows(text, path=path, sha256=sha256)
    return Issue(meta, _articles_frame(articles), _paragraphs_frame(paragraphs))


def _parse_rows(text: str, *, path: str | Path | None, sha256: str | None, detected: bool = False,
                derived: bool = True) -> tuple[dict, dict, dict]:
    """:func:`parse_text` up to the columns: ``(meta, articles, paragraphs)``, the last two as
    ``{column: list}``. read_corpus appends them to one frame per batch of pages, which is far
    cheaper than two small frames per page or a dict per row.

    ``detected``: the text is what :func:`decode_page` made of a file's bytes with the encoding
    it detected itself, so its line ends are ``\\n`` and it holds no lone surrogate (the strict
    UTF-8, UTF-16 and GB18030 decoders never give one): two scans of the text are spared.
    Without ``derived`` the columns one table repeats from the other are left out: the
    articles' ``text`` and the paragraphs' ``article_id``, ``issue_id``, ``date`` and ``page``;
    read_corpus derives them for many pages at once (:func:`zzanalysis.loader._parse_chunk`).
    """
    if not detected:
        if (m := _SURROGATE_RE.search(text)) is not None:
            raise ParseError(f"lone surrogate U+{ord(m.group()):04X}: not valid Unicode text", path=path,
                             line=text.count("\n", 0, m.start()) + 1)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "<" in text or "&" in text:
        # HTML remnants may span a line end; resolve them line by line so line numbers hold.
        lines = [normalize_text(line) for line in text.split("\n")]
    else:
        lines = normalize_text(text).split("\n")
    if not any(line.strip() for line in lines):
        raise ParseError("empty file: no text, so no date and no articles", path=path, line=1)
    page: Page = parse_page(lines, paper=DEFAULT_PAPER)
    head = page.masthead
    facts = facts_from_filename(path) if path is not None else {}
    warns = [(line, msg) for line, msg in page.warnings]

    if "date" in head:
        date = _date(head["date"], path, head.get("date_line"))
        if "date" in facts and facts["date"] != date:
            warns.append((head["date_line"], f"masthead date {date} disagrees with the file name's {facts['date']}; the masthead wins"))
        if head.get("weekday") and WEEKDAYS[date.weekday()] != head["weekday"][-1].replace("天", "日"):
            warns.append((head["date_line"], f"masthead says {head['weekday']} but {date} is 星期{WEEKDAYS[date.weekday()]}"))
    elif "date" in facts:
        date = facts["date"]
    else:
        raise ParseError("no date: neither a masthead date (2023年4月27日) nor a dated file name "
                         "(zzrb-2023-04-27-p01.md)", path=path, line=1)
    if "page" in head:
        page_no = head["page"]
        if "page" in facts and facts["page"] != page_no:
            warns.append((1, f"masthead page {page_no} disagrees with the file name's page {facts['page']}; the masthead wins"))
    elif "page" in facts:
        page_no = facts["page"]
    elif "paper" in head and "issue_no" in head:
        page_no = 1  # only the front page carries the nameplate with the issue number
    else:
        raise ParseError("no page number: none printed and none in the file name (…-p01.md)", path=path, line=1)
    if not page.fragments:
        raise ParseError("no articles: the page has no '## ' headline and no body text", path=path,
                         line=len(lines))

    paper = head.get("paper", DEFAULT_PAPER)
    code = facts.get("code") or PAPER_CODES.get(paper, "zzrb")
    issue_id = f"{code}-{date.year:04d}-{date.month:02d}-{date.day:02d}"
    page_id = f"{issue_id}-p{page_no:02d}"
    ts = pd.Timestamp(date)
    articles = _article_columns(page.fragments, page_id, issue_id, ts, page_no, text=derived)
    paragraphs = _paragraph_columns(page.fragments, articles["article_id"], issue_id, ts, page_no, derived=derived)
    if path is not None:
        for line, msg in warns:
            warnings.warn(f"{path}:{line}: {msg}", PageWarning, stacklevel=3)
    meta = dict(
        issue_id=issue_id, page_id=page_id, paper=paper, date=ts,
        weekday=head.get("weekday") or f"星期{WEEKDAYS[date.weekday()]}",
        lunar_date=head.get("lunar_date"), issue_no=head.get("issue_no"),
        pages_total=head.get("pages_total"), page=page_no, publisher=head.get("publisher"),
        cn_number=head.get("cn_number"), section=head.get("section"), editors=list(head.get("editors", [])),
        masthead=page.masthead_lines, extras=page.extras,
        warnings=[f"line {line}: {msg}" for line, msg in warns],
        source_path=str(path) if path is not None else None,
        sha256=sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(),
        n_articles=len(page.fragments), n_chars=sum(articles["n_chars"]),
    )
    return meta, articles, paragraphs


# The article columns that are a Fragment's own fields, read from all fragments in one pass.
_FRAGMENT_FIELDS = ("kind", "column", "kicker", "headline", "subtitle", "source", "outlet", "reporters",
                    "correspondents", "photographers", "planners", "byline", "dateline", "continued_to",
                    "continued_from")
_LIST_FIELDS = ("reporters", "correspondents", "photographers", "planners")
_PARAGRAPHS_OF = operator.attrgetter("paragraphs")


def _article_columns(frags: list[Fragment], page_id, issue_id, ts, page_no, *, text: bool = True) -> dict[str, list]:
    n = len(frags)
    ids = [f"{page_id}-a{pos:02d}" for pos in range(1, n + 1)]
    cols = dict(article_id=ids, issue_id=[issue_id] * n, date=[ts] * n, page=[page_no] * n,
                position=list(range(1, n + 1)))
    fields = zip(*map(operator.attrgetter(*_FRAGMENT_FIELDS), frags)) if n else [()] * len(_FRAGMENT_FIELDS)
    for name, values in zip(_FRAGMENT_FIELDS, fields):
        cols[name] = list(map(list, values)) if name in _LIST_FIELDS else list(values)
    cols["story_id"] = list(ids)  # joined across pages by the loader, which sees every page
    # paragraph texts reached with map, not a Python loop per paragraph
    if text:  # read_corpus joins the text of many pages' articles from their paragraphs at once
        cols["text"] = ["\n".join(map(_TEXT_OF, f.paragraphs)) for f in frags]
    cols["n_paragraphs"] = [len(f.paragraphs) for f in frags]
    cols["n_chars"] = [sum(map(len, map(_TEXT_OF, f.paragraphs))) for f in frags]
    return {name: cols[name] for name in ARTICLE_COLUMNS if name in cols}


_PARAGRAPH_FIELDS = ("role", "text", "line_start", "line_end", "repaired", "split")


def _paragraph_columns(frags: list[Fragment], article_ids: list[str], issue_id, ts, page_no, *,
                       derived: bool = True) -> dict[str, list]:
    paras = list(itertools.chain.from_iterable(map(_PARAGRAPHS_OF, frags)))
    n = len(paras)
    cols = {}
    if derived:  # else read_corpus repeats them from the articles' columns, many pages at once
        cols = dict(article_id=[aid for aid, f in zip(article_ids, frags) for _ in f.paragraphs],
                    issue_id=[issue_id] * n, date=[ts] * n, page=[page_no] * n)
    cols["para_no"] = list(itertools.chain.from_iterable(range(1, len(f.paragraphs) + 1) for f in frags))
    fields = zip(*map(operator.attrgetter(*_PARAGRAPH_FIELDS), paras)) if n else [()] * len(_PARAGRAPH_FIELDS)
    cols.update(zip(_PARAGRAPH_FIELDS, map(list, fields)))
    return {name: cols[name] for name in PARAGRAPH_COLUMNS if name in cols}


def read_issue(path: str | Path, *, encoding: str | None = None) -> Issue:
    """Read one page file into tables.

    Args:
        path: a Markdown/text export of one printed page, e.g. ``data/raw/zzrb-2023-04-27-p01.md``.
        encoding: force an encoding; by default UTF-8 (with or without BOM), UTF-16 with BOM and
            GB18030/GBK are recognised.

    Returns:
        An :class:`Issue` with ``meta`` (dict), ``articles`` and ``paragraphs`` (DataFrames whose
        columns are those of ``DATA_MODEL.md``). Date and page come from the masthead, else from
        the file name (``zzrb-2023-04-27-p01.md``, ``20230427_01.txt``); where both exist and
        disagree the masthead wins and a :class:`~zzanalysis.errors.PageWarning` says so.

    Raises:
        ParseError: the file is unreadable (binary, truncated, undecodable) or has no date, page
            or articles; the message names the file and line.
        FileNotFoundError: no such file.

    Example:
        >>> issue = zz.read_issue("data/raw/zzrb-2023-04-27-p01.md")
        >>> issue.articles.loc[2, "headline"]
        '半导体产业链“盟”聚株洲'
    """
    path = Path(path)
    data = path.read_bytes()
    text = decode_page(data, path=path, encoding=encoding)
    return parse_text(text, path=path, sha256=hashlib.sha256(data).hexdigest())

