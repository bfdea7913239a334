"""Charts of economic indicators: counts by category (and article), money amounts on a log
scale, ranks as a dot plot. Each takes the table of :func:`zzanalysis.extract_indicators`,
accepts ``ax=`` and returns the Axes it drew on; none changes matplotlib's global state.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import pandas as pd

from .._deprecate import renamed
from ._base import new_axes, require, tick_text
from ._fonts import apply_font

if TYPE_CHECKING:
    from matplotlib.axes import Axes

Annotate = Literal["text", "value", "none"]

# Chinese names of the columns charts are usually split by, for titles and legends.
_COLUMN_NAMES = {
    "category": "类别", "kind": "类型", "unit": "单位", "subject": "指标", "headline": "文章",
    "article_id": "文章", "date": "日期", "day": "日期", "page": "版面", "issue_id": "期次",
}
# Chinese magnitudes for amount labels: 4.69e10 元 → 469亿元.
_MAGNITUDES = ((1e8, "亿"), (1e4, "万"))


def format_amount(value: float, unit: str) -> str:
    """Write an amount the way the paper does: 4.69e10, 元 → ``469亿元``; 60000, 人 → ``6万人``.

    Example:
        >>> format_amount(9e9, "美元")
        '90亿美元'
    """
    for size, name in _MAGNITUDES:
        if abs(value) >= size:
            return f"{value / size:.4g}{name}{unit}"
    return f"{value:.4g}{unit}"


def _colors(n: int) -> list:
    # The default cycle repeats after 10 colours; tab20 keeps up to 20 stacks distinct.
    import matplotlib

    if n <= 10:
        return [f"C{i}" for i in range(n)]
    cmap = matplotlib.colormaps["tab20"]
    return [cmap(i % 20) for i in range(n)]


def _labels(frame: pd.DataFrame, label: str) -> list[str]:
    # A figure without a subject is labelled by its printed text, so no bar is nameless.
    names = frame[label].astype(object).where(frame[label].notna(), frame["text"].astype(object))
    return [tick_text(v) for v in names]


@renamed(top="n")
def indicator_counts(
    indicators: pd.DataFrame,
    *,
    by: str = "category",
    hue: str | None = None,
    ax=None,
    n: int | None = None,
) -> Axes:
    """Horizontal bar chart: how many indicators fall in each category (or article, kind …).

    Args:
        indicators: output of :func:`zzanalysis.extract_indicators`.
        by: column giving the bars, e.g. ``"category"``, ``"article_id"``, ``"headline"``.
        hue: optional column to stack each bar by, with a legend, e.g. ``"category"`` when
            ``by="headline"``.
        ax: Axes to draw on; a new figure when ``None``.
        n: keep only the ``n`` bars with the largest totals (formerly ``top=``).

    Returns:
        The Axes; the largest bar at the top, its total written at its end.

    Example:
        >>> corpus.articles.pipe(zz.extract_indicators).pipe(zz.plot.indicator_counts)  # doctest: +SKIP
    """
    require(indicators, [by] + ([hue] if hue else []), func="indicator_counts", what="indicators")
    if hue is None:
        table = indicators.groupby(by, dropna=False, sort=True).size().to_frame("n")
    else:
        table = indicators.groupby([by, hue], dropna=False, sort=True).size().unstack(hue, fill_value=0)
    totals = table.sum(axis=1)
    # Stable sort: equal totals keep their alphabetical order, so reruns draw the same chart.
    order = totals.sort_values(ascending=False, kind="stable").index
    if n is not None:
        order = order[:n]
    table = table.loc[order[::-1]]
    ax = new_axes(ax, (7, 0.45 * len(table) + 1.5))
    y = range(len(table))
    left = pd.Series(0, index=table.index)
    colors = _colors(len(table.columns))
    for col, color in zip(table.columns, colors):
        ax.barh(list(y), table[col].to_numpy(), left=left.to_numpy(), color=color,
                label=tick_text(col) if hue else None)
        left = left + table[col]
    for yi, total in zip(y, left):
        ax.annotate(f"{int(total)}", (total, yi), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(list(y), [tick_text(v, 18) for v in table.index])
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("指标数")
    ax.set_title(f"经济指标（按{_COLUMN_NAMES.get(by, by)}）")
    ax.margins(x=0.08)
    if hue is not None:
        # Outside the axes, so it never hides the longest bar or its total.
        ax.legend(title=_COLUMN_NAMES.get(hue, hue), fontsize=8, loc="upper left",
                  bbox_to_anchor=(1.01, 1), frameon=False)
    apply_font(ax)
    return ax


@renamed(top="n")
def money_amounts(
    indicators: pd.DataFrame,
    *,
    n: int | None = 15,
    label: str = "subject",
    annotate: Annotate = "text",
    ax=None,
) -> Axes:
    """Horizontal bars of money amounts on a log scale, largest at the top, each labelled.

    Amounts in different currencies (元, 美元) are drawn in their own colour with a legend and
    are not converted: the axis is "amount in its own currency".

    Args:
        indicators: output of :func:`zzanalysis.extract_indicators`; rows of kind ``money`` are used.
        n: keep the ``n`` largest amounts (all when ``None``; formerly ``top=``).
        label: column naming each bar (``subject`` by default; its printed text when missing).
        annotate: write at each bar's end the span as printed (``"text"``: ``超过90亿美元``),
            the amount in 亿/万 form (``"value"``: ``90亿美元``) or nothing (``"none"``).
        ax: Axes to draw on; a new figure when ``None``.

    Returns:
        The Axes, x axis logarithmic.

    Example:
        >>> zz.plot.money_amounts(indicators, n=10)  # doctest: +SKIP
    """
    money = indicators[indicators["kind"] == "money"] if "kind" in indicators else indicators
    require(money, ["value", "unit", "text", label], func="money_amounts", what="money amounts")
    money = money.sort_values("value", ascending=False, kind="stable")
    if n is not None:
        money = money.head(n)
    # Currencies in the order of their largest amount, so the legend reads like the chart.
    units = list(dict.fromkeys(money["unit"]))
    money = money.iloc[::-1]
    ax = new_axes(ax, (7, 0.45 * len(money) + 1.5))
    y = list(range(len(money)))
    for i, unit in enumerate(units):
        mask = (money["unit"] == unit).to_numpy()
        ax.barh([yi for yi, m in zip(y, mask) if m], money["value"].to_numpy()[mask], color=f"C{i}", label=unit)
    ax.set_xscale("log")
    if annotate != "none":
        texts = (money["text"].tolist() if annotate == "text"
                 else [format_amount(v, u) for v, u in zip(money["value"], money["unit"])])
        for yi, value, text in zip(y, money["value"], texts):
            ax.annotate(text, (value, yi), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(y, _labels(money, label))
    ax.set_xlabel("金额（对数刻度，各自币种）")
    ax.set_title("金额")
    xmin = money["value"].min()
    ax.set_xlim(xmin / 10, money["value"].max() * 30)
    if len(units) > 1:
        ax.legend(title="币种", fontsize=8, loc="lower right")
    apply_font(ax)
    return ax


def ranks(
    indicators: pd.DataFrame,
    *,
    label: str = "subject",
    ax=None,
) -> Axes:
    """Dot plot of ranks: one dot per ranking, its rank on the x axis (1 at the left).

    Args:
        indicators: output of :func:`zzanalysis.extract_indicators`; rows of kind ``rank`` are used.
        label: column naming each row (``subject`` by default; the printed text when missing).
        ax: Axes to draw on; a new figure when ``None``.

    Returns:
        The Axes; each dot is labelled with the rank as printed (``第三十二位``).

    Example:
        >>> zz.plot.ranks(indicators)  # doctest: +SKIP
    """
    rank = indicators[indicators["kind"] == "rank"] if "kind" in indicators else indicators
    require(rank, ["value", "text", label], func="ranks", what="ranks")
    rank = rank.sort_values("value", ascending=False, kind="stable")
    ax = new_axes(ax, (7, 0.5 * len(rank) + 1.5))
    y = list(range(len(rank)))
    values = rank["value"].to_numpy()
    ax.hlines(y, 0, values, color="0.85", zorder=1)
    ax.scatter(values, y, s=40, color="C3", zorder=2)
    for yi, value, text in zip(y, values, rank["text"]):
        ax.annotate(text, (value, yi), xytext=(6, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(y, _labels(rank, label))
    ax.set_xlim(0, max(values.max() * 1.25, 5))
    ax.set_ylim(-0.6, len(rank) - 0.4)
    ax.set_xlabel("名次（越靠左越前）")
    ax.set_title("排名")
    apply_font(ax)
    return ax
