"""Shared fixtures: the sample front page, parsed once per session, figure clean-up, and a test
run that keeps to itself.

Self-contained: every test gets its own cache folder (``ZZ_CACHE_DIR``) and its own Hypothesis
example database, and matplotlib's config and font cache go to a folder of the session that is
removed at the end, so a run writes nothing to ``$HOME`` (check: ``HOME=$(mktemp -d) pytest tests``
leaves that folder empty) and no test sees another's cached results.
"""
from __future__ import annotations

import gc
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.database import DirectoryBasedExampleDatabase

# Property tests check what the code returns, not how fast: Hypothesis' default deadline (200 ms
# an example) would be a fixed time limit that a busy machine fails; growth is assert_linear's.
settings.register_profile("zz", deadline=None)
# CI runs the property tests on a fixed sequence of examples, so a submission's result does not
# depend on luck; locally they explore new examples each run (benchmarks/fuzz.py explores longer).
settings.register_profile("ci", parent=settings.get_profile("zz"), derandomize=True, database=None)
settings.load_profile("ci" if os.environ.get("CI") else "zz")

ROOT = Path(__file__).resolve().parents[1]
_SESSION_DIRS: list[str] = []


def pytest_configure(config):
    # Before any test module imports matplotlib, which reads MPLCONFIGDIR once, at import; a folder
    # the developer chose is kept.
    if "MPLCONFIGDIR" not in os.environ:
        folder = tempfile.mkdtemp(prefix="zz-tests-mpl-")
        _SESSION_DIRS.append(folder)
        os.environ["MPLCONFIGDIR"] = folder
    # Hypothesis keeps more than examples under its home (constants and Unicode tables it
    # caches), by default .hypothesis/ in the working folder.
    folder = tempfile.mkdtemp(prefix="zz-tests-hypothesis-")
    _SESSION_DIRS.append(folder)
    set_hypothesis_home_dir(folder)
    # Processes the tests start inherit these: Jupyter kernels running the notebooks (IPython's
    # profile, connection files, and the package's own cache when a module-scoped fixture reads a
    # corpus outside any one test) and Chromium opening the report (its profile, dconf). Each
    # test still gets its own ZZ_CACHE_DIR from _own_cache_and_examples.
    folder = tempfile.mkdtemp(prefix="zz-tests-home-")
    _SESSION_DIRS.append(folder)
    for name, sub in (("ZZ_CACHE_DIR", "zz-cache"), ("IPYTHONDIR", "ipython"),
                      ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"), ("XDG_CONFIG_HOME", "config"),
                      ("XDG_CACHE_HOME", "cache"), ("XDG_DATA_HOME", "data")):
        os.environ[name] = os.path.join(folder, sub)


def pytest_unconfigure(config):
    for folder in _SESSION_DIRS:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def _own_cache_and_examples(tmp_path_factory, monkeypatch):
    """A fresh cache folder and Hypothesis database for each test, outside $HOME."""
    folder = tmp_path_factory.mktemp("isolated")
    monkeypatch.setenv("ZZ_CACHE_DIR", str(folder / "zz-cache"))
    before = settings.default
    # The CI profile replays a fixed sequence of examples and keeps no database.
    database = None if before.database is None else DirectoryBasedExampleDatabase(str(folder / "hypothesis"))
    settings.register_profile("zz-isolated", parent=before, database=database)
    settings.load_profile("zz-isolated")
    yield
    settings.register_profile("zz-restored", parent=before)
    settings.load_profile("zz-restored")


def _seconds(fn, arg) -> float:
    # CPU time of this process, not wall time: other work on a shared machine does not count.
    # The collector is off while timing, as in timeit: in a test process holding many objects a
    # full collection costs more than the call, and whether one falls inside a call is chance.
    gc.disable()
    try:
        started = time.process_time()
        fn(arg)
        return time.process_time() - started
    finally:
        gc.enable()


@pytest.fixture
def assert_linear():
    """``assert_linear(fn, make, n)``: doubling the input at most about doubles ``fn``'s time.

    ``make(n)`` builds an input of size ``n``; ``n`` is doubled until one call takes at least
    0.1 s of CPU time, so timer resolution does not decide. Then ``fn`` runs on inputs of size
    ``n`` and ``2n`` in turn, five times; the median of the five time ratios must stay under
    ``max_ratio`` (3 by default) in one of three such attempts: linear work gives about 2,
    quadratic about 4 on every attempt. Pairs of adjacent runs, the median and the attempts keep
    a busy, shared machine from deciding; there are no fixed seconds, so a slow machine passes
    as well as a fast one.
    """

    def check(fn, make, n: int, *, max_ratio: float = 3.0) -> None:
        fn(make(n))  # warm-up: lazy loads and caches are not growth
        while _seconds(fn, make(n)) < 0.1 and n < 1 << 24:
            n *= 2
        small, large = make(n), make(2 * n)
        medians = []
        # A neighbour's burst can lift one median past the limit; quadratic work stays near 4 on
        # every attempt, so three medians over the limit are growth, not noise.
        for _ in range(3):
            ratios = sorted(_seconds(fn, large) / _seconds(fn, small) for _ in range(5))
            medians.append(round(ratios[2], 2))
            if ratios[2] < max_ratio:
                return
        raise AssertionError(
            f"{getattr(fn, '__name__', fn)} at n={n} and 2n: median time ratios {medians} in three "
            "attempts of five runs each, linear is about 2"
        )

    return check


SAMPLE = ROOT / "data" / "raw" / "zzrb-2023-04-27-p01.md"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    # Missing data fails, never skips: the sample is part of the repository.
    assert SAMPLE.is_file(), f"sample page missing: {SAMPLE}"
    return SAMPLE


@pytest.fixture(scope="session")
def sample_issue(sample_path):
    import zzanalysis as zz

    return zz.read_issue(sample_path)


@pytest.fixture(scope="session")
def sample_articles(sample_issue):
    return sample_issue.articles


@pytest.fixture(scope="session")
def sample_paragraphs(sample_issue):
    return sample_issue.paragraphs


@pytest.fixture
def assert_spans_in_text():
    """``assert_spans_in_text(rows, articles, column)``: each row's ``start``/``end`` point at
    ``row[column]`` in its paragraph (``field`` ``text``, ``para_no`` 1-based) or heading, and
    its ``sentence`` holds it — the provenance every mention table promises."""

    def check(rows, articles, column: str) -> None:
        arts = articles.set_index("article_id")
        for row in rows.itertuples():
            source = arts.loc[row.article_id, row.field]
            text = source.split("\n")[row.para_no - 1] if row.field == "text" else source
            found = getattr(row, column)
            assert text[row.start:row.end] == found, row
            assert found in row.sentence, row

    return check


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


@pytest.fixture
def parses(monkeypatch):
    """The pages parsed, in order (n_jobs=1 parses in this process; read_corpus parses to rows)."""
    from zzanalysis import reader

    calls: list[str] = []
    real = reader._parse_rows

    def counting(text, *, path=None, sha256=None, **options):
        calls.append(Path(path).name)
        return real(text, path=path, sha256=sha256, **options)

    monkeypatch.setattr(reader, "_parse_rows", counting)
    return calls
