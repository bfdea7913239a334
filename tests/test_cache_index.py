"""The parse cache's file index: stat data vouch for unchanged files, hashing decides the rest.

Every guarantee is checked on real files, changed the ways that fool a stat-only check: same
size, mtime set back with os.utime, a file replaced by another under its name; and against a
cold load (``cache=False``) of the same files.
"""
from __future__ import annotations

import os
import shutil
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest

import zzanalysis as zz
from zzanalysis import loader

ROOT = Path(__file__).resolve().parents[1]
PAGE2 = ROOT / "tests" / "data" / "pages" / "zzrb-2023-04-27-p02.md"
TABLES = ("issues", "articles", "paragraphs", "problems")
# the two stories the sample page starts and page 2 of the same issue continues
JOINED = {"zzrb-2023-04-27-p02-a01": "zzrb-2023-04-27-p01-a02", "zzrb-2023-04-27-p02-a02": "zzrb-2023-04-27-p01-a07"}
JUMP_INFO = ["zzrb-2023-04-27-p01-a02: jump 下转02版①: page 2 of zzrb-2023-04-27 is not in the corpus",
             "zzrb-2023-04-27-p01-a07: jump 下转02版②: page 2 of zzrb-2023-04-27 is not in the corpus"]


@pytest.fixture
def files(tmp_path, monkeypatch, sample_path):
    """The sample page and page 2 of its issue in tmp_path/pages, older than the racy window
    (shortened to 50 ms so the test need not wait 2 s), the cache in tmp_path/cache."""
    assert PAGE2.is_file(), f"fixture missing: {PAGE2}"
    monkeypatch.setenv("ZZ_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(loader, "_RACY_NS", 50_000_000)
    folder = tmp_path / "pages"
    folder.mkdir()
    for page in (sample_path, PAGE2):
        shutil.copy(page, folder / page.name)
    time.sleep(0.1)
    return folder


@pytest.fixture
def reads(monkeypatch):
    """Names of the page files read (to hash or to parse), in order; not the package's own
    sources, which the cache's version digest reads once per session."""
    names: list[str] = []
    real = Path.read_bytes

    def counting(self):
        if self.suffix == ".md":
            names.append(self.name)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    return names


def assert_cold(corpus: zz.Corpus, folder: Path):
    cold = zz.read_corpus(folder, cache=False)
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(corpus, name), getattr(cold, name), check_exact=True)


def stories(corpus: zz.Corpus) -> dict[str, str]:
    """``{article_id: story_id}`` of the fragments that continue another page's story."""
    a = corpus.articles
    return dict(a.loc[a["story_id"] != a["article_id"], ["article_id", "story_id"]].values.tolist())


def index_stamp(tmp_path) -> int:
    pointers = [t for t in (loader._FileIndex.load(zz.cache.ParquetCache("corpus", root=tmp_path / "cache"), p.stem)
                            for p in (tmp_path / "cache" / "corpus").glob("*.parquet")) if t is not None]
    assert len(pointers) == 1
    return pointers[0].stamp


def test_an_unchanged_folder_is_read_from_its_index_without_reading_a_file(files, reads, parses):
    cold = zz.read_corpus(files)
    assert sorted(reads) == sorted(parses) == ["zzrb-2023-04-27-p01.md", "zzrb-2023-04-27-p02.md"]
    reads.clear(), parses.clear()
    warm = zz.read_corpus(files)
    assert reads == [] and parses == []
    assert stories(warm) == JOINED  # cached with the snapshot, as linked across the two pages
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(warm, name), getattr(cold, name), check_exact=True)
    assert_cold(warm, files)


@pytest.mark.parametrize("how", ["same size, mtime set back", "replaced by a renamed file, mtime set back"])
def test_changed_bytes_with_the_same_size_and_mtime_are_parsed_again(files, reads, parses, how):
    zz.read_corpus(files)
    page = files / PAGE2.name
    before = page.stat()
    data = page.read_bytes()
    changed = data.replace("春季植树".encode(), "秋季植树".encode(), 1)
    assert len(changed) == len(data) and changed != data
    if how.startswith("same size"):
        page.write_bytes(changed)
    else:  # as editors save: a new file renamed over the old one
        (files / "new.tmp").write_bytes(changed)
        os.replace(files / "new.tmp", page)
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = page.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    reads.clear(), parses.clear()
    corpus = zz.read_corpus(files)
    assert parses == [PAGE2.name]
    assert reads == [PAGE2.name]  # the other page is vouched for by its stat data
    assert corpus.articles["headline"].tolist().count("我市启动秋季植树护绿行动") == 1
    assert stories(corpus) == JOINED
    assert_cold(corpus, files)


def test_files_changed_within_the_racy_window_are_hashed_on_every_reload(files, reads, parses, monkeypatch):
    # A file written shortly before its stat data were recorded could change again within the
    # file system's clock tick without any stat field moving. The window (2 s; see the table
    # test below) is widened to an hour here, so that a slow machine cannot close it mid-test.
    monkeypatch.setattr(loader, "_RACY_NS", 3600 * 10**9)
    cold = zz.read_corpus(files)
    for _ in range(2):
        reads.clear(), parses.clear()
        warm = zz.read_corpus(files)
        assert sorted(reads) == ["zzrb-2023-04-27-p01.md", PAGE2.name]  # copied moments before
        assert parses == []  # the same bytes
        for name in TABLES:
            pd.testing.assert_frame_equal(getattr(warm, name), getattr(cold, name), check_exact=True)


def test_a_touched_file_is_hashed_once_and_then_vouched_for(files, reads, parses, tmp_path):
    zz.read_corpus(files)
    stamp = index_stamp(tmp_path)
    page = files / PAGE2.name
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns - 10**9))
    time.sleep(0.1)
    reads.clear(), parses.clear()
    zz.read_corpus(files)
    assert reads == [PAGE2.name] and parses == []
    assert index_stamp(tmp_path) > stamp  # its new stat data recorded
    reads.clear()
    assert_cold(zz.read_corpus(files), files)
    assert reads.count(PAGE2.name) == 1  # by the cold load only


def test_a_new_page_joins_the_cached_ones_and_its_stories_link_across(files, reads, parses):
    (files / PAGE2.name).unlink()
    alone = zz.read_corpus(files)
    assert stories(alone) == {}
    assert alone.problems["reason"].tolist() == JUMP_INFO
    shutil.copy(PAGE2, files / PAGE2.name)
    time.sleep(0.1)
    reads.clear(), parses.clear()
    joined = zz.read_corpus(files)
    assert reads == parses == [PAGE2.name]
    assert stories(joined) == JOINED
    assert joined.problems.empty
    assert_cold(joined, files)


def test_a_deleted_page_leaves_the_tables_and_its_jumps_are_reported(files, reads, parses):
    zz.read_corpus(files)
    (files / PAGE2.name).unlink()
    reads.clear(), parses.clear()
    corpus = zz.read_corpus(files)
    assert reads == [] and parses == []
    assert not corpus.articles["article_id"].str.startswith("zzrb-2023-04-27-p02").any()
    assert corpus.issues["page_id"].tolist() == ["zzrb-2023-04-27-p01"]
    assert stories(corpus) == {}
    assert corpus.problems["severity"].tolist() == ["info", "info"]
    assert corpus.problems["line"].tolist() == [56, 164]
    assert corpus.problems["reason"].tolist() == JUMP_INFO
    assert_cold(corpus, files)
    reads.clear()
    again = zz.read_corpus(files)  # the unmatched jumps come from the cache now
    assert again.problems["reason"].tolist() == JUMP_INFO
    assert reads.count("zzrb-2023-04-27-p01.md") == 0


S = 10**9  # one second in ns
# (size, mtime_ns, ctime_ns, inode) recorded when the clock read `stamp`
@pytest.mark.parametrize("recorded, stamp, racy", [
    ((1000, 100 * S, 100 * S, 7), 103 * S, False),      # recorded 3 s after the last change
    ((1000, 100 * S, 100 * S, 7), 102 * S + 1, False),  # just outside the 2 s window
    ((1000, 100 * S, 100 * S, 7), 102 * S, True),       # 2 s after: a write in the same tick could hide
    ((1000, 100 * S, 100 * S, 7), 100 * S, True),       # in the same tick
    ((1000, 90 * S, 101 * S, 7), 103 * S, True),        # ctime decides: mtime was set back
    ((1000, 105 * S, 90 * S, 7), 103 * S, True),        # an mtime in the future (another clock)
])
def test_stat_data_recorded_within_2_s_of_a_change_are_racy(recorded, stamp, racy):
    assert loader._racy(recorded, stamp) is (racy or not loader._STAT_VOUCHES)
    index = loader._FileIndex("snapshot", stamp, {"a.md": (recorded, "sha")})
    assert ("a.md" in index.vouchable) is not (racy or not loader._STAT_VOUCHES)


@pytest.mark.parametrize("cache_at, cached", [
    ("pages/.cache", False),         # inside the page folder (hidden: not listed as a page)
    ("pages", False),                # the page folder itself
    ("link/.cache", False),          # inside it, named through a symlink
    ("pages-cache", True),           # beside it, with a name that starts the same
    ("cache", True),
])
def test_the_cache_is_never_kept_inside_the_folder_it_caches(files, tmp_path, monkeypatch, cache_at, cached):
    (tmp_path / "link").symlink_to(files, target_is_directory=True)
    monkeypatch.setenv("ZZ_CACHE_DIR", str(tmp_path / cache_at))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = zz.read_corpus(files)
    inside = [w for w in caught if "is inside the page folder" in str(w.message)]
    assert len(inside) == (0 if cached else 1)
    assert (tmp_path / cache_at / "corpus").is_dir() is cached
    assert_cold(corpus, files)
