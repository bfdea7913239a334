"""Execute the notebooks on any folder of pages with papermill, outputs under one folder.

``make run DATA=… OUT=…`` and ``zzanalysis report`` use this. The curated notebooks in
``notebooks/`` are only read: each executed copy, its figures and nothing else go under ``out``.
"""
from __future__ import annotations

import logging
import os
import sys
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path

from .paths import NOTEBOOKS, resolve_path

# Seconds a cell may run: a year of pages takes a few minutes in the slowest cell.
CELL_TIMEOUT = 1200


def notebook_paths(names: Sequence[str] | None = None) -> list[Path]:
    """The curated notebooks (``notebooks/NN_*.ipynb``, in order), or those whose names start with ``names``.

    Raises:
        FileNotFoundError: a name matches no notebook.
    """
    every = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if names is None:
        return every
    chosen = []
    for name in names:
        found = [p for p in every if p.name.startswith(name)]
        if not found:
            raise FileNotFoundError(f"no notebook {name!r} in {NOTEBOOKS} (there are: {', '.join(p.name for p in every)})")
        chosen += found
    return chosen


def run_notebooks(
    data: str | Path,
    out: str | Path,
    *,
    notebooks: Sequence[str] | None = None,
    progress: bool = True,
) -> list[Path]:
    """Execute every notebook on the pages in ``data``, writing executed copies and figures under ``out``.

    The parameters cell of each notebook gets ``DATA`` (the absolute folder) and ``FIGURES``
    (``out/figures``); the kernel starts in ``notebooks/``, so the package is imported as it is
    in the curated runs. Kernel start-up chatter is kept off the terminal; a notebook that fails
    stops the run with papermill's error naming the cell.

    Args:
        data: the folder of page files (relative paths are read from ``notebooks/``, see
            :func:`zzanalysis.resolve_path`; ``make`` passes absolute ones).
        out: the output folder, created when missing.
        notebooks: name prefixes (``["01", "03"]``) to run only some.
        progress: print one line per notebook and where the outputs went.

    Returns:
        The paths of the executed notebooks, in order.

    Raises:
        FileNotFoundError: ``data`` is not a folder (the message names its absolute path).
        papermill.PapermillExecutionError: a cell raised; the executed copy up to it is written.

    Example:
        >>> zz.runner.run_notebooks("/path/to/pages", "reports/2023")  # doctest: +SKIP
    """
    import papermill

    data = resolve_path(data, must="dir")
    out = Path(os.path.abspath(out))
    figures = out / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    # Same token order and set iteration as the curated runs: the kernel inherits the environment.
    os.environ.setdefault("PYTHONHASHSEED", "0")
    written = []
    # Kernels talk over IPC sockets in a private folder, not TCP: on a shared machine two kernels
    # started in the same second can be handed the same free port and hang their clients.
    with _quiet(), tempfile.TemporaryDirectory(prefix="zz_kernels_") as sockets:
        for nb in notebook_paths(notebooks):
            target = out / nb.name
            if progress:
                print(f"running {nb.name} on {data} …", file=sys.stderr, flush=True)
            km = _kernel_manager(sockets, nb.stem[:2])
            try:
                papermill.execute_notebook(
                    str(nb), str(target), parameters={"DATA": str(data), "FIGURES": str(figures)},
                    cwd=str(NOTEBOOKS), kernel_name="python3", progress_bar=False, log_output=False, km=km,
                    # a cell that never answers fails with a timeout instead of holding the run forever
                    execution_timeout=CELL_TIMEOUT,
                    # the kernel's own start-up warnings (TCP transport) are not the user's concern
                    extra_arguments=["--IPKernelApp.log_level=ERROR"],
                )
            finally:
                _shutdown(km)
            written.append(target)
    if progress:
        print(f"wrote {len(written)} notebooks to {out} and their figures to {figures}", file=sys.stderr, flush=True)
    return written


def execute_in_place(paths: Sequence[str | Path], *, progress: bool = True) -> None:
    """Execute the curated notebooks top to bottom in fresh kernels and store them (``make notebooks``).

    No timing metadata and no live-widget views are stored, so a rerun on the same data leaves
    the files byte-identical; kernels use IPC sockets, as in :func:`run_notebooks`.

    Raises:
        nbclient.exceptions.CellExecutionError: a cell raised; the file is left as it was.
    """
    import nbformat
    from nbclient import NotebookClient

    os.environ.setdefault("PYTHONHASHSEED", "0")
    with _quiet(), tempfile.TemporaryDirectory(prefix="zz_kernels_") as sockets:
        for i, path in enumerate(map(Path, paths)):
            if progress:
                print(f"executing {path.name} …", file=sys.stderr, flush=True)
            nb = nbformat.read(path, as_version=4)
            km = _kernel_manager(sockets, str(i))
            try:
                NotebookClient(nb, km=km, record_timing=False, timeout=CELL_TIMEOUT,
                               extra_arguments=["--IPKernelApp.log_level=ERROR"],
                               resources={"metadata": {"path": str(path.parent.resolve())}}).execute()
            finally:
                _shutdown(km)
            nbformat.write(nb, path)
    drop_widget_views(paths)


def drop_widget_views(paths: Sequence[str | Path]) -> None:
    """Remove live-widget outputs (``zz.explore``'s app) from executed notebooks, in place.

    A widget view only names a model by a random id, so it would change the stored notebook on
    every run while showing nothing outside a live JupyterLab; the cells after it show its tables.
    Run after executing the curated notebooks (``make notebooks``) so reruns leave them unchanged.
    """
    import nbformat

    for path in paths:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.outputs if _WIDGET_VIEW not in o.get("data", {})]
        nb.metadata.pop("widgets", None)
        nbformat.write(nb, path)


_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


class _quiet:
    """Silence papermill's INFO log and the Jupyter client's warnings for the duration of a run."""

    def __enter__(self):
        self._logger = logging.getLogger("papermill")
        self._level = self._logger.level
        self._logger.setLevel(logging.WARNING)
        self._warnings = warnings.catch_warnings()
        self._warnings.__enter__()
        warnings.filterwarnings("ignore", module="jupyter_client")
        warnings.filterwarnings("ignore", module="zmq")
        return self

    def __exit__(self, *exc):
        self._warnings.__exit__(*exc)
        self._logger.setLevel(self._level)
        return False


def _kernel_manager(sockets: str, name: str):
    """A kernel on IPC sockets under ``sockets`` whose client re-checks its sockets every second.

    A kernel manager handed to papermill or nbclient is not shut down by them (they only stop
    kernels they started), so every caller shuts it down with :func:`_shutdown`.
    """
    from jupyter_client.manager import AsyncKernelManager

    return AsyncKernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, name),
                              client_class="zzanalysis._kernel_client.PatientKernelClient")


def _shutdown(km) -> None:
    from jupyter_core.utils import run_sync

    if km.has_kernel:
        run_sync(km.shutdown_kernel)(now=True)
