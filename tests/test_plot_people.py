"""The people coverage chart draws one dot per person and period, sized by the count, in Chinese."""
from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import zzanalysis as zz  # noqa: E402

FIXTURE = Path(__file__).parent / "data" / "zzrb-2024-03-12-p03.md"


def _render(ax):
    # Missing glyphs surface as UserWarnings at draw time; fail on any.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax.figure.canvas.draw()


@pytest.fixture(scope="module")
def two_pages(sample_articles):
    assert FIXTURE.is_file(), f"fixture page missing: {FIXTURE}"
    both = pd.concat([sample_articles, zz.read_issue(FIXTURE).articles], ignore_index=True)
    return zz.people(both)


def _dots(ax):
    scatter = ax.collections[0]
    counts = [t.get_text() for t in ax.texts]
    return [tuple(map(float, xy)) for xy in scatter.get_offsets()], counts


def test_people_coverage_by_month(two_pages):
    ax = zz.plot.people_coverage(two_pages, n=3, freq="M")
    _render(ax)
    # Top three: 罗建新 3 (2024-03), 胡长春 3 (2023-04), 丁荣军 2 (2023-04); top row is y = 2.
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "丁荣军（中国工程院院士、功率半…）", "胡长春（市委副书记、市委政法委…）", "罗建新（区委书记）",
    ]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert len(labels) == 12 and labels[0] == "2023-04" and labels[-1] == "2024-03"
    offsets, counts = _dots(ax)
    assert sorted(zip(offsets, counts)) == [((0.0, 0.0), "2"), ((0.0, 1.0), "3"), ((11.0, 2.0), "3")]
    sizes = list(ax.collections[0].get_sizes())
    assert sizes[offsets.index((0.0, 0.0))] == pytest.approx(60 + 540 * 2 / 3)
    assert ax.get_title() == "人物见报提及次数（前3位）"


def test_people_coverage_articles_by_year_without_titles(two_pages):
    ax = zz.plot.people_coverage(two_pages, n=2, freq="Y", measure="articles", titles=False)
    _render(ax)
    # 习近平 is named in two articles of 2023, everyone else in one; ties go by name, so 丁荣军.
    assert [t.get_text() for t in ax.get_yticklabels()] == ["丁荣军", "习近平"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2023", "2024"]
    assert sorted(t.get_text() for t in ax.texts) == ["1", "2"]


def test_people_coverage_draws_on_given_axes_and_leaves_input(two_pages):
    import matplotlib.pyplot as plt

    before = two_pages.copy()
    fig, ax = plt.subplots()
    assert zz.plot.people_coverage(two_pages, ax=ax) is ax
    pd.testing.assert_frame_equal(two_pages, before)


@pytest.mark.parametrize(
    "frame, error, message",
    [
        (pd.DataFrame({"article_id": ["a"], "name": ["x"]}), zz.ColumnError, r"needs column\(s\) \['date'\]"),
        (pd.DataFrame({"article_id": [], "name": [], "date": []}), ValueError, "no mentions to plot"),
    ],
)
def test_people_coverage_bad_input(frame, error, message):
    with pytest.raises(error, match=message):
        zz.plot.people_coverage(frame)
