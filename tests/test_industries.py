"""Industry mentions: the taxonomy, the matcher, the summaries, and every hit on the sample page."""
from __future__ import annotations

import pandas as pd
import pytest

import zzanalysis as zz

# A tiny taxonomy whose numbers can be worked out by hand.
TOY_TAXONOMY = {
    "rail": {
        "label_zh": "轨道",
        "terms": ["轨道交通", "轨道交通装备", "牵引电机"],
        "organisations": ["中车株洲电机"],
    },
    "wind": {"label_zh": "风电", "terms": ["风电", "风电叶片"]},
    "finance": {"label_zh": "金融", "terms": ["银行", "贷款", "金融"]},
}


@pytest.fixture
def toy_articles() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": ["A", "B", "C"],
            "date": pd.to_datetime(["2023-04-27", "2023-04-27", "2023-04-28"]),
            "page": [1, 2, 2],
            "headline": ["轨道交通装备出海", "金融活水", "天气"],
            "text": [
                "中车株洲电机造牵引电机。\n风电叶片与轨道交通。",
                "银行贷款支持风电。",
                "今日晴。",
            ],
        }
    )


@pytest.fixture
def toy_mentions(toy_articles) -> pd.DataFrame:
    return zz.industry_mentions(toy_articles, TOY_TAXONOMY)


def _hits(text, taxonomy=None):
    m = zz.industry_mentions(text, taxonomy)
    return list(zip(m["term"], m["start"], m["end"], m["label"]))


# --------------------------------------------------------------------------- the matcher


@pytest.mark.parametrize(
    "text, expected",
    [
        # longest match wins, no double counting
        ("轨道交通装备出口", [("轨道交通装备", 0, 6, "rail_transit"), ("出口", 6, 8, "logistics_trade")]),
        ("第一条轨道交通客户", [("轨道交通", 3, 7, "rail_transit")]),
        ("株洲时代新材料科技股份有限公司",
         [("株洲时代新材料科技股份有限公司", 0, 15, "new_materials")]),
        ("中车株洲电力机车", [("中车株洲电力机车", 0, 8, "rail_transit")]),
        ("电力电子器件", [("电力电子器件", 0, 6, "power_semiconductors")]),
        # exclusions: the span of a winning exclusion yields nothing
        ("北斗大厦里有卫星制造企业", [("卫星制造", 6, 10, "satellite_beidou")]),
        ("北斗导航", [("北斗", 0, 2, "satellite_beidou")]),
        ("统筹国内外资源", []),
        ("引进外资", [("外资", 2, 4, "logistics_trade")]),
        ("全国网上办事", []),
        ("线上市场", []),
        ("高速出口拥堵", []),
        ("新品上市", []),
        ("北交所上市", [("北交所", 0, 3, "finance_capital"), ("上市", 3, 5, "finance_capital")]),
        ("建设卫星城", []),
        # deliberate non-terms
        ("龙稳钨出席", []),
        ("城轨电机维修", [("城轨", 0, 2, "rail_transit")]),
        ("培育制造名城", []),
        ("开通航线", []),
        ("集中车辆", []),
        ("发展通航产业", [("通航产业", 2, 6, "aviation")]),
        # a compound that straddles two industries counts for both
        ("乡村电网", [("乡村", 0, 2, "agriculture_rural"), ("电网", 2, 4, "power_grid")]),
        # the longer agricultural phrase beats 芯片
        ("种业芯片", [("种业芯片", 0, 4, "agriculture_rural")]),
        # Latin terms only as whole words
        ("IGBT芯片",
         [("IGBT", 0, 4, "power_semiconductors"), ("芯片", 4, 6, "power_semiconductors")]),
        ("5G基站", [("5G", 0, 2, "digital_economy")]),
        ("15G流量", []),
        ("", []),
    ],
)
def test_hits_in_text(text, expected):
    assert _hits(text) == expected


def test_plain_string_rows():
    m = zz.industry_mentions("风电与轨道交通。\n银行贷款。")
    columns = ["article_id", "para_no", "field", "start", "end", "term", "category", "label", "label_zh"]
    assert m[columns].values.tolist() == [
        [None, 1, "text", 0, 2, "风电", "industry", "wind_power", "风电"],
        [None, 1, "text", 3, 7, "轨道交通", "industry", "rail_transit", "轨道交通"],
        [None, 2, "text", 0, 2, "银行", "industry", "finance_capital", "金融与资本市场"],
        [None, 2, "text", 2, 4, "贷款", "industry", "finance_capital", "金融与资本市场"],
    ]
    assert m["sentence"].tolist() == ["风电与轨道交通。", "风电与轨道交通。", "银行贷款。", "银行贷款。"]


def test_articles_fields_and_positions(toy_articles, toy_mentions):
    m = toy_mentions
    assert m[["article_id", "para_no", "field", "start", "end", "term", "label"]].values.tolist() == [
        ["A", 0, "headline", 0, 6, "轨道交通装备", "rail"],
        ["A", 1, "text", 0, 6, "中车株洲电机", "rail"],
        ["A", 1, "text", 7, 11, "牵引电机", "rail"],
        ["A", 2, "text", 0, 4, "风电叶片", "wind"],
        ["A", 2, "text", 5, 9, "轨道交通", "rail"],
        ["B", 0, "headline", 0, 2, "金融", "finance"],
        ["B", 1, "text", 0, 2, "银行", "finance"],
        ["B", 1, "text", 2, 4, "贷款", "finance"],
        ["B", 1, "text", 6, 8, "风电", "wind"],
    ]
    # metadata rides along; the article text does not
    assert list(m.columns) == [
        "article_id", "para_no", "field", "start", "end", "term", "category", "label", "label_zh",
        "sentence", "date", "page", "headline",
    ]
    assert m["page"].tolist() == [1, 1, 1, 1, 1, 2, 2, 2, 2]
    assert m["sentence"].iloc[3] == "风电叶片与轨道交通。"


def test_paragraphs_frame(toy_articles):
    paras = pd.DataFrame(
        {"article_id": ["A", "A"], "para_no": [1, 2], "role": ["body", "caption"],
         "text": toy_articles.loc[0, "text"].split("\n")}
    )
    m = zz.industry_mentions(paras, TOY_TAXONOMY)
    assert m[["para_no", "field", "start", "term", "role"]].values.tolist() == [
        [1, "text", 0, "中车株洲电机", "body"],
        [1, "text", 7, "牵引电机", "body"],
        [2, "text", 0, "风电叶片", "caption"],
        [2, "text", 5, "轨道交通", "caption"],
    ]
    with pytest.raises(ValueError, match="only the 'text' field"):
        zz.industry_mentions(paras, TOY_TAXONOMY, fields=["headline", "text"])


def test_fields_option(toy_articles):
    m = zz.industry_mentions(toy_articles, TOY_TAXONOMY, fields=["headline"])
    assert m["term"].tolist() == ["轨道交通装备", "金融"]


def test_input_not_mutated(toy_articles):
    before = toy_articles.copy()
    zz.industry_mentions(toy_articles)
    pd.testing.assert_frame_equal(toy_articles, before)


def test_no_hits_keeps_columns():
    arts = pd.DataFrame({"article_id": ["x"], "page": [1], "text": ["今日晴。"]})
    m = zz.industry_mentions(arts)
    assert len(m) == 0
    assert zz.industry_summary(m, arts, by="page").empty
    assert zz.co_mentions(m).columns.tolist() == ["label_1", "label_2", "label_zh_1", "label_zh_2", "units"]
    assert zz.co_mentions(m).empty
    assert list(m.columns[:10]) == [
        "article_id", "para_no", "field", "start", "end", "term", "category", "label", "label_zh", "sentence"
    ]


@pytest.mark.parametrize(
    "source, message",
    [
        (pd.DataFrame({"article_id": ["x"]}), r"industry_mentions\(\) needs column\(s\) \['text'\]"),
        (pd.DataFrame({"text": ["x"]}), r"industry_mentions\(\) needs column\(s\) \['article_id'\]"),
        (42, "got int"),
    ],
)
def test_bad_source(source, message):
    with pytest.raises((ValueError, TypeError), match=message):
        zz.industry_mentions(source)


# --------------------------------------------------------------------------- generic matcher


def test_term_mentions_companies(toy_articles):
    m = zz.term_mentions(toy_articles, {"中车株洲电机": "CRRC Zhuzhou Electric", "银行": "bank"}, category="company")
    assert m[["article_id", "term", "category", "label"]].values.tolist() == [
        ["A", "中车株洲电机", "company", "CRRC Zhuzhou Electric"],
        ["B", "银行", "company", "bank"],
    ]


def test_term_mentions_table_with_exclusion_and_extra_columns():
    places = pd.DataFrame(
        {"term": ["株洲", "株洲所", "醴陵"], "label": ["Zhuzhou", "", "Liling"],
         "kind": ["term", "exclude", "term"], "county": [False, False, True]}
    )
    m = zz.term_mentions("株洲所有企业在醴陵。", places, category="place")
    # 株洲所 is blocked (an exclusion wins the longest match), so 株洲 there does not count
    assert m[["term", "start", "category", "label", "county"]].values.tolist() == [["醴陵", 7, "place", "Liling", True]]


def test_term_mentions_list_of_terms():
    m = zz.term_mentions("株洲、醴陵、株洲", ["株洲", "醴陵"])
    assert m[["term", "label", "category", "start"]].values.tolist() == [
        ["株洲", "株洲", "term", 0], ["醴陵", "醴陵", "term", 3], ["株洲", "株洲", "term", 6]
    ]


def test_term_mentions_rejects_duplicates():
    with pytest.raises(ValueError, match="more than once"):
        zz.term_mentions("株洲", pd.DataFrame({"term": ["株洲", "株洲"], "label": ["a", "b"]}))


# --------------------------------------------------------------------------- taxonomy

REQUIRED = {
    "rail_transit": "轨道交通", "aviation": "航空航天", "power_semiconductors": "功率半导体/电力电子",
    "cemented_carbide": "硬质合金", "new_materials": "新材料", "new_energy_vehicles": "新能源汽车",
    "satellite_beidou": "北斗卫星", "wind_power": "风电", "power_grid": "电力电网",
    "logistics_trade": "物流与外贸", "finance_capital": "金融与资本市场", "culture_tourism": "文化旅游",
    "real_estate": "房地产", "agriculture_rural": "农业与乡村振兴", "ceramics": "陶瓷",
    "digital_economy": "数字经济",
}


def test_shipped_taxonomy():
    tax = zz.get_taxonomy()
    assert list(tax.columns) == ["label", "label_zh", "term", "kind"]
    labels = tax.drop_duplicates("label").set_index("label")["label_zh"].to_dict()
    assert {k: labels[k] for k in REQUIRED} == REQUIRED
    assert set(tax["kind"]) == {"term", "organisation", "exclude"}
    owner = tax[tax["kind"] != "exclude"].set_index("term")["label"]
    assert owner["中车株洲电机"] == "rail_transit"
    assert owner["株洲硬质合金集团"] == "cemented_carbide"
    assert owner["时代新材"] == "new_materials"
    assert "北斗大厦" in set(tax.loc[tax["kind"] == "exclude", "term"])


def test_shipped_taxonomy_is_validated_once_but_never_shared():
    # The validated shipped table is kept per process; a caller changing its copy changes nothing.
    first = zz.get_taxonomy()
    first.loc[first["term"] == "风电", "label"] = "mine"
    first["term"] = "改了"
    again = zz.get_taxonomy()
    assert len(again) > 0 and again.loc[again["term"] == "风电", "label"].tolist() == ["wind_power"]
    assert zz.industry_mentions("风电")["label"].tolist() == ["wind_power"]


def test_custom_taxonomy_dict():
    assert _hits("氢能与燃料电池，轨道交通", {"hydrogen": ["氢能", "燃料电池"]}) == [
        ("氢能", 0, 2, "hydrogen"), ("燃料电池", 3, 7, "hydrogen")
    ]


def test_custom_taxonomy_path(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        '[industries.hydrogen]\nlabel_zh = "氢能"\nterms = ["氢能"]\nexclude = ["氢能源车"]\n', encoding="utf-8"
    )
    m = zz.industry_mentions("氢能产业与氢能源车", str(path))
    assert m[["term", "start", "label", "label_zh"]].values.tolist() == [["氢能", 0, "hydrogen", "氢能"]]
    assert zz.industry_mentions("氢能", path)["label"].tolist() == ["hydrogen"]


def test_extend_shipped_taxonomy():
    shipped = zz.get_taxonomy()
    tax = zz.get_taxonomy({"hydrogen": {"label_zh": "氢能", "terms": ["氢能"]},
                           "rail_transit": {"terms": ["轨交"]}}, extend=True)
    assert len(tax) == len(shipped) + 2
    assert _hits("轨交与氢能", tax) == [("轨交", 0, 2, "rail_transit"), ("氢能", 3, 5, "hydrogen")]
    # extending a key without label_zh keeps its Chinese label
    assert set(tax.loc[tax["label"] == "rail_transit", "label_zh"]) == {"轨道交通"}


@pytest.mark.parametrize(
    "taxonomy, message",
    [
        ({"a": ["风电"], "b": ["风电"]}, "one industry only"),
        ({"a": {"terms": ["风电"], "exclude": ["海上"]}}, "contains none of its terms"),
        ({"a": {"terms": ["风电"], "exclude": ["风电"]}}, "both as a term and as an exclusion"),
        ({"a": {"terms": ["风电"], "exclusions": ["风电场"]}}, "unknown field"),
        ({"a": {"label_zh": "甲", "exclude": []}}, "has no terms"),
        ({"a": ["风电", ""]}, "empty"),
    ],
)
def test_taxonomy_errors(taxonomy, message):
    with pytest.raises(ValueError, match=message):
        zz.get_taxonomy(taxonomy)


def test_taxonomy_bad_toml(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[industries.a\nterms = [", encoding="utf-8")
    with pytest.raises(ValueError, match="not valid TOML"):
        zz.get_taxonomy(path)


# --------------------------------------------------------------------------- summaries


def test_summary_by_hand(toy_mentions, toy_articles):
    s = zz.industry_summary(toy_mentions, toy_articles)
    # prominence: headline 3, lead 1.5, body 1, times 2 on page 1
    # rail (A, page 1): (3 + 1.5 + 1.5 + 1) * 2 = 14;  finance (B, page 2): 3 + 1.5 + 1.5 = 6
    # wind: A body 1 * 2 + B lead 1.5 = 3.5
    assert s.to_dict("list") == {
        "label": ["rail", "finance", "wind"],
        "label_zh": ["轨道", "金融", "风电"],
        "hits": [4, 3, 2],
        "articles": [1, 1, 2],
        "n_articles": [3, 3, 3],
        "share_articles": [1 / 3, 1 / 3, 2 / 3],
        "share_of_voice": [4 / 9, 3 / 9, 2 / 9],
        "prominence": [14.0, 6.0, 3.5],
    }


def test_summary_by_date(toy_mentions, toy_articles):
    s = zz.industry_summary(toy_mentions, toy_articles, by="date")
    # 2023-04-28 has one article and no hits: no rows, but it would count in its own denominator
    assert s[["date", "label", "hits", "articles", "n_articles", "share_articles"]].values.tolist() == [
        [pd.Timestamp("2023-04-27"), "rail", 4, 1, 2, 0.5],
        [pd.Timestamp("2023-04-27"), "finance", 3, 1, 2, 0.5],
        [pd.Timestamp("2023-04-27"), "wind", 2, 2, 2, 1.0],
    ]


def test_summary_by_article_and_weights(toy_mentions, toy_articles):
    s = zz.industry_summary(toy_mentions, toy_articles, by=["article_id"],
                            weights={"front_page": 1.0, "headline": 10.0})
    assert s[["article_id", "label", "hits", "share_of_voice", "prominence"]].values.tolist() == [
        ["A", "rail", 4, 0.8, 10 + 1.5 + 1.5 + 1],
        ["A", "wind", 1, 0.2, 1.0],
        ["B", "finance", 3, 0.75, 10 + 1.5 + 1.5],
        ["B", "wind", 1, 0.25, 1.5],
    ]


def test_summary_errors(toy_mentions, toy_articles):
    with pytest.raises(ValueError, match="not in `articles`"):
        zz.industry_summary(toy_mentions, toy_articles.iloc[1:])
    with pytest.raises(ValueError, match="unknown weights"):
        zz.industry_summary(toy_mentions, toy_articles, weights={"title": 2})


def test_co_mentions_by_hand(toy_mentions):
    # A mentions rail and wind, B finance and wind: wind is in 2 articles, the others in 1.
    co = zz.co_mentions(toy_mentions)
    assert co.columns.tolist() == ["label_1", "label_2", "label_zh_1", "label_zh_2", "units"]
    assert co[["label_1", "label_2", "units"]].values.tolist() == [
        ["wind", "wind", 2], ["wind", "finance", 1], ["wind", "rail", 1],
        ["finance", "wind", 1], ["finance", "finance", 1], ["finance", "rail", 0],
        ["rail", "wind", 1], ["rail", "finance", 0], ["rail", "rail", 1],
    ]
    matrix = co.pivot(index="label_1", columns="label_2", values="units")  # the docstring's one-liner
    assert matrix.loc["rail", "wind"] == matrix.loc["wind", "rail"] == 1
    # per paragraph: wind and rail share A's paragraph 2; B's paragraph 1 holds wind and finance
    by_para = zz.co_mentions(toy_mentions[toy_mentions["field"] == "text"], by=["article_id", "para_no"])
    units = by_para.set_index(["label_1", "label_2"])["units"]
    assert (units["rail", "wind"], units["finance", "wind"], units["rail", "rail"]) == (1, 1, 2)


def test_co_mentions_missing_column(toy_mentions):
    with pytest.raises(zz.ColumnError, match=r"co_mentions\(\) needs column\(s\) \['date'\]"):
        zz.co_mentions(toy_mentions.drop(columns="date"), by="date")


# --------------------------------------------------------------------------- the sample page

SAMPLE_INDUSTRIES = {
    "“制造名城 周周好精彩”活动启动": {"culture_tourism"},
    "制造业名城展新颜": {"advanced_manufacturing", "aviation", "cemented_carbide", "new_materials",
                 "rail_transit", "satellite_beidou", "wind_power"},
    "半导体产业链“盟”聚株洲": {"power_semiconductors", "rail_transit", "power_grid", "new_energy_vehicles"},
    "推动“村网共建”工作创建新样板": {"power_grid", "agriculture_rural"},
    "研究防汛抗旱、“引客入株”促进消费等工作": {"real_estate", "finance_capital", "culture_tourism",
                              "consumption_commerce"},
    "株洲“牵手”康宁 共同擘画更美蓝图": {"logistics_trade", "new_materials"},
    "我市创建全国公共就业创业服务示范城市": {"cemented_carbide", "advanced_manufacturing"},
    "北交所株洲服务基地揭牌": {"finance_capital"},
}


@pytest.fixture(scope="module")
def sample_mentions(sample_articles):
    return zz.industry_mentions(sample_articles)


def test_sample_industries_per_article(sample_articles, sample_mentions):
    found = sample_mentions.groupby("article_id")["label"].agg(set).to_dict()
    by_headline = {h: found.get(a, set()) for a, h in zip(sample_articles["article_id"], sample_articles["headline"])}
    # every article with industries is the one expected; the rest (the 封二版 teaser…) have none
    assert {h: s for h, s in by_headline.items() if s} == SAMPLE_INDUSTRIES


def test_sample_positions_point_at_terms(sample_articles, sample_mentions):
    arts = sample_articles.set_index("article_id")
    for row in sample_mentions.itertuples():
        if row.field == "text":
            source = arts.loc[row.article_id, "text"].split("\n")[row.para_no - 1]
        else:
            assert row.para_no == 0
            source = arts.loc[row.article_id, row.field]
        assert source[row.start:row.end] == row.term
        assert row.term in row.sentence


def test_sample_paragraphs_agree_with_articles(sample_paragraphs, sample_mentions):
    keys = ["article_id", "para_no", "start", "end", "term", "label"]
    from_paras = zz.industry_mentions(sample_paragraphs)[keys]
    from_body = sample_mentions.loc[sample_mentions["field"] == "text", keys].reset_index(drop=True)
    pd.testing.assert_frame_equal(from_paras, from_body)


def test_sample_specific_hits(sample_articles, sample_mentions):
    manufacturing = sample_articles.loc[sample_articles["headline"] == "制造业名城展新颜", "article_id"].item()
    m = sample_mentions[sample_mentions["article_id"] == manufacturing]
    # 轨道交通装备 is one hit, never also 轨道交通 at the same place
    equip = m[m["term"] == "轨道交通装备"]
    assert len(equip) == 1
    overlap = m[(m["para_no"] == equip["para_no"].item()) & (m["start"] < equip["end"].item())
                & (m["end"] > equip["start"].item())]
    assert overlap["term"].tolist() == ["轨道交通装备"]
    # the building 北斗大厦 does not count; 卫星制造 next to it does
    assert "北斗" not in set(m["term"])
    assert (m["term"] == "卫星制造").sum() == 1
    # 国内外资源 in the 康宁 article is not foreign investment; 外资外贸项目 is
    corning = sample_articles.loc[sample_articles["headline"].str.contains("康宁"), "article_id"].item()
    c = sample_mentions[sample_mentions["article_id"] == corning]
    assert c.loc[c["term"] == "外资", "sentence"].str.contains("外资外贸项目").tolist() == [True]
    # the person 龙稳钨 is not tungsten
    assert not sample_mentions["term"].str.contains("钨").any()
    # the headline counts, with para_no 0
    assert sample_mentions.query("field == 'headline'")[["term", "label"]].values.tolist() == [
        ["制造业", "advanced_manufacturing"],
        ["半导体", "power_semiconductors"],
        ["村网共建", "power_grid"],
        ["引客入株", "culture_tourism"],
        ["促进消费", "consumption_commerce"],
        ["北交所", "finance_capital"],
    ]


def test_sample_summary(sample_articles, sample_mentions):
    s = zz.industry_summary(sample_mentions, sample_articles).set_index("label")
    # every one of these 145 hits was read in its sentence and judged right
    assert s["hits"].to_dict() == {
        "finance_capital": 24, "power_semiconductors": 22, "logistics_trade": 18, "culture_tourism": 15,
        "advanced_manufacturing": 14, "power_grid": 12, "rail_transit": 12, "consumption_commerce": 7,
        "agriculture_rural": 5, "real_estate": 4, "cemented_carbide": 3, "aviation": 3, "new_materials": 2,
        "wind_power": 2, "new_energy_vehicles": 1, "satellite_beidou": 1,
    }
    # finance: 北交所 article (headline 3, 4 lead hits 1.5, 16 later hits 1) and 3 body hits in the
    # 市政府常务会议 article, all on page 1 (×2): (3 + 6 + 16 + 3) × 2
    assert s.loc["finance_capital", "prominence"] == 56.0
    assert s["hits"].sum() == len(sample_mentions)
    assert s["share_of_voice"].sum() == pytest.approx(1.0)
    assert s.loc["finance_capital", "articles"] == 2
    assert s.loc["rail_transit", "articles"] == 2
    assert (s["n_articles"] == len(sample_articles)).all()


def test_notebook_states_the_default_weights():
    # 03's prose on prominence quotes the weights in words; it must say what the code applies
    import json

    from zzanalysis.industries import DEFAULT_WEIGHTS
    from zzanalysis.paths import NOTEBOOKS

    cells = json.loads((NOTEBOOKS / "03_industry_mentions.ipynb").read_text(encoding="utf-8"))["cells"]
    prose = next("".join(c["source"]) for c in cells
                 if c["cell_type"] == "markdown" and "DEFAULT_WEIGHTS" in "".join(c["source"]))
    w = {k: f"{v:g}" for k, v in DEFAULT_WEIGHTS.items()}
    assert w["kicker"] == w["subtitle"]
    assert (f"headline {w['headline']}, kicker or subtitle {w['kicker']}, first paragraph {w['lead']},\n"
            f"any later paragraph {w['body']}, and all of that ×{w['front_page']} on page 1") in prose
