"""Charts of industry mentions: what was drawn, in a font that has the Chinese glyphs."""
from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import zzanalysis as zz  # noqa: E402

TAXONOMY = {
    "rail": {"label_zh": "轨道交通", "terms": ["轨道交通", "牵引电机"]},
    "wind": {"label_zh": "风电", "terms": ["风电"]},
    "finance": {"label_zh": "金融", "terms": ["银行", "贷款"]},
}


@pytest.fixture
def articles() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": ["A", "B", "C"],
            "date": pd.to_datetime(["2023-04-27", "2023-04-27", "2023-04-28"]),
            "page": [1, 2, 1],
            "headline": ["轨道交通出海", "银行支持风电", "风电场建成"],
            "text": ["牵引电机。\n风电与轨道交通。", "贷款。", "今日晴。"],
        }
    )


@pytest.fixture
def mentions(articles) -> pd.DataFrame:
    # A: rail ×3 (headline, 牵引电机, 轨道交通), wind ×1;  B: finance ×2, wind ×1;  C: wind ×1
    return zz.industry_mentions(articles, TAXONOMY)


def _draw(ax):
    # Rendering is where a missing glyph warns. matplotlib reports it from the caller's frame, so
    # the module filter in pyproject may not see it: make it an error here as well.
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        ax.figure.canvas.draw()
    font = zz.plot.cjk_font_name()
    for label in ax.get_yticklabels() + ax.get_xticklabels():
        if label.get_text():
            assert label.get_fontfamily()[0] == font


def test_industries_bar_heights(mentions):
    before = mentions.copy()
    ax = zz.plot.industries(mentions)
    _draw(ax)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    widths = [p.get_width() for p in ax.patches]
    # articles per industry, largest at the top (the last y tick)
    assert dict(zip(labels, widths)) == {"风电": 3, "轨道交通": 1, "金融": 1}
    assert labels[-1] == "风电"
    assert ax.get_title() == "各产业被提及的文章数"
    pd.testing.assert_frame_equal(mentions, before)


def test_industries_hits_top_and_keys(mentions):
    ax = zz.plot.industries(mentions, measure="hits", n=2, label="label")
    _draw(ax)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert dict(zip(labels, [p.get_width() for p in ax.patches])) == {"rail": 3, "wind": 3}
    assert ax.get_xlabel() == "提及次数"


def test_industries_stacked_by_page(mentions):
    ax = zz.plot.industries(mentions, hue="page")
    _draw(ax)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # one series per page: page 1 (A, C) then page 2 (B)
    n = len(labels)
    page1 = dict(zip(labels, [p.get_width() for p in ax.patches[:n]]))
    page2 = dict(zip(labels, [p.get_width() for p in ax.patches[n:]]))
    assert page1 == {"风电": 2, "轨道交通": 1, "金融": 0}
    assert page2 == {"风电": 1, "轨道交通": 0, "金融": 1}
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["1", "2"]


def test_industry_heatmap_cells(mentions):
    ax = zz.plot.industry_heatmap(mentions)
    _draw(ax)
    image = ax.get_images()[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["轨道交通", "风电", "金融"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["轨道交通出海", "银行支持风电", "风电场建成"]
    np.testing.assert_array_equal(image.get_array(), [[3, 0, 0], [1, 1, 1], [0, 2, 0]])
    # the colorbar is its own Axes and gets the font too
    colorbar_ax = ax.figure.axes[1]
    assert colorbar_ax.yaxis.label.get_text() == "提及次数"
    assert colorbar_ax.yaxis.label.get_fontfamily()[0] == zz.plot.cjk_font_name()


def test_industry_heatmap_by_date(mentions):
    ax = zz.plot.industry_heatmap(mentions, x="date", measure="articles")
    _draw(ax)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2023-04-27", "2023-04-28"]
    np.testing.assert_array_equal(ax.get_images()[0].get_array(), [[2, 1], [1, 0], [1, 0]])


def test_co_mentions_heatmap(mentions):
    ax = zz.plot.co_mentions(mentions)
    _draw(ax)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["风电", "金融", "轨道交通"]
    np.testing.assert_array_equal(ax.get_images()[0].get_array(), [[3, 1, 1], [1, 1, 0], [1, 0, 1]])
    cells = sorted(t.get_text() for t in ax.texts)
    assert cells == ["1", "1", "1", "1", "1", "1", "3"]


def test_share_of_voice_lines(mentions):
    ax = zz.plot.share_of_voice(mentions, n=2)
    _draw(ax)
    lines = {line.get_label(): list(line.get_ydata()) for line in ax.get_lines()}
    # 2023-04-27: rail 3, wind 2, finance 2 of 7 hits; 2023-04-28: wind 1 of 1 (headline 风电场建成)
    assert lines == {"轨道交通": [3 / 7, 0.0], "风电": [2 / 7, 1.0], "其他": [2 / 7, 0.0]}
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2023-04-27", "2023-04-28"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["轨道交通", "风电", "其他"]


def test_share_of_voice_single_date_says_so(mentions):
    ax = zz.plot.share_of_voice(mentions[mentions["date"] == "2023-04-27"])
    _draw(ax)
    assert "仅一期" in ax.get_title()
    assert {line.get_label(): list(line.get_ydata()) for line in ax.get_lines()} == {
        "轨道交通": [3 / 7], "金融": [2 / 7], "风电": [2 / 7]
    }


def test_given_axes_is_used_and_returned(mentions):
    fig, (left, right) = plt.subplots(1, 2)
    assert zz.plot.industries(mentions, ax=left) is left
    assert zz.plot.co_mentions(mentions, ax=right) is right
    _draw(left)


def test_rcparams_untouched(mentions):
    before = dict(matplotlib.rcParams)
    zz.plot.industries(mentions).figure.canvas.draw()
    assert dict(matplotlib.rcParams) == before


@pytest.mark.parametrize("plot", [zz.plot.industries, zz.plot.industry_heatmap, zz.plot.co_mentions])
def test_empty_mentions_raise(mentions, plot):
    with pytest.raises(ValueError, match="no mentions"):
        plot(mentions.iloc[:0])


def test_sample_chart_renders(sample_articles):
    m = zz.industry_mentions(sample_articles)
    ax = zz.plot.industries(m, measure="articles")
    _draw(ax)
    widths = dict(zip([t.get_text() for t in ax.get_yticklabels()], [p.get_width() for p in ax.patches]))
    assert widths["金融与资本市场"] == 2
    assert widths["轨道交通"] == 2


@pytest.mark.parametrize(
    "plot, column",
    [
        (zz.plot.industries, "label"),
        (zz.plot.industry_heatmap, "label"),
        (zz.plot.co_mentions, "label"),
        (zz.plot.share_of_voice, "date"),
    ],
)
def test_missing_column_is_a_column_error(mentions, plot, column):
    with pytest.raises(zz.ColumnError, match=rf"plot\.{plot.__name__}\(\) needs column\(s\) \['{column}'\]"):
        plot(mentions.drop(columns=column))


@pytest.mark.parametrize(
    "plot, old, new, value",
    [
        (zz.plot.industries, "by", "hue", "page"),
        (zz.plot.industries, "top", "n", 2),
        (zz.plot.industry_heatmap, "by", "x", "date"),
        (zz.plot.share_of_voice, "by", "x", "date"),
        (zz.plot.share_of_voice, "top", "n", 2),
    ],
)
def test_old_keywords_draw_the_same_chart_with_a_warning(mentions, plot, old, new, value):
    expected = plot(mentions, **{new: value})
    with pytest.warns(DeprecationWarning, match=f"{old}= is now {new}="):
        ax = plot(mentions, **{old: value})
    assert [p.get_width() for p in ax.patches] == [p.get_width() for p in expected.patches]
    assert [len(line.get_xdata()) for line in ax.lines] == [len(line.get_xdata()) for line in expected.lines]
    assert [t.get_text() for t in ax.get_yticklabels()] == [t.get_text() for t in expected.get_yticklabels()]
