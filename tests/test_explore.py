"""zz.explore: set a widget's value as a user would, and check the tables the app shows."""
from __future__ import annotations

import datetime as dt
import sys

import pandas as pd
import pytest

import zzanalysis as zz
from zzanalysis.explore import ALL
from zzanalysis.paths import ROOT


@pytest.fixture(scope="module")
def sample_explorer(sample_path):
    return zz.explore(zz.read_corpus(sample_path, cache=False))


@pytest.fixture(scope="module")
def archive_explorer(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from make_archive import make_archive

    out = tmp_path_factory.mktemp("pages")
    make_archive(out, days=3, seed=1, start=dt.date(2023, 1, 30), pages=2)
    return zz.explore(zz.read_corpus(out, cache=False))


def _count_in_paragraphs(corpus, word: str) -> int:
    return sum(text.count(word) for text in corpus.paragraphs["text"])


@pytest.mark.parametrize("word, articles", [
    ("康宁", ["zzrb-2023-04-27-p01-a07"]),  # the Corning article; its headline is not paragraph text
    ("北交所", ["zzrb-2023-04-27-p01-a09"]),
])
def test_term_box_fills_kwic_trend_and_pages(sample_explorer, word, articles):
    ex = sample_explorer
    ex.regex.value = False
    ex.term.value = word
    n = _count_in_paragraphs(ex.corpus, word)
    assert len(ex.term_kwic) == n > 0
    assert sorted(ex.term_kwic["article_id"].unique()) == articles
    assert set(ex.term_kwic["match"]) == {word}
    # every KWIC row names its article by id and headline
    heads = ex.corpus.articles.set_index("article_id")["headline"]
    assert list(ex.term_kwic["headline"]) == [heads[a] for a in ex.term_kwic["article_id"]]
    assert ex.term_trend.to_dict("records") == [{
        "month": "2023-04", "matches": n, "chars": int(ex.corpus.articles["text"].str.len().sum()),
        "per_10k_chars": round(n / ex.corpus.articles["text"].str.len().sum() * 10_000, 2)}]
    assert ex.term_by_page.to_dict("records") == [{"page": 1, "matches": n}]


def test_regex_term_and_a_bad_regex(sample_explorer):
    ex = sample_explorer
    ex.term.value = ""
    ex.regex.value = True
    ex.term.value = "制造(业|名城)"
    assert len(ex.term_kwic) == _count_in_paragraphs(ex.corpus, "制造业") + _count_in_paragraphs(ex.corpus, "制造名城")
    assert ex.term_kwic["match"].value_counts().to_dict() == {"制造业": 10, "制造名城": 4}
    ex.term.value = "(("
    assert ex.term_message.value.startswith("<b>not a valid regular expression</b>: missing ), unterminated subpattern")
    ex.regex.value = False


def test_industry_picker(sample_explorer):
    ex = sample_explorer
    ex.industry.value = "rail_transit"
    rail = ex.mentions[ex.mentions["label"] == "rail_transit"]
    assert len(ex.industry_rows) == len(rail) == 12
    # rail transit is in the 人民日报 report (a02) and the semiconductor forum report (a03)
    assert sorted(ex.industry_rows["article_id"].unique()) == ["zzrb-2023-04-27-p01-a02", "zzrb-2023-04-27-p01-a03"]
    # the industries of a02 and a03 other than rail, each in one of the two articles
    assert dict(zip(ex.industry_co["label_zh"], ex.industry_co["articles"])) == {
        "先进制造业": 1, "航空航天": 1, "硬质合金": 1, "新能源汽车": 1, "新材料": 1, "电力电网": 1,
        "功率半导体/电力电子": 1, "北斗卫星": 1, "风电": 1}
    tokens = ex.tokens[ex.tokens["article_id"].isin(["zzrb-2023-04-27-p01-a02", "zzrb-2023-04-27-p01-a03"]) & (ex.tokens["pos"] != "m")]
    assert ex.industry_terms.iloc[0].to_dict() == {"token": "株洲", "count": int((tokens["token"] == "株洲").sum())}


@pytest.mark.parametrize("kind, unit, subject, texts", [
    ("money", ALL, "", ["300亿元", "百亿元", "469亿元", "超过90亿美元"]),
    ("money", "美元", "", ["超过90亿美元"]),
    (ALL, "家", "污染", ["261家"]),
    ("rank", ALL, "", ["第五", "第二", "第三十二位"]),
])
def test_indicator_filter(sample_explorer, kind, unit, subject, texts):
    ex = sample_explorer
    ex.subject.value = ""
    ex.kind.value, ex.unit.value, ex.subject.value = kind, unit, subject
    assert list(ex.indicator_rows["text"]) == texts
    ex.kind.value, ex.unit.value, ex.subject.value = ALL, ALL, ""
    assert len(ex.indicator_rows) == 43


def test_trend_over_several_months(archive_explorer):
    ex = archive_explorer
    ex.regex.value = False
    ex.term.value = "康宁"
    arts = ex.corpus.articles
    hits = pd.Series([t.count("康宁") for t in ex.corpus.paragraphs["text"]], index=ex.corpus.paragraphs["article_id"])
    month = arts.set_index("article_id")["date"].dt.strftime("%Y-%m")
    by_month = hits.groupby(month.reindex(hits.index).to_numpy()).sum()
    assert list(ex.term_trend["month"]) == ["2023-01", "2023-02"]
    assert list(ex.term_trend["matches"]) == [by_month.get("2023-01", 0), by_month.get("2023-02", 0)]
    pages = ex.term_kwic.groupby("page").size()
    assert ex.term_by_page.set_index("page")["matches"].to_dict() == pages.to_dict()
