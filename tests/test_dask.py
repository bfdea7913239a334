"""The Dask path on a 2-worker LocalCluster gives exactly the pandas results."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import zzanalysis as zz


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Index reset and categoricals as their values: partitions have their own categories."""
    out = frame.reset_index(drop=True)
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(out[col].cat.categories.dtype)
    return out


def test_importing_zzanalysis_does_not_import_dask():
    code = "import sys, zzanalysis; assert not any(m == 'dask' or m.startswith('dask.') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      local_directory=str(tmp_path_factory.mktemp("dask"))) as cluster, Client(cluster) as c:
        # A set-up check, not a test of the package: the tests below need work shipped to processes.
        assert len(c.scheduler_info()["workers"]) == 2
        yield c


@pytest.fixture(scope="module", autouse=True)
def keep_pandas_strings():
    import dask

    # Dask turns the str columns it is given into string[pyarrow] (NA for missing) by default;
    # with that off, the partitions are the very frames pandas would get.
    with dask.config.set({"dataframe.convert-string": False}):
        yield


@pytest.fixture(scope="module")
def frames(sample_issue, keep_pandas_strings):
    import dask.dataframe as dd

    paragraphs, articles = sample_issue.paragraphs, sample_issue.articles
    return paragraphs, articles, dd.from_pandas(paragraphs, npartitions=3), dd.from_pandas(articles, npartitions=3)


def test_tokenize_equals_pandas(client, frames):
    from zzanalysis import dask as zzd

    paragraphs, _, dparas, _ = frames
    assert dparas.npartitions == 3
    got = zzd.tokenize(dparas, cache=False).compute()
    pd.testing.assert_frame_equal(_plain(got), _plain(zz.tokenize(paragraphs, cache=False)))
    assert len(got) > 1000


@pytest.mark.parametrize("by", [None, "role", ["article_id", "role"]])
def test_term_frequency_equals_pandas(client, frames, by):
    from zzanalysis import dask as zzd

    paragraphs, _, dparas, _ = frames
    got = zzd.term_frequency(zzd.tokenize(dparas, cache=False), by=by, min_count=2).compute()
    want = zz.term_frequency(zz.tokenize(paragraphs, cache=False), by=by, min_count=2)
    pd.testing.assert_frame_equal(_plain(got), _plain(want))
    if by is None:
        assert got.iloc[0]["token"] == "株洲" and got.iloc[0]["count"] == want.iloc[0]["count"]


@pytest.mark.parametrize("which", ["articles", "paragraphs"])
def test_industry_mentions_equal_pandas(client, frames, which):
    from zzanalysis import dask as zzd

    paragraphs, articles, dparas, darts = frames
    pframe, dframe = (articles, darts) if which == "articles" else (paragraphs, dparas)
    got = zzd.industry_mentions(dframe).compute()
    want = zz.industry_mentions(pframe)
    assert len(want) > 10
    pd.testing.assert_frame_equal(_plain(got), _plain(want))


def test_extract_indicators_equals_pandas(client, frames):
    from zzanalysis import dask as zzd

    paragraphs, _, dparas, _ = frames
    got = zzd.extract_indicators(dparas).compute()
    want = zz.extract_indicators(paragraphs)
    assert len(want) > 10
    pd.testing.assert_frame_equal(_plain(got), _plain(want))


def test_dask_reads_the_parquet_dataset(client, tmp_path, sample_path, monkeypatch):
    from zzanalysis import dask as zzd

    monkeypatch.setenv("ZZ_CACHE_DIR", str(tmp_path / "cache"))
    corpus = zz.read_corpus(sample_path)
    tokens = zz.tokenize(corpus.paragraphs, cache=False)
    corpus.to_parquet(tmp_path / "ds", tokens=tokens)
    dtokens = zzd.read_parquet(tmp_path / "ds", table="tokens")
    assert dtokens["year"].astype(int).unique().compute().tolist() == [2023]
    got = zzd.term_frequency(dtokens).compute()
    pd.testing.assert_frame_equal(_plain(got), _plain(zz.term_frequency(tokens)))
