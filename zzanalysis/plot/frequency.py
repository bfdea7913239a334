"""Charts for term frequencies: top terms, keyness, trends, a term × group heatmap, word clouds.

Each function takes the long-form frame that the matching function in ``zzanalysis.frequency``
returns, accepts ``ax=``, returns the ``Axes`` it drew on and leaves global ``rcParams`` alone:
the CJK font is applied to what it drew (``apply_font``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import ColumnError
from ._base import new_axes
from ._fonts import apply_font, cjk_font_path

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["keyness", "term_heatmap", "term_trend", "top_terms", "wordcloud"]


def _one_row_per_term(frame: pd.DataFrame, term: str, func: str) -> None:
    if term not in frame.columns:
        raise ColumnError(f"plot.{func}", [term], frame.columns)
    if frame[term].duplicated().any():
        raise ValueError(
            f"plot.{func}() needs one row per {term}: this frame has several (one per group?); "
            "select one group first, e.g. freq[freq.article_id == '…']"
        )


def top_terms(
    freq: pd.DataFrame,
    *,
    n: int = 20,
    x: str = "count",
    term: str = "token",
    ax=None,
    color: str = "C0",
    title: str | None = None,
) -> Axes:
    """Horizontal bars of the ``n`` terms with the largest ``x``, the largest on top.

    Args:
        freq: one row per term, e.g. :func:`zzanalysis.term_frequency` without ``by`` (or one
            group of it).
        n: how many terms.
        x: the column giving bar length (``count``, ``per_10k``, ``tf_idf`` …).
        term: the column with the labels.
        ax: draw here instead of a new figure.
        color: bar colour.
        title: the chart title.

    Returns:
        The matplotlib Axes; its bars are ``ax.patches`` from top to bottom.

    Example:
        >>> tokens.pipe(zz.term_frequency).pipe(zz.plot.top_terms, n=15)  # doctest: +SKIP
    """
    _one_row_per_term(freq, term, "top_terms")
    top = freq.sort_values([x, term], ascending=[False, True], kind="mergesort").head(n)
    ax = new_axes(ax, (6, 0.3 * len(top) + 1))
    positions = np.arange(len(top))[::-1]
    bars = ax.barh(positions, top[x].to_numpy(dtype=float), color=color)
    ax.bar_label(bars, labels=[_fmt(v) for v in top[x]], padding=2, fontsize=8)
    ax.set_yticks(positions, labels=top[term].astype("str").tolist())
    ax.set_xlabel(x)
    ax.margins(x=0.12)
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        ax.set_title(title)
    apply_font(ax)
    return ax


def _fmt(value) -> str:
    value = float(value)
    return f"{value:.0f}" if value.is_integer() or abs(value) >= 100 else f"{value:.2g}"


def keyness(
    table: pd.DataFrame,
    *,
    n: int = 10,
    x: str = "g2",
    term: str = "token",
    ax=None,
    colors: tuple[str, str] = ("C3", "C0"),
    labels: tuple[str, str] = ("over-used in target", "under-used in target"),
    title: str | None = None,
) -> Axes:
    """Two-sided bars: the ``n`` most over-used terms to the right, the ``n`` most under-used
    to the left.

    Args:
        table: one row per term from :func:`zzanalysis.keyness` (one group of it when called
            with ``by=``).
        n: terms on each side.
        x: the signed score, ``g2`` or ``log_ratio``.
        term: the column with the labels.
        ax: draw here instead of a new figure.
        colors: colours of the positive and the negative bars.
        labels: legend entries of the positive and the negative bars.
        title: the chart title.

    Returns:
        The matplotlib Axes; ``ax.patches`` are the bars from top (most over-used) to bottom.

    Example:
        >>> zz.keyness(a, b).pipe(zz.plot.keyness, n=8)  # doctest: +SKIP
    """
    _one_row_per_term(table, term, "keyness")
    ordered = table.sort_values([x, term], ascending=[False, True], kind="mergesort")
    over = ordered[ordered[x] > 0].head(n)
    under = ordered[ordered[x] < 0].tail(n)
    shown = pd.concat([over, under])
    ax = new_axes(ax, (6, 0.3 * len(shown) + 1))
    positions = np.arange(len(shown))[::-1]
    values = shown[x].to_numpy(dtype=float)
    ax.barh(positions[: len(over)], values[: len(over)], color=colors[0], label=labels[0])
    ax.barh(positions[len(over):], values[len(over):], color=colors[1], label=labels[1])
    ax.set_yticks(positions, labels=shown[term].astype("str").tolist())
    ax.axvline(0, color="0.3", linewidth=0.8)
    ax.set_xlabel(x)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    if title:
        ax.set_title(title)
    apply_font(ax)
    return ax


def term_trend(
    trend: pd.DataFrame,
    *,
    x: str = "date",
    y: str = "per_10k",
    term: str = "token",
    ax=None,
    title: str | None = None,
) -> Axes:
    """One line per term over time, from :func:`zzanalysis.trend`.

    Periods without any tokens (missing ``share``) leave a gap in the line rather than a dip to 0.

    Args:
        trend: the long frame from :func:`zzanalysis.trend`.
        x: the time column.
        y: the value column (``per_10k``, ``share`` or ``count``).
        term: the column naming the series.
        ax: draw here instead of a new figure.
        title: the chart title.

    Returns:
        The matplotlib Axes; ``ax.lines`` in the order the terms first appear in ``trend``.

    Example:
        >>> tokens.pipe(zz.trend, ["株洲", "制造"]).pipe(zz.plot.term_trend)  # doctest: +SKIP
    """
    missing = [c for c in (x, y, term) if c not in trend.columns]
    if missing:
        raise ColumnError("plot.term_trend", missing, trend.columns)
    ax = new_axes(ax, (7, 3.5))
    for name, series in trend.groupby(term, sort=False, observed=True):
        series = series.sort_values(x, kind="mergesort")
        ax.plot(series[x].to_numpy(), series[y].to_numpy(dtype=float), marker="o", markersize=4,
                label=str(name))
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    # Rates start at zero; without it a flat series would fill the whole height.
    ax.set_ylim(bottom=0)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, fontsize=8)
    if pd.api.types.is_datetime64_any_dtype(trend[x]):
        ax.figure.autofmt_xdate()
    if title:
        ax.set_title(title)
    apply_font(ax)
    return ax


def term_heatmap(
    freq: pd.DataFrame,
    *,
    x: str,
    y: str = "token",
    value: str = "per_10k",
    n: int = 20,
    ax=None,
    cmap: str = "YlOrRd",
    annotate: bool = True,
    title: str | None = None,
) -> Axes:
    """A term × group heatmap: the ``n`` terms with the largest total ``value`` as rows, the
    groups ``x`` as columns, missing cells as 0.

    Args:
        freq: a long frame, e.g. :func:`zzanalysis.term_frequency` with ``by=x``.
        x: the group column (``article_id``, ``page``, ``date`` …).
        y: the term column.
        value: what the colour shows (``per_10k`` compares groups of different size).
        n: how many terms.
        ax: draw here instead of a new figure.
        cmap: a matplotlib colour map.
        annotate: write each cell's value in it.
        title: the chart title.

    Returns:
        The matplotlib Axes; ``ax.images[0].get_array()`` is the terms × groups matrix.

    Example:
        >>> tokens.pipe(zz.term_frequency, by="article_id").pipe(
        ...     zz.plot.term_heatmap, x="article_id")  # doctest: +SKIP
    """
    missing = [c for c in (x, y, value) if c not in freq.columns]
    if missing:
        raise ColumnError("plot.term_heatmap", missing, freq.columns)
    grid = freq.pivot_table(index=y, columns=x, values=value, aggfunc="sum", fill_value=0,
                            observed=True)
    order = grid.sum(axis=1).rename("total").reset_index().sort_values(
        ["total", y], ascending=[False, True], kind="mergesort"
    )
    grid = grid.loc[order[y].head(n)]
    ax = new_axes(ax, (0.7 * grid.shape[1] + 2.5, 0.3 * grid.shape[0] + 1.5))
    image = ax.imshow(grid.to_numpy(dtype=float), aspect="auto", cmap=cmap)
    ax.set_xticks(np.arange(grid.shape[1]), labels=[str(c) for c in grid.columns], rotation=45,
                  ha="right")
    ax.set_yticks(np.arange(grid.shape[0]), labels=[str(i) for i in grid.index])
    ax.set_xlabel(x)
    if annotate:
        cut = np.nanmax(grid.to_numpy(dtype=float)) / 2 if grid.size else 0
        for (row, col), v in np.ndenumerate(grid.to_numpy(dtype=float)):
            ax.text(col, row, _fmt(v), ha="center", va="center", fontsize=7,
                    color="white" if v > cut else "black")
    ax.figure.colorbar(image, ax=ax, label=value, shrink=0.8)
    if title:
        ax.set_title(title)
    apply_font(ax)
    return ax


def wordcloud(
    frequencies: pd.DataFrame | pd.Series | Mapping[str, float],
    *,
    term: str = "token",
    weight: str = "count",
    max_words: int = 100,
    width: int = 1000,
    height: int = 600,
    mask: np.ndarray | None = None,
    background_color: str = "white",
    colormap: str = "viridis",
    random_state: int = 42,
    ax=None,
    title: str | None = None,
) -> Axes:
    """A word cloud sized by ``weight``, drawn with the CJK font, the same every run.

    Uses ``wordcloud.WordCloud.generate_from_frequencies`` (so nothing is re-tokenized) with
    ``collocations=False`` and a fixed ``random_state`` for layout and colours.

    Args:
        frequencies: a frame with ``term`` and ``weight`` columns (one row per term), a Series
            indexed by term, or a dict term → weight. Non-positive weights are left out.
        term, weight: the columns to use from a frame.
        max_words: the most words to place.
        width, height: canvas size in pixels (ignored with a mask, which sets the size).
        mask: an image array; words go only where it is not white (255), as in ``wordcloud``.
        background_color: canvas colour.
        colormap: matplotlib colour map for the words.
        random_state: seed for placement and colours.
        ax: draw here instead of a new figure.
        title: the chart title.

    Returns:
        The matplotlib Axes holding the cloud as ``ax.images[0]`` (axis hidden).

    Example:
        >>> tokens.pipe(zz.term_frequency).pipe(zz.plot.wordcloud, max_words=80)  # doctest: +SKIP
    """
    from wordcloud import WordCloud

    if isinstance(frequencies, pd.DataFrame):
        _one_row_per_term(frequencies, term, "wordcloud")
        pairs = zip(frequencies[term].astype("str"), frequencies[weight].astype(float))
    elif isinstance(frequencies, pd.Series):
        pairs = zip(frequencies.index.astype("str"), frequencies.astype(float))
    else:
        pairs = ((str(k), float(v)) for k, v in frequencies.items())
    # Sorted input makes ties in weight land in the same order every run.
    weights = dict(sorted(((k, v) for k, v in pairs if v > 0), key=lambda kv: (-kv[1], kv[0])))
    if not weights:
        raise ValueError("plot.wordcloud() needs at least one term with a positive weight")
    cloud = WordCloud(
        font_path=str(cjk_font_path()),
        width=width,
        height=height,
        mask=mask,
        max_words=max_words,
        background_color=background_color,
        colormap=colormap,
        random_state=random_state,
        collocations=False,
    ).generate_from_frequencies(weights)
    size = (width, height) if mask is None else (mask.shape[1], mask.shape[0])
    ax = new_axes(ax, (10, 10 * size[1] / size[0]))
    ax.imshow(cloud.to_array(), interpolation="bilinear")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    apply_font(ax)
    return ax
