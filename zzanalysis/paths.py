"""Where things are: the repository's folders, and paths given relative to the notebooks.

The notebooks' parameters are written as they would be typed in ``notebooks/``
(``DATA = "../data/raw"``). A kernel started elsewhere (JupyterLab opened at the repository root,
papermill run from another folder) would read them against the wrong folder, so
:func:`resolve_path` reads a relative path against ``notebooks/`` always. Paths are derived
once, here, from this file's place in the repository (an editable install, as ``make`` does it).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
DATA_RAW = ROOT / "data" / "raw"
FIGURES = ROOT / "figures"


def resolve_path(
    path: str | Path,
    *,
    must: Literal["exist", "dir", "file", "create_dir"] = "exist",
) -> Path:
    """An absolute path for ``path``, relative paths being read from ``notebooks/``.

    Args:
        path: absolute, ``~/…``, or relative to the repository's ``notebooks/`` folder
            (``"../data/raw"`` is ``<repository>/data/raw`` whatever the working directory).
        must: ``"exist"`` (file or folder), ``"dir"``, ``"file"``, or ``"create_dir"`` (a folder
            for outputs, made with its parents when missing).

    Returns:
        The absolute, normalised path.

    Raises:
        FileNotFoundError: the path does not exist (or is not of the kind asked for); the message
            names the absolute path and what was given.
        NotADirectoryError: ``"create_dir"`` on a path that is a file.

    Example:
        >>> DATA = "../data/raw"                       # the notebooks' parameters cell
        >>> corpus = zz.read_corpus(zz.resolve_path(DATA, must="dir"), errors="warn")  # doctest: +SKIP
    """
    given = Path(path).expanduser()
    full = given if given.is_absolute() else NOTEBOOKS / given
    # normpath folds "notebooks/../data" without touching the disk, so a missing folder is
    # still reported by its clean absolute name.
    full = Path(os.path.normpath(full))
    if must == "create_dir":
        if full.exists() and not full.is_dir():
            raise NotADirectoryError(f"not a folder: {full} (given as {str(path)!r})")
        full.mkdir(parents=True, exist_ok=True)
        return full
    ok = {"exist": full.exists(), "dir": full.is_dir(), "file": full.is_file()}[must]
    if not ok:
        what = {"exist": "no such file or folder", "dir": "no such folder", "file": "no such file"}[must]
        raise FileNotFoundError(f"{what}: {full} (given as {str(path)!r}, relative paths are read from {NOTEBOOKS})")
    return full

