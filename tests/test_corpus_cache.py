"""read_corpus at scale: the Parquet parse cache, parallel parsing, the progress bar."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

import zzanalysis as zz
from zzanalysis import reader

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("issues", "articles", "paragraphs", "problems")


def _make_archive():
    spec = importlib.util.spec_from_file_location("make_archive", ROOT / "benchmarks" / "make_archive.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_archive


@pytest.fixture
def archive(tmp_path, monkeypatch):
    """Three synthetic days (24 pages) in tmp_path/archive, the cache in tmp_path/cache."""
    monkeypatch.setenv("ZZ_CACHE_DIR", str(tmp_path / "cache"))
    _make_archive()(tmp_path / "archive", days=3, seed=1)
    return tmp_path / "archive"


@pytest.fixture
def parses(monkeypatch):
    """The pages parsed, in order (n_jobs=1 parses in this process; read_corpus parses to rows)."""
    calls: list[str] = []
    real = reader._parse_rows

    def counting(text, *, path=None, sha256=None):
        calls.append(Path(path).name)
        return real(text, path=path, sha256=sha256)

    monkeypatch.setattr(reader, "_parse_rows", counting)
    return calls


def assert_same(a: zz.Corpus, b: zz.Corpus):
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))


def test_synthetic_archive_reads_without_problems(archive):
    corpus = zz.read_corpus(archive, errors="raise", cache=False)
    assert len(corpus.issues) == 24
    # the archive's README is listed as skipped, the one row of problems
    assert corpus.problems.values.tolist() == [
        [str(archive / "README"), pd.NA, "warning", "skipped: a note beside the pages (README, licence …), not a page"]]
    assert corpus.issues["issue_no"].dropna().tolist() == [23172, 23173, 23174]  # 2023-01-01..03
    assert corpus.issues["weekday"].unique().tolist() == ["星期日", "星期一", "星期二"]
    assert (corpus.issues["extras"].str[0] == "【合成数据，仅供测试】").all()


def test_synthetic_archive_is_deterministic_and_prefix_consistent(tmp_path):
    make = _make_archive()
    a = make(tmp_path / "a", days=2, seed=7)
    b = make(tmp_path / "b", days=3, seed=7)
    c = make(tmp_path / "c", days=2, seed=8)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b[:16]]
    assert [p.read_bytes() for p in a] != [p.read_bytes() for p in c]
    assert "FOR BENCHMARKS AND TESTS ONLY" in (tmp_path / "a" / "README").read_text(encoding="utf-8")
    with pytest.raises(SystemExit, match="data/raw"):
        make(ROOT / "data" / "raw" / "synthetic", days=1)


def test_unchanged_archive_is_read_from_the_cache(archive, parses, tmp_path):
    cold = zz.read_corpus(archive)
    assert len(parses) == 24
    files = sorted((tmp_path / "cache" / "corpus").glob("*.parquet"))
    assert len(files) == 4  # issues, articles, paragraphs and the pointer to them
    mtimes = [f.stat().st_mtime_ns for f in files]
    warm = zz.read_corpus(archive)
    assert len(parses) == 24  # not called again
    assert [f.stat().st_mtime_ns for f in files] == mtimes  # nothing rewritten
    assert_same(warm, cold)
    assert_same(warm, zz.read_corpus(archive, cache=False))


def test_a_changed_file_is_parsed_alone(archive, parses):
    zz.read_corpus(archive)
    page = archive / "2023" / "01" / "zzrb-2023-01-02-p03.md"
    text = page.read_text(encoding="utf-8")
    first = next(line for line in text.split("\n") if line.startswith("## "))
    page.write_text(text.replace(first, "## 改过的标题", 1), encoding="utf-8")
    parses.clear()
    corpus = zz.read_corpus(archive)
    assert parses == [page.name]
    assert (corpus.articles["headline"] == "改过的标题").sum() == 1
    page3 = corpus.articles[corpus.articles["issue_id"].eq("zzrb-2023-01-02") & corpus.articles["page"].eq(3)]
    assert page3["headline"].iloc[0] == "改过的标题"
    assert_same(corpus, zz.read_corpus(archive, cache=False))
    parses.clear()
    zz.read_corpus(archive)
    assert parses == []


def test_same_size_change_is_seen(archive, parses):
    """Keyed on content, not size or mtime: swapping two digits is a change."""
    zz.read_corpus(archive)
    page = archive / "2023" / "01" / "zzrb-2023-01-01-p05.md"
    data = page.read_bytes()
    body_digit = next(i for i in range(len(data) - 1, 0, -1) if data[i:i + 1].isdigit() and data[i:i + 1] != b"7")
    swapped = data[:body_digit] + b"7" + data[body_digit + 1:]
    assert len(swapped) == len(data) and swapped != data
    page.write_bytes(swapped)
    parses.clear()
    corpus = zz.read_corpus(archive)
    assert parses == [page.name]
    assert_same(corpus, zz.read_corpus(archive, cache=False))


def test_an_added_file_is_parsed_alone_and_a_removed_one_disappears(archive, parses, sample_path):
    zz.read_corpus(archive)
    added = archive / "2023" / "04" / sample_path.name
    added.parent.mkdir()
    added.write_bytes(sample_path.read_bytes())
    parses.clear()
    corpus = zz.read_corpus(archive)
    assert parses == [added.name]
    assert "zzrb-2023-04-27-p01" in corpus.issues["page_id"].tolist()
    assert_same(corpus, zz.read_corpus(archive, cache=False))

    removed = archive / "2023" / "01" / "zzrb-2023-01-03-p08.md"
    removed.unlink()
    parses.clear()
    corpus = zz.read_corpus(archive)
    assert parses == []
    assert "zzrb-2023-01-03-p08" not in corpus.issues["page_id"].tolist()
    assert not corpus.articles["article_id"].str.startswith("zzrb-2023-01-03-p08-").any()
    assert len(corpus.issues) == 24
    assert_same(corpus, zz.read_corpus(archive, cache=False))


@pytest.mark.parametrize("damage", [b"", b"PAR1 not really parquet", None])
def test_a_damaged_cache_entry_is_ignored_and_rebuilt(archive, parses, tmp_path, damage):
    cold = zz.read_corpus(archive)
    entries = sorted((tmp_path / "cache" / "corpus").glob("*.parquet"), key=lambda p: p.stat().st_size)
    biggest = entries[-1]  # the paragraphs
    if damage is None:
        biggest.write_bytes(biggest.read_bytes()[: biggest.stat().st_size // 2])  # cut off
    else:
        biggest.write_bytes(damage)
    parses.clear()
    again = zz.read_corpus(archive)
    assert len(parses) == 24
    assert_same(again, cold)
    parses.clear()
    assert_same(zz.read_corpus(archive), cold)
    assert parses == []


def test_a_new_parser_version_parses_again(archive, parses, monkeypatch):
    zz.read_corpus(archive)
    monkeypatch.setattr(reader, "PARSER_VERSION", "test-next")
    parses.clear()
    zz.read_corpus(archive)
    assert len(parses) == 24


def test_problems_survive_the_cache_and_bad_files_are_retried(archive, parses, sample_path):
    (archive / "broken.md").write_bytes(b"\x00\x01binary")
    (archive / "copy.md").write_bytes((archive / "2023" / "01" / "zzrb-2023-01-01-p01.md").read_bytes())
    cold = zz.read_corpus(archive, errors="skip")
    assert cold.problems["severity"].tolist() == ["warning", "error", "warning"]
    assert cold.problems["reason"].str.startswith(("skipped: a note", "binary data", "duplicate of")).all()
    parses.clear()
    warm = zz.read_corpus(archive, errors="skip")
    assert parses == []  # binary data fails before parsing; nothing else is parsed
    assert_same(warm, cold)
    with pytest.raises(zz.ParseError, match="broken.md"):
        zz.read_corpus(archive)


def test_same_page_twice_keeps_the_first_file_only_cold_and_cached(archive, parses):
    first = archive / "2023" / "01" / "zzrb-2023-01-02-p04.md"
    other = archive / "zzrb-2023-01-02-p04-copy.md"
    other.write_text(first.read_text(encoding="utf-8").replace("。", "！", 1), encoding="utf-8")
    cold = zz.read_corpus(archive, errors="skip", cache=False)
    assert cold.problems["path"].tolist() == [str(archive / "README"), str(other)]
    assert "same page (zzrb-2023-01-02-p04)" in cold.problems["reason"].iloc[1]
    page = cold.articles[cold.articles["article_id"].str.startswith("zzrb-2023-01-02-p04-")]
    assert page["position"].tolist() == list(range(1, len(page) + 1))  # one copy of each article
    assert_same(zz.read_corpus(archive, errors="skip"), cold)
    parses.clear()
    assert_same(zz.read_corpus(archive, errors="skip"), cold)
    assert parses == [other.name]  # the rejected file is not cached: it is tried again


def test_two_processes_give_the_same_corpus(archive):
    one = zz.read_corpus(archive, cache=False, n_jobs=1)
    two = zz.read_corpus(archive, cache=False, n_jobs=2)
    assert_same(two, one)


def test_nothing_is_written_into_the_page_folder(archive, tmp_path):
    before = sorted(p.relative_to(archive) for p in archive.rglob("*"))
    zz.read_corpus(archive)
    zz.read_corpus(archive)
    assert sorted(p.relative_to(archive) for p in archive.rglob("*")) == before
    assert list((tmp_path / "cache" / "corpus").glob("*.parquet"))


def test_cache_false_reads_and_writes_no_cache(archive, tmp_path):
    zz.read_corpus(archive, cache=False)
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize("progress, shown", [(True, True), (False, False), (None, False)])
def test_progress_bar(archive, capsys, progress, shown):
    zz.read_corpus(archive, progress=progress, cache=False)
    err = capsys.readouterr().err
    assert ("parsing" in err) is shown  # None: pytest's stderr is no terminal, so quiet
