"""Charts of what a corpus holds: articles per page, article lengths, who wrote them."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .._deprecate import renamed
from ._base import new_axes, tick_text
from ._fonts import apply_font

if TYPE_CHECKING:
    from matplotlib.axes import Axes

KIND_COLORS = {"article": "#4C72B0", "teaser": "#DD8452", "photo": "#55A868"}


def articles_per_page(articles: pd.DataFrame, *, ax=None) -> Axes:
    """Bar chart: number of article fragments on each page, stacked by ``kind``.

    Args:
        articles: the articles table (uses ``date``, ``page``, ``kind``).
        ax: the Axes to draw on (default: a new figure).

    Returns:
        The matplotlib Axes.

    Example:
        >>> zz.plot.articles_per_page(corpus.articles)  # doctest: +SKIP
    """
    ax = new_axes(ax, (max(4, 0.6 * articles[["date", "page"]].drop_duplicates().shape[0] + 3), 4))
    counts = (
        articles.assign(where=articles["date"].dt.strftime("%Y-%m-%d") + " 第" + articles["page"].astype(str) + "版")
        .groupby(["where", "kind"]).size().unstack("kind", fill_value=0).sort_index()
    )
    bottom = pd.Series(0, index=counts.index)
    for kind in [k for k in KIND_COLORS if k in counts.columns]:
        ax.bar(counts.index, counts[kind], bottom=bottom, label=kind, color=KIND_COLORS[kind])
        bottom = bottom + counts[kind]
    ax.set_ylabel("篇数")
    ax.set_title("每版稿件数")
    ax.legend(title="类型")
    apply_font(ax)
    return ax


def article_lengths(articles: pd.DataFrame, *, ax=None) -> Axes:
    """Horizontal bars: length of each article in characters (``n_chars``), in page order.

    Args:
        articles: the articles table (uses ``headline``, ``n_chars``, ``kind``, ``position``).
        ax: the Axes to draw on.

    Returns:
        The matplotlib Axes; one bar per article, labelled with its (shortened) headline.

    Example:
        >>> zz.plot.article_lengths(issue.articles)  # doctest: +SKIP
    """
    ax = new_axes(ax, (8, 0.45 * len(articles) + 1.5))
    rows = articles.iloc[::-1]  # first article on top
    labels = [tick_text(h, 18) if h else "（无标题）" for h in rows["headline"]]
    ax.barh(labels, rows["n_chars"], color=[KIND_COLORS.get(k, "grey") for k in rows["kind"]])
    for y, n in enumerate(rows["n_chars"]):
        ax.text(n, y, f" {n}", va="center", fontsize=8)
    ax.set_xlabel("字数")
    ax.set_title("稿件长度")
    ax.margins(x=0.12)
    apply_font(ax)
    return ax


@renamed(top="n")
def value_counts(frame: pd.DataFrame, column: str, *, n: int = 20, title: str | None = None, ax=None) -> Axes:
    """Horizontal bars: how often each value of ``column`` occurs (list columns are exploded).

    Args:
        frame: any table, e.g. articles.
        column: e.g. ``"source"``, ``"reporters"``, ``"correspondents"``, ``"column"``.
        n: show the ``n`` most frequent values (ties broken alphabetically; formerly ``top=``).
        title: chart title (default: the column name).
        ax: the Axes to draw on.

    Returns:
        The matplotlib Axes.

    Example:
        >>> zz.plot.value_counts(corpus.articles, "reporters")  # doctest: +SKIP
    """
    values = frame[column].explode().dropna()
    counts = (
        values.value_counts().rename_axis("value").reset_index(name="n")
        .sort_values(["n", "value"], ascending=[False, True], kind="stable").head(n)
    )
    ax = new_axes(ax, (6, 0.4 * len(counts) + 1.5))
    ax.barh(counts["value"].iloc[::-1], counts["n"].iloc[::-1], color="#4C72B0")
    ax.set_xlabel("篇数")
    ax.set_title(title or column)
    ax.xaxis.get_major_locator().set_params(integer=True)
    apply_font(ax)
    return ax
