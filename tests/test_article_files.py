"""Article files (one article per file, plain text or HTML saved from a browser) into the tables.

Fixtures in tests/data/articles/ are written for these tests: invented sentences and names in
the forms of the paper's reposts and e-paper article pages.
"""
from __future__ import annotations

import collections
import shutil
from pathlib import Path

import pandas as pd
import pytest

import zzanalysis as zz
from zzanalysis.article_file import html_main_text, is_article_text, read_article

ARTICLES = Path(__file__).parent / "data" / "articles"
PLAIN = ARTICLES / "2023-05-09 城区新添三处口袋公园.txt"
HEADED = ARTICLES / "老街巷里的修鞋摊.txt"
HTML = ARTICLES / "zzrb-2023-05-08-湘江边的夜市.html"
INDEX = ARTICLES / "index.html"

# file, headline, subtitle, date, page, reporters, correspondents, byline, dateline, paragraphs (line, role, text), extras
CASES = [
    (PLAIN, "城区新添三处口袋公园", None, "2023-05-09", pd.NA, ["林可"], ["吴迪", "孙悦"],
     "株洲日报讯（记者 林可 通讯员 吴迪 孙悦） 5月8日，", "5月8日", [
         (3, "body", "三处口袋公园在芦淞区建成开放，周边居民又多了散步休闲的去处。"),
         (5, "body", "三处公园都由闲置边角地改造而成，面积最大的一处不到两千平方米，种上了桂花和紫薇，还摆放了十多张座椅。"),
         (7, "body", "“以前这里堆满了建筑垃圾，现在傍晚带孙子来转一圈正合适。”住在附近的退休教师欧阳明说。"),
     ], []),
    (HEADED, "老街巷里的修鞋摊", "——一位老手艺人的三十年", "2023-05-10", pd.NA, ["林可"], ["吴迪", "孙悦"],
     "记者 林可 通讯员/吴迪 孙悦 株洲日报讯", None, [
         (8, "body", "清晨七点，建设路一条小巷口，谭师傅支起了他的修鞋摊。"),
         (10, "body", "一台手摇补鞋机、一个装满鞋钉的铁盒，是他全部的家当。三十年来，他修过的鞋已经记不清有多少双。"),
         (12, "caption", "谭师傅在给街坊修补皮鞋。（吴迪 摄）"),
     ], ["日期：2023年5月10日", "来源：株洲日报 作者：林可 编辑：周岚"]),
    (HTML, "湘江边的夜市亮起来了", None, "2023-05-08", 2, ["林可"], ["吴迪"], "株洲日报讯（记者 林可 通讯员 吴迪）", None, [
        (1, "body", "傍晚六点，湘江风光带旁的空地上，三十多个摊位陆续支起了帐篷。"),
        (2, "body", "这是芦淞区试点“限时摊区”的第十五天。摊主们每天十八时进场、二十三时收摊，收摊后地面要恢复干净。"),
        (3, "body", "卖凉粉的摊主老罗算了一笔账：摊位费每月两百元，生意好的晚上能卖出八十多碗。"),
        (4, "body", "街道工作人员介绍，下一步将根据市民意见调整摊区范围，并增设垃圾分类点。"),
        (5, "caption", "夜市里人头攒动。 记者/林可 摄"),
    ], ["2023年05月08日 第02版", "株洲日报社版权所有 未经授权不得转载 湘ICP备00000000号"]),
]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ZZ_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c[0].suffix + ":" + c[1])
def test_article_file_fields(case):
    path, headline, subtitle, date, page, reporters, correspondents, byline, dateline, paras, extras = case
    assert path.is_file(), f"fixture missing: {path}"
    issue = read_article(path)
    art = issue.articles.iloc[0]
    assert len(issue.articles) == 1 and art["kind"] == "article" and art["position"] == 1
    assert art["headline"] == headline
    assert (art["subtitle"] if subtitle else None) == subtitle
    assert art["date"] == pd.Timestamp(date) and issue.meta["date"] == pd.Timestamp(date)
    assert art["page"] is pd.NA if page is pd.NA else art["page"] == page
    assert art["reporters"] == reporters and art["correspondents"] == correspondents
    assert art["byline"] == byline
    assert (art["dateline"] if dateline else None) == dateline
    got = issue.paragraphs[["line_start", "role", "text"]].values.tolist()
    assert got == [list(p) for p in paras]
    assert art["text"] == "\n".join(p[2] for p in paras)
    assert art["n_chars"] == sum(len(p[2]) for p in paras) and art["n_paragraphs"] == len(paras)
    assert issue.meta["extras"] == extras and issue.meta["masthead"] == []
    # ids: the date's issue, the file's content (not its name), one article
    assert issue.meta["issue_id"] == f"zzrb-{date}"
    assert issue.meta["page_id"] == f"zzrb-{date}-x{issue.meta['sha256'][:10]}"
    assert art["article_id"] == art["story_id"] == issue.meta["page_id"] + "-a01"


@pytest.mark.parametrize("path, source, photographers, editors", [
    (PLAIN, "株洲日报", [], []),            # from 株洲日报讯 in the inline byline
    (HEADED, "株洲日报", ["吴迪"], ["周岚"]),  # the bare 株洲日报讯 under the byline block; （吴迪 摄）; the footer's 编辑
    (HTML, "株洲日报", ["林可"], []),         # 记者/林可 摄 closing the caption
], ids=lambda v: v.name if isinstance(v, Path) else None)
def test_source_credits_and_editors(path, source, photographers, editors):
    issue = read_article(path)
    art = issue.articles.iloc[0]
    assert art["source"] == source and art["photographers"] == photographers and issue.meta["editors"] == editors
    assert not art["text"].startswith(("株洲日报", "记者", "通讯员"))


def test_html_script_css_and_chrome_never_become_text():
    issue = read_article(HTML)
    tables = [issue.articles.astype(str), issue.paragraphs.astype(str)]
    for word in ("jquery", "fontZoom", "text-indent", "pageConfig", "layout.css", "上一篇", "下一篇", "分享", "放大",
                 "缩小", "打印", "往期回顾", "编辑", "版权所有"):
        assert not any(t.apply(lambda col, w=word: col.str.contains(w, regex=False)).any().any() for t in tables), word


@pytest.mark.parametrize("path", [PLAIN, HEADED, HTML], ids=lambda p: p.name)
def test_nothing_lost(path):
    """Every character of the main text is in exactly one field: byline, subtitle, a paragraph
    or the issue's extras (the headline is the title line, or trafilatura's title)."""
    issue = read_article(path)
    art = issue.articles.iloc[0]
    if path.suffix == ".html":
        title, main, _ = html_main_text(path.read_text(encoding="utf-8"))
        assert title == art["headline"]
    else:
        lines = [zz.normalize_text(x).strip() for x in path.read_text(encoding="utf-8").splitlines()]
        lines = [x for x in lines if x]
        assert lines[0] == art["headline"]
        main = "\n".join(lines[1:])
    fields = [art["byline"] or "", art["subtitle"] if isinstance(art["subtitle"], str) else "",
              *issue.paragraphs["text"], *issue.meta["extras"]]

    def chars(s: str) -> collections.Counter:
        return collections.Counter(c for c in s if not c.isspace())

    assert chars("".join(fields)) == chars(main)


def test_a_saved_index_page_is_an_error_naming_the_file():
    with pytest.raises(zz.ParseError, match=r"index.html:1: no article: the text under '株洲日报数字报' has no sentence"):
        read_article(INDEX)


@pytest.mark.parametrize("name, text, message", [
    ("无日期.txt", "一篇没有日期的稿子\n\n今天天气晴朗。\n", "无日期.txt:1: no date"),
    ("2023-05-11 空稿.txt", "只有标题\n", "空稿.txt:1: no article text after the title"),
    ("2023-02-30 错日.txt", "日期不存在的稿子\n\n今天天气晴朗。\n", "错日.txt:1: impossible masthead date 2023年2月30日"),
])
def test_bad_article_files(tmp_path, name, text, message):
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(zz.ParseError, match=message):
        read_article(tmp_path / name)


@pytest.mark.parametrize("name, text, expected", [
    ("2023-05-09 标题.txt", "标题\n正文。\n", True),          # dated name, no page number
    ("稿件.txt", "标题\n日期:2023-05-09\n正文。\n", True),     # a 日期 header
    ("稿件.txt", "标题\n正文。\n", False),                    # neither: a page file's errors apply
    ("zzrb-2023-05-09-p02.txt", "标题\n正文。\n", False),     # a page's file name
    ("2023-05-09 标题.md", "## 标题\n正文。\n", False),       # a ## headline: a page
])
def test_which_text_files_are_articles(name, text, expected):
    assert is_article_text(text, name) is expected


def test_read_corpus_mixes_pages_and_article_files(tmp_path, sample_path):
    folder = tmp_path / "剪报"
    shutil.copytree(ARTICLES, folder)
    shutil.copy(sample_path, folder / sample_path.name)
    corpus = zz.read_corpus(folder, errors="skip")
    assert corpus.issues["date"].dt.strftime("%m-%d").tolist() == ["04-27", "05-08", "05-09", "05-10"]
    assert corpus.issues["page"].tolist() == [1, 2, pd.NA, pd.NA]
    assert corpus.issues["page"].dtype == "Int64" and corpus.articles["page"].dtype == "Int64"
    assert corpus.articles["headline"].tolist()[-3:] == ["湘江边的夜市亮起来了", "城区新添三处口袋公园", "老街巷里的修鞋摊"]
    errs = corpus.problems[corpus.problems["severity"] == "error"]
    assert errs[["path", "line"]].values.tolist() == [[str(folder / "index.html"), 1]]
    assert len(corpus.stories) == 12
    # the cache gives the same tables; a cold read in another process count too
    pd.testing.assert_frame_equal(zz.read_corpus(folder, errors="skip").articles, corpus.articles)
    pd.testing.assert_frame_equal(zz.read_corpus(folder, errors="skip", cache=False).issues, corpus.issues)
