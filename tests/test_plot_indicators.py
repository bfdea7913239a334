"""Charts of economic indicators: what was drawn, in a font that has the Chinese glyphs."""
from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import zzanalysis as zz  # noqa: E402


@pytest.fixture
def indicators() -> pd.DataFrame:
    articles = pd.DataFrame(
        {
            "article_id": ["A", "B", "C"],
            "headline": ["产业集群", "康宁落户", "排名"],
            "text": [
                "产业集群规模达469亿元，一年减少300亿元产值，当地261家污染企业全部关停。",
                "该公司投资超过90亿美元，拥有23家工厂，员工6000余人。",
                "经济总量排在湖南第五，人均GDP居全省第二；全国城市创新能力百强榜排名第三十二位。",
            ],
        }
    )
    # A: 469亿元 (output), 300亿元 (output), 261家 (enterprises)
    # B: 超过90亿美元 (investment), 23家 (enterprises), 6000余人 (employment)
    # C: 第五, 第二, 第三十二位 (rank)
    return zz.extract_indicators(articles)


def _draw(ax):
    # A missing glyph warns at draw time from the caller's frame: make it an error here too.
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        ax.figure.canvas.draw()
    font = zz.plot.cjk_font_name()
    for label in ax.get_yticklabels() + ax.get_xticklabels() + [ax.title, ax.xaxis.label]:
        if label.get_text():
            assert label.get_fontfamily()[0] == font


def test_fixture_is_what_the_comments_say(indicators):
    assert indicators["category"].value_counts().to_dict() == {
        "rank": 3, "output": 2, "enterprises": 2, "investment": 1, "employment": 1,
    }


def test_indicator_counts_by_category(indicators):
    before = indicators.copy()
    ax = zz.plot.indicator_counts(indicators)
    _draw(ax)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    widths = [p.get_width() for p in ax.patches]
    # largest at the top (matplotlib's last y position); ties keep alphabetical order
    assert dict(zip(labels, widths)) == {"rank": 3, "enterprises": 2, "output": 2, "employment": 1, "investment": 1}
    assert labels[-1] == "rank"
    assert ax.get_title() == "经济指标（按类别）"
    pd.testing.assert_frame_equal(indicators, before)


def test_indicator_counts_by_article_stacked_by_category(indicators):
    ax = zz.plot.indicator_counts(indicators, by="headline", hue="category")
    _draw(ax)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert sorted(labels) == ["产业集群", "康宁落户", "排名"]
    # one bar segment per (headline, category) cell of the table, zero-width ones included
    assert len(ax.patches) == 3 * 5
    totals = {}
    for patch in ax.patches:
        y = round(patch.get_y() + patch.get_height() / 2)
        totals[labels[y]] = totals.get(labels[y], 0) + patch.get_width()
    assert totals == {"产业集群": 3, "康宁落户": 3, "排名": 3}
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "employment", "enterprises", "investment", "output", "rank",
    ]


def test_indicator_counts_top(indicators):
    ax = zz.plot.indicator_counts(indicators, n=2)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["enterprises", "rank"]


def test_money_amounts_log_scale_and_labels(indicators):
    ax = zz.plot.money_amounts(indicators)
    _draw(ax)
    assert ax.get_xscale() == "log"
    widths = sorted(p.get_width() for p in ax.patches)
    assert widths == [9e9, 3e10, 4.69e10]
    annotations = sorted(t.get_text() for t in ax.texts)
    assert annotations == sorted(["469亿元", "300亿元", "超过90亿美元"])
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["公司投资", "产值", "产业集群规模"]  # largest at the top
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["元", "美元"]


def test_money_amounts_value_labels(indicators):
    ax = zz.plot.money_amounts(indicators, annotate="value", n=2)
    assert sorted(t.get_text() for t in ax.texts) == ["300亿元", "469亿元"]
    assert ax.get_legend() is None


def test_format_amount():
    assert zz.plot.format_amount(4.69e10, "元") == "469亿元"
    assert zz.plot.format_amount(60_000, "人") == "6万人"
    assert zz.plot.format_amount(800, "个") == "800个"


def test_ranks_dot_plot(indicators):
    fig, ax = plt.subplots()
    out = zz.plot.ranks(indicators, ax=ax)
    assert out is ax
    _draw(ax)
    offsets = ax.collections[-1].get_offsets()
    assert len(offsets) == 3
    assert sorted(offsets[:, 0].tolist()) == [2.0, 5.0, 32.0]
    assert sorted(t.get_text() for t in ax.texts) == sorted(["第五", "第二", "第三十二位"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["创新能力百强榜", "经济总量", "人均GDP"]


def test_empty_input_raises(indicators):
    with pytest.raises(ValueError, match="money"):
        zz.plot.money_amounts(indicators[indicators["kind"] == "rank"])
    with pytest.raises(ValueError, match="ranks"):
        zz.plot.ranks(indicators[indicators["kind"] == "money"])


def test_no_global_rcparams_change(indicators):
    before = dict(matplotlib.rcParams)
    zz.plot.indicator_counts(indicators)
    zz.plot.money_amounts(indicators)
    zz.plot.ranks(indicators)
    assert dict(matplotlib.rcParams) == before
