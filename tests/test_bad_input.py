"""Bad input, as archives really have it: each file either parses to exactly what it says, or is
refused with a ParseError naming the file and line; a corpus loads the good files and lists the
bad ones; the command line gives one line per bad file and no traceback.

Every fixture is generated here from a small page (``GOOD``), so what makes it bad is visible in
the test. What the package decides, and where it is documented:

- encodings (``reader.decode_page``): UTF-8 with or without BOM, UTF-16 LE/BE with BOM, UTF-16
  without BOM when it has line breaks (the zero bytes of ASCII characters give it away), GBK and
  GB18030. A truncated file, corrupted UTF-8 and double-encoded text are refused, never read as
  mojibake.
- HTML remnants (``text.normalize_text``): tags of HTML's vocabulary removed (``<br>``/``<p>``
  split paragraphs), entities unescaped.
- traditional characters (``page``): kept as printed; the grammar's keywords are recognised in
  both forms.
- a masthead date that disagrees with the file name: the masthead wins, a warning says so.
- duplicates: the same bytes twice are read once and the copy reported.
"""
from __future__ import annotations

import os
import subprocess
import sys
import warnings

import pandas as pd
import pytest

import zzanalysis as zz
from zzanalysis.errors import PageWarning
from zzanalysis.reader import parse_text

GOOD = (
    "# 株洲日报\n"
    "2023年4月27日 星期四\n"
    "癸卯年三月初八 第23288期 今日8版\n"
    "\n"
    "## 北交所株洲服务基地揭牌\n"
    "\n"
    "株洲日报(全媒体记者/刘芳 通讯员/唐恒) 4月26日,北交所株洲服务基地在株洲揭牌。\n"
    "\n"
    "服务基地将为企业上市提供“一站式”服务,助力更多企业登陆资本市场。\n"
)
GOOD_TEXT = "北交所株洲服务基地在株洲揭牌。\n服务基地将为企业上市提供“一站式”服务，助力更多企业登陆资本市场。"
NAME = "zzrb-2023-04-27-p{:02d}.md"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    # read_corpus keeps a parse cache; these tests must neither read nor leave one elsewhere.
    monkeypatch.setenv("ZZ_CACHE_DIR", str(tmp_path / "cache"))


def _line_of_byte(data: bytes, pos: int) -> int:
    return data[:pos].count(b"\n") + 1


def _double_encoded() -> tuple[bytes, int]:
    # UTF-8 read as Latin-1 and saved as UTF-8 again; C1 controls (U+0080–U+009F) appear
    # wherever a continuation byte of the original was 0x80–0x9F.
    text = GOOD.encode("utf-8").decode("latin-1")
    first = next(i for i, ch in enumerate(text) if "\x80" <= ch <= "\x9f" and ch != "\x85")
    return text.encode("utf-8"), text.count("\n", 0, first) + 1


def _corrupt_utf8() -> tuple[bytes, int]:
    data = bytearray(GOOD.encode("utf-8"))
    pos = data.index("服务基地将".encode("utf-8")) + 1  # inside 服, on line 9
    data[pos] = 0xFF
    return bytes(data), _line_of_byte(bytes(data), pos)


def _nul_in_text() -> bytes:
    data = GOOD.encode("utf-8")
    pos = data.index(b"## ")  # start of line 5
    return data[:pos] + b"\x00" + data[pos:]


_CORRUPT, _CORRUPT_LINE = _corrupt_utf8()
_TWICE, _TWICE_LINE = _double_encoded()
_TRUNC = GOOD.encode("utf-8")[:-2]  # drops "\n" and the last byte of "。"
_TRUNC_GB = GOOD.encode("gb18030")[:-2]
_TRUNC_16 = b"\xff\xfe" + GOOD.encode("utf-16-le")[:-3]
_PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"

# name, bytes, start of the reason, line
BAD = [
    ("empty", b"", "empty file", 1),
    ("blank", b" \n\r\n\t\n\xe3\x80\x80\n", "empty file", 1),  # spaces, CRLF, tab, ideographic space
    ("binary", bytes(range(256)) * 16, "binary data (NUL byte)", 1),
    ("png", _PNG, "binary data (NUL byte)", 3),
    ("control_bytes", b"2023\xe5\xb9\xb4\n\x01\x02\x03\x04", "binary data (control characters)", 2),
    ("high_bytes", b"\x80\xff" * 100, "neither UTF-8 nor GB18030: byte 0x80", 1),
    ("truncated_utf8", _TRUNC, "file ends in the middle of a UTF-8 character", _TRUNC.count(b"\n") + 1),
    ("truncated_gb18030", _TRUNC_GB, "file ends in the middle of a GB18030 character", _TRUNC_GB.count(b"\n") + 1),
    ("truncated_utf16", _TRUNC_16, "file ends in the middle of a UTF-16 character", GOOD.count("\n")),
    ("nul_in_text", _nul_in_text(), "binary data (NUL byte)", 5),
    ("corrupt_utf8", _CORRUPT, "invalid UTF-8 (invalid continuation byte) at byte", _CORRUPT_LINE),
    ("double_encoded", _TWICE, "control character U+", _TWICE_LINE),
    ("utf16_lone_surrogate", b"\xff\xfe" + "2023年\n".encode("utf-16-le") + b"\x00\xd8" + "正文".encode("utf-16-le"),
     "broken UTF-16 text (illegal UTF-16 surrogate)", 2),
    ("masthead_only", "# 株洲日报\n2023年4月27日 星期四\n癸卯年三月初八 第23288期 今日8版\n".encode(), "no articles", 4),
    ("impossible_masthead_date", "2023年2月30日 星期四\n## 标题\n正文。".encode(), "impossible masthead date", 1),
]


@pytest.mark.parametrize("name, data, reason, line", BAD, ids=[b[0] for b in BAD])
def test_bad_file_raises_parse_error_with_file_and_line(tmp_path, name, data, reason, line):
    f = tmp_path / NAME.format(1)
    f.write_bytes(data)
    with pytest.raises(zz.ParseError) as info:
        zz.read_issue(f)
    e = info.value
    assert e.reason.startswith(reason), e.reason
    assert (e.path, e.line) == (str(f), line)
    assert str(e) == f"{f}:{line}: {e.reason}"
    assert "\n" not in str(e)


def test_no_date_anywhere(tmp_path):
    f = tmp_path / "page.md"  # no date in the name either
    f.write_text("## 标题\n\n正文。\n", encoding="utf-8")
    with pytest.raises(zz.ParseError, match=r"page\.md:1: no date") as info:
        zz.read_issue(f)
    assert info.value.line == 1


@pytest.mark.parametrize("encoding, reason, line", [
    ("ascii", "cannot decode as ascii: ordinal not in range(128)", 1),
    ("no-such-codec", "unknown encoding 'no-such-codec'", None),
])
def test_forced_encoding_that_does_not_fit(tmp_path, encoding, reason, line):
    f = tmp_path / NAME.format(1)
    f.write_bytes(GOOD.encode("utf-8"))
    with pytest.raises(zz.ParseError) as info:
        zz.read_issue(f, encoding=encoding)
    assert info.value.reason.startswith(reason) and info.value.line == line


def test_lone_surrogate_in_a_string(tmp_path):
    # A file cannot hold one, but text decoded with errors="surrogateescape" can.
    text = GOOD.replace("正文", "x") + "坏\udcff字。\n"
    with pytest.raises(zz.ParseError, match="lone surrogate U\\+DCFF") as info:
        parse_text(text, path="zzrb-2023-04-27-p01.md")
    assert info.value.line == GOOD.count("\n") + 1


# --- files that parse: what comes out ---------------------------------------------------------

def _read(tmp_path, data: bytes, name: str = NAME.format(1), **kw) -> zz.Issue:
    f = tmp_path / name
    f.write_bytes(data)
    return zz.read_issue(f, **kw)


def _assert_good(issue: zz.Issue):
    art = issue.articles.iloc[0]
    assert len(issue.articles) == 1
    assert (art["headline"], art["reporters"], art["correspondents"], art["dateline"], art["text"]) == (
        "北交所株洲服务基地揭牌", ["刘芳"], ["唐恒"], "4月26日", GOOD_TEXT)
    assert issue.meta["issue_no"] == 23288 and issue.meta["warnings"] == []


@pytest.mark.parametrize("encode", [
    pytest.param(lambda s: s.encode("utf-8"), id="utf8"),
    pytest.param(lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"), id="utf8_bom"),
    pytest.param(lambda s: s.encode("gbk"), id="gbk"),
    pytest.param(lambda s: s.encode("gb18030"), id="gb18030"),
    pytest.param(lambda s: s.encode("utf-16"), id="utf16_bom_native"),
    pytest.param(lambda s: b"\xff\xfe" + s.encode("utf-16-le"), id="utf16le_bom"),
    pytest.param(lambda s: b"\xfe\xff" + s.encode("utf-16-be"), id="utf16be_bom"),
    pytest.param(lambda s: s.encode("utf-16-le"), id="utf16le_no_bom"),
    pytest.param(lambda s: s.encode("utf-16-be"), id="utf16be_no_bom"),
    pytest.param(lambda s: s.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
    pytest.param(lambda s: s.replace("\n", "\r").encode("utf-8"), id="cr"),
])
def test_encodings_and_line_ends_give_the_same_page(tmp_path, encode):
    _assert_good(_read(tmp_path, encode(GOOD)))


def test_mixed_line_endings_keep_line_numbers(tmp_path):
    lines = GOOD.split("\n")
    ends = ["\r\n", "\n", "\r", "\r\n", "\n", "\r", "\r\n", "\n", "\n"]
    issue = _read(tmp_path, "".join(a + b for a, b in zip(lines, ends)).encode("utf-8"))
    _assert_good(issue)
    assert issue.paragraphs[["line_start", "line_end"]].values.tolist() == [[7, 7], [9, 9]]


def test_gb18030_beyond_gbk(tmp_path):
    # ▶ and 𠀀 exist in GB18030 but not in GBK
    page = GOOD.replace("资本市场。", "资本市场,𠀀字。\n\n▶下转02版①")
    art = _read(tmp_path, page.encode("gb18030")).articles.iloc[0]
    assert art["text"].endswith("资本市场，𠀀字。") and art["continued_to"] == "02版①"


def test_no_masthead_takes_date_and_page_from_the_file_name(tmp_path):
    issue = _read(tmp_path, GOOD.split("\n", 4)[4].encode("utf-8"), name="20230428_03.txt")
    assert (issue.meta["date"], issue.meta["page"], issue.meta["paper"]) == (pd.Timestamp("2023-04-28"), 3, "株洲日报")
    assert issue.meta["masthead"] == [] and issue.meta["issue_no"] is None
    assert issue.articles["article_id"].tolist() == ["zzrb-2023-04-28-p03-a01"]
    assert issue.articles["text"].tolist() == [GOOD_TEXT]


def test_masthead_date_disagreeing_with_the_file_name(tmp_path):
    with pytest.warns(PageWarning, match="masthead date 2023-04-27 disagrees with the file name's 2023-04-28; the masthead wins"):
        issue = _read(tmp_path, GOOD.encode("utf-8"), name="zzrb-2023-04-28-p01.md")
    assert issue.meta["date"] == pd.Timestamp("2023-04-27")
    assert issue.meta["page_id"] == "zzrb-2023-04-27-p01"
    assert issue.meta["warnings"] == [
        "line 2: masthead date 2023-04-27 disagrees with the file name's 2023-04-28; the masthead wins"]


def test_weekday_that_does_not_match_the_date(tmp_path):
    with pytest.warns(PageWarning, match="masthead says 星期五 but 2023-04-27 is 星期四"):
        _read(tmp_path, GOOD.replace("星期四", "星期五").encode("utf-8"))


def _giant_line_page(n: int) -> bytes:
    body = "株洲功率半导体产业集群规模达469亿元，" * n + "完。"
    return GOOD.replace("服务基地将为企业上市提供“一站式”服务,助力更多企业登陆资本市场。", body).encode("utf-8")


def test_giant_single_line(tmp_path):
    # one paragraph of ~6 MB on one line: read whole
    body = "株洲功率半导体产业集群规模达469亿元，" * 300_000 + "完。"
    issue = _read(tmp_path, _giant_line_page(300_000))
    paras = issue.paragraphs
    assert len(paras) == 2 and paras["text"].iloc[1] == body and not paras["repaired"].iloc[1]
    assert issue.articles["n_chars"].iloc[0] == len("北交所株洲服务基地在株洲揭牌。") + len(body)


def test_giant_single_line_reads_in_linear_time(tmp_path, assert_linear):
    assert_linear(lambda data: _read(tmp_path, data), _giant_line_page, 10_000)


def test_whole_page_on_one_line(tmp_path):
    # an export that lost every line break: no "## " at a line start, so no headline and no
    # masthead (a line of megabytes is not searched for one); date and page from the file name,
    # all the text in one headless article, and a warning
    text = GOOD.split("\n", 1)[1].replace("\n", " ") * 20_000
    with pytest.warns(PageWarning, match="text without a headline"):
        issue = _read(tmp_path, text.encode("utf-8"))
    assert issue.meta["masthead"] == [] and issue.meta["page_id"] == "zzrb-2023-04-27-p01"
    assert issue.articles["headline"].tolist() == [""]
    assert issue.articles["n_chars"].iloc[0] > 1_000_000


def test_whole_page_on_one_heading_line(tmp_path):
    # the same starting with the nameplate's "# ": one giant heading, too long to be the paper's
    # name, and nothing else — no article to read
    with pytest.raises(zz.ParseError, match="no articles"):
        _read(tmp_path, (GOOD.replace("\n", " ") * 20_000).encode("utf-8"))


def test_html_remnants(tmp_path):
    page = (
        "2023年4月27日 星期四\n\n"
        "## 株洲&amp;康宁<br>签约\n\n"
        "<p>株洲日报(全媒体记者/刘芳)&nbsp;4月26日,<b>株洲</b>与康宁签约。</p><p>双方将共建&lt;5G&gt;实验室。</p><br/>\n"
        "<!-- 导出工具的注释 -->\n"
        "价格&#x4e00;万元<span style=\"color:red\">以上</span>,x<b且y>z 保留。\n"
    )
    issue = _read(tmp_path, page.encode("utf-8"))
    art = issue.articles.iloc[0]
    assert art["headline"] == "株洲&康宁 签约"
    assert (art["reporters"], art["dateline"]) == (["刘芳"], "4月26日")
    assert issue.paragraphs["text"].tolist() == [
        "株洲与康宁签约。", "双方将共建<5G>实验室。", "价格一万元以上，x<b且y>z 保留。"]
    assert issue.meta["extras"] == [] and not any("<" in e or "&" in e for e in issue.meta["masthead"])


def test_emoji_and_characters_outside_the_bmp(tmp_path):
    page = ("2023年4月27日\n\n## 𠀀字标题😀\n\n株洲日报(全媒体记者/王𠀀 通讯员/𪚥𪚥) 4月26日,"
            "正文有𠀀和👍🏽和👨‍👩‍👧。\n")
    art = _read(tmp_path, page.encode("utf-8")).articles.iloc[0]
    assert (art["headline"], art["reporters"], art["correspondents"]) == ("𠀀字标题😀", ["王𠀀"], ["𪚥𪚥"])
    assert art["text"] == "正文有𠀀和👍🏽和👨‍👩‍👧。"
    assert art["n_chars"] == len("正文有𠀀和👍🏽和👨‍👩‍👧。")  # code points, as str counts them


def test_traditional_characters(tmp_path):
    page = (
        "# 株洲日報\n2023年4月27日 星期四\n中共株洲市委主管、主辦 國內統一連續出版物號CN 43-0005\n\n"
        "## 北交所株洲服務基地揭牌\n\n"
        "株洲日報(全媒體記者/劉芳 通訊員/陳誠) 4月26日,北交所株洲服務基地揭牌。\n\n"
        "圖為揭牌現場。\n\n▶下轉02版①\n\n"
        "## 另一篇\n\n新華社北京4月26日電(記者 張三)國務院新聞辦公室發布。\n\n"
        "掃一掃關注株洲日報社新媒體\n"
    )
    issue = _read(tmp_path, page.encode("utf-8"))
    one = issue.articles.iloc[0]
    assert (one["headline"], one["source"], one["reporters"], one["correspondents"], one["dateline"],
            one["continued_to"]) == ("北交所株洲服務基地揭牌", "株洲日報", ["劉芳"], ["陳誠"], "4月26日", "02版①")
    assert issue.paragraphs["role"].tolist()[:2] == ["body", "caption"]
    assert issue.meta["publisher"] == "中共株洲市委主管、主辦" and issue.meta["cn_number"] == "CN 43-0005"
    assert issue.meta["extras"] == ["掃一掃關注株洲日報社新媒體"]
    two = issue.articles.iloc[1]
    assert (two["source"], two["reporters"], two["dateline"]) == ("新華社", ["張三"], "4月26日")
    assert two["text"] == "國務院新聞辦公室發布。"


def test_headings_without_bodies(tmp_path):
    page = "2023年4月27日\n\n## 甲\n\n## 乙\n\n正文。\n\n## 丙\n"
    with pytest.warns(PageWarning, match="headline without body"):
        issue = _read(tmp_path, page.encode("utf-8"))
    assert issue.articles[["headline", "kind", "text", "n_paragraphs"]].values.tolist() == [
        ["甲", "article", "", 0], ["乙", "article", "正文。", 1], ["丙", "article", "", 0]]
    assert issue.meta["warnings"] == ["line 3: headline without body: '甲'", "line 9: headline without body: '丙'"]


def test_headline_without_body_warning_is_short(tmp_path):
    page = "2023年4月27日\n\n## " + "很长" * 10_000 + "\n\n## 乙\n\n正文。\n"
    with pytest.warns(PageWarning):
        issue = _read(tmp_path, page.encode("utf-8"))
    assert issue.meta["warnings"] == ["line 3: headline without body: '很长很长很长很长很长很长很长很长很长很长很长很长很长很长很…'"]


def test_bodies_without_headings(tmp_path):
    lead = "（上接01版①）这段正文没有标题，它是从头版转来的文章的后半部分，长度超过了四十个字。"
    page = (f"2023年4月27日 星期四\n\n{lead}\n\n## 标题\n\n正文。\n\n▶下转03版\n\n"
            "下转标记之后的正文，也没有标题。\n")
    with pytest.warns(PageWarning, match="text without a headline"):
        issue = _read(tmp_path, page.encode("utf-8"), name=NAME.format(2))
    arts = issue.articles
    assert arts[["headline", "text", "continued_to"]].fillna("").values.tolist() == [
        ["", lead, ""], ["标题", "正文。", "03版"], ["", "下转标记之后的正文，也没有标题。", ""]]
    assert len(issue.meta["warnings"]) == 2


def test_odd_spaces_and_invisible_characters(tmp_path):
    page = GOOD.replace("北交所株洲服务基地在", "北交所\u200b株洲服务基地在").replace("助力", "助力\u00a0\u3000")
    issue = _read(tmp_path, page.encode("utf-8"))
    assert issue.articles["text"].iloc[0] == GOOD_TEXT.replace("助力", "助力  ")


# --- many files ---------------------------------------------------------------------------------

def _archive(folder):
    """A folder of good, odd and bad files; returns (good page ids, bad paths, duplicate paths)."""
    folder.mkdir()
    good = {}
    for k, (label, data) in enumerate([
        ("utf8", GOOD.encode("utf-8")),
        ("gbk", GOOD.encode("gbk")),
        ("utf16", GOOD.encode("utf-16-le")),
        ("html", GOOD.replace("揭牌。", "揭牌。<br>").encode("utf-8")),
        ("trad", GOOD.replace("记者", "記者").encode("utf-8")),
    ], start=1):
        (folder / NAME.format(k)).write_bytes(data)
        good[f"zzrb-2023-04-27-p{k:02d}"] = folder / NAME.format(k)
    # masthead says 04-27, the name 04-28: read as 2023-04-27, page 6, with a warning
    # (CRLF: the same bytes as p01 would make it a duplicate, dropped before the date is read)
    (folder / "zzrb-2023-04-28-p06.md").write_bytes(GOOD.replace("\n", "\r\n").encode("utf-8"))
    good["zzrb-2023-04-27-p06"] = folder / "zzrb-2023-04-28-p06.md"
    dup = folder / "zzrb-2023-04-27-p01_copy.md"
    dup.write_bytes((folder / NAME.format(1)).read_bytes())
    bad = []
    for k, (name, data, _reason, _line) in enumerate(BAD, start=20):
        bad.append(folder / NAME.format(k))
        bad[-1].write_bytes(data)
    return good, bad, dup


@pytest.mark.parametrize("errors", ["skip", "warn"])
def test_corpus_loads_every_good_file_and_lists_every_bad_one(tmp_path, errors):
    good, bad, dup = _archive(tmp_path / "archive")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = zz.read_corpus(tmp_path / "archive", errors=errors)
    assert sorted(corpus.issues["page_id"]) == sorted(good)
    assert len(corpus.articles) == len(good) and corpus.articles["text"].eq(GOOD_TEXT).all()
    probs = corpus.problems
    errs = probs[probs["severity"] == "error"].set_index("path")
    assert sorted(errs.index) == sorted(map(str, bad))
    for path, (_name, _data, reason, line) in zip(bad, BAD):
        assert errs.loc[str(path), "reason"].startswith(reason)
        assert errs.loc[str(path), "line"] == line
    warned = probs[probs["severity"] == "warning"].sort_values("path")
    assert warned[["path", "line", "reason"]].values.tolist() == [
        [str(dup), pd.NA, f"duplicate of {tmp_path / 'archive' / NAME.format(1)}: dropped"],
        [str(good["zzrb-2023-04-27-p06"]), 2,
         "masthead date 2023-04-27 disagrees with the file name's 2023-04-28; the masthead wins"],
    ]
    bad_warnings = [w for w in caught if issubclass(w.category, PageWarning) and any(str(b) in str(w.message) for b in bad)]
    assert len(bad_warnings) == (len(bad) if errors == "warn" else 0)


def test_corpus_raises_on_the_first_bad_file(tmp_path):
    _archive(tmp_path / "archive")
    with pytest.raises(zz.ParseError, match="p20.md:1: empty file"):
        zz.read_corpus(tmp_path / "archive")


def test_cli_one_line_per_bad_file_and_no_traceback(tmp_path):
    good, bad, dup = _archive(tmp_path / "archive")
    r = subprocess.run([sys.executable, "-m", "zzanalysis", "articles", str(tmp_path / "archive"), "--format", "jsonl"],
                       capture_output=True, text=True, env={**os.environ, "ZZ_CACHE_DIR": str(tmp_path / "c")})
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    lines = r.stderr.splitlines()
    for path, (_name, _data, reason, line) in zip(bad, BAD):
        mine = [x for x in lines if x.startswith(f"{path}:")]
        assert mine == [f"{path}:{line}: error: {mine[0].split(': error: ', 1)[1]}"]
        assert mine[0].split(": error: ", 1)[1].startswith(reason)
    assert len([x for x in lines if ": error: " in x]) == len(bad)
    assert len([x for x in lines if ": warning: " in x]) == 2  # the duplicate, the date
    assert len(r.stdout.splitlines()) == len(good)


def test_cli_folder_without_pages(tmp_path):
    r = subprocess.run([sys.executable, "-m", "zzanalysis", "info", str(tmp_path)], capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.startswith("zzanalysis: no page files") and "Traceback" not in r.stderr


def test_cli_output_that_cannot_be_written(tmp_path, sample_path):
    out = tmp_path / "no" / "such" / "dir" / "a.csv"
    r = subprocess.run([sys.executable, "-m", "zzanalysis", "articles", str(sample_path), "--format", "csv", "-o", str(out)],
                       capture_output=True, text=True, env={**os.environ, "ZZ_CACHE_DIR": str(tmp_path / "c")})
    assert r.returncode == 2 and "cannot write" in r.stderr and "Traceback" not in r.stderr


def test_same_page_in_another_encoding_is_kept_once_and_reported(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / NAME.format(1)).write_bytes(GOOD.encode("utf-8"))
    (folder / "zzrb-2023-04-27-p01_gbk.md").write_bytes(GOOD.encode("gbk"))
    corpus = zz.read_corpus(folder, errors="skip")
    assert corpus.issues["page_id"].tolist() == ["zzrb-2023-04-27-p01"] and len(corpus.articles) == 1
    assert corpus.problems["path"].tolist() == [str(folder / "zzrb-2023-04-27-p01_gbk.md")]
    assert "zzrb-2023-04-27-p01" in corpus.problems["reason"].iloc[0]
