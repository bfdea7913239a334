"""People and their titles: the sample page's fifteen titled people, a fixture page, small cases."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import zzanalysis as zz
from zzanalysis.people import people

FIXTURE = Path(__file__).parent / "data" / "zzrb-2024-03-12-p03.md"

# The fifteen people named with a title before their name on the 2023-04-27 front page, read off
# the page by hand: (article, name, title as printed, organisation in the title, former post).
SAMPLE_TITLED = [
    ("a02", "陈宇杰", "中车株洲电机城轨事业部总成车间技术主管", "中车株洲电机", False),
    ("a02", "杨军", "株洲时代新材料科技股份有限公司技术专家", "株洲时代新材料科技股份有限公司", False),
    ("a02", "毛善文", "总经理", "株洲硬质合金集团有限公司", False),
    ("a03", "丁荣军", "中国工程院院士、功率半导体行业联盟理事长", "中国工程院、功率半导体行业联盟", False),
    ("a03", "赵小刚", "原中国南车集团董事长", "中国南车集团", True),
    ("a03", "李冶", "国家能源局原监管总监", "国家能源局", True),
    ("a03", "曹慧泉", "市委书记", "市委", False),
    ("a03", "彭涛", "省工信厅副厅长", "省工信厅", False),
    ("a04", "胡长春", "市委副书记、市委政法委书记", "市委、市委政法委", False),
    ("a04", "龙稳钨", "省乡村振兴局副局长", "省乡村振兴局", False),
    ("a04", "李艺波", "国网湖南省电力有限公司副总经理", "国网湖南省电力有限公司", False),
    ("a06", "陈恢清", "市长", None, False),
    ("a07", "李萌", "康宁大中国区副总裁", "康宁", False),
    ("a08", "潘庆", "市人社局局长", "市人社局", False),
    ("a02", "张湘东", "退休工人", None, False),
]

# Every mention on the sample page: (article, field, para_no, start, end, name, evidence).
SAMPLE_MENTIONS = [
    ("a02", "text", 1, 55, 58, "张湘东", "title"),
    ("a02", "text", 4, 15, 18, "习近平", "title"),
    ("a02", "text", 15, 73, 76, "陈宇杰", "title"),
    ("a02", "text", 16, 100, 102, "杨军", "title"),
    ("a02", "text", 19, 57, 60, "毛善文", "title"),
    ("a03", "text", 2, 20, 23, "丁荣军", "title"),
    ("a03", "text", 2, 34, 37, "赵小刚", "title"),
    ("a03", "text", 2, 48, 50, "李冶", "title"),
    ("a03", "text", 2, 57, 60, "曹慧泉", "title"),
    ("a03", "text", 3, 33, 35, "彭涛", "title"),
    ("a03", "text", 7, 0, 3, "丁荣军", "quote"),
    ("a03", "text", 8, 0, 2, "李冶", "quote"),
    ("a03", "text", 9, 3, 6, "曹慧泉", "lexicon"),
    ("a04", "kicker", 0, 0, 3, "胡长春", "lexicon"),
    ("a04", "text", 1, 56, 59, "胡长春", "title"),
    ("a04", "text", 2, 9, 12, "龙稳钨", "title"),
    ("a04", "text", 2, 28, 31, "李艺波", "title"),
    ("a04", "text", 5, 0, 3, "胡长春", "quote"),
    ("a06", "kicker", 0, 0, 3, "陈恢清", "lexicon"),
    ("a06", "text", 1, 2, 5, "陈恢清", "title"),
    ("a06", "text", 1, 21, 24, "习近平", "title"),
    ("a07", "text", 10, 9, 11, "李萌", "title"),
    ("a08", "text", 6, 6, 8, "潘庆", "title"),
]


@pytest.fixture(scope="module")
def sample_people(sample_articles):
    return people(sample_articles)


@pytest.fixture(scope="module")
def fixture_articles():
    assert FIXTURE.is_file(), f"fixture page missing: {FIXTURE}"
    return zz.read_issue(FIXTURE).articles


def _short(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(article_id=frame["article_id"].str[-3:])


@pytest.mark.parametrize("article, name, title, organization, former", SAMPLE_TITLED)
def test_sample_titled_people(sample_people, article, name, title, organization, former):
    rows = _short(sample_people).query("article_id == @article and name == @name and evidence == 'title'")
    assert len(rows) == 1
    row = rows.iloc[0]
    assert (row["title"], row["organization"], bool(row["former"])) == (title, organization, former)


def test_sample_every_mention_and_nothing_else(sample_people):
    got = _short(sample_people)[["article_id", "field", "para_no", "start", "end", "name", "evidence"]]
    assert [tuple(r) for r in got.itertuples(index=False)] == SAMPLE_MENTIONS


@pytest.mark.parametrize(
    "article, field, name, title",
    [
        # Bare mentions carry the title the article gives the same person.
        ("a03", "text", "曹慧泉", "市委书记"),
        ("a04", "kicker", "胡长春", "市委副书记、市委政法委书记"),
        ("a06", "kicker", "陈恢清", "市长"),
        ("a03", "text", "李冶", "国家能源局原监管总监"),
    ],
)
def test_sample_bare_mentions_linked(sample_people, article, field, name, title):
    rows = _short(sample_people).query("article_id == @article and field == @field and name == @name")
    assert set(rows["title"]) == {title}


def test_sample_reporters_and_tagger_noise_are_not_people(sample_people, sample_articles):
    reporters = set(sample_articles["reporters"].explode().dropna()) | set(
        sample_articles["correspondents"].explode().dropna()
    )
    assert len(reporters) == 15
    assert not reporters & set(sample_people["name"])
    # jieba tags these as person names on the sample page.
    assert not {"公正", "惠民", "文明", "智能化", "荣获"} & set(sample_people["name"])


def test_offsets_point_at_the_name_and_sentence_holds_it(sample_people, sample_articles, assert_spans_in_text):
    assert_spans_in_text(sample_people, sample_articles, "name")


def test_metadata_rides_along_and_input_is_untouched(sample_articles):
    before = sample_articles.copy()
    out = people(sample_articles)
    pd.testing.assert_frame_equal(sample_articles, before)
    assert list(out.columns[:13]) == [
        "article_id", "para_no", "field", "start", "end", "name", "title", "organization", "former",
        "title_kind", "level", "evidence", "sentence",
    ]
    assert {"date", "page", "headline", "reporters"} <= set(out.columns)
    assert "text" not in out.columns
    assert out.loc[out["name"] == "李萌", "headline"].tolist() == ["株洲“牵手”康宁 共同擘画更美蓝图"]


# The fixture page (written for these tests, in the paper's forms): an inside page with a kicker,
# chained titles, a compound surname, a former post, a foreign name, quotes and traps.
FIXTURE_MENTIONS = [
    ("a01", "kicker", 0, 4, 7, "罗建新", "区委书记", "区委", False, "title"),
    ("a01", "text", 1, 19, 22, "罗建新", "区委书记", "区委", False, "title"),
    ("a01", "text", 1, 36, 39, "唐慧敏", "区委副书记、区长", "区委", False, "title"),
    ("a01", "text", 2, 12, 15, "钟立华", "市发展改革委副主任", "市发展改革委", False, "title"),
    ("a01", "text", 2, 44, 48, "欧阳立新", "原株洲市经济和信息化委员会主任", "株洲市经济和信息化委员会", True, "title"),
    ("a01", "text", 3, 0, 3, "罗建新", "区委书记", "区委", False, "quote"),
    ("a01", "text", 3, 33, 36, "唐慧敏", "区委副书记、区长", "区委", False, "quote"),
    ("a02", "text", 1, 28, 34, "马库斯·韦伯", "德国博世集团中国区总裁", "德国博世集团", False, "title"),
    ("a02", "text", 1, 47, 50, "邓晓峰", "中南大学教授、博士生导师", "中南大学", False, "title"),
    ("a02", "text", 1, 59, 62, "易振华", "市委常委、副市长", "市委", False, "title"),
    ("a02", "text", 2, 0, 6, "马库斯·韦伯", "德国博世集团中国区总裁", "德国博世集团", False, "repeat"),
    ("a02", "text", 2, 28, 31, "邓晓峰", "中南大学教授、博士生导师", "中南大学", False, "quote"),
    ("a02", "text", 3, 30, 33, "黄志明", None, None, False, "quote"),
    ("a02", "text", 4, 0, 3, "易振华", "市委常委、副市长", "市委", False, "quote"),
]


def test_fixture_page_exact(fixture_articles):
    got = _short(people(fixture_articles))[
        ["article_id", "field", "para_no", "start", "end", "name", "title", "organization", "former", "evidence"]
    ]
    rows = [tuple(None if pd.isna(v) else v for v in r) for r in got.itertuples(index=False)]
    assert rows == FIXTURE_MENTIONS


@pytest.mark.parametrize(
    "text, expected",
    [
        ("市委书记曹慧泉现场观展。", [("曹慧泉", "市委书记", "市委", False, "title")]),
        ("国家能源局原监管总监李冶出席。", [("李冶", "国家能源局原监管总监", "国家能源局", True, "title")]),
        ("原中国南车集团董事长赵小刚、省工信厅副厅长彭涛参加活动。", [
            ("赵小刚", "原中国南车集团董事长", "中国南车集团", True, "title"),
            ("彭涛", "省工信厅副厅长", "省工信厅", False, "title"),
        ]),
        ("美国苹果公司首席执行官约翰·史密斯表示，合作顺利。", [
            ("约翰·史密斯", "美国苹果公司首席执行官", "美国苹果公司", False, "title"),
        ]),
        ("“效果很好。”司马文涛说。", [("司马文涛", None, None, False, "quote")]),
        ("刘晓华介绍，今年新增订单三成。刘晓华还说，明年会更好。", [
            ("刘晓华", None, None, False, "quote"),
            ("刘晓华", None, None, False, "repeat"),
        ]),
        ("习近平总书记到湖南考察。", [("习近平", "总书记", None, False, "title")]),
        ("会上，曹慧泉在展区观展。", [("曹慧泉", "市委书记", "株洲市委", False, "lexicon")]),
        # A name followed by a word the rules do not know counts when it stands alone elsewhere.
        ("市委书记周建国专程到企业调研。周建国说，要抓好落实。", [
            ("周建国", "市委书记", "市委", False, "title"),
            ("周建国", "市委书记", "市委", False, "quote"),
        ]),
        ("村党委书记何立平交代完工作便往镇里赶。何立平在会上发言。", [
            ("何立平", "村党委书记", None, False, "title"),
            ("何立平", "村党委书记", None, False, "repeat"),
        ]),
        ("局长张三看望慰问了职工。", []),
        # Place names after a title word: 湖南省长沙市 is not 省长 + 沙市.
        ("湖南省长沙市天心区举行活动。长沙市的代表出席。", []),
        ("研究所长沙分所成立，沙分所表示支持。", []),
        ("湖南省长毛伟明出席。", [("毛伟明", "湖南省长", None, False, "title")]),
        ("市长江涛出席。", [("江涛", "市长", None, False, "title")]),
        ("厂长并与中国工程院院士、该所所长孟庆华座谈。孟庆华表示，很受启发。", [
            ("孟庆华", "中国工程院院士、该所所长", "中国工程院、该所", False, "title"),
            ("孟庆华", "中国工程院院士、该所所长", "中国工程院、该所", False, "quote"),
        ]),
        # Not people: a surname with a title, pronouns, event names with ·, jieba's nr noise.
        ("王经理说，进度很快。", []),
        ("大家表示，很受鼓舞。向记者介绍情况的是一位工作人员。", []),
        ("“村电共治·便民服务”工程，“智汇潇湘·才聚株洲”招聘会。", []),
        ("公正公开，惠民演出，荣获二等奖。", []),
        # Role nouns and adverbs that start with a surname character are not speakers.
        ("车主说，充电很方便。游客表示，景色很美。党员表示，要带头。曾经说过的话要算数。", []),
        ("于是他表示同意。师傅说，这台车修好了。", []),
        ("书记强调，要抓落实。", []),
    ],
)
def test_strings(text, expected):
    out = people(text)
    got = [tuple(None if pd.isna(v) else v for v in r) for r in
           out[["name", "title", "organization", "former", "evidence"]].itertuples(index=False)]
    assert got == expected
    assert out["article_id"].isna().all()


def test_lexicon_title_depends_on_the_year():
    frame = pd.DataFrame({"article_id": ["x"], "date": [pd.Timestamp("2022-05-01")], "text": ["张庆伟强调，要抓落实。"]})
    out = people(frame)
    assert out[["name", "title", "evidence"]].values.tolist() == [["张庆伟", "省委书记", "quote"]]


def test_byline_names_are_excluded():
    frame = pd.DataFrame({"article_id": ["x"], "reporters": [["李明"]], "text": ["李明表示，记者在现场。王海表示，很好。"]})
    assert people(frame)["name"].tolist() == ["王海"]


def test_paragraphs_and_corpus_inputs(sample_paragraphs, sample_people):
    from_paragraphs = people(sample_paragraphs)
    body = sample_people[sample_people["field"] == "text"]
    # The kickers are not in the paragraphs table; everything else is found the same way.
    cols = ["article_id", "para_no", "start", "end", "name", "title"]
    pd.testing.assert_frame_equal(from_paragraphs[cols], body[cols].reset_index(drop=True))
    corpus = zz.read_corpus(FIXTURE)
    assert people(corpus)["name"].tolist()[:3] == ["罗建新", "罗建新", "唐慧敏"]


def test_stories_link_repeats_across_fragments():
    stories = pd.DataFrame({
        "story_id": ["s1", "s1"],
        "article_id": ["s1-p1", "s1-p2"],
        "text": ["区长周立平主持会议。", "周立平要求，抓好落实。"],
    })
    out = people(stories)
    assert out[["article_id", "name", "title", "evidence"]].values.tolist() == [
        ["s1-p1", "周立平", "区长", "title"], ["s1-p2", "周立平", "区长", "repeat"],
    ]


@pytest.mark.parametrize(
    "data, error, message",
    [
        (42, TypeError, "got int"),
        (pd.DataFrame({"article_id": ["x"], "headline": ["x"]}), zz.ColumnError, r"people\(\) needs column\(s\) \['text'\]"),
    ],
)
def test_bad_input(data, error, message):
    with pytest.raises(error, match=message):
        people(data)


def test_unknown_evidence():
    with pytest.raises(ValueError, match="unknown evidence"):
        people("市长陈恢清", evidence=("title", "gossip"))


def test_get_officials_is_documented_data():
    officials = zz.get_officials()
    assert list(officials.columns) == ["name", "title", "organization", "level", "first_seen", "last_seen", "source"]
    assert officials.loc[officials["name"] == "曹慧泉", "title"].tolist() == ["市委书记"]
    assert officials["source"].str.len().gt(0).all()


def test_stories_table_is_keyed_by_story_id():
    stories = pd.DataFrame({
        "story_id": ["zzrb-2024-03-12-p03-a01"],
        "headline": ["把企业满意度作为第一标准"],
        "text": ["区委书记罗建新出席。\n▶上接01版\n罗建新强调，要抓落实。"],
    })
    out = people(stories)
    assert out[["story_id", "para_no", "name", "title", "evidence"]].values.tolist() == [
        ["zzrb-2024-03-12-p03-a01", 1, "罗建新", "区委书记", "title"],
        ["zzrb-2024-03-12-p03-a01", 3, "罗建新", "区委书记", "quote"],
    ]
    assert "article_id" not in out.columns


@pytest.mark.parametrize(
    "name, mentions, articles, headline, lead, titles, kind, level, quoted",
    [
        ("胡长春", 3, 1, 1, 1, ["市委副书记、市委政法委书记"], "party", "municipal", 1),
        ("陈恢清", 2, 1, 1, 1, ["市长"], "government", "municipal", 0),
        ("习近平", 2, 2, 0, 1, ["总书记"], "party", "national", 0),
        ("丁荣军", 2, 1, 0, 0, ["中国工程院院士、功率半导体行业联盟理事长"], "academic", None, 1),
        ("李冶", 2, 1, 0, 0, ["国家能源局原监管总监"], "government", "national", 1),
        ("彭涛", 1, 1, 0, 0, ["省工信厅副厅长"], "government", "provincial", 0),
        ("李萌", 1, 1, 0, 0, ["康宁大中国区副总裁"], "enterprise", None, 0),
    ],
)
def test_people_summary_sample(sample_people, name, mentions, articles, headline, lead, titles, kind, level, quoted):
    summary = zz.people_summary(sample_people)
    assert len(summary) == 16
    row = summary.set_index("name").loc[name]
    assert (row["mentions"], row["articles"], row["headline_mentions"], row["lead_mentions"]) == (
        mentions, articles, headline, lead)
    assert (row["titles"], row["title_kind"], row["level"], row["quoted"]) == (titles, kind, level, quoted)
    assert row["pages"] == [1]
    assert row["first_date"] == row["last_date"] == pd.Timestamp("2023-04-27")


def test_people_summary_order_and_dates_over_two_pages(sample_articles, fixture_articles):
    both = pd.concat([sample_articles, fixture_articles], ignore_index=True)
    summary = zz.people_summary(people(both))
    # Most mentions first, ties by name (in code point order).
    assert summary[["name", "mentions"]].head(4).values.tolist() == [
        ["罗建新", 3], ["胡长春", 3], ["丁荣军", 2], ["习近平", 2],
    ]
    row = summary.set_index("name").loc["罗建新"]
    assert (row["pages"], row["first_date"]) == ([3], pd.Timestamp("2024-03-12"))


@pytest.mark.parametrize(
    "unit, expected",
    [
        ("sentence", [("李萌", "康宁公司", "company", 1)]),
        ("paragraph", [("李萌", "康宁公司", "company", 1)]),
        ("article", [("李萌", "康宁公司", "company", 1), ("李萌", "株洲铜塘湾保税物流中心", "institution", 1),
                     ("李萌", "湖南省商务厅", "government", 1), ("李萌", "蓝思科技股份有限公司", "company", 1)]),
    ],
)
def test_person_organizations_units(sample_articles, unit, expected):
    arts = sample_articles[sample_articles["article_id"].str.endswith("a07")]
    got = zz.person_organizations(people(arts), zz.organizations(arts), unit=unit)
    assert [tuple(r) for r in got.itertuples(index=False)] == expected


def test_person_organizations_sample_counts(sample_people, sample_articles):
    got = zz.person_organizations(sample_people, zz.organizations(sample_articles))
    top = got.head(3)[["name", "organization", "units"]].values.tolist()
    assert top == [["丁荣军", "功率半导体行业联盟", 2], ["胡长春", "中共株洲市委", 2], ["陈恢清", "株洲市人民政府", 2]]
    assert len(got) == 35


def test_summaries_name_missing_columns():
    with pytest.raises(zz.ColumnError, match=r"people_summary\(\) needs column\(s\) \['field'"):
        zz.people_summary(pd.DataFrame({"article_id": ["a"], "name": ["x"], "para_no": [1], "title": [None], "evidence": ["quote"]}))
    with pytest.raises(ValueError, match="unit must be one of"):
        zz.person_organizations(people("市长陈恢清说。"), zz.organizations("市政府。"), unit="page")


def test_title_chain_is_bounded():
    # Eight titles joined by 、 before one name: the phrase keeps the last six (max_titles).
    text = "、".join(f"第{d}组组长" for d in "一二三四五六七八") + "王明说，好。"
    out = people(text)
    assert out["title"].tolist() == ["第三组组长、第四组组长、第五组组长、第六组组长、第七组组长、第八组组长"]


@pytest.mark.parametrize(
    "rows, message",
    [
        ([["书记", "party"], ["市长", "mayor"]], r"titles.csv:3: kind 'mayor' of 市长 is not one of"),
        ([["书记", "party"], ["书记", "party"]], r"titles.csv:3: 书记 is listed twice"),
        ([[" ", "party"]], r"titles.csv:2: empty title"),
    ],
)
def test_bad_titles_file_names_line(rows, message):
    from zzanalysis.people import _check_titles

    with pytest.raises(ValueError, match=message):
        _check_titles(pd.DataFrame(rows, columns=["title", "kind"]), "titles.csv")


@pytest.mark.parametrize(
    "row, message",
    [
        (["曹慧泉", "市委书记", "株洲市委", "city", "2023", "2023", "page"], r"officials.csv:2: level 'city'"),
        (["曹慧泉", "市委书记", "株洲市委", "municipal", "2023年", "2023", "page"], r"officials.csv:2: first_seen and last_seen must be years"),
        (["曹慧泉", "市委书记", "株洲市委", "municipal", "2024", "2023", "page"], r"officials.csv:2: first_seen 2024 is after last_seen 2023"),
        (["曹慧泉", "市委书记", "株洲市委", "municipal", "2023", "2023", ""], r"officials.csv:2: empty source"),
    ],
)
def test_bad_officials_file_names_line(row, message):
    from zzanalysis.people import _check_officials

    columns = ["name", "title", "organization", "level", "first_seen", "last_seen", "source"]
    with pytest.raises(ValueError, match=message):
        _check_officials(pd.DataFrame([row], columns=columns), "officials.csv")
