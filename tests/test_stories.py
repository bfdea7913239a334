"""Stories across pages: jump markers matched, fragments joined in reading order, loose ends reported.

The front page is the real sample; its page 2 (tests/data/stories/) is written for these tests,
with invented sentences, in the paper's form (the continuation repeats the headline, then
``▶上接01版①``).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import zzanalysis as zz
from zzanalysis.stories import build_stories, link_fragments

DATA = Path(__file__).parent / "data"
PAGE2 = DATA / "stories" / "zzrb-2023-04-27-p02.md"
PAGE2_PARAS = {
    "zzrb-2023-04-27-p02-a01": [
        "车间主任指着一排刚下线的零件说，这些零件的精度已经能和进口产品比肩，订单排到了下个季度。",
        "走出厂房，园区里新栽的香樟正抽出嫩芽，几家配套企业的新厂房也在抓紧封顶。",
    ],
    "zzrb-2023-04-27-p02-a02": [
        "分拨中心的货架上，第一批货物已经贴好标签，等待发往省内各地的客户。",
        "“开仓只是开始。”一位现场负责人说，接下来还要把更多外贸企业请进园区。",
    ],
}


@pytest.fixture
def folder(tmp_path, monkeypatch, sample_path):
    monkeypatch.setenv("ZZ_CACHE_DIR", str(tmp_path / "cache"))
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(sample_path, pages / sample_path.name)
    assert PAGE2.is_file(), f"fixture missing: {PAGE2}"
    return pages


@pytest.fixture
def both(folder):
    shutil.copy(PAGE2, folder / PAGE2.name)
    return zz.read_corpus(folder)


@pytest.mark.parametrize("head, tail, pages", [
    ("zzrb-2023-04-27-p01-a02", "zzrb-2023-04-27-p02-a01", [1, 2]),
    ("zzrb-2023-04-27-p01-a07", "zzrb-2023-04-27-p02-a02", [1, 2]),
])
def test_the_sample_and_its_page_2_join_into_two_stories(both, head, tail, pages):
    arts = both.articles.set_index("article_id")
    story = both.stories.set_index("story_id").loc[head]
    assert story["pages"] == pages and story["article_ids"] == [head, tail]
    # reading order: the front-page fragment, then its continuation, paragraph by paragraph
    assert story["text"] == arts.loc[head, "text"] + "\n" + "\n".join(PAGE2_PARAS[tail])
    assert story["text"].split("\n")[arts.loc[head, "n_paragraphs"]] == PAGE2_PARAS[tail][0]
    assert story["n_chars"] == arts.loc[head, "n_chars"] + sum(len(p) for p in PAGE2_PARAS[tail])
    assert story["n_paragraphs"] == arts.loc[head, "n_paragraphs"] + 2 and story["n_fragments"] == 2
    # the first fragment's metadata: the front page carries headline, byline and column
    for col in ("headline", "source", "reporters", "column", "subtitle", "position", "kind"):
        assert story[col] == arts.loc[head, col] or (pd.isna(story[col]) and pd.isna(arts.loc[head, col]))
    assert pd.isna(story["continued_to"])  # the story's open end: none, it is complete
    assert arts.loc[tail, "story_id"] == head and arts.loc[head, "story_id"] == head


def test_every_other_article_is_its_own_story(both):
    assert len(both.articles) == 12 and len(both.stories) == 10
    alone = both.articles[~both.articles["article_id"].isin(
        ["zzrb-2023-04-27-p01-a02", "zzrb-2023-04-27-p01-a07", "zzrb-2023-04-27-p02-a01", "zzrb-2023-04-27-p02-a02"])]
    assert (alone["story_id"] == alone["article_id"]).all()
    assert both.stories["story_id"].tolist() == [f"zzrb-2023-04-27-p01-a{k:02d}" for k in range(1, 10)] + [
        "zzrb-2023-04-27-p02-a03"]
    assert both.stories.loc[9, ["pages", "headline", "n_chars"]].tolist() == [
        [2], "城区新添三处口袋公园", len("三处口袋公园在芦淞区建成开放，周边居民又多了散步休闲的去处。")]
    assert both.stories["n_chars"].sum() == both.articles["n_chars"].sum()
    assert (both.problems["severity"] != "info").all() and len(both.problems) == 0


def test_the_page_2_fixture_of_the_page_grammar_joins_both_jumps(folder):
    # the page 2 of the page-grammar tests (tests/data/pages/): an inside-page header, the first
    # continuation under its repeated headline, the second with ▶上接01版② above the headline
    other = DATA / "pages" / "zzrb-2023-04-27-p02.md"
    assert other.is_file(), f"fixture missing: {other}"
    shutil.copy(other, folder / other.name)
    corpus = zz.read_corpus(folder)
    joined = corpus.stories[corpus.stories["n_fragments"] > 1]
    assert joined[["story_id", "pages", "article_ids"]].values.tolist() == [
        ["zzrb-2023-04-27-p01-a02", [1, 2], ["zzrb-2023-04-27-p01-a02", "zzrb-2023-04-27-p02-a01"]],
        ["zzrb-2023-04-27-p01-a07", [1, 2], ["zzrb-2023-04-27-p01-a07", "zzrb-2023-04-27-p02-a02"]],
    ]
    assert joined["headline"].tolist() == ["制造业名城展新颜", "株洲“牵手”康宁 共同擘画更美蓝图"]
    assert not (corpus.problems["severity"] == "info").any()  # every jump found its other end


def test_a_front_page_alone_reports_its_two_jumps(folder, sample_path):
    corpus = zz.read_corpus(folder)
    info = corpus.problems
    assert info["severity"].tolist() == ["info", "info"]
    assert info["path"].tolist() == [str(folder / sample_path.name)] * 2
    # the line where each fragment's text ends; the marker follows it
    assert info["line"].tolist() == [56, 164]
    assert info["reason"].tolist() == [
        "zzrb-2023-04-27-p01-a02: jump 下转02版①: page 2 of zzrb-2023-04-27 is not in the corpus",
        "zzrb-2023-04-27-p01-a07: jump 下转02版②: page 2 of zzrb-2023-04-27 is not in the corpus",
    ]
    assert (corpus.articles["story_id"] == corpus.articles["article_id"]).all()
    assert len(corpus.stories) == 9


def test_the_parse_cache_links_pages_added_and_removed_later(folder):
    alone = zz.read_corpus(folder)
    shutil.copy(PAGE2, folder / PAGE2.name)
    joined = zz.read_corpus(folder)  # page 1 comes from the cache, page 2 is parsed
    assert joined.stories.loc[1, "article_ids"] == ["zzrb-2023-04-27-p01-a02", "zzrb-2023-04-27-p02-a01"]
    again = zz.read_corpus(folder)  # both from the cache
    pd.testing.assert_frame_equal(again.articles, joined.articles)
    pd.testing.assert_frame_equal(again.stories, joined.stories)
    pd.testing.assert_frame_equal(again.stories, zz.read_corpus(folder, cache=False).stories)
    (folder / PAGE2.name).unlink()
    pd.testing.assert_frame_equal(zz.read_corpus(folder).stories, alone.stories)
    assert len(zz.read_corpus(folder).problems) == 2


def test_read_issue_gives_each_fragment_its_own_story(sample_articles):
    assert sample_articles["story_id"].tolist() == sample_articles["article_id"].tolist()


def test_a_corpus_built_by_hand_links_its_stories(both):
    bare = zz.Corpus(both.issues, both.articles.drop(columns="story_id"), both.paragraphs)
    pd.testing.assert_frame_equal(bare.stories, both.stories)


def _arts(*rows):
    """Fragments (article_id, page, continued_to, continued_from[, kind]) of one or two issues."""
    out = []
    for pos, (aid, page, to, frm, *kind) in enumerate(rows, start=1):
        out.append(dict(article_id=aid, issue_id=aid[:15], date=pd.Timestamp(aid[5:15]), page=page, position=pos,
                        kind=kind[0] if kind else "article", headline=f"题{aid[-3:]}", continued_to=to,
                        continued_from=frm, text=f"正文{aid[-3:]}", n_paragraphs=1, n_chars=5))
    return pd.DataFrame(out)


@pytest.mark.parametrize("rows, story_ids, unmatched", [
    pytest.param(  # marker without circled number: 第2版 ↔ 第1版
        [("zzrb-2023-05-02-p01-a01", 1, "第2版", None), ("zzrb-2023-05-02-p02-a01", 2, None, "第1版")],
        ["zzrb-2023-05-02-p01-a01"] * 2, [], id="no-slot"),
    pytest.param(  # a three-page story: 1 → 2 → 3
        [("zzrb-2023-05-02-p01-a01", 1, "02版①", None), ("zzrb-2023-05-02-p02-a01", 2, "03版①", "01版①"),
         ("zzrb-2023-05-02-p03-a01", 3, None, "02版①")],
        ["zzrb-2023-05-02-p01-a01"] * 3, [], id="chain"),
    pytest.param(  # circled numbers keep two jumps to the same page apart
        [("zzrb-2023-05-02-p01-a01", 1, "02版②", None), ("zzrb-2023-05-02-p01-a02", 1, "02版①", None),
         ("zzrb-2023-05-02-p02-a01", 2, None, "01版①"), ("zzrb-2023-05-02-p02-a02", 2, None, "01版②")],
        ["zzrb-2023-05-02-p01-a01", "zzrb-2023-05-02-p01-a02", "zzrb-2023-05-02-p01-a02", "zzrb-2023-05-02-p01-a01"],
        [], id="slots"),
    pytest.param(  # same markers in two issues: each joins within its own issue
        [("zzrb-2023-05-02-p01-a01", 1, "02版①", None), ("zzrb-2023-05-02-p02-a01", 2, None, "01版①"),
         ("zzrb-2023-05-03-p01-a01", 1, "02版①", None), ("zzrb-2023-05-03-p02-a01", 2, None, "01版①")],
        ["zzrb-2023-05-02-p01-a01"] * 2 + ["zzrb-2023-05-03-p01-a01"] * 2, [], id="two-issues"),
    pytest.param(  # page 2 is there but nothing on it continues the jump
        [("zzrb-2023-05-02-p01-a01", 1, "02版①", None), ("zzrb-2023-05-02-p02-a01", 2, None, None)],
        ["zzrb-2023-05-02-p01-a01", "zzrb-2023-05-02-p02-a01"],
        [("zzrb-2023-05-02-p01-a01", "下转02版①", "no fragment on page 2 of zzrb-2023-05-02 is marked 上接01版①")],
        id="no-target-marker"),
    pytest.param(  # a continuation whose front page is not in the corpus
        [("zzrb-2023-05-02-p02-a01", 2, None, "01版①")],
        ["zzrb-2023-05-02-p02-a01"],
        [("zzrb-2023-05-02-p02-a01", "上接01版①", "page 1 of zzrb-2023-05-02 is not in the corpus")],
        id="source-page-missing"),
    pytest.param(  # page 1 is there, but no fragment on it jumps
        [("zzrb-2023-05-02-p01-a01", 1, None, None), ("zzrb-2023-05-02-p02-a01", 2, None, "01版①")],
        ["zzrb-2023-05-02-p01-a01", "zzrb-2023-05-02-p02-a01"],
        [("zzrb-2023-05-02-p02-a01", "上接01版①", "no fragment on page 1 of zzrb-2023-05-02 ends with 下转02版①")],
        id="no-source-marker"),
    pytest.param(  # two continuations claim the same jump: neither is guessed
        [("zzrb-2023-05-02-p01-a01", 1, "02版①", None), ("zzrb-2023-05-02-p02-a01", 2, None, "01版①"),
         ("zzrb-2023-05-02-p02-a02", 2, None, "01版①")],
        ["zzrb-2023-05-02-p01-a01", "zzrb-2023-05-02-p02-a01", "zzrb-2023-05-02-p02-a02"],
        [("zzrb-2023-05-02-p01-a01", "下转02版①", "1 fragments on page 1 jump to 02版① and 2 on page 2 continue "
          "from 01版①: not joined"),
         ("zzrb-2023-05-02-p02-a01", "上接01版①", "1 fragments on page 1 jump to 02版① and 2 on page 2 continue "
          "from 01版①: not joined"),
         ("zzrb-2023-05-02-p02-a02", "上接01版①", "1 fragments on page 1 jump to 02版① and 2 on page 2 continue "
          "from 01版①: not joined")],
        id="ambiguous"),
    pytest.param(  # a teaser points to another page; that is not a jump
        [("zzrb-2023-05-02-p01-a01", 1, "封二版", None, "teaser")],
        ["zzrb-2023-05-02-p01-a01"], [], id="teaser"),
    pytest.param(  # an article's marker that names no page
        [("zzrb-2023-05-02-p01-a01", 1, "封二版", None)],
        ["zzrb-2023-05-02-p01-a01"],
        [("zzrb-2023-05-02-p01-a01", "下转封二版", "cannot read the target page of the jump")], id="unreadable"),
])
def test_link_fragments(rows, story_ids, unmatched):
    arts = _arts(*rows)
    ids, loose = link_fragments(arts)
    assert ids.tolist() == story_ids
    assert [(u["article_id"], u["marker"], u["reason"]) for u in loose] == unmatched


def test_reading_order_follows_the_jumps_not_the_page_numbers():
    # a story that starts on page 3 and continues on page 2 (a back-page jump)
    arts = _arts(("zzrb-2023-05-02-p02-a01", 2, None, "03版①"), ("zzrb-2023-05-02-p03-a01", 3, "02版①", None))
    arts["story_id"] = link_fragments(arts)[0]
    assert arts["story_id"].tolist() == ["zzrb-2023-05-02-p03-a01"] * 2
    story = build_stories(arts).iloc[0]
    assert story["pages"] == [3, 2] and story["text"] == "正文a01\n正文a01"
    assert story["article_ids"] == ["zzrb-2023-05-02-p03-a01", "zzrb-2023-05-02-p02-a01"]
    assert story["headline"] == "题a01" and story["n_chars"] == 10 and story["n_fragments"] == 2


def test_stories_do_not_change_the_articles_they_are_built_from(both):
    before = both.articles.copy()
    build_stories(both.articles)
    pd.testing.assert_frame_equal(both.articles, before)
