"""Charts of industry mentions: bar chart, industry × article (or × date) heatmap, co-mention
heatmap and share of voice over time. Each takes the mentions table of
:func:`zzanalysis.industry_mentions`, accepts ``ax=`` and returns the Axes it drew on.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import pandas as pd

from .._deprecate import renamed
from ._base import integer_ticks, new_axes, require, tick_text
from ._fonts import apply_font

if TYPE_CHECKING:
    from matplotlib.axes import Axes

Measure = Literal["articles", "hits"]
LabelColumn = Literal["label_zh", "label"]
OTHER = "其他"
# Chinese names for the usual grouping columns on axis titles; other columns show as they are.
_COLUMN_NAMES = {"article_id": "文章", "date": "日期", "page": "版面", "headline": "标题"}


def _names(mentions: pd.DataFrame, label: LabelColumn) -> dict[str, str]:
    if label == "label" or "label_zh" not in mentions:
        return {k: k for k in mentions["label"].unique()}
    return mentions.groupby("label")["label_zh"].first().to_dict()


def _count(mentions: pd.DataFrame, keys: list[str], measure: Measure) -> pd.Series:
    grouped = mentions.groupby(keys, dropna=False)
    return grouped["article_id"].nunique() if measure == "articles" else grouped.size()


@renamed(by="hue", top="n")
def industries(
    mentions: pd.DataFrame,
    *,
    hue: str | None = None,
    ax=None,
    measure: Measure = "articles",
    n: int | None = None,
    label: LabelColumn = "label_zh",
) -> Axes:
    """Horizontal bar chart: how many articles (or hits) mention each industry.

    Args:
        mentions: output of :func:`zzanalysis.industry_mentions`.
        hue: optional column to split each bar by (stacked, with a legend), e.g. ``"page"``
            (formerly ``by=``).
        ax: Axes to draw on; a new figure when ``None``.
        measure: ``"articles"`` (distinct articles with a hit) or ``"hits"``.
        n: keep only the ``n`` industries with the largest totals (formerly ``top=``).
        label: industry names on the axis: Chinese (``label_zh``) or the key (``label``).

    Returns:
        The Axes; the largest bar is at the top, its value written at the bar's end.

    Example:
        >>> ax = zz.plot.industries(zz.industry_mentions(arts))
        >>> zz.plot.savefig(ax, "../figures/03_industries.png")
    """
    require(mentions, ["article_id", "label", *([hue] if hue else [])], func="industries", what="mentions")
    names = _names(mentions, label)
    total = _count(mentions, ["label"], measure)
    order = sorted(total.index, key=lambda k: (-total[k], k))[:n]
    ax = new_axes(ax, (7, 0.45 * len(order) + 1.2))
    # barh draws the first row at the bottom; reverse so the largest bar is on top.
    rows = order[::-1]
    y = range(len(rows))
    if hue is None:
        bars = ax.barh(y, [total[k] for k in rows], color="#3b6ea5")
        ax.bar_label(bars, padding=2)
    else:
        table = _count(mentions, ["label", hue], measure).unstack(hue, fill_value=0)
        import matplotlib as mpl

        colours = mpl.colormaps["tab10"]
        left = pd.Series(0, index=rows)
        for j, group in enumerate(table.columns):
            widths = table[group].reindex(rows, fill_value=0)
            ax.barh(y, widths.to_numpy(), left=left.to_numpy(), color=colours(j % 10),
                    label=tick_text(group, 12))
            left = left + widths
        ax.legend(title=_COLUMN_NAMES.get(hue, hue), frameon=False, loc="lower right")
    ax.set_yticks(list(y), [names[k] for k in rows])
    ax.xaxis.set_major_locator(integer_ticks())
    ax.set_xlabel("文章数" if measure == "articles" else "提及次数")
    ax.set_title("各产业被提及的" + ("文章数" if measure == "articles" else "次数"))
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.1)
    apply_font(ax)
    return ax


@renamed(by="x")
def industry_heatmap(
    mentions: pd.DataFrame,
    *,
    x: str = "article_id",
    ax=None,
    measure: Measure = "hits",
    label: LabelColumn = "label_zh",
    column_label: str | None = None,
    cmap: str = "Blues",
) -> Axes:
    """Heatmap of industries (rows) × articles or dates (columns), cells the number of hits.

    Args:
        mentions: output of :func:`zzanalysis.industry_mentions`.
        x: column for the columns of the map (formerly ``by=``); ``"date"`` gives industry × date.
        ax: Axes to draw on; a new figure when ``None``.
        measure: ``"hits"`` or ``"articles"`` (distinct articles, useful with ``x="date"``).
        label: industry names: Chinese (``label_zh``) or the key (``label``).
        column_label: column whose value names each column of the map, shortened to 12
            characters; default ``headline`` when ``x`` is ``article_id`` and mentions carry it.
        cmap: matplotlib colormap name.

    Returns:
        The Axes; every non-zero cell carries its number, and the colorbar is on its own Axes.

    Example:
        >>> zz.plot.industry_heatmap(zz.industry_mentions(arts))
    """
    require(mentions, ["article_id", "label", x], func="industry_heatmap", what="mentions")
    names = _names(mentions, label)
    table = _count(mentions, ["label", x], measure).unstack(x, fill_value=0)
    table = table.loc[sorted(table.index, key=lambda k: (-table.loc[k].sum(), k))]
    table = table[sorted(table.columns)]
    if column_label is None and x == "article_id" and "headline" in mentions:
        column_label = "headline"
    if column_label is not None:
        first = mentions.groupby(x)[column_label].first()
        ticks = [tick_text(first[c], 12) for c in table.columns]
    else:
        ticks = [tick_text(c, 12) for c in table.columns]
    ax = new_axes(ax, (0.7 * len(table.columns) + 3, 0.4 * len(table.index) + 2))
    image = ax.imshow(table.to_numpy(), cmap=cmap, aspect="auto", vmin=0)
    peak = table.to_numpy().max()
    for i in range(table.shape[0]):
        for j in range(table.shape[1]):
            value = int(table.iat[i, j])
            if value:
                ax.text(j, i, str(value), ha="center", va="center", fontsize=8,
                        color="white" if value > peak / 2 else "black")
    ax.set_xticks(range(table.shape[1]), ticks, rotation=45, ha="right")
    ax.set_yticks(range(table.shape[0]), [names[k] for k in table.index])
    unit = "（提及次数）" if measure == "hits" else "（文章数）"
    ax.set_title(f"产业 × {_COLUMN_NAMES.get(x, x)}{unit}")
    colorbar = ax.figure.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    colorbar.set_label("提及次数" if measure == "hits" else "文章数")
    colorbar.ax.yaxis.set_major_locator(integer_ticks())
    apply_font(colorbar.ax)
    apply_font(ax)
    return ax


def co_mentions(
    mentions: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    ax=None,
    label: LabelColumn = "label_zh",
    cmap: str = "Purples",
) -> Axes:
    """Heatmap of :func:`zzanalysis.co_mentions`: articles mentioning both industries.

    Args:
        mentions: output of :func:`zzanalysis.industry_mentions`.
        by: the unit of co-occurrence (default ``"article_id"``; see :func:`zzanalysis.co_mentions`).
        ax: Axes to draw on; a new figure when ``None``.
        label: industry names: Chinese (``label_zh``) or the key (``label``).
        cmap: matplotlib colormap name.

    Returns:
        The Axes; each cell carries its count, the diagonal the articles mentioning that industry.

    Example:
        >>> zz.plot.co_mentions(zz.industry_mentions(arts))
    """
    from ..industries import co_mentions as co_matrix

    columns = [by] if isinstance(by, str) else list(by or ["article_id"])
    require(mentions, ["label", *columns], func="co_mentions", what="mentions")
    names = _names(mentions, label)
    pairs = co_matrix(mentions, by=by)
    order = list(dict.fromkeys(pairs["label_1"]))  # most mentioned first, as co_mentions orders them
    matrix = pairs.pivot(index="label_1", columns="label_2", values="units").loc[order, order]
    n = len(matrix)
    ax = new_axes(ax, (0.45 * n + 3, 0.45 * n + 2))
    image = ax.imshow(matrix.to_numpy(), cmap=cmap, vmin=0)
    peak = matrix.to_numpy().max()
    for i in range(n):
        for j in range(n):
            value = int(matrix.iat[i, j])
            if value:
                ax.text(j, i, str(value), ha="center", va="center", fontsize=8,
                        color="white" if value > peak / 2 else "black")
    labels = [names[k] for k in matrix.index]
    ax.set_xticks(range(n), labels, rotation=45, ha="right")
    ax.set_yticks(range(n), labels)
    names_of_unit = "、".join(_COLUMN_NAMES.get(c, c) for c in columns)
    unit = "同一篇文章" if columns == ["article_id"] else f"同一{names_of_unit}"
    ax.set_title(f"产业共现（{unit}同时提及）")
    colorbar = ax.figure.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    colorbar.set_label("文章数")
    colorbar.ax.yaxis.set_major_locator(integer_ticks())
    apply_font(colorbar.ax)
    apply_font(ax)
    return ax


@renamed(by="x", top="n")
def share_of_voice(
    mentions: pd.DataFrame,
    *,
    x: str = "date",
    ax=None,
    n: int = 6,
    label: LabelColumn = "label_zh",
) -> Axes:
    """Share of voice over time: each industry's share of all industry hits per date (or group).

    The ``n`` industries by total hits get a line each; the rest are summed as 其他, so the
    points at each date add up to 1. With a single date the chart shows one point per industry.

    Args:
        mentions: output of :func:`zzanalysis.industry_mentions` (needs the ``x`` column).
        x: the time column (formerly ``by=``).
        ax: Axes to draw on; a new figure when ``None``.
        n: number of industries drawn separately (formerly ``top=``).
        label: industry names: Chinese (``label_zh``) or the key (``label``).

    Returns:
        The Axes, one line (with markers) per industry, y in [0, 1].

    Example:
        >>> zz.plot.share_of_voice(zz.industry_mentions(zz.read_corpus("data/raw").articles))
    """
    require(mentions, ["label", x], func="share_of_voice", what="mentions")
    names = _names(mentions, label)
    totals = mentions["label"].value_counts()
    keep = sorted(totals.index, key=lambda k: (-totals[k], k))[:n]
    series = mentions["label"].where(mentions["label"].isin(keep), OTHER)
    counts = pd.crosstab(mentions[x], series)
    share = counts.div(counts.sum(axis=1), axis=0)
    columns = keep + ([OTHER] if OTHER in share.columns else [])
    ax = new_axes(ax, (8, 4))
    import matplotlib as mpl

    colours = mpl.colormaps["tab10"]
    for j, key in enumerate(columns):
        ax.plot(share.index, share[key].to_numpy(), marker="o", color=colours(j % 10),
                label=names.get(key, key))
    if len(share.index) <= 12:
        # Few dates: tick exactly at them rather than at matplotlib's hourly guesses.
        ax.set_xticks(list(share.index), [tick_text(v, 12) for v in share.index])
    # One date: a line needs two points, so the title says so rather than implying a trend.
    one_date = len(share.index) == 1
    ax.set_title("各产业声量占比（仅一期，无法看出变化）" if one_date else "各产业声量占比随时间变化")
    ax.set_ylim(0, 1)
    ax.set_ylabel("占全部产业提及的比例")
    ax.set_xlabel(_COLUMN_NAMES.get(x, x))
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.spines[["top", "right"]].set_visible(False)
    apply_font(ax)
    return ax
