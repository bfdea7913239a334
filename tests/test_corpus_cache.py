"""read_corpus at scale: the Parquet parse cache, parallel parsing, the progress bar."""
from __future__ import annotations

import hashlib
import importlib.util
import tempfile
import warnings
from pathlib import Path

import pandas as pd
import pytest

import zzanalysis as zz
from zzanalysis import reader
from zzanalysis.errors import PageWarning

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


@pytest.mark.parametrize("n_jobs", [2, 3])
def test_processes_parsing_from_both_ends_report_bad_files_as_one_does(archive, n_jobs, tmp_path, monkeypatch):
    """This process parses from the end of the file list, its workers from the start and hand
    their chunks back through files: binary files first, in the middle and last are reported
    as one process reports them, every page is read once, and no chunk file is left behind."""
    for name in ("0-broken.md", "2023/01/zzrb-2023-01-02-p00-broken.md", "zz-broken.md"):
        (archive / name).write_bytes(b"\x00\x01binary")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    one = zz.read_corpus(archive, cache=False, errors="skip")
    several = zz.read_corpus(archive, cache=False, errors="skip", n_jobs=n_jobs)
    assert_same(several, one)
    assert (len(several.issues), several.problems["severity"].tolist()) == (24, ["error", "error", "warning", "error"])
    assert several.problems["path"].tolist() == [str(archive / name) for name in (
        "0-broken.md", "2023/01/zzrb-2023-01-02-p00-broken.md", "README", "zz-broken.md")]
    with pytest.raises(zz.ParseError, match="0-broken.md"):
        zz.read_corpus(archive, cache=False, n_jobs=n_jobs)
    assert list((tmp_path / "tmp").iterdir()) == []


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


# --- read_corpus against a plain reference path ------------------------------------------

def _reference_corpus(files: list[Path]) -> dict[str, pd.DataFrame]:
    """The tables of read_corpus built the plain way: each file through the grammar (or the
    article-file reader), one dict per row, pandas' own constructor, stories linked, sorted."""
    from zzanalysis import article_file
    from zzanalysis.corpus import ARTICLE_COLUMNS, ISSUE_COLUMNS, PARAGRAPH_COLUMNS, _canonical
    from zzanalysis.decode import decode_page
    from zzanalysis.page import parse_page
    from zzanalysis.stories import link_fragments
    from zzanalysis.text import normalize_text

    metas, arts, paras = [], [], []
    for path in files:
        data = path.read_bytes()
        text = decode_page(data, path=path)
        sha = hashlib.sha256(data).hexdigest()
        if article_file.is_html(path) or article_file.is_article_text(text, path):
            meta, a_rows, p_rows = article_file._parse_rows(text, path=path, sha256=sha, html=article_file.is_html(path))
            metas.append(meta)
            arts += a_rows
            paras += p_rows
            continue
        meta = reader._parse_rows(text, path=path, sha256=sha)[0]
        metas.append(meta)
        lines = [normalize_text(line) for line in text.split("\n")]
        for pos, frag in enumerate(parse_page(lines, paper="株洲日报").fragments, start=1):
            aid = f"{meta['page_id']}-a{pos:02d}"
            keys = dict(article_id=aid, issue_id=meta["issue_id"], date=meta["date"], page=meta["page"])
            texts = [p.text for p in frag.paragraphs]
            arts.append(dict(
                keys, position=pos, **{c: getattr(frag, c) for c in ARTICLE_COLUMNS[5:20]}, story_id=aid,
                text="\n".join(texts), n_paragraphs=len(texts), n_chars=sum(map(len, texts))))
            paras += [dict(keys, para_no=no, role=p.role, text=p.text, line_start=p.line_start, line_end=p.line_end,
                           repaired=p.repaired, split=p.split) for no, p in enumerate(frag.paragraphs, start=1)]

    def frame(rows, columns, ints, keys):
        df = pd.DataFrame(rows, columns=columns).astype({c: "int64" for c in ints} | {"page": "Int64"})
        return _canonical(df).sort_values(keys, kind="stable", ignore_index=True)

    issues = frame(metas, ISSUE_COLUMNS, ["n_articles", "n_chars"], ["date", "page", "page_id"])
    issues = issues.astype({"issue_no": "Int64", "pages_total": "Int64"})
    articles = frame(arts, ARTICLE_COLUMNS, ["position", "n_paragraphs", "n_chars"], ["date", "page", "position"])
    articles["story_id"] = link_fragments(articles)[0]
    paragraphs = frame(paras, PARAGRAPH_COLUMNS, ["para_no", "line_start", "line_end"],
                       ["date", "page", "article_id", "para_no"])
    return dict(issues=issues, articles=articles, paragraphs=paragraphs)


@pytest.fixture
def known_files(sample_path, tmp_path, monkeypatch):
    """The sample page, the test pages and the article files (not the index page, which is no
    article), with the cache in tmp_path."""
    monkeypatch.setenv("ZZ_CACHE_DIR", str(tmp_path / "cache"))
    data = ROOT / "tests" / "data"
    files = [sample_path, *sorted((data / "pages").glob("*.md")),
             *sorted(p for p in (data / "articles").iterdir() if p.name != "index.html")]
    assert len(files) == 20  # 1 + 16 pages + 3 article files: missing data fails
    return files


@pytest.mark.parametrize("how", ["cold", "cached", "two processes"])
def test_read_corpus_equals_the_plain_reference(known_files, how):
    """Columns built per chunk, the GC paused, bytes read once, reload from Arrow: the same
    tables as dict rows through pandas, on every path read_corpus can take."""
    if how == "cold":
        corpus = zz.read_corpus(known_files, cache=False)
    elif how == "cached":
        zz.read_corpus(known_files)
        corpus = zz.read_corpus(known_files)
    else:
        corpus = zz.read_corpus(known_files, cache=False, n_jobs=2)
    with warnings.catch_warnings():  # the reference parses with paths, which warn; read_corpus lists them
        warnings.simplefilter("ignore", PageWarning)
        expected = _reference_corpus(known_files)
    assert (len(corpus.issues), len(corpus.articles), len(corpus.paragraphs)) == (20, 45, 169)  # 17 pages: 42 articles, 158 paragraphs; 3 article files: 3, 11
    for name, table in expected.items():
        pd.testing.assert_frame_equal(getattr(corpus, name), table, check_exact=True)
