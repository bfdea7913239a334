"""Page files → tidy tables: ``read_issue`` for one file, ``read_corpus`` for many.

Tables and columns are those of ``DATA_MODEL.md``: ``issues`` (one row per page file),
``articles`` (one row per article fragment) and ``paragraphs`` (one row per paragraph).
"""
from __future__ import annotations

import datetime as dt
import glob as globlib
import hashlib
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Literal

import pandas as pd

from .errors import PageWarning, ParseError
from .page import Fragment, Page, parse_page
from .text import normalize_text

# "zzrb-2023-04-27-p01.md" (paper code, date, page)
FILENAME_RE = re.compile(r"(?P<code>[a-z]+)[-_](?P<y>\d{4})-?(?P<m>\d{2})-?(?P<d>\d{2})[-_]p?(?P<page>\d{1,2})(?!\d)", re.I)
# "20230427_01.txt" (date, page)
FILENAME_DIGITS_RE = re.compile(r"(?<!\d)(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})[-_]p?(?P<page>\d{1,2})(?!\d)")
# Short codes for ids; a page of another paper gets its code from its file name.
PAPER_CODES = {"株洲日报": "zzrb"}
DEFAULT_PAPER = "株洲日报"
PAGE_SUFFIXES = (".md", ".markdown", ".txt")
WEEKDAYS = "一二三四五六日"

ARTICLE_COLUMNS = [
    "article_id", "issue_id", "date", "page", "position", "kind", "column", "kicker", "headline",
    "subtitle", "source", "reporters", "correspondents", "byline", "dateline", "continued_to",
    "continued_from", "text", "n_paragraphs", "n_chars",
]
PARAGRAPH_COLUMNS = [
    "article_id", "issue_id", "date", "page", "para_no", "role", "text", "line_start", "line_end",
    "repaired", "split",
]
ISSUE_COLUMNS = [
    "issue_id", "page_id", "paper", "date", "weekday", "lunar_date", "issue_no", "pages_total", "page",
    "publisher", "cn_number", "masthead", "extras", "warnings", "source_path", "sha256", "n_articles",
    "n_chars",
]
PROBLEM_COLUMNS = ["path", "line", "severity", "reason"]


@dataclass(frozen=True)
class Issue:
    """One parsed page file.

    Attributes:
        meta: the issue's fields (the columns of the ``issues`` table) as a dict.
        articles: one row per article fragment (see ``DATA_MODEL.md``).
        paragraphs: one row per paragraph.
    """

    meta: dict
    articles: pd.DataFrame
    paragraphs: pd.DataFrame

    @property
    def issues(self) -> pd.DataFrame:
        """The one-row ``issues`` table of this page."""
        return _issues_frame([self.meta])

    def __repr__(self) -> str:
        return (
            f"Issue({self.meta['page_id']}, {self.meta['paper']}, "
            f"{len(self.articles)} articles, {len(self.paragraphs)} paragraphs)"
        )


@dataclass(frozen=True)
class Corpus:
    """Many page files as four tables: ``issues``, ``articles``, ``paragraphs`` and ``problems``.

    ``problems`` has one row per file that could not be read (severity ``error``), per duplicate
    that was dropped and per oddity that was read anyway (severity ``warning``):
    ``path, line, severity, reason``.
    """

    issues: pd.DataFrame
    articles: pd.DataFrame
    paragraphs: pd.DataFrame
    problems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PROBLEM_COLUMNS))

    def __repr__(self) -> str:
        errors = int((self.problems["severity"] == "error").sum()) if len(self.problems) else 0
        return (
            f"Corpus({len(self.issues)} pages, {len(self.articles)} articles, "
            f"{len(self.paragraphs)} paragraphs, {errors} unreadable files)"
        )


def decode_page(data: bytes, *, path: str | Path | None = None, encoding: str | None = None) -> str:
    """Bytes of a page file → text with ``\\n`` line ends.

    Tries, in order: the given ``encoding``; UTF-16 when the file starts with its byte-order mark;
    UTF-8 (with or without BOM); GB18030 (a superset of GBK and GB2312, the usual legacy encodings
    of Chinese text).

    Raises:
        ParseError: for binary data, a file cut off in the middle of a UTF-8 character, or bytes
            that are neither UTF-8 nor GB18030 — naming the file and line of the first bad byte.
    """

    def line_of(pos: int) -> int:
        return data.count(b"\n", 0, pos) + 1

    if encoding is not None:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as e:
            pos = getattr(e, "start", 0)
            raise ParseError(f"cannot decode as {encoding}: {e}", path=path, line=line_of(pos)) from None
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise ParseError(f"broken UTF-16 text at byte {e.start}", path=path) from None
    else:
        if (nul := data.find(b"\x00")) >= 0:
            raise ParseError("binary data (NUL byte), not a text page", path=path, line=line_of(nul))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            if e.reason == "unexpected end of data" and e.end == len(data):
                raise ParseError(
                    "file ends in the middle of a UTF-8 character (truncated download?)",
                    path=path,
                    line=line_of(e.start),
                ) from None
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                raise ParseError(
                    f"neither UTF-8 nor GB18030: byte 0x{data[e.start]:02x} cannot be decoded",
                    path=path,
                    line=line_of(e.start),
                ) from None
    if (m := re.search(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", text)) is not None:
        raise ParseError("binary data (control characters), not a text page", path=path,
                         line=text.count("\n", 0, m.start()) + 1)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def facts_from_filename(path: str | Path) -> dict:
    """``zzrb-2023-04-27-p01.md`` or ``20230427_01.txt`` → ``{code, date, page}`` (whatever is there)."""
    name = Path(path).name
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


def _date(ymd: tuple[int, int, int], path, line) -> dt.date:
    try:
        return dt.date(*ymd)
    except ValueError:
        raise ParseError(f"impossible masthead date {ymd[0]}年{ymd[1]}月{ymd[2]}日", path=path, line=line) from None


def parse_text(text: str, *, path: str | Path | None = None, sha256: str | None = None) -> Issue:
    """Parse the text of one page file (see :func:`read_issue`); ``path`` names it in ids and errors."""
    lines = [normalize_text(line) for line in text.split("\n")]
    page: Page = parse_page(lines)
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
    issue_id = f"{code}-{date:%Y-%m-%d}"
    page_id = f"{issue_id}-p{page_no:02d}"
    ts = pd.Timestamp(date)
    articles, paragraphs = [], []
    for pos, frag in enumerate(page.fragments, start=1):
        article_id = f"{page_id}-a{pos:02d}"
        articles.append(_article_row(frag, article_id, issue_id, ts, page_no, pos))
        for no, p in enumerate(frag.paragraphs, start=1):
            paragraphs.append(dict(
                article_id=article_id, issue_id=issue_id, date=ts, page=page_no, para_no=no,
                role=p.role, text=p.text, line_start=p.line_start, line_end=p.line_end,
                repaired=p.repaired, split=p.split,
            ))
    if path is not None:
        for line, msg in warns:
            warnings.warn(f"{path}:{line}: {msg}", PageWarning, stacklevel=3)
    meta = dict(
        issue_id=issue_id, page_id=page_id, paper=paper, date=ts,
        weekday=head.get("weekday") or f"星期{WEEKDAYS[date.weekday()]}",
        lunar_date=head.get("lunar_date"), issue_no=head.get("issue_no"),
        pages_total=head.get("pages_total"), page=page_no, publisher=head.get("publisher"),
        cn_number=head.get("cn_number"), masthead=page.masthead_lines, extras=page.extras,
        warnings=[f"line {line}: {msg}" for line, msg in warns],
        source_path=str(path) if path is not None else None,
        sha256=sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(),
        n_articles=len(articles), n_chars=sum(a["n_chars"] for a in articles),
    )
    return Issue(meta, _articles_frame(articles), _paragraphs_frame(paragraphs))


def _article_row(frag: Fragment, article_id, issue_id, ts, page_no, pos) -> dict:
    texts = [p.text for p in frag.paragraphs]
    return dict(
        article_id=article_id, issue_id=issue_id, date=ts, page=page_no, position=pos,
        kind=frag.kind, column=frag.column, kicker=frag.kicker, headline=frag.headline,
        subtitle=frag.subtitle, source=frag.source, reporters=list(frag.reporters),
        correspondents=list(frag.correspondents), byline=frag.byline, dateline=frag.dateline,
        continued_to=frag.continued_to, continued_from=frag.continued_from,
        text="\n".join(texts), n_paragraphs=len(texts), n_chars=sum(len(t) for t in texts),
    )


def _articles_frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=ARTICLE_COLUMNS)
    df["date"] = pd.to_datetime(df["date"])
    return df.astype({"page": "int64", "position": "int64", "n_paragraphs": "int64", "n_chars": "int64"})


def _paragraphs_frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=PARAGRAPH_COLUMNS)
    df["date"] = pd.to_datetime(df["date"])
    return df.astype({
        "page": "int64", "para_no": "int64", "line_start": "int64", "line_end": "int64",
        "repaired": "bool", "split": "bool",
    })


def _issues_frame(metas: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(metas, columns=ISSUE_COLUMNS)
    df["date"] = pd.to_datetime(df["date"])
    return df.astype({"issue_no": "Int64", "pages_total": "Int64", "page": "int64",
                      "n_articles": "int64", "n_chars": "int64"})


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


def page_files(source: str | Path | Iterable[str | Path]) -> list[Path]:
    """A folder (searched recursively for .md/.markdown/.txt), a glob pattern, a file, or a list of
    those → sorted list of files."""
    if isinstance(source, (str, Path)):
        p = Path(source)
        if p.is_dir():
            return sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in PAGE_SUFFIXES
                          and not any(part.startswith(".") for part in f.relative_to(p).parts))
        if p.is_file():
            return [p]
        matches = sorted(Path(m) for m in globlib.glob(str(source), recursive=True))
        if not matches:
            raise FileNotFoundError(f"no page files at {source}")
        return [m for m in matches if m.is_file()]
    files: list[Path] = []
    for item in source:
        files += page_files(item)
    return sorted(dict.fromkeys(files))


def read_corpus(
    source: str | Path | Iterable[str | Path],
    *,
    errors: Literal["raise", "warn", "skip"] = "raise",
    encoding: str | None = None,
) -> Corpus:
    """Read many page files into one :class:`Corpus`.

    Args:
        source: a folder (recursive), a glob (``"archive/2023/*.md"``), a file, or a list of them.
        errors: what a bad file does: ``"raise"`` its :class:`ParseError`; ``"warn"`` a warning
            and a row in ``problems``; ``"skip"`` only the row in ``problems``. Good files are
            always loaded. A file whose bytes repeat an earlier file is dropped and reported.
        encoding: force an encoding for every file (default: detect).

    Returns:
        A :class:`Corpus`; tables sorted by date, page and position, ids unique.

    Example:
        >>> corpus = zz.read_corpus("data/raw")
        >>> corpus.articles.groupby("kind").size().to_dict()
        {'article': 8, 'teaser': 1}
    """
    metas, articles, paragraphs, problems = [], [], [], []
    seen_hash: dict[str, Path] = {}
    seen_page: dict[str, Path] = {}
    for path in page_files(source):
        try:
            data = path.read_bytes()
            sha = hashlib.sha256(data).hexdigest()
            if sha in seen_hash:
                problems.append(dict(path=str(path), line=None, severity="warning",
                                     reason=f"duplicate of {seen_hash[sha]}: dropped"))
                continue
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", PageWarning)
                issue = parse_text(decode_page(data, path=path, encoding=encoding), path=path, sha256=sha)
            if issue.meta["page_id"] in seen_page:
                raise ParseError(f"same page ({issue.meta['page_id']}) as {seen_page[issue.meta['page_id']]} "
                                 "with different content", path=path, line=1)
        except (ParseError, OSError) as e:
            if errors == "raise":
                raise
            reason = e.reason if isinstance(e, ParseError) else str(e)
            line = e.line if isinstance(e, ParseError) else None
            problems.append(dict(path=str(path), line=line, severity="error", reason=reason))
            if errors == "warn":
                warnings.warn(str(e), PageWarning, stacklevel=2)
            continue
        for w in caught:
            if errors == "warn":
                warnings.warn(w.message, PageWarning, stacklevel=2)
        for msg in issue.meta["warnings"]:
            line = int(msg.split(":")[0].removeprefix("line "))
            problems.append(dict(path=str(path), line=line, severity="warning", reason=msg.split(": ", 1)[1]))
        seen_hash[sha] = path
        seen_page[issue.meta["page_id"]] = path
        metas.append(issue.meta)
        articles.append(issue.articles)
        paragraphs.append(issue.paragraphs)
    return _corpus(metas, articles, paragraphs, problems)


def _corpus(metas, articles, paragraphs, problems) -> Corpus:
    issues = _issues_frame(metas).sort_values(["date", "page", "page_id"], kind="stable", ignore_index=True)
    arts = _concat(articles, ARTICLE_COLUMNS, _articles_frame)
    paras = _concat(paragraphs, PARAGRAPH_COLUMNS, _paragraphs_frame)
    arts = arts.sort_values(["date", "page", "position"], kind="stable", ignore_index=True)
    paras = paras.sort_values(["date", "page", "article_id", "para_no"], kind="stable", ignore_index=True)
    probs = pd.DataFrame(problems, columns=PROBLEM_COLUMNS).astype({"line": "Int64"})
    return Corpus(issues, arts, paras, probs)


def _concat(frames: list[pd.DataFrame], columns, empty) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else empty([])
