"""Carried dates and numbers are categoricals: every consumer of a tokens table gives what it
gave when they were plain columns (the same values and dtypes in its result)."""
from __future__ import annotations

import pandas as pd
import pytest

import zzanalysis as zz


def _plain(tokens: pd.DataFrame) -> pd.DataFrame:
    """The carried dates and numbers as their values (what tokenize carried before)."""
    coded = [c for c in tokens.columns if isinstance(tokens[c].dtype, pd.CategoricalDtype) and tokens[c].cat.ordered]
    return tokens.assign(**{c: tokens[c].astype(tokens[c].cat.categories.dtype) for c in coded})


@pytest.fixture(scope="module")
def two_days():
    """Two issues of invented paragraphs, a month apart, on two pages."""
    rows = [
        ("a1", "2024-03-12", 1, "株洲市推进轨道交通产业发展。"),
        ("a1", "2024-03-12", 1, "醴陵陶瓷企业参加展会。"),
        ("a2", "2024-03-12", 3, "攸县新建农业产业园。"),
        ("b1", "2024-04-15", 1, "株洲轨道交通企业签约。"),
        ("b2", "2024-04-15", 2, "株洲陶瓷产业发展迅速。"),
    ]
    frame = pd.DataFrame(rows, columns=["article_id", "date", "page", "text"])
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[s]")
    frame["page"] = frame["page"].astype("Int64")
    frame["para_no"] = frame.groupby("article_id").cumcount() + 1
    return zz.tokenize(frame, cache=False)


def test_dates_and_pages_are_ordered_categoricals(two_days):
    assert two_days["date"].cat.ordered and two_days["page"].cat.ordered
    assert two_days["date"].cat.categories.tolist() == [pd.Timestamp("2024-03-12"), pd.Timestamp("2024-04-15")]
    assert two_days["page"].cat.categories.tolist() == [1, 2, 3]
    assert (two_days["date"].min(), two_days["date"].max()) == (pd.Timestamp("2024-03-12"), pd.Timestamp("2024-04-15"))


@pytest.mark.parametrize(
    "call",
    [
        lambda t: zz.term_frequency(t, by="date"),
        lambda t: zz.term_frequency(t, by=["date", "page"]),
        lambda t: zz.document_frequency(t, by="date"),
        lambda t: zz.tfidf(t, by="page"),
        lambda t: zz.keywords(t, by="date"),
        lambda t: zz.keyness(t, by="page"),
        lambda t: zz.collocations(t, by="date", min_count=1),
        lambda t: zz.trend(t, ["株洲", "陶瓷"]),
        lambda t: zz.trend(t, ["株洲"], over="page"),
        lambda t: zz.trend(t, ["株洲"], freq=None),
        lambda t: zz.filter_frame(t, start="2024-04-01").reset_index(drop=True).pipe(_plain),
        lambda t: zz.filter_frame(t, end="2024-03-12", pages=[1]).reset_index(drop=True).pipe(_plain),
    ],
)
def test_consumers_give_the_same_result_as_with_plain_columns(two_days, call):
    pd.testing.assert_frame_equal(call(two_days), call(_plain(two_days)), check_exact=True)


def test_trend_buckets_categorical_dates_into_months(two_days):
    out = zz.trend(two_days, ["株洲"])
    assert out["date"].tolist() == [pd.Timestamp("2024-03-01"), pd.Timestamp("2024-04-01")]
    assert out["count"].tolist() == [0, 2]  # March has 株洲市, one token; April 株洲 twice
