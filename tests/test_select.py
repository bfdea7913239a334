"""filter_frame / filter_corpus: date ranges (inclusive days), pages, sections; on a multi-date corpus."""
from __future__ import annotations

import dataclasses

import datetime as dt
import sys

import pandas as pd
import pytest

import zzanalysis as zz
from zzanalysis.errors import ColumnError
from zzanalysis.paths import ROOT

FRAME = pd.DataFrame({
    "article_id": ["a1", "a2", "a3", "a4", "a5"],
    "date": pd.to_datetime(["2023-01-30", "2023-01-31", "2023-01-31", "2023-02-01", None]),
    "page": [1, 2, 1, 2, 1],
    "section": ["要闻", "综合", "要闻", "综合", None],
})


@pytest.mark.parametrize("options, kept", [
    ({}, ["a1", "a2", "a3", "a4", "a5"]),
    ({"start": "2023-01-31"}, ["a2", "a3", "a4"]),
    ({"end": "2023-01-31"}, ["a1", "a2", "a3"]),  # the end day is included
    ({"start": "2023-01-31", "end": "2023-01-31"}, ["a2", "a3"]),
    ({"pages": 1}, ["a1", "a3", "a5"]),
    ({"pages": [2]}, ["a2", "a4"]),
    ({"sections": "综合"}, ["a2", "a4"]),
    ({"sections": ["要闻"], "end": "2023-01-30"}, ["a1"]),
    ({"start": dt.date(2023, 2, 1), "pages": [1, 2]}, ["a4"]),
])
def test_filter_frame(options, kept):
    before = FRAME.copy()
    out = zz.filter_frame(FRAME, **options)
    assert list(out["article_id"]) == kept
    pd.testing.assert_frame_equal(FRAME, before)  # the caller's frame is untouched


def test_filter_frame_end_with_time_keeps_the_whole_day():
    timed = FRAME.assign(date=FRAME["date"] + pd.Timedelta(hours=18))
    assert list(zz.filter_frame(timed, end="2023-01-31")["article_id"]) == ["a1", "a2", "a3"]


def test_start_after_end_is_an_error():
    with pytest.raises(ValueError, match="start 2023-02-01 is after end 2023-01-30"):
        zz.filter_frame(FRAME, start="2023-02-01", end="2023-01-30")


def test_missing_column_names_it():
    with pytest.raises(ColumnError, match=r"filter_frame\(\) needs column\(s\) \[.section.\]; the frame has \[.article_id., .date., .page.\]"):
        zz.filter_frame(FRAME.drop(columns="section"), sections="要闻")


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from make_archive import make_archive

    out = tmp_path_factory.mktemp("archive")
    make_archive(out, days=3, seed=1, start=dt.date(2023, 1, 30), pages=2)
    return zz.read_corpus(out, cache=False)


@pytest.mark.parametrize("options, page_ids", [
    ({"start": "2023-01-31"}, ["zzrb-2023-01-31-p01", "zzrb-2023-01-31-p02", "zzrb-2023-02-01-p01", "zzrb-2023-02-01-p02"]),
    ({"end": "2023-01-30"}, ["zzrb-2023-01-30-p01", "zzrb-2023-01-30-p02"]),
    ({"pages": 2, "start": "2023-02-01"}, ["zzrb-2023-02-01-p02"]),
    ({"start": "2023-03-01"}, []),
])
def test_filter_corpus_keeps_tables_consistent(archive, options, page_ids):
    part = zz.filter_corpus(archive, **options)
    assert list(part.issues["page_id"]) == page_ids
    # every kept article is on a kept page, and every article of a kept page is kept
    prefixes = tuple(f"{p}-a" for p in page_ids)
    expected_articles = [a for a in archive.articles["article_id"] if a.startswith(prefixes)] if page_ids else []
    assert list(part.articles["article_id"]) == expected_articles
    assert set(part.paragraphs["article_id"]) == set(expected_articles)
    expected_paras = archive.paragraphs["article_id"].isin(expected_articles).sum()
    assert len(part.paragraphs) == expected_paras
    assert type(part) is type(archive)


def test_filter_corpus_by_section_and_as_a_method():
    # The sample front page has no 版名; its page 2 fixture prints "02 要闻" in its header.
    corpus = zz.read_corpus([ROOT / "data/raw/zzrb-2023-04-27-p01.md",
                             ROOT / "tests/data/pages/zzrb-2023-04-27-p02.md"], cache=False)
    part = corpus.filter(sections="要闻")
    assert list(part.issues["page_id"]) == ["zzrb-2023-04-27-p02"]
    assert set(part.articles["page"]) == {2}
    assert list(corpus.filter(pages=1).articles["article_id"]) == list(zz.filter_corpus(corpus, pages=1).articles["article_id"])
    assert len(corpus.filter(pages=1).articles) == 9


def test_filter_corpus_without_sections_column_is_an_error(archive):
    no_section = dataclasses.replace(archive, issues=archive.issues.drop(columns="section"))
    with pytest.raises(ColumnError, match=r"filter_corpus\(\) needs column\(s\) \[.section.\]; corpus.issues has"):
        zz.filter_corpus(no_section, sections="要闻")
