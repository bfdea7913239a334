"""Corpus.to_parquet / read_parquet: a year-partitioned dataset that round-trips and that
pandas, pyarrow and DuckDB read as is; counts made one year at a time."""
from __future__ import annotations

import pandas as pd
import pytest

import zzanalysis as zz

TABLES = ("issues", "articles", "paragraphs", "problems")


@pytest.fixture
def two_years(tmp_path_factory, sample_path):
    """The sample page, and the same page dated a year later (2024-04-27 is a Saturday)."""
    folder = tmp_path_factory.mktemp("pages")
    text = sample_path.read_text(encoding="utf-8")
    (folder / sample_path.name).write_text(text, encoding="utf-8")
    later = text.replace("2023年4月27日 星期四", "2024年4月27日 星期六").replace("第23288期", "第23654期")
    (folder / "zzrb-2024-04-27-p01.md").write_text(later, encoding="utf-8")
    return folder


@pytest.fixture
def corpus(two_years, tmp_path, monkeypatch):
    monkeypatch.setenv("ZZ_CACHE_DIR", str(tmp_path / "cache"))
    c = zz.read_corpus(two_years)
    assert c.issues["date"].dt.year.tolist() == [2023, 2024]
    return c


@pytest.fixture
def tokens(corpus):
    return zz.tokenize(corpus.paragraphs, cache=False)


@pytest.fixture
def dataset(corpus, tokens, tmp_path):
    return corpus.to_parquet(tmp_path / "ds", tokens=tokens)


def test_layout_is_partitioned_by_year(dataset):
    files = sorted(str(p.relative_to(dataset)) for p in dataset.rglob("*.parquet"))
    assert files == [
        "articles/year=2023/part-0.parquet", "articles/year=2024/part-0.parquet",
        "issues/year=2023/part-0.parquet", "issues/year=2024/part-0.parquet",
        "paragraphs/year=2023/part-0.parquet", "paragraphs/year=2024/part-0.parquet",
        "problems/part-0.parquet",
        "tokens/year=2023/part-0.parquet", "tokens/year=2024/part-0.parquet",
    ]


def test_round_trip_gives_equal_frames(corpus, tokens, dataset):
    back = zz.read_parquet(dataset)
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(back, name), getattr(corpus, name))
    pd.testing.assert_frame_equal(zz.read_parquet(dataset, table="tokens"), tokens)
    reporters = back.articles.set_index("article_id")["reporters"]
    assert reporters["zzrb-2024-04-27-p01-a02"] == ["余建斌", "吴齐强", "邱超奕"]
    assert isinstance(back.issues["extras"].iloc[0], list)


def test_one_year_and_some_columns(corpus, dataset):
    arts = zz.read_parquet(dataset, table="articles", years=2024, columns=["article_id", "reporters"])
    assert list(arts.columns) == ["article_id", "reporters"]
    assert len(arts) == 9 and arts["article_id"].str.startswith("zzrb-2024-").all()
    assert arts["reporters"].iloc[0] == ["温琳"]
    assert [y for y, _ in zz.iter_years(dataset, table="paragraphs")] == [2023, 2024]


def test_rewriting_replaces_and_leaves_no_temporary_folders(corpus, dataset):
    single = zz.Corpus(corpus.issues.iloc[:1], corpus.articles.iloc[:9], corpus.paragraphs.iloc[:72], corpus.problems)
    single.to_parquet(dataset)
    assert [y for y, _ in zz.iter_years(dataset, table="articles")] == [2023]
    assert not [p for p in dataset.iterdir() if p.name.startswith(".")]
    assert not (dataset / "tokens").exists()  # the old corpus's tokens would not match


def test_pandas_and_pyarrow_read_it_as_is(corpus, dataset):
    import pyarrow.dataset as ds

    arts = pd.read_parquet(dataset / "articles")
    assert len(arts) == 18 and sorted(arts["year"].astype(int).unique()) == [2023, 2024]
    assert list(arts["reporters"].iloc[1]) == ["余建斌", "吴齐强", "邱超奕"]
    table = ds.dataset(dataset / "paragraphs", partitioning="hive").to_table()
    assert table.num_rows == len(corpus.paragraphs)


def test_duckdb_reads_it(corpus, dataset):
    import duckdb

    con = duckdb.connect()
    rows = con.sql(f"""
        select year, count(*) as n, sum(len(reporters)) as reporters
        from read_parquet('{dataset}/articles/*/*.parquet', hive_partitioning = true)
        group by year order by year""").fetchall()
    per_year = corpus.articles.groupby(corpus.articles["date"].dt.year)
    want = [(y, len(g), int(g["reporters"].str.len().sum())) for y, g in per_year]
    assert rows == want
    top = con.sql(f"""
        select token, count(*) as n from read_parquet('{dataset}/tokens/*/*.parquet', hive_partitioning = true)
        group by token order by n desc, token limit 1""").fetchall()
    assert top == [("株洲", 2 * int((zz.tokenize(corpus.paragraphs[corpus.paragraphs['issue_id'] == 'zzrb-2023-04-27'],
                                                  cache=False)["token"] == "株洲").sum()))]


def test_term_frequency_by_year_equals_per_year_counts(tokens, dataset):
    got = zz.term_frequency_by_year(dataset, by="role", min_count=2)
    years = tokens["date"].dt.year
    want = pd.concat([zz.term_frequency(tokens[years == y], by="role", min_count=2).assign(year=y)
                      for y in (2023, 2024)], ignore_index=True)
    want = want[["year", *[c for c in want.columns if c != "year"]]]
    pd.testing.assert_frame_equal(got, want)
    assert got.groupby("year")["count"].sum().tolist()[0] == got.groupby("year")["count"].sum().tolist()[1]


def test_term_frequency_by_year_tokenizes_when_no_tokens_were_stored(corpus, tokens, tmp_path):
    path = corpus.to_parquet(tmp_path / "no-tokens")
    got = zz.term_frequency_by_year(path, years=2024, cache=False)
    want = zz.term_frequency(tokens[tokens["date"].dt.year == 2024]).assign(year=2024)
    pd.testing.assert_frame_equal(got, want[["year", *[c for c in want.columns if c != "year"]]])


def test_industry_summary_by_year_equals_per_year_summary(corpus, dataset):
    got = zz.industry_summary_by_year(dataset)
    parts = []
    for year in (2023, 2024):
        arts = corpus.articles[corpus.articles["date"].dt.year == year].reset_index(drop=True)
        parts.append(zz.industry_summary(zz.industry_mentions(arts), arts).assign(year=year))
    want = pd.concat(parts, ignore_index=True)
    pd.testing.assert_frame_equal(got, want[["year", *[c for c in want.columns if c != "year"]]])
    rail = got[got["label"] == "rail_transit"].set_index("year")["hits"]
    assert rail[2023] == rail[2024] > 0


def test_tokens_need_a_year(corpus, tmp_path):
    with pytest.raises(ValueError, match="date"):
        corpus.to_parquet(tmp_path / "x", tokens=pd.DataFrame({"token": ["株洲"]}))


@pytest.mark.parametrize("name, home", [
    ("read_parquet", "zzanalysis.corpus"),
    ("iter_years", "zzanalysis.storage"),
    ("term_frequency_by_year", "zzanalysis.yearly"),
    ("industry_summary_by_year", "zzanalysis.yearly"),
])
def test_public_names_live_above_storage(name, home):
    # zz.<name> is the public path; storage keeps no shim for names that moved up, which would
    # import its own importers
    import importlib

    assert getattr(zz, name) is getattr(importlib.import_module(home), name)
    assert (home == "zzanalysis.storage") == hasattr(zz.storage, name)


def test_storage_writes_any_object_with_the_four_tables(corpus, tmp_path):
    from types import SimpleNamespace

    tables = SimpleNamespace(issues=corpus.issues, articles=corpus.articles, paragraphs=corpus.paragraphs,
                             problems=corpus.problems)
    path = zz.storage.write_parquet(tables, tmp_path / "plain")
    pd.testing.assert_frame_equal(zz.storage.read_table(path, table="articles", years=2024),
                                  corpus.articles.iloc[9:].reset_index(drop=True))
    pd.testing.assert_frame_equal(zz.storage.read_problems(path), corpus.problems)
    assert list(zz.storage.read_problems(tmp_path).columns) == ["path", "line", "severity", "reason"]


@pytest.mark.parametrize("kwargs, error, match", [
    ({"table": "problems"}, ValueError, "table must be one of"),
    ({"columns": ["article_id"]}, ValueError, "columns= needs table="),
])
def test_read_parquet_refuses_what_it_cannot_read(dataset, kwargs, error, match):
    with pytest.raises(error, match=match):
        zz.read_parquet(dataset, **kwargs)


def test_storage_imports_no_analysis_and_no_corpus():
    # storage stores and reads tables; analyses and the corpus module import it, never the other
    # way round (imports inside functions included)
    import ast
    from pathlib import Path

    source = Path(zz.storage.__file__).read_text(encoding="utf-8")
    imported = {node.module for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom)}
    assert imported & {"frequency", "industries", "tokens", "indicators", "yearly", "corpus", "loader"} == set()
    assert "tables" in imported
