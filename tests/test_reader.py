"""The reader on the sample front page: every fact of the page pinned, plus encodings and errors."""
from __future__ import annotations

import collections
import re

import pandas as pd
import pytest

import zzanalysis as zz
from zzanalysis.errors import PageWarning

HEADLINES = [
    "“制造名城 周周好精彩”活动启动",
    "制造业名城展新颜",
    "半导体产业链“盟”聚株洲",
    "推动“村网共建”工作创建新样板",
    "《人民日报》专版特别报道 《增强创新动力 壮大优势产业——湖南株洲高质量发展纪实》",
    "研究防汛抗旱、“引客入株”促进消费等工作",
    "株洲“牵手”康宁 共同擘画更美蓝图",
    "我市创建全国公共就业创业服务示范城市",
    "北交所株洲服务基地揭牌",
]

# position, kind, column, kicker, subtitle, source, reporters, correspondents, dateline, continued_to
FACTS = [
    (1, "article", None, None, None, "株洲日报", ["温琳"], ["彭玲", "赵小茵"], "4月26日", None),
    (2, "article", "央媒看株洲", None, "——开局之年看株洲", "人民日报", ["余建斌", "吴齐强", "邱超奕"], [], None, "02版①"),
    (3, "article", None, None, None, "株洲日报", ["高晓燕"], [], "4月26日", None),
    (4, "article", None, "胡长春在相关会议上强调", None, "株洲日报", ["邹家虎"], [], "4月26日", None),
    (5, "teaser", None, None, None, None, [], [], None, "封二版"),
    (6, "article", None, "陈恢清主持召开市政府常务会议", None, "株洲日报", ["邓伟勇"], [], "4月26日", None),
    (7, "article", None, None, None, "株洲日报", ["廖明"], [], None, "02版②"),
    (8, "article", None, None, None, "株洲日报", ["何春林"], ["颜小波"], None, None),
    (9, "article", None, None, None, "株洲日报", ["刘芳"], ["唐恒", "余恒泰"], "4月26日", None),
]


def _none(v):
    return None if v is None or (not isinstance(v, list) and pd.isna(v)) else v


def test_issue_meta(sample_issue):
    m = sample_issue.meta
    assert m["issue_id"] == "zzrb-2023-04-27"
    assert m["page_id"] == "zzrb-2023-04-27-p01"
    assert m["paper"] == "株洲日报"
    assert m["date"] == pd.Timestamp("2023-04-27")
    assert m["weekday"] == "星期四"
    assert m["lunar_date"] == "癸卯年三月初八"
    assert m["issue_no"] == 23288
    assert m["pages_total"] == 8
    assert m["page"] == 1
    assert m["publisher"] == "中共株洲市委主管、主办"
    assert m["cn_number"] == "CN 43-0005"
    assert m["extras"] == ["扫一扫关注株洲日报社新媒体"]
    assert m["warnings"] == []
    assert m["n_articles"] == 9


def test_issues_table_types(sample_issue):
    issues = sample_issue.issues
    assert len(issues) == 1
    assert str(issues["date"].dtype).startswith("datetime64")
    assert issues["issue_no"].dtype == "Int64"


def test_eight_articles_and_one_teaser(sample_articles):
    assert sample_articles["kind"].value_counts().to_dict() == {"article": 8, "teaser": 1}
    assert sample_articles["headline"].tolist() == HEADLINES
    assert sample_articles["article_id"].tolist() == [f"zzrb-2023-04-27-p01-a{k:02d}" for k in range(1, 10)]


@pytest.mark.parametrize("facts", FACTS, ids=lambda f: f"a{f[0]:02d}")
def test_article_fields(sample_articles, facts):
    pos, kind, column, kicker, subtitle, source, reporters, correspondents, dateline, cont = facts
    row = sample_articles.set_index("position").loc[pos]
    got = [row["kind"], row["column"], row["kicker"], row["subtitle"], row["source"], row["reporters"],
           row["correspondents"], row["dateline"], row["continued_to"]]
    assert [_none(v) for v in got] == [kind, column, kicker, subtitle, source, reporters, correspondents,
                                       dateline, cont]
    assert _none(row["continued_from"]) is None


@pytest.mark.parametrize("pos, byline", [
    (1, "株洲日报（全媒体记者/温琳 通讯员/彭玲 赵小茵） 4月26日，"),
    (2, "人民日报记者/余建斌 吴齐强 邱超奕"),
    (7, "株洲日报全媒体记者/廖明"),
    (8, "株洲日报（全媒体记者/何春林 通讯员/颜小波）"),
])
def test_byline_as_printed(sample_articles, pos, byline):
    assert sample_articles.set_index("position").loc[pos, "byline"] == byline


def test_text_is_paragraphs_joined(sample_articles, sample_paragraphs):
    for art in sample_articles.itertuples():
        paras = sample_paragraphs[sample_paragraphs["article_id"] == art.article_id]
        assert art.text.split("\n") == paras["text"].tolist() if art.n_paragraphs else art.text == ""
        assert art.n_paragraphs == len(paras)
        assert paras["para_no"].tolist() == list(range(1, len(paras) + 1))
        assert art.n_chars == sum(len(t) for t in paras["text"])


def test_article_texts_hold_no_page_furniture(sample_articles):
    for text in sample_articles["text"]:
        for marker in ["下转", "株洲日报（", "记者/", "扫一扫", "第23288期", "今日8版", "CN 43-0005", "#"]:
            assert marker not in text
    # bodies start after the byline and dateline
    first = sample_articles.set_index("position")["text"].str.split("\n").str[0]
    assert first[1].startswith("“创建文明城市 共享幸福株洲”惠民演出活动")
    assert first[2].startswith("一片清水塘")
    assert first[8].startswith("人社部近日发布")


@pytest.mark.parametrize("article, para_no, text_part, lines", [
    ("a02", 13, "城轨动车牵引电机智能组装线，实现100多个型号", (44, 46)),
    ("a02", 16, "第一条轨道交通客户就在株洲", (52, 54)),
    ("a03", 6, "具有核心竞力的国家电力电子科技新高地。", (70, 72)),
    ("a04", 4, "郭路等百人获评先进电力联络员。", (92, 94)),
    ("a06", 3, "防汛抗旱两手抓", (108, 110)),
    ("a06", 6, "强调要深化认识，明确目标", (116, 118)),
    ("a06", 9, "会议原则通过《关于进一步促进房地产业良性循环", (124, 126)),
    ("a08", 4, "与贵州大学相关学院达成意向", (176, 178)),
])
def test_pdf_breaks_are_repaired(sample_paragraphs, article, para_no, text_part, lines):
    row = sample_paragraphs.set_index(["article_id", "para_no"]).loc[(f"zzrb-2023-04-27-p01-{article}", para_no)]
    assert text_part in row["text"]
    assert bool(row["repaired"])
    assert (row["line_start"], row["line_end"]) == lines


def test_only_those_paragraphs_are_repaired(sample_paragraphs):
    assert int(sample_paragraphs["repaired"].sum()) == 8


@pytest.mark.parametrize("article, para_no, text", [
    ("a02", 7, "全国城市创新能力百强榜排名第三十二位；"),
    ("a02", 8, "全国每10台中小航空发动机，有9台是“株洲造”；"),
    ("a02", 11, "——活力株洲，制造业名城有朝气。"),
    ("a02", 12, "轨道交通装备，是株洲制造通行世界的“金名片”。"),
    ("a03", 3, "活动由省工信厅、市政府、功率半导体行业联盟共同主办。省工信厅副厅长彭涛参加活动。"),
    ("a07", 9, "为什么选择株洲？"),
])
def test_glued_paragraphs_are_split(sample_paragraphs, article, para_no, text):
    row = sample_paragraphs.set_index(["article_id", "para_no"]).loc[(f"zzrb-2023-04-27-p01-{article}", para_no)]
    assert row["text"] == text
    assert bool(row["split"])


def test_roles(sample_paragraphs):
    roles = sample_paragraphs.groupby("role").size().to_dict()
    assert roles == {"body": 68, "caption": 1, "subhead": 3}
    caption = sample_paragraphs[sample_paragraphs["role"] == "caption"].iloc[0]
    assert caption["article_id"].endswith("a08")
    assert caption["text"].endswith("800余个岗位供贵州大学毕业生挑选。图为招聘会现场。")
    subheads = sample_paragraphs.loc[sample_paragraphs["role"] == "subhead", "text"].tolist()
    assert subheads == ["——活力株洲，制造业名城有朝气。", "——创新株洲，制造业名城有灵气。", "为什么选择株洲？"]


def test_line_numbers_point_into_the_source(sample_path, sample_paragraphs):
    lines = sample_path.read_text(encoding="utf-8").split("\n")
    for p in sample_paragraphs.itertuples():
        source = zz.normalize_text("".join(lines[p.line_start - 1 : p.line_end]))
        assert p.text[:6] in source or p.text[:6] in source.replace(" ", "")


def _chars(parts):
    return collections.Counter(ch for part in parts if isinstance(part, str) for ch in part if not ch.isspace())


def accounted_parts(issue):
    """Every field a source character can end up in; jump arrows '▶下转' are markup like '#'."""
    parts = list(issue.meta["masthead"]) + list(issue.meta["extras"])
    for a in issue.articles.itertuples():
        parts += [a.column, a.kicker, a.headline, a.subtitle, a.byline, a.text]
        if isinstance(a.continued_to, str):
            parts.append(("▶下转" if a.kind == "article" else "") + a.continued_to)
    return parts


def test_nothing_lost(sample_path, sample_issue):
    source = zz.normalize_text(sample_path.read_text(encoding="utf-8"))
    source = re.sub(r"(?m)^#+\s*", "", source)
    assert _chars([source]) == _chars(accounted_parts(sample_issue))


def _same_articles(a: zz.Issue, b: zz.Issue):
    pd.testing.assert_frame_equal(a.articles, b.articles)
    pd.testing.assert_frame_equal(a.paragraphs, b.paragraphs)
    assert {k: v for k, v in a.meta.items() if k not in ("source_path", "sha256")} == {
        k: v for k, v in b.meta.items() if k not in ("source_path", "sha256")}


@pytest.mark.parametrize("variant", ["gb18030", "bom_crlf", "fullwidth", "utf16", "cr_only"])
def test_variants_parse_to_the_same_articles(tmp_path, sample_path, sample_issue, variant):
    text = sample_path.read_text(encoding="utf-8")
    out = tmp_path / sample_path.name
    if variant == "gb18030":
        out.write_bytes(text.encode("gb18030"))
    elif variant == "bom_crlf":
        out.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    elif variant == "fullwidth":
        out.write_text(text.translate(str.maketrans(",()?;", "，（）？；")), encoding="utf-8")
    elif variant == "utf16":
        out.write_bytes(text.encode("utf-16"))
    elif variant == "cr_only":
        out.write_bytes(text.replace("\n", "\r").encode("utf-8"))
    _same_articles(zz.read_issue(out), sample_issue)


def test_gbk_file(tmp_path):
    # GBK cannot encode the sample's ▶, so a page of GBK's own repertoire.
    page = "2023年4月27日 星期四\n\n## 北交所株洲服务基地揭牌\n\n株洲日报(全媒体记者/刘芳) 4月26日,北交所株洲服务基地揭牌。\n"
    f = tmp_path / "zzrb-2023-04-27-p01.md"
    f.write_bytes(page.encode("gbk"))
    art = zz.read_issue(f).articles.iloc[0]
    assert (art["headline"], art["reporters"], art["dateline"], art["text"]) == (
        "北交所株洲服务基地揭牌", ["刘芳"], "4月26日", "北交所株洲服务基地揭牌。")


def test_encoding_can_be_forced(tmp_path, sample_path, sample_issue):
    out = tmp_path / sample_path.name
    out.write_bytes(sample_path.read_text(encoding="utf-8").encode("gb18030"))
    _same_articles(zz.read_issue(out, encoding="gb18030"), sample_issue)


def test_ids_are_stable_across_runs(sample_path, sample_issue):
    again = zz.read_issue(sample_path)
    assert again.articles["article_id"].tolist() == sample_issue.articles["article_id"].tolist()
    assert again.meta["sha256"] == sample_issue.meta["sha256"]


@pytest.mark.parametrize("name, date, page", [
    ("zzrb-2023-04-28-p03.md", "2023-04-28", 3),
    ("20230428_03.txt", "2023-04-28", 3),
])
def test_date_and_page_from_file_name_when_no_masthead(tmp_path, name, date, page):
    f = tmp_path / name
    f.write_text("## 标题\n\n正文第一段。\n", encoding="utf-8")
    issue = zz.read_issue(f)
    assert issue.meta["date"] == pd.Timestamp(date)
    assert issue.meta["page"] == page
    assert issue.articles["article_id"].tolist() == [f"zzrb-{date}-p{page:02d}-a01"]


def test_masthead_date_wins_over_file_name_and_warns(tmp_path, sample_path):
    f = tmp_path / "zzrb-2023-04-28-p01.md"
    f.write_bytes(sample_path.read_bytes())
    with pytest.warns(PageWarning, match="disagrees with the file name"):
        issue = zz.read_issue(f)
    assert issue.meta["date"] == pd.Timestamp("2023-04-27")


@pytest.mark.parametrize("content, message, line", [
    (b"", "no date", 1),
    (b"## \xe6\xa0\x87\xe9\xa2\x98\n\n\xe6\xad\xa3\xe6\x96\x87\xe3\x80\x82\n", "no date", 1),
    (b"2023\xe5\xb9\xb44\xe6\x9c\x8827\xe6\x97\xa5\n\n## A\n\nbody\x00\x01\x02", "binary data", 5),
    ("2023年4月27日\n## 标题\n正文".encode("utf-8")[:-1], "middle of a UTF-8 character", 3),
    ("2023年2月30日\n## 标题\n正文。".encode("utf-8"), "impossible masthead date", 1),
    ("0023年4月27日\n## 标题\n正文。".encode("utf-8"), "implausible masthead year 0023", 1),  # found by fuzzing
])
def test_bad_files_raise_parse_error_naming_file_and_line(tmp_path, content, message, line):
    f = tmp_path / "page.md"
    f.write_bytes(content)
    with pytest.raises(zz.ParseError, match=message) as info:
        zz.read_issue(f)
    assert info.value.path == str(f) and info.value.line == line
    assert str(f) in str(info.value)
    assert isinstance(info.value, ValueError)


def test_corpus_loads_good_files_and_reports_bad(tmp_path, sample_path):
    (tmp_path / sample_path.name).write_bytes(sample_path.read_bytes())
    (tmp_path / "copy-of-front.md").write_bytes(sample_path.read_bytes())
    (tmp_path / "broken.md").write_bytes(b"\x00\x01binary")
    with pytest.raises(zz.ParseError, match="broken.md"):
        zz.read_corpus(tmp_path)
    with pytest.warns(PageWarning, match="binary data"):
        corpus = zz.read_corpus(tmp_path, errors="warn")
    assert len(corpus.issues) == 1 and len(corpus.articles) == 9
    problems = corpus.problems[corpus.problems["severity"] != "info"].set_index("path")
    assert problems.loc[str(tmp_path / "broken.md"), "severity"] == "error"
    assert problems.loc[str(tmp_path / "broken.md"), "reason"].startswith("binary data")
    dup = [p for p in problems.index if "copy-of-front" in p or p.endswith(sample_path.name)]
    assert len(dup) == 1 and "duplicate of" in problems.loc[dup[0], "reason"]
    quiet = zz.read_corpus(tmp_path, errors="skip")
    assert len(quiet.articles) == 9 and (quiet.problems["severity"] != "info").sum() == 2


def test_corpus_sources(tmp_path, sample_path):
    sub = tmp_path / "2023" / "04"
    sub.mkdir(parents=True)
    (sub / sample_path.name).write_bytes(sample_path.read_bytes())
    by_folder = zz.read_corpus(tmp_path)
    by_glob = zz.read_corpus(str(tmp_path / "**" / "*.md"))
    by_list = zz.read_corpus([sub / sample_path.name])
    for c in (by_glob, by_list):
        pd.testing.assert_frame_equal(c.articles, by_folder.articles)
    with pytest.raises(FileNotFoundError):
        zz.read_corpus(str(tmp_path / "nothing-*.md"))


def test_reading_does_not_write_into_the_data_folder(tmp_path, sample_path):
    (tmp_path / sample_path.name).write_bytes(sample_path.read_bytes())
    before = sorted(p.name for p in tmp_path.iterdir())
    zz.read_corpus(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_folder_as_people_have_it_lists_every_file_not_read(tmp_path, monkeypatch, sample_path):
    monkeypatch.setenv("ZZ_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "株洲日报2023"
    (folder / "4月" / ".git").mkdir(parents=True)
    (folder / "4月" / sample_path.name).write_bytes(sample_path.read_bytes())
    (folder / "README.md").write_text("# 我的剪报\n按日期存放。\n", encoding="utf-8")
    (folder / "4月" / "头版.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF")
    (folder / "4月" / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    (folder / "4月" / "笔记.txt").write_bytes(b"PK\x03\x04\x14\x00\x06\x00word/document.xml")  # a .docx renamed
    (folder / "4月" / ".git" / "HEAD").write_text("ref: refs/heads/main\n")  # hidden: the system's, not read
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (folder / "4月" / "目录.html").write_text('<html><body><a href="p01.html">第01版</a></body></html>', encoding="utf-8")
    corpus = zz.read_corpus(folder, errors="skip")
    assert len(corpus.articles) == 9
    # in path order (头 U+5934, 目 U+76EE, 笔 U+7B14)
    assert corpus.problems[corpus.problems["severity"] != "info"].values.tolist() == [
        [str(folder / "4月" / "Thumbs.db"), pd.NA, "warning", "skipped: .db is not a page or article file (read are .md .markdown .txt .html .htm)"],
        [str(folder / "4月" / "头版.jpg"), pd.NA, "warning", "skipped: .jpg is not a page or article file (read are .md .markdown .txt .html .htm)"],
        [str(folder / "4月" / "目录.html"), 1, "error", "no article text after the title"],
        [str(folder / "4月" / "笔记.txt"), 1, "error",
         "a ZIP container (a .docx, .xlsx or .epub renamed?), not a text file: save it as plain text"],
        [str(folder / "README.md"), pd.NA, "warning", "skipped: a note beside the pages (README, licence …), not a page"],
    ]
    # errors="raise" is about files that should be pages; skipped files never raise
    with pytest.raises(zz.ParseError, match="目录.html:1: no article text"):
        zz.read_corpus(folder)
    (folder / "4月" / "笔记.txt").unlink()
    (folder / "4月" / "目录.html").unlink()
    assert len(zz.read_corpus(folder).articles) == 9


# --- the column builders of read_corpus (tables._utf8_array, _joined_text, _date_array) -----

@pytest.mark.parametrize("values, offsets, data", [
    (["株洲", "", "CN 43-0005", "𠀀"], [0, 6, 6, 16, 20], "株洲CN 43-0005𠀀".encode()),
    ([], [0], b""),
])
def test_text_column_from_utf8_bytes(values, offsets, data):
    import pyarrow as pa

    from zzanalysis.tables import _utf8_array

    arrow = _utf8_array(values)
    assert arrow.type == pa.large_string() and arrow.to_pylist() == values
    import numpy as np

    assert np.frombuffer(arrow.buffers()[1], dtype=np.int64).tolist() == offsets
    assert arrow.buffers()[2].to_pybytes() == data


@pytest.mark.parametrize("values", [["株洲", None], ["a", 1], ["a\ud800"]])
def test_text_column_not_all_text_is_left_to_pyarrow(values):
    from zzanalysis.tables import _utf8_array

    assert _utf8_array(values) is None


@pytest.mark.parametrize("n_paragraphs, texts", [
    ([2, 0, 1, 1], ["株洲\n动力谷", "", "", "第二段"]),
    ([0], [""]),
])
def test_article_text_joined_from_its_paragraphs(n_paragraphs, texts):
    from zzanalysis.tables import _joined_text, _utf8_array

    paragraphs = _utf8_array(["株洲", "动力谷", "", "第二段"][: sum(n_paragraphs)])
    assert _joined_text(paragraphs, n_paragraphs).to_pylist() == texts


def test_article_text_with_paragraphs_left_over_is_an_error():
    from zzanalysis.tables import _joined_text, _utf8_array

    with pytest.raises(ValueError, match="3 paragraphs counted by the articles, 4 given"):
        _joined_text(_utf8_array(["a", "b", "c", "d"]), [1, 2])


def test_date_array_gives_each_timestamp_as_its_day_in_order():
    import numpy as np

    from zzanalysis.tables import _date_array

    import datetime as dt

    a, b = pd.Timestamp(dt.date(2023, 4, 27)), pd.Timestamp(dt.date(2023, 4, 28))  # as the reader makes them
    got = _date_array([a, a, b, b, b, a])
    assert got.dtype == np.dtype("datetime64[s]")
    assert got.astype("datetime64[D]").astype(str).tolist() == ["2023-04-27"] * 2 + ["2023-04-28"] * 3 + ["2023-04-27"]


def test_read_corpus_derives_the_same_columns_as_parse_text(sample_path, sample_issue):
    # read_corpus leaves the repeated columns out per page and derives them per chunk
    from zzanalysis.tables import _canonical

    corpus = zz.read_corpus(sample_path, cache=False)
    pd.testing.assert_frame_equal(corpus.articles, _canonical(sample_issue.articles), check_exact=True)
    pd.testing.assert_frame_equal(corpus.paragraphs, _canonical(sample_issue.paragraphs), check_exact=True)


def test_detected_text_parses_as_any_text(sample_path):
    from zzanalysis.decode import decode_page
    from zzanalysis.reader import _parse_rows

    text = decode_page(sample_path.read_bytes())
    assert _parse_rows(text, path=sample_path, sha256=None, detected=True) == \
        _parse_rows(text, path=sample_path, sha256=None)
