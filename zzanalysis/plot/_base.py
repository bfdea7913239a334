"""Small pieces every chart module uses."""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..errors import ColumnError


def new_axes(ax, figsize):
    """``ax`` itself, or the Axes of a new figure of ``figsize`` when it is None."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=figsize)[1]


def require(frame: pd.DataFrame, columns: Sequence[str], *, func: str, what: str) -> None:
    """Raise ColumnError naming the missing columns, or ValueError when there are no rows to plot."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ColumnError(f"plot.{func}", missing, frame.columns)
    if frame.empty:
        raise ValueError(f"plot.{func}(): no {what} to plot")


def tick_text(value, width: int = 14) -> str:
    """A label for a tick: dates as YYYY-MM-DD, missing as —, long text cut with …."""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    text = "—" if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def integer_ticks():
    """A locator for counts: whole numbers only."""
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)
