"""Charts of people in the news: who is named how often, period by period.

Takes the mentions table of :func:`zzanalysis.people`, accepts ``ax=`` and returns the Axes.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import pandas as pd

from ._base import finish, new_axes, require, tick_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes

Freq = Literal["D", "W", "M", "Q", "Y"]
Measure = Literal["mentions", "articles"]
_PERIOD_FORMAT = {"D": "%Y-%m-%d", "W": "%Y-%m-%d", "M": "%Y-%m", "Q": "%Y-Q%q", "Y": "%Y"}
_MEASURE_NAMES = {"mentions": "提及次数", "articles": "篇数"}


def people_coverage(
    mentions: pd.DataFrame,
    *,
    n: int = 10,
    freq: Freq = "M",
    measure: Measure = "mentions",
    titles: bool = True,
    ax=None,
) -> Axes:
    """Dot matrix: the ``n`` most-named people (rows) by period (columns), dot area ∝ coverage.

    Args:
        mentions: output of :func:`zzanalysis.people` on articles or a Corpus (needs ``date``).
        n: how many people, the most covered first (ties by name).
        freq: period length: day ``D``, week ``W`` (labelled by its first day), month ``M``,
            quarter ``Q`` or year ``Y``.
        measure: ``mentions`` (rows of ``mentions``) or ``articles`` (distinct articles).
        titles: label each row with the person's first title, e.g. ``曹慧泉（市委书记）``.
        ax: Axes to draw on; a new figure when ``None``.

    Returns:
        The Axes: one column per period from the first to the last (empty ones included), one
        dot per person and period with any coverage, its count written in it; the most covered
        person on top.

    Raises:
        ColumnError: ``mentions`` lacks ``name``, ``date`` or ``article_id``.
        ValueError: no mentions to plot.

    Example:
        >>> ax = zz.plot.people_coverage(zz.people(corpus), n=12, freq="M")
        >>> zz.plot.savefig(ax, "../figures/05_people_coverage.png")
    """
    require(mentions, ["article_id", "name", "date"], func="people_coverage", what="mentions")
    frame = mentions.assign(period=pd.to_datetime(mentions["date"]).dt.to_period(freq))
    grouped = frame.groupby(["name", "period"])
    counts = grouped["article_id"].nunique() if measure == "articles" else grouped.size()
    totals = counts.groupby(level="name").sum()
    people = sorted(totals.index, key=lambda k: (-totals[k], k))[:n]
    # Every period from the first to the last, so a gap in coverage shows as an empty column.
    periods = list(pd.period_range(frame["period"].min(), frame["period"].max(), freq=frame["period"].dt.freq))
    counts = counts[counts.index.get_level_values("name").isin(people)]

    ax = new_axes(ax, (max(5.0, 0.9 * len(periods) + 3.5), 0.45 * len(people) + 1.5))
    row = {name: len(people) - 1 - i for i, name in enumerate(people)}  # most covered on top
    col = {p: i for i, p in enumerate(periods)}
    xs = [col[p] for _, p in counts.index]
    ys = [row[name] for name, _ in counts.index]
    biggest = counts.max()
    ax.scatter(xs, ys, s=[60 + 540 * v / biggest for v in counts], color="#3b6ea5", alpha=0.75)
    for x, y, v in zip(xs, ys, counts):
        ax.annotate(str(int(v)), (x, y), ha="center", va="center", fontsize=8, color="white")

    if titles and "title" in mentions:
        first_title = mentions.dropna(subset=["title"]).groupby("name")["title"].first()
        labels = [f"{p}（{tick_text(first_title[p], 12)}）" if p in first_title else p for p in people]
    else:
        labels = list(people)
    ax.set_yticks(range(len(people)), labels[::-1])
    ax.set_xticks(range(len(periods)), [p.strftime(_PERIOD_FORMAT[freq]) for p in periods],
                  rotation=45 if len(periods) > 6 else 0, ha="right" if len(periods) > 6 else "center")
    ax.set_xlim(-0.6, len(periods) - 0.4)
    ax.set_ylim(-0.6, len(people) - 0.4)
    ax.set_xlabel("时期")
    ax.set_title(f"人物见报{_MEASURE_NAMES[measure]}（前{len(people)}位）")
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    return finish(ax)
