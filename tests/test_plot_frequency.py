"""zzanalysis.plot.frequency: each chart is drawn with Chinese labels, and we check what was drawn.

``canvas.draw()`` renders the text, so a missing glyph warns, which pyproject.toml makes an error.
"""
from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from zzanalysis.plot import frequency as pf  # noqa: E402
from zzanalysis.plot._fonts import cjk_font_name  # noqa: E402


def _labels(ticklabels) -> list[str]:
    return [t.get_text() for t in ticklabels]


def _top_down(ax) -> list[str]:
    labels = zip(ax.get_yticks(), _labels(ax.get_yticklabels()))
    return [text for _, text in sorted(labels, key=lambda pair: -pair[0])]


def _draw(ax) -> None:
    ax.figure.canvas.draw()
    for text in ax.get_yticklabels() + ax.get_xticklabels():
        if text.get_text():
            assert text.get_fontfamily()[0] == cjk_font_name()


FREQ = pd.DataFrame({"token": ["株洲", "制造", "发展", "创新"], "count": [12, 7, 7, 3]})


def test_top_terms_bars_are_counts_largest_on_top():
    ax = pf.top_terms(FREQ, n=3, title="高频词")
    _draw(ax)
    # Top down: 株洲 12, then the tie at 7 by code point (制 U+5236 < 发 U+53D1); 创新 is cut.
    assert _top_down(ax) == ["株洲", "制造", "发展"]
    bars = sorted(ax.patches, key=lambda p: -p.get_y())
    assert [b.get_width() for b in bars] == [12, 7, 7]
    assert ax.get_title() == "高频词"


def test_top_terms_draws_on_given_axes_and_rejects_groups():
    fig, (left, right) = plt.subplots(1, 2)
    assert pf.top_terms(FREQ, ax=right, x="count") is right
    assert not left.patches
    grouped = pd.concat([FREQ.assign(article_id="a1"), FREQ.assign(article_id="a2")])
    with pytest.raises(ValueError, match="one row per token"):
        pf.top_terms(grouped)


def test_keyness_two_sided_bars():
    table = pd.DataFrame({"token": ["半导体", "功率", "株洲", "会议", "城市"],
                          "g2": [9.5, 6.0, 0.0, -2.5, -4.0]})
    ax = pf.keyness(table, n=2, labels=("本文多用", "本文少用"))
    _draw(ax)
    # Top to bottom: most over-used first, most under-used last; the 0 row is on neither side.
    assert _top_down(ax) == ["半导体", "功率", "会议", "城市"]
    bars = sorted(ax.patches, key=lambda p: -p.get_y())
    assert [b.get_width() for b in bars] == [9.5, 6.0, -2.5, -4.0]
    assert bars[0].get_facecolor() != bars[-1].get_facecolor()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["本文多用", "本文少用"]


def test_term_trend_lines_follow_per_10k_with_gaps():
    dates = pd.to_datetime(["2023-01-01", "2023-02-01", "2023-03-01"])
    trend = pd.DataFrame({
        "date": list(dates) * 2, "token": ["株洲"] * 3 + ["制造"] * 3,
        "per_10k": [50.0, np.nan, 30.0, 0.0, np.nan, 10.0],
    })
    ax = pf.term_trend(trend, title="词频趋势")
    _draw(ax)
    assert [line.get_label() for line in ax.lines] == ["株洲", "制造"]
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [50.0, np.nan, 30.0])
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), [0.0, np.nan, 10.0])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["株洲", "制造"]


def test_term_heatmap_matrix_and_labels():
    freq = pd.DataFrame({
        "article_id": ["文一", "文一", "文二", "文二", "文二"],
        "token": ["株洲", "制造", "株洲", "半导体", "会议"],
        "count": [4, 2, 1, 5, 1],
    })
    ax = pf.term_heatmap(freq, x="article_id", value="count", n=3)
    _draw(ax)
    # Totals: 株洲 5, 半导体 5, 制造 2, 会议 1 → top 3 with ties by code point (半 < 株).
    assert _labels(ax.get_yticklabels()) == ["半导体", "株洲", "制造"]  # image rows top down
    assert _labels(ax.get_xticklabels()) == ["文一", "文二"]
    np.testing.assert_array_equal(ax.images[0].get_array(), [[0, 5], [4, 1], [2, 0]])
    assert sorted(t.get_text() for t in ax.texts) == sorted(["0", "5", "4", "1", "2", "0"])


def _cloud(ax) -> np.ndarray:
    return np.asarray(ax.images[0].get_array())


def test_wordcloud_is_deterministic_and_drawn():
    weights = {"株洲": 30, "制造": 20, "半导体": 12, "发展": 8, "创新": 5}
    ax = pf.wordcloud(pd.Series(weights), width=300, height=200, title="词云")
    _draw(ax)
    image = _cloud(ax)
    assert image.shape == (200, 300, 3)
    assert (image != 255).any(axis=2).mean() > 0.05  # words cover part of the white canvas
    assert not ax.axison and ax.get_title() == "词云"
    frame = pd.DataFrame({"token": list(weights), "count": list(weights.values())})
    np.testing.assert_array_equal(_cloud(pf.wordcloud(frame, width=300, height=200)), image)
    other = _cloud(pf.wordcloud(frame, width=300, height=200, random_state=7))
    assert (other != image).any()


def test_wordcloud_mask_keeps_words_inside():
    mask = np.full((200, 300), 255, dtype=np.uint8)
    mask[50:150, 75:225] = 0  # words may go only in this central box
    ax = pf.wordcloud({"株洲": 10, "制造": 6, "发展": 3}, mask=mask)
    _draw(ax)
    image = _cloud(ax)
    assert image.shape == (200, 300, 3)
    inked = (image != 255).any(axis=2)
    assert inked[50:150, 75:225].any()
    inked[50:150, 75:225] = False
    assert not inked.any()


def test_wordcloud_rejects_empty():
    with pytest.raises(ValueError, match="positive weight"):
        pf.wordcloud({"株洲": 0})
