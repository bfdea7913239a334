"""Overview charts draw the right bars and render Chinese without missing glyphs."""
from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import zzanalysis as zz  # noqa: E402


def _render(ax):
    # Missing glyphs surface as UserWarnings at draw time; fail on any.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax.figure.canvas.draw()


def test_font_is_cjk_and_found_without_system_fonts():
    path = zz.plot.cjk_font_path()
    assert path.is_file()
    from matplotlib.ft2font import FT2Font

    font = FT2Font(str(path))
    assert all(font.get_char_index(ord(ch)) for ch in "株洲日报制造名城")


def test_articles_per_page(sample_articles):
    ax = zz.plot.articles_per_page(sample_articles)
    _render(ax)
    heights = sorted(p.get_height() for p in ax.patches)
    assert heights == [1, 8]  # 8 articles + 1 teaser stacked on page 1
    assert ax.get_xticklabels()[0].get_text() == "2023-04-27 第1版"


def test_article_lengths(sample_articles):
    ax = zz.plot.article_lengths(sample_articles)
    _render(ax)
    widths = [p.get_width() for p in ax.patches][::-1]
    assert widths == sample_articles["n_chars"].tolist()
    assert ax.get_yticklabels()[-1].get_text() == "“制造名城 周周好精彩”活动启动"
    assert ax.get_title() == "稿件长度"


@pytest.mark.parametrize("column, expected", [
    ("source", {"株洲日报": 7, "人民日报": 1}),
    ("correspondents", {"彭玲": 1, "赵小茵": 1, "颜小波": 1, "唐恒": 1, "余恒泰": 1}),
])
def test_value_counts(sample_articles, column, expected):
    ax = zz.plot.value_counts(sample_articles, column)
    _render(ax)
    drawn = {t.get_text(): p.get_width() for t, p in zip(ax.get_yticklabels(), ax.patches)}
    assert drawn == expected


def test_value_counts_on_toy_frame_orders_by_count_then_name():
    frame = pd.DataFrame({"reporters": [["乙", "甲"], ["甲"], [], ["丙"]]})
    ax = zz.plot.value_counts(frame, "reporters", n=2)
    labels = [t.get_text() for t in ax.get_yticklabels()][::-1]
    assert labels == ["甲", "丙"]  # 甲 2; then 丙 and 乙 tie at 1 and 丙 sorts first


def test_chart_functions_leave_rcparams_alone(sample_articles):
    before = dict(matplotlib.rcParams)
    zz.plot.article_lengths(sample_articles)
    assert dict(matplotlib.rcParams) == before


def test_savefig_is_reproducible(tmp_path, sample_articles):
    a = zz.plot.savefig(zz.plot.article_lengths(sample_articles), tmp_path / "a.png")
    b = zz.plot.savefig(zz.plot.article_lengths(sample_articles), tmp_path / "sub" / "b.png")
    assert a.read_bytes() == b.read_bytes()


def test_cjk_font_draws_every_character_of_the_sample(sample_articles):
    from matplotlib.font_manager import findfont, get_font

    found = findfont(zz.plot.font_properties(), fallback_to_default=False)
    assert str(found) == str(zz.plot.cjk_font_path())
    charmap = get_font(found).get_charmap()
    text = "".join(sample_articles["headline"]) + "".join(sample_articles["text"])
    missing = sorted({c for c in text if not c.isspace() and ord(c) not in charmap})
    assert missing == []


def test_cjk_font_index_opens_the_named_face():
    from matplotlib.ft2font import FT2Font

    face = FT2Font(str(zz.plot.cjk_font_path()), face_index=zz.plot.cjk_font_index())
    assert face.family_name == zz.plot.cjk_font_name()
