"""Organisations: the sample page's companies and bodies with normalised names, aliases, patterns."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import zzanalysis as zz
from zzanalysis.organizations import organizations

FIXTURE = Path(__file__).parent / "data" / "zzrb-2024-03-12-p03.md"

# Every organisation named on the 2023-04-27 front page, normalised, with its kind and the number
# of times it is printed (in any form), counted by hand.
SAMPLE_ORGS = [
    ("中共株洲市委", "government", 3),
    ("中共株洲市委宣传部", "government", 1),
    ("株洲市文化旅游广电体育局", "government", 1),
    ("株洲市文化馆", "institution", 1),
    ("中车株洲电机有限公司", "company", 2),
    ("株洲时代新材料科技股份有限公司", "company", 1),
    ("株洲硬质合金集团有限公司", "company", 1),
    ("功率半导体行业联盟", "institution", 5),
    ("中国工程院", "institution", 1),
    ("中国南车集团", "company", 1),
    ("国家能源局", "government", 1),
    ("湖南省工业和信息化厅", "government", 2),
    ("株洲市人民政府", "government", 6),
    ("中共株洲市委政法委员会", "government", 1),
    ("湖南省乡村振兴局", "government", 1),
    ("国网湖南省电力有限公司", "company", 1),
    ("人民日报社", "media", 1),
    ("株洲博物馆", "institution", 1),
    ("康宁公司", "company", 12),
    ("株洲铜塘湾保税物流中心", "institution", 6),
    ("蓝思科技股份有限公司", "company", 4),
    ("湖南省商务厅", "government", 2),
    ("人力资源和社会保障部", "government", 2),
    ("株洲肯特硬质合金股份有限公司", "company", 1),
    ("贵州大学", "institution", 3),
    ("湖南省人民政府", "government", 1),
    ("株洲市人力资源和社会保障局", "government", 2),
    ("中共株洲市委人才工作领导小组办公室", "government", 1),
    ("北京证券交易所有限责任公司", "institution", 7),
    ("全国中小企业股份转让系统有限责任公司", "institution", 2),
]


@pytest.fixture(scope="module")
def sample_orgs(sample_articles):
    return organizations(sample_articles)


def test_sample_organisations_exact(sample_orgs):
    got = sample_orgs.groupby(["name", "kind"]).size()
    assert {(n, k): c for (n, k), c in got.items()} == {(n, k): c for n, k, c in SAMPLE_ORGS}


# count: how often the article prints the form, found by searching its text; 中车株洲电机 twice,
# once inside 中车株洲电机公司, where the longer alias wins.
@pytest.mark.parametrize(
    "article, text, name, count",
    [
        ("a02", "中车株洲电机公司", "中车株洲电机有限公司", 1),
        ("a02", "中车株洲电机", "中车株洲电机有限公司", 1),
        ("a07", "株洲B保中心", "株洲铜塘湾保税物流中心", 5),
        ("a07", "康宁深圳公司", "康宁公司", 1),
        ("a08", "人社部", "人力资源和社会保障部", 1),
        ("a08", "人力资源社会保障部", "人力资源和社会保障部", 1),
        ("a09", "北交所", "北京证券交易所有限责任公司", 6),
        ("a03", "省工信厅", "湖南省工业和信息化厅", 2),
        ("a03", "中国功率半导体行业联盟", "功率半导体行业联盟", 1),
    ],
)
def test_sample_short_forms_normalised(sample_orgs, article, text, name, count):
    rows = sample_orgs[sample_orgs["article_id"].str.endswith(article) & (sample_orgs["text"] == text)]
    assert rows["name"].tolist() == [name] * count


def test_offsets_point_at_the_text(sample_orgs, sample_articles, assert_spans_in_text):
    assert_spans_in_text(sample_orgs, sample_articles, "text")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("中车株洲所与中车株洲电力机车研究所签约。", [
            ("中车株洲所", "中车株洲电力机车研究所有限公司", "company"),
            ("中车株洲电力机车研究所", "中车株洲电力机车研究所有限公司", "company"),
        ]),
        # Longest alias wins: 市委宣传部 is one hit, not also 市委.
        ("市委宣传部主办。", [("市委宣传部", "中共株洲市委宣传部", "government")]),
        # Registered names the alias file does not know are kept as printed.
        ("市政府与湖南星河动力科技有限公司签约。", [
            ("市政府", "株洲市人民政府", "government"),
            ("湖南星河动力科技有限公司", "湖南星河动力科技有限公司", "company"),
        ]),
        ("原株洲市经济和信息化委员会主任作辅导。", [
            ("株洲市经济和信息化委员会", "株洲市经济和信息化委员会", "government"),
        ]),
        ("他毕业于湖南工业大学。", [("湖南工业大学", "湖南工业大学", "institution")]),
        # 市委 is this paper's city, unless another place comes right before it.
        ("长沙市委、湘潭市政府和市委、湖南省工信厅参加。", [
            ("市委", "中共株洲市委", "government"),
            ("省工信厅", "湖南省工业和信息化厅", "government"),
        ]),
        ("株洲所取得的成就。", []),
        # References, not names.
        ("该公司与相关学院合作，多家有限公司参与。", []),
        ("", []),
    ],
)
def test_strings(text, expected):
    out = organizations(text)
    assert [tuple(r) for r in out[["text", "name", "kind"]].itertuples(index=False)] == expected


def test_fixture_page_exact():
    out = organizations(zz.read_issue(FIXTURE).articles)
    got = out.assign(article_id=out["article_id"].str[-3:])[["article_id", "para_no", "start", "end", "text", "name", "kind"]]
    assert got.values.tolist() == [
        ["a01", 2, 3, 9, "市发展改革委", "株洲市发展和改革委员会", "government"],
        ["a01", 2, 30, 42, "株洲市经济和信息化委员会", "株洲市经济和信息化委员会", "government"],
        ["a02", 1, 17, 23, "德国博世集团", "德国博世集团", "company"],
        ["a02", 1, 35, 39, "中南大学", "中南大学", "institution"],
        ["a02", 1, 51, 53, "市委", "中共株洲市委", "government"],
        ["a02", 3, 13, 25, "株洲齐力氢能科技有限公司", "株洲齐力氢能科技有限公司", "company"],
    ]


def test_metadata_and_no_mutation(sample_articles):
    before = sample_articles.copy()
    out = organizations(sample_articles)
    pd.testing.assert_frame_equal(sample_articles, before)
    assert list(out.columns[:9]) == ["article_id", "para_no", "field", "start", "end", "text", "name", "kind", "sentence"]
    assert {"date", "page", "headline"} <= set(out.columns)


def test_paragraphs_and_corpus(sample_paragraphs, sample_orgs):
    body = sample_orgs[sample_orgs["field"] == "text"].reset_index(drop=True)
    cols = ["article_id", "para_no", "start", "end", "name"]
    pd.testing.assert_frame_equal(organizations(sample_paragraphs)[cols], body[cols])
    assert organizations(zz.read_corpus(FIXTURE))["name"].iloc[0] == "株洲市发展和改革委员会"


@pytest.mark.parametrize(
    "data, error, message",
    [(None, TypeError, "got NoneType"), (pd.DataFrame({"x": [1]}), zz.ColumnError, r"organizations\(\) needs column\(s\) \['article_id', 'text'\]")],
)
def test_bad_input(data, error, message):
    with pytest.raises(error, match=message):
        organizations(data)


def test_alias_table():
    aliases = zz.get_aliases()
    assert list(aliases.columns) == ["name", "alias", "kind"]
    assert not aliases["alias"].duplicated().any()
    # Every normalised name is also listed as its own alias or is reached from a short form.
    assert aliases.loc[aliases["alias"] == "中车株洲所", "name"].item() == "中车株洲电力机车研究所有限公司"
    assert set(aliases["kind"]) == {"company", "government", "institution", "media"}


@pytest.mark.parametrize(
    "rows, message",
    [
        ([["康宁公司", "康宁", "company"], ["康宁集团", "康宁", "company"]], r"aliases.csv:3: alias 康宁 is listed for 康宁公司 and 康宁集团"),
        ([["康宁公司", "康宁", "firm"]], r"aliases.csv:2: kind 'firm' is not one of"),
        ([["康宁公司", "", "company"]], r"aliases.csv:2: empty name or alias"),
    ],
)
def test_bad_alias_file_names_line(rows, message):
    from zzanalysis.organizations import _check_aliases

    with pytest.raises(ValueError, match=message):
        _check_aliases(pd.DataFrame(rows, columns=["name", "alias", "kind"]), "aliases.csv")
