"""Page files → tidy tables: ``read_issue`` for one file, ``read_corpus`` for many.

Tables and columns are those of ``DATA_MODEL.md``: ``issues`` (one row per page file),
``articles`` (one row per article fragment) and ``paragraphs`` (one row per paragraph).
"""
from __future__ import annotations

import datetime as dt
import functools
import glob as globlib
import hashlib
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Literal

import numpy as np
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
# Bump whenever parse_text or the page grammar returns something else for the same bytes: the
# parse cache of read_corpus keys on it, so tables parsed by older rules are never served.
PARSER_VERSION = "2"  # 2: HTML remnants, traditional keywords, masthead only from non-sentences

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

    def to_parquet(self, path: str | Path, *, tokens: pd.DataFrame | None = None) -> Path:
        """Write the tables (and ``tokens`` if given) as a Parquet dataset partitioned by year;
        see :func:`zzanalysis.storage.write_parquet`. Read it back with ``zz.read_parquet(path)``.

        Example:
            >>> zz.read_corpus("data/raw").to_parquet("out/zzrb")  # doctest: +SKIP
        """
        from .storage import write_parquet

        return write_parquet(self, path, tokens=tokens)


def decode_page(data: bytes, *, path: str | Path | None = None, encoding: str | None = None) -> str:
    """Bytes of a page file → text with ``\\n`` line ends.

    Tries, in order: the given ``encoding``; UTF-16 when the file starts with its byte-order mark;
    UTF-16 without one when its zero bytes fall where ASCII characters of UTF-16 text put them and
    the result reads as text (a page always has line breaks and digits, so this is reliable; pure
    Chinese text without a single ASCII character cannot be told apart and needs ``encoding=``);
    UTF-8 (with or without BOM); GB18030 (a superset of GBK and GB2312, the usual legacy encodings
    of Chinese text). A UTF-8 file with a few corrupted bytes is reported, not silently read as
    GB18030 mojibake. ``\\r\\n``, lone ``\\r`` and ``\\n`` all end a line.

    Raises:
        ParseError: for binary data (NUL or control bytes), a file cut off in the middle of a
            character, corrupted UTF-8, double-encoded text, or bytes that are neither UTF-8 nor
            GB18030 — naming the file and line of the first bad byte.
    """
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise ParseError(f"unknown encoding {encoding!r}", path=path) from None
        except UnicodeDecodeError as e:
            raise ParseError(f"cannot decode as {encoding}: {e.reason} at byte {e.start}", path=path,
                             line=_byte_line(data, e.start)) from None
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode_utf16(data, "utf-16", path)
    elif (guess := _utf16_without_bom(data)) is not None:
        text = guess
    else:
        if (nul := data.find(b"\x00")) >= 0:
            raise ParseError("binary data (NUL byte), not a text page", path=path, line=_byte_line(data, nul))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            if e.reason == "unexpected end of data" and e.end == len(data):
                raise ParseError(
                    "file ends in the middle of a UTF-8 character (truncated download?)",
                    path=path,
                    line=_byte_line(data, e.start),
                ) from None
            if _mostly_utf8(data):
                raise ParseError(
                    f"invalid UTF-8 ({e.reason}) at byte {e.start} in a file that is otherwise UTF-8 "
                    "(corrupted?)", path=path, line=_byte_line(data, e.start),
                ) from None
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError as g:
                if g.end == len(data) and g.reason == "incomplete multibyte sequence":
                    reason = "file ends in the middle of a GB18030 character (truncated download?)"
                else:
                    reason = f"neither UTF-8 nor GB18030: byte 0x{data[g.start]:02x} cannot be decoded"
                raise ParseError(reason, path=path, line=_byte_line(data, g.start)) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if (m := _CONTROL_RE.search(text)) is not None:
        line = text.count("\n", 0, m.start()) + 1
        if m.group() >= "\x80":
            raise ParseError(f"control character U+{ord(m.group()):04X}: text decoded twice "
                             "(UTF-8 read as Latin-1 and saved again?)", path=path, line=line)
        raise ParseError("binary data (control characters), not a text page", path=path, line=line)
    return text


# C0 controls other than tab, line feed, form feed (pdftotext's page break) and carriage return;
# DEL; C1 controls other than NEL — in a decoded page these mean binary data or mojibake.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\x80-\x84\x86-\x9f]")
# What a page is made of: ASCII, CJK ideographs (all planes), CJK and full-width punctuation,
# general punctuation. Used to accept a UTF-16 guess only when it reads as Chinese text.
_TEXTLIKE_RE = re.compile(r"[\t\n\r\x20-\x7e\u2000-\u206f\u25a0-\u25ff\u3000-\u303f\u3400-\u4dbf"
                          r"\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]")


def _byte_line(data: bytes, pos: int) -> int:
    """1-based line of byte ``pos``, counting ``\\r\\n``, ``\\r`` and ``\\n`` as the decoder does."""
    head = data[:pos]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def _decode_utf16(data: bytes, codec: str, path) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        head = data[: e.start - e.start % 2].decode(codec, "replace")
        line = head.count("\n") + head.count("\r") - head.count("\r\n") + 1
        if e.end == len(data) and e.reason in ("truncated data", "unexpected end of data"):
            raise ParseError("file ends in the middle of a UTF-16 character (truncated download?)",
                             path=path, line=line) from None
        raise ParseError(f"broken UTF-16 text ({e.reason}) at byte {e.start}", path=path, line=line) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """The text of a UTF-16 file saved without byte-order mark, or None if it is not one."""
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data:
        return None
    # ASCII in UTF-16-LE is "x\0": zeros at odd offsets; in BE at even ones. CJK characters put
    # a zero at the other offset only for code points U+xx00, so the majority decides.
    odd, even = data[1::2].count(0), data[0::2].count(0)
    for codec in (("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if ("\n" in text or "\r" in text) and not _CONTROL_RE.search(text.lstrip("\ufeff")) \
                and len(_TEXTLIKE_RE.findall(text)) >= 0.9 * len(text):
            return text.lstrip("\ufeff")
    return None


def _mostly_utf8(data: bytes) -> bool:
    """True when all but a few of the non-ASCII characters decode as UTF-8 (a corrupted UTF-8
    file); GBK/GB18030 text fails at nearly every Chinese character."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ch > "\x7f") - bad
    return good >= 20 and bad * 20 <= good


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


# U+D800–U+DFFF alone: what "surrogateescape" leaves for undecodable bytes.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


# Years a daily paper's masthead can print; "0023年" is damage, not the year 23.
PLAUSIBLE_YEARS = range(1900, 2200)


def _date(ymd: tuple[int, int, int], path, line) -> dt.date:
    if ymd[0] not in PLAUSIBLE_YEARS:
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


def _parse_rows(text: str, *, path: str | Path | None, sha256: str | None) -> tuple[dict, list[dict], list[dict]]:
    """:func:`parse_text` up to the rows: read_corpus builds one frame per batch of pages from them,
    which is far cheaper than two small frames per page."""
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
    issue_id = f"{code}-{date.year:04d}-{date.month:02d}-{date.day:02d}"
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
    return meta, articles, paragraphs


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
    return _frame(rows, ARTICLE_COLUMNS, {"page": "int64", "position": "int64", "n_paragraphs": "int64",
                                          "n_chars": "int64"})


def _paragraphs_frame(rows: list[dict]) -> pd.DataFrame:
    return _frame(rows, PARAGRAPH_COLUMNS, {"page": "int64", "para_no": "int64", "line_start": "int64",
                                            "line_end": "int64", "repaired": "bool", "split": "bool"})


def _issues_frame(metas: list[dict]) -> pd.DataFrame:
    return _frame(metas, ISSUE_COLUMNS, {"issue_no": "Int64", "pages_total": "Int64", "page": "int64",
                                         "n_articles": "int64", "n_chars": "int64"})


def _frame(rows: list[dict], columns: list[str], casts: dict[str, str]) -> pd.DataFrame:
    """``DataFrame(rows).astype(casts)`` with ``date`` as datetime, built column by column.

    The same frame, three times faster: every page builds two of these, so for a year of pages
    ``astype`` on finished frames was most of the parse time.
    """
    if not rows:
        df = pd.DataFrame(rows, columns=columns)
        df["date"] = pd.to_datetime(df["date"])
        return df.astype(casts)
    data = {}
    for col in columns:
        values = [r[col] for r in rows]
        if col == "date":
            # every row of a page holds the same Timestamp: to_datetime's parsing is not needed
            stamps = all(isinstance(v, pd.Timestamp) and v.unit == values[0].unit for v in values)
            data[col] = np.array([v.to_datetime64() for v in values]) if stamps else pd.to_datetime(values)
        elif col in casts:
            data[col] = pd.array(values, dtype=casts[col])
        else:
            data[col] = values
    return pd.DataFrame(data, columns=columns)


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


def _walk_pages(folder: Path) -> Iterable[Path]:
    # os.walk, pruning hidden folders (.cache, .git) as it goes: a year of pages is listed in a
    # few milliseconds, where rglob + a stat per file took a quarter of a cached reload.
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if not name.startswith(".") and name.lower().endswith(PAGE_SUFFIXES):
                yield Path(root, name)


def page_files(source: str | Path | Iterable[str | Path]) -> list[Path]:
    """A folder (searched recursively for .md/.markdown/.txt), a glob pattern, a file, or a list of
    those → sorted list of files."""
    if isinstance(source, (str, Path)):
        p = Path(source)
        if p.is_dir():
            return sorted(_walk_pages(p))
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
    n_jobs: int = 1,
    progress: bool | None = None,
    cache: bool = True,
) -> Corpus:
    """Read many page files into one :class:`Corpus`, in parallel and through a Parquet cache.

    Args:
        source: a folder (recursive), a glob (``"archive/2023/*.md"``), a file, or a list of them.
        errors: what a bad file does: ``"raise"`` its :class:`ParseError`; ``"warn"`` a warning
            and a row in ``problems``; ``"skip"`` only the row in ``problems``. Good files are
            always loaded. A file whose bytes repeat an earlier file is dropped and reported.
        encoding: force an encoding for every file (default: detect).
        n_jobs: processes that parse (``-1``: one per core). Each costs ~0.5 s to start, so this
            pays off from a few hundred files on. The result is the same for any value.
        progress: a progress bar (tqdm) while parsing. ``None``: only in a terminal or Jupyter
            and when at least 200 files need parsing; ``True``/``False`` force it on or off.
        cache: reuse the tables parsed last time from the Parquet cache under
            ``$ZZ_CACHE_DIR/corpus`` (see :mod:`zzanalysis.cache`). Entries are keyed by every
            file's path and sha256, :data:`PARSER_VERSION` and the parser's source (reader.py,
            page.py, text.py): an unchanged archive is read back without parsing, a changed or
            added file is parsed alone, a removed file drops out. A damaged cache entry is
            deleted and rebuilt. Unreadable files are not cached: they are tried again each call.

    Returns:
        A :class:`Corpus`; tables sorted by date, page and position, ids unique. Text columns are
        ``str`` (missing: NaN), list columns (``reporters``, ``extras`` …) Python lists.

    Example:
        >>> corpus = zz.read_corpus("data/raw")
        >>> corpus.articles.groupby("kind").size().to_dict()
        {'article': 8, 'teaser': 1}
        >>> big = zz.read_corpus("archive/", n_jobs=-1, errors="warn")  # doctest: +SKIP
    """
    files = page_files(source)
    problems: list[tuple[int, dict]] = []
    shas: dict[int, str] = {}
    for i, path in enumerate(files):
        try:
            shas[i] = _file_sha256(path)
        except OSError as e:
            _fail(e, i, path, errors, problems)
    store = _corpus_cache(source, files) if cache else None
    key = _snapshot_key(store, encoding, files, shas) if store is not None else None
    prev = _load_snapshot(store, key) if store is not None else None
    exact = prev is not None
    if store is not None and prev is None and (latest := store.get(_latest_key(store, source, encoding))) is not None:
        prev = _load_snapshot(store, str(latest["snapshot"].iloc[0]))

    # Files whose tables the cache holds for exactly these bytes; parse the first copy of the rest.
    reuse: dict[int, tuple[str, int]] = {}
    if prev is not None:
        old = prev["issues"]
        cached = {(p, s): (iid, pg) for p, s, iid, pg in zip(old["source_path"], old["sha256"], old["issue_id"],
                                                              old["page"])}
        reuse = {i: cached[(str(files[i]), sha)] for i, sha in shas.items() if (str(files[i]), sha) in cached}
    first: dict[str, int] = {}
    for i, sha in shas.items():
        first.setdefault(sha, i)
    todo = [i for i, sha in shas.items() if i not in reuse and first[sha] == i]
    parsed = _parse_files([(i, files[i]) for i in todo], encoding, _n_jobs(n_jobs), progress)

    seen_hash: dict[str, Path] = {}
    seen_page: dict[str, Path] = {}
    keep: dict[tuple[str, int], int] = {}  # (issue_id, page) → file order
    new_metas: list[dict] = []
    warns = dict(zip(prev["issues"]["source_path"], prev["issues"]["warnings"])) if prev is not None else {}
    for i, path in enumerate(files):
        if i not in shas:
            continue
        if shas[i] in seen_hash:
            problems.append((i, dict(path=str(path), line=None, severity="warning",
                                     reason=f"duplicate of {seen_hash[shas[i]]}: dropped")))
            continue
        if i in reuse:
            page_key = reuse[i]
        else:
            if i not in parsed["status"]:  # a copy of a file that failed: it may yet parse under its own name
                parsed = _merge_parsed(parsed, _parse_files([(i, path)], encoding, 1, False))
            sha, page_key, err = parsed["status"][i]
            shas[i] = sha or shas[i]
            if err is not None:
                _fail(ParseError(err[0], path=path, line=err[1]), i, path, errors, problems)
                continue
        page_id = f"{page_key[0]}-p{page_key[1]:02d}"
        if page_id in seen_page:
            _fail(ParseError(f"same page ({page_id}) as {seen_page[page_id]} with different content",
                             path=path, line=1), i, path, errors, problems)
            continue
        if i not in reuse:
            meta = parsed["metas"][i]
            new_metas.append(meta)
            warns[str(path)] = meta["warnings"]
        for msg in warns[str(path)]:
            line, reason = msg.split(": ", 1)
            problems.append((i, dict(path=str(path), line=int(line.removeprefix("line ")), severity="warning",
                                     reason=reason)))
            if errors == "warn":
                warnings.warn(f"{path}:{line.removeprefix('line ')}: {reason}", PageWarning, stacklevel=2)
        seen_hash[shas[i]] = path
        seen_page[page_id] = path
        keep[page_key] = i

    if exact and not new_metas and len(keep) == len(prev["issues"]):
        tables = prev
    else:
        tables = _assemble(prev, parsed, new_metas, keep, {k for k, i in keep.items() if i in reuse},
                           {i for i in keep.values() if i not in reuse})
        if store is not None and keep:
            try:
                _save_snapshot(store, _snapshot_key(store, encoding, files, shas), tables,
                               _latest_key(store, source, encoding))
            except OSError as e:  # a full or read-only disk costs the next call time, not this one its result
                warnings.warn(f"could not write the parse cache in {store.folder}: {e}", PageWarning, stacklevel=2)
    probs = pd.DataFrame([p for _, p in sorted(problems, key=lambda t: t[0])], columns=PROBLEM_COLUMNS)
    probs = probs.astype({"path": "str", "line": "Int64", "severity": "str", "reason": "str"})
    return Corpus(tables["issues"], tables["articles"], tables["paragraphs"], probs)


# --- read_corpus helpers: parallel parsing and the parse cache -------------------------------

# Columns that hold lists; Parquet gives them back as arrays, the tables promise lists.
_LIST_COLUMNS = ("reporters", "correspondents", "masthead", "extras", "warnings")
_PROGRESS_MIN_FILES = 200
_SNAPSHOT_TABLES = ("issues", "articles", "paragraphs")


def _file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fail(e: Exception, i: int, path: Path, errors: str, problems: list) -> None:
    if errors == "raise":
        raise e
    reason = e.reason if isinstance(e, ParseError) else str(e)
    line = e.line if isinstance(e, ParseError) else None
    problems.append((i, dict(path=str(path), line=line, severity="error", reason=reason)))
    if errors == "warn":
        warnings.warn(str(e), PageWarning, stacklevel=3)


def _n_jobs(n_jobs: int) -> int:
    import os

    return (os.cpu_count() or 1) if n_jobs == -1 else max(1, int(n_jobs))


def _parse_chunk(items: list[tuple[int, Path]], encoding: str | None) -> dict:
    """Parse page files (in a worker process): tables for the good ones, the error of the rest.

    The file is read here, not sent by the caller, so a year of bytes never sits in one queue;
    the sha256 of the bytes actually parsed is returned and is what the cache keys on.
    """
    status: dict[int, tuple] = {}
    metas: dict[int, dict] = {}
    arts: list[dict] = []
    paras: list[dict] = []
    art_files: list[int] = []
    para_files: list[int] = []
    for i, path in items:
        try:
            data = path.read_bytes()
        except OSError as e:
            status[i] = (None, None, (str(e), None))
            continue
        sha = hashlib.sha256(data).hexdigest()
        try:
            with warnings.catch_warnings():
                # Reported by read_corpus from meta["warnings"], in file order, as errors= says.
                warnings.simplefilter("ignore", PageWarning)
                meta, a_rows, p_rows = _parse_rows(decode_page(data, path=path, encoding=encoding),
                                                   path=path, sha256=sha)
        except ParseError as e:
            status[i] = (sha, None, (e.reason, e.line))
            continue
        status[i] = (sha, (meta["issue_id"], meta["page"]), None)
        metas[i] = meta
        arts += a_rows
        paras += p_rows
        art_files += [i] * len(a_rows)
        para_files += [i] * len(p_rows)
    # One frame per chunk, not two per page: building small frames was most of the parse time.
    # Rows carry their file (_file): two files can hold the same page, and read_corpus keeps one.
    out = {}
    for name, rows, files, build in (("articles", arts, art_files, _articles_frame),
                                     ("paragraphs", paras, para_files, _paragraphs_frame)):
        frame = build(rows)
        frame["_file"] = np.asarray(files, dtype="int64")
        out[name] = [frame]
    return dict(status=status, metas=metas, **out)


def _merge_parsed(a: dict, b: dict) -> dict:
    return dict(status={**a["status"], **b["status"]}, metas={**a["metas"], **b["metas"]},
                articles=a["articles"] + b["articles"], paragraphs=a["paragraphs"] + b["paragraphs"])


def _show_progress(progress: bool | None, n: int) -> bool:
    if progress is not None:
        return bool(progress)
    if n < _PROGRESS_MIN_FILES:
        return False
    import sys

    if "ipykernel" in sys.modules:  # Jupyter: stderr is not a TTY but the bar renders
        return True
    return sys.stderr is not None and sys.stderr.isatty()


def _progress_bar(total: int):
    import sys

    if "ipykernel" in sys.modules:
        try:
            import ipywidgets  # noqa: F401  tqdm.auto falls back to text with a warning without it

            from tqdm.auto import tqdm
        except ImportError:
            from tqdm import tqdm
    else:
        from tqdm import tqdm
    return tqdm(total=total, unit="page", desc="parsing", leave=False)


def _parse_files(items: list[tuple[int, Path]], encoding: str | None, n_jobs: int,
                 progress: bool | None) -> dict:
    """Parse ``items`` in order-independent chunks, serially or in ``n_jobs`` processes."""
    result = dict(status={}, metas={}, articles=[], paragraphs=[])
    if not items:
        return result
    jobs = min(n_jobs, len(items))
    # Several chunks per process even out uneven pages and keep the progress bar moving.
    n_chunks = min(len(items), max(jobs * 8, len(items) // 256 + 1))
    bounds = [len(items) * k // n_chunks for k in range(n_chunks + 1)]
    chunks = [items[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]
    bar = _progress_bar(len(items)) if _show_progress(progress, len(items)) else None
    try:
        if jobs == 1:
            parts = []
            for chunk in chunks:
                parts.append(_parse_chunk(chunk, encoding))
                if bar is not None:
                    bar.update(len(chunk))
        else:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor, as_completed

            # spawn, not fork: the parent may hold pyarrow threads, which fork does not survive.
            with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
                futures = {pool.submit(_parse_chunk, chunk, encoding): len(chunk) for chunk in chunks}
                for f in as_completed(futures):
                    if bar is not None:
                        bar.update(futures[f])
                # chunk order, not completion order: the result does not depend on n_jobs
                parts = [f.result() for f in futures]
    finally:
        if bar is not None:
            bar.close()
    for part in parts:
        result = _merge_parsed(result, part)
    return result


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as ``str`` whatever the pages held (an all-None column would stay object),
    list columns as lists: cold, cached and parallel loads give identical frames."""
    out = frame.copy(deep=False)
    for col in out.columns:
        if col in _LIST_COLUMNS:
            out[col] = [v.tolist() if hasattr(v, "tolist") else list(v) if v is not None else []
                        for v in out[col]]
        elif out[col].dtype == object:
            out[col] = out[col].astype("str")
        elif out[col].dtype.kind == "M" and out[col].dtype != "datetime64[s]":
            out[col] = out[col].astype("datetime64[s]")  # Parquet stores ms; a day needs s, as parsed
    return out


def _assemble(prev: dict | None, parsed: dict, new_metas: list[dict], keep: dict, reused: set,
              new_files: set[int]) -> dict:
    """Cached rows of the pages ``reused`` (keyed by (issue_id, page)) + parsed rows of the files
    ``new_files`` (by file order), sorted as one cold read in file order would be."""
    kept = pd.MultiIndex.from_tuples(list(keep), names=["issue_id", "page"]) if keep else None

    def rows(frame: pd.DataFrame, keys=keep) -> pd.DataFrame:
        if not keys or not len(frame):
            return frame.iloc[:0]
        idx = pd.MultiIndex.from_arrays([frame["issue_id"], frame["page"]])
        return frame[idx.isin(pd.MultiIndex.from_tuples(list(keys)))]

    issues = [_issues_frame(new_metas)]
    arts = [_concat(parsed["articles"], ARTICLE_COLUMNS, _articles_frame)]
    paras = [_concat(parsed["paragraphs"], PARAGRAPH_COLUMNS, _paragraphs_frame)]
    # the chunks are copied now: let them go before the next copies (a year is ~150 MB a copy)
    parsed["articles"].clear()
    parsed["paragraphs"].clear()
    # A parsed file can be rejected (same page as an earlier file): its rows share the kept
    # file's (issue_id, page), so they are told apart by file.
    if "_file" in arts[0] and not set(parsed["metas"]) <= new_files:
        arts = [arts[0][arts[0]["_file"].isin(new_files)]]
        paras = [paras[0][paras[0]["_file"].isin(new_files)]]
    for frame in (arts[0], paras[0]):
        if "_file" in frame:
            del frame["_file"]  # in place: no copy of a year of text
    if prev is not None:
        old = prev["issues"]
        old_keys = set(zip(old["issue_id"], old["page"]))
        # a changed file has the same (issue_id, page) as its old rows: keep only the reused ones
        pick = (lambda f: f) if old_keys == reused else (lambda f: rows(f, reused))
        issues.insert(0, pick(old))
        arts.insert(0, pick(prev["articles"]))
        paras.insert(0, pick(prev["paragraphs"]))
    issues = _canonical(_concat(issues, ISSUE_COLUMNS, _issues_frame))
    arts = _canonical(_concat(arts, ARTICLE_COLUMNS, _articles_frame))
    paras = _canonical(_concat(paras, PARAGRAPH_COLUMNS, _paragraphs_frame))
    # Rows arrive cached-first; the file order breaks ties (two papers' page 1 on one day) the
    # way a cold read in file order does.
    order = pd.Series(list(keep.values()), index=kept, dtype="int64") if kept is not None else None

    def file_order(frame: pd.DataFrame) -> pd.Series:
        if order is None or not len(frame):
            return pd.Series([], dtype="int64", index=frame.index)
        return pd.Series(order.reindex(pd.MultiIndex.from_arrays([frame["issue_id"], frame["page"]])).to_numpy(),
                         index=frame.index)

    issues = _sorted(issues, ["date", "page", "page_id"])
    arts = _sorted(arts.assign(_file=file_order(arts)), ["date", "page", "position", "_file"]).drop(columns="_file")
    paras = _sorted(paras, ["date", "page", "article_id", "para_no"])
    return dict(issues=issues, articles=arts, paragraphs=paras)


def _sorted(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``sort_values(keys, kind="stable")``, without the copy when the rows are in order already
    (an archive named by date is read in date order)."""
    if pd.MultiIndex.from_arrays([frame[k] for k in keys]).is_monotonic_increasing:
        return frame.reset_index(drop=True)
    return frame.sort_values(keys, kind="stable", ignore_index=True)


def _corpus_cache(source, files: list[Path]):
    """The parse cache, or None (with a warning) if it would sit inside the data it caches."""
    from .cache import ParquetCache, cache_dir

    root = cache_dir().resolve()
    roots = {folder.resolve() for folder in {f.parent for f in files}}
    if any(r == root or r in root.parents for r in roots):
        warnings.warn(f"cache folder {root} is inside the page folder: not caching "
                      "(set ZZ_CACHE_DIR elsewhere)", PageWarning, stacklevel=3)
        return None
    from . import __version__

    return ParquetCache("corpus", version=f"{__version__}+parser{PARSER_VERSION}+{_parser_source_digest()}")


@functools.cache
def _parser_source_digest() -> str:
    """sha256 of the parser's source files: editing the grammar invalidates the cache even if
    nobody remembered to bump PARSER_VERSION (several people change these files)."""
    h = hashlib.sha256()
    for name in ("reader.py", "page.py", "text.py"):
        try:
            h.update((Path(__file__).parent / name).read_bytes())
        except OSError:  # installed without sources (zipapp …): PARSER_VERSION alone decides
            pass
    return h.hexdigest()[:16]


def _snapshot_key(store, encoding, files: list[Path], shas: dict[int, str]) -> str:
    return store.key("snapshot", {"encoding": encoding}, [[str(files[i]), shas[i]] for i in sorted(shas)])


def _latest_key(store, source, encoding) -> str:
    sources = [source] if isinstance(source, (str, Path)) else list(source)
    return store.key("latest", {"encoding": encoding}, [str(Path(s).absolute()) for s in sources])


def _load_snapshot(store, key: str) -> dict | None:
    tables = {}
    for name in _SNAPSHOT_TABLES:
        frame = store.get(f"{key}-{name}")
        if frame is None:
            return None  # a table missing or damaged: the set is unusable, rebuild it
        tables[name] = _canonical(frame)
    return tables


def _save_snapshot(store, key: str, tables: dict, latest: str) -> None:
    for name in _SNAPSHOT_TABLES:
        store.put(f"{key}-{name}", tables[name])
    old = store.get(latest)
    # the pointer last: it only ever names a complete set of tables
    store.put(latest, pd.DataFrame({"snapshot": [key]}))
    if old is not None and str(old["snapshot"].iloc[0]) != key:
        for name in _SNAPSHOT_TABLES:
            store.path(f"{old['snapshot'].iloc[0]}-{name}").unlink(missing_ok=True)


def _concat(frames: list[pd.DataFrame], columns, empty) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else empty([])
