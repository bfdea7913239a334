"""Saving charts reproducibly."""
from __future__ import annotations

from pathlib import Path


def savefig(ax_or_fig, path: str | Path, *, dpi: int = 150) -> Path:
    """Save the figure holding ``ax_or_fig`` as a PNG, creating the folder; return the path.

    The PNG carries no software/version metadata, so rerunning a notebook on the same data
    writes the same bytes and leaves ``figures/`` unchanged in git.

    Example:
        >>> ax = zz.plot.top_terms(freq)  # doctest: +SKIP
        >>> zz.plot.savefig(ax, "../figures/02_top_terms.png")  # doctest: +SKIP
    """
    fig = getattr(ax_or_fig, "figure", ax_or_fig)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    return path
