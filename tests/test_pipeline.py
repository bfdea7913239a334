"""run_pipeline: one pool for reading and the analyses, with the tables the steps give one by one."""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import zzanalysis as zz
from zzanalysis import pipeline

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """35 synthetic days of 2 pages from 20 January: two months, so the by-month groups differ
    from the by-day groups of two processes."""
    spec = importlib.util.spec_from_file_location("make_archive", ROOT / "benchmarks" / "make_archive.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path_factory.mktemp("pipeline") / "archive"
    module.make_archive(out, days=35, seed=3, start=dt.date(2023, 1, 20), pages=2)
    return out


@pytest.fixture(scope="module")
def one_by_one(archive):
    corpus = zz.read_corpus(archive, cache=False)
    return dict(corpus=corpus,
                terms=zz.term_frequency(zz.tokenize(corpus.paragraphs, cache=False, carry=[])),
                mentions=zz.industry_mentions(corpus.articles),
                indicators=zz.extract_indicators(corpus.paragraphs))


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_same_tables_as_the_steps_one_by_one(archive, one_by_one, n_jobs):
    run = zz.run_pipeline(archive, n_jobs=n_jobs, cache=False)
    for name in ("issues", "articles", "paragraphs", "problems"):
        pd.testing.assert_frame_equal(getattr(run.corpus, name), getattr(one_by_one["corpus"], name), check_exact=True)
    for step in ("terms", "mentions", "indicators"):
        assert len(one_by_one[step]) > 100, step  # the archive must give each step something to compare
        pd.testing.assert_frame_equal(getattr(run, step), one_by_one[step], check_exact=True)


def _copy_of_a_page(folder: Path) -> None:
    # same bytes under a name that sorts first: this copy is kept, the original dropped
    page = folder / "2023" / "01" / "zzrb-2023-01-25-p01.md"
    (folder / "2023" / "01" / "a-copy.md").write_bytes(page.read_bytes())


def _same_page_other_text(folder: Path) -> None:
    # the same page (date, number) with a paragraph more, in a later folder: rejected
    page = folder / "2023" / "01" / "zzrb-2023-01-25-p02.md"
    (folder / "2023" / "02" / "zzrb-2023-01-25-p02.md").write_text(
        page.read_text(encoding="utf-8") + "\n\n另据统计，全市新增就业岗位1200个。\n", encoding="utf-8")


def _names_out_of_date_order(folder: Path) -> None:
    # January's pages in a folder that sorts after February's: files no longer in table order
    (folder / "z").mkdir()
    (folder / "2023" / "01").rename(folder / "z" / "01")


@pytest.mark.parametrize("change, problems", [
    (_copy_of_a_page, 1),
    (_same_page_other_text, 1),
    (_names_out_of_date_order, 0),
])
def test_streamed_steps_keep_only_the_kept_files_rows(archive, tmp_path, change, problems):
    """Two processes start the steps on each parsed chunk: rows of files the corpus drops must
    not count, and chunks arriving out of table order must land in table order."""
    import shutil

    folder = tmp_path / "archive"
    shutil.copytree(archive, folder)
    change(folder)
    corpus = zz.read_corpus(folder, cache=False, errors="skip")
    assert (corpus.problems["reason"] != "").sum() - 1 == problems  # the README is listed as skipped
    reference = dict(terms=zz.term_frequency(zz.tokenize(corpus.paragraphs, cache=False, carry=[])),
                     mentions=zz.industry_mentions(corpus.articles),
                     indicators=zz.extract_indicators(corpus.paragraphs))
    run = zz.run_pipeline(folder, n_jobs=2, cache=False, errors="skip")
    pd.testing.assert_frame_equal(run.corpus.articles, corpus.articles, check_exact=True)
    pd.testing.assert_frame_equal(run.corpus.problems, corpus.problems, check_exact=True)
    for step, expected in reference.items():
        pd.testing.assert_frame_equal(getattr(run, step), expected, check_exact=True)


def test_pages_from_the_cache_and_parsed_pages_together(archive, tmp_path, monkeypatch):
    """A changed page is parsed (its steps start as it arrives), the others come from the parse
    cache (their steps start once the corpus is assembled): one table, as one by one."""
    import shutil

    monkeypatch.setenv("ZZ_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "archive"
    shutil.copytree(archive, folder)
    zz.run_pipeline(folder, n_jobs=2)
    page = folder / "2023" / "02" / "zzrb-2023-02-03-p01.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\n今年一季度，全市工业增加值增长6.5%。\n",
                    encoding="utf-8")
    corpus = zz.read_corpus(folder, cache=False)
    run = zz.run_pipeline(folder, n_jobs=2)
    pd.testing.assert_frame_equal(run.corpus.paragraphs, corpus.paragraphs, check_exact=True)
    pd.testing.assert_frame_equal(run.terms, zz.term_frequency(zz.tokenize(corpus.paragraphs, cache=False, carry=[])),
                                  check_exact=True)
    pd.testing.assert_frame_equal(run.mentions, zz.industry_mentions(corpus.articles), check_exact=True)
    indicators = zz.extract_indicators(corpus.paragraphs)
    pd.testing.assert_frame_equal(run.indicators, indicators, check_exact=True)
    # the added sentence's figure, from the parsed page, sits among the cached pages' figures
    added = indicators[indicators["text"] == "增长6.5%"]
    assert "zzrb-2023-02-03-p01" in set(added["article_id"].str.rsplit("-a", n=1).str[0])


@pytest.mark.parametrize("n_jobs, groups, months", [(1, 2, {1, 2}), (2, 8, {1, 2})])
def test_groups_are_whole_days_in_table_order(archive, one_by_one, n_jobs, groups, months):
    corpus = one_by_one["corpus"]
    jobs = pipeline._jobs(corpus, ("terms", "mentions", "indicators"), n_jobs)
    assert len(jobs) == groups
    articles = pd.concat([a for a, _ in jobs])
    paragraphs = pd.concat([p for _, p in jobs])
    assert articles["_row"].tolist() == list(range(len(corpus.articles)))
    assert paragraphs["_row"].tolist() == list(range(len(corpus.paragraphs)))
    days = [set(corpus.articles["date"].iloc[a["_row"]]) for a, _ in jobs]
    assert all(not (x & y) for i, x in enumerate(days) for y in days[i + 1:])
    assert {d.month for d in set().union(*days)} == months


def test_workers_send_back_no_article_text(one_by_one):
    corpus = one_by_one["corpus"]
    job = pipeline._jobs(corpus, ("mentions", "indicators"), 2)[0]
    out = pipeline._run_group(("mentions", "indicators"), job)
    assert list(out["mentions"].columns) == ["article_id", "para_no", "field", "start", "end", "term", "category",
                                             "label", "label_zh", "sentence", "_row"]
    # text here is the figure as printed (469亿元), not the paragraph
    assert list(out["indicators"].columns) == ["article_id", "para_no", "start", "end", "text", "value", "value_max",
                                               "unit", "kind", "approx", "qualifier", "subject", "category", "place",
                                               "organization", "period", "basis", "sentence", "_row"]


@pytest.mark.parametrize("steps, present", [
    (("mentions",), {"mentions"}),
    (("terms", "indicators"), {"terms", "indicators"}),
    ((), set()),
])
def test_only_the_steps_asked_for(steps, present):
    run = zz.run_pipeline(ROOT / "data" / "raw", steps=steps, cache=False)
    assert {s for s in ("terms", "mentions", "indicators") if getattr(run, s) is not None} == present
    assert len(run.corpus.articles) == 9


def test_sample_page_front_page_figures():
    run = zz.run_pipeline(ROOT / "data" / "raw" / "zzrb-2023-04-27-p01.md", n_jobs=2, cache=False)
    assert run.corpus.issues["page_id"].tolist() == ["zzrb-2023-04-27-p01"]
    # 469亿元, the figure of the page's lead story, with its sentence's offsets into the paragraph
    row = run.indicators[run.indicators["text"] == "469亿元"].iloc[0]
    para = run.corpus.paragraphs.set_index(["article_id", "para_no"]).loc[(row["article_id"], row["para_no"]), "text"]
    assert para[row["start"]:row["end"]] == "469亿元"
    assert row["value"] == 4.69e10


def test_unknown_step_is_named():
    with pytest.raises(ValueError, match=r"unknown step\(s\) \['tokens'\]"):
        zz.run_pipeline(ROOT / "data" / "raw", steps=["terms", "tokens"])


def test_each_result_is_held_once_while_collecting(archive, one_by_one, monkeypatch):
    """A done future keeps its pickled result: once its part is unpickled the future must go,
    or the main process holds every part twice (a year's peak was 0.25 GB higher)."""
    import gc
    import pickle
    import types
    import weakref
    from concurrent.futures import Future

    unpickled: list[weakref.ref] = []  # the futures whose parts were unpickled
    still_held = []

    def loads(data):
        gc.collect()
        still_held.append(sum(ref() is not None for ref in unpickled))
        unpickled.extend(weakref.ref(o) for o in gc.get_objects() if isinstance(o, Future) and o._result is data)
        return pickle.loads(data)

    monkeypatch.setattr(pipeline, "pickle", types.SimpleNamespace(loads=loads, dumps=pickle.dumps))
    run = zz.run_pipeline(archive, n_jobs=2, cache=False)
    pd.testing.assert_frame_equal(run.indicators, one_by_one["indicators"], check_exact=True)
    assert len(unpickled) == len(still_held) > 4  # each part's future was found
    assert still_held == [0] * len(still_held)


# A first task on the sample page in a fresh interpreter, after loading the dictionaries or not:
# the modules it imports and whether it reads jieba's dictionary tags. Forked workers inherit
# what run_pipeline loads before the fork, so loading must leave the first task nothing to load.
_FIRST_TASK = """
import json, sys
import zzanalysis as zz
from zzanalysis import pipeline
from zzanalysis.jieba_parity import jieba_dict_tags

steps, load = tuple(sys.argv[1].split(",")), sys.argv[2] == "1"
corpus = zz.read_corpus("data/raw/zzrb-2023-04-27-p01.md", cache=False)
job = pipeline._inputs(corpus.articles, corpus.paragraphs, steps)
if load:
    pipeline._load_dictionaries(steps)
modules, tags = set(sys.modules), jieba_dict_tags.cache_info().misses
pipeline._run_group(steps, job)
print(json.dumps(dict(imported=sorted({m.split(".")[0] for m in set(sys.modules) - modules}),
                      tags_read=jieba_dict_tags.cache_info().misses - tags)))
"""


@pytest.mark.parametrize("steps, load, imported, tags_read", [
    ("terms", False, ["rjieba"], 1),
    ("terms", True, [], 0),
    ("indicators", False, ["cn2an", "proces", "rjieba"], 0),
    ("indicators", True, [], 0),
    ("mentions", False, ["ahocorasick_rs", "encodings"], 0),
    ("mentions", True, [], 0),
    ("terms,mentions,indicators", True, [], 0),
])
def test_loaded_dictionaries_leave_the_first_task_nothing_to_load(steps, load, imported, tags_read):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-c", _FIRST_TASK, steps, str(int(load))], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out.strip().splitlines()[-1]) == dict(imported=imported, tags_read=tags_read)


_RELEASE = """
import json, sys
from zzanalysis import indicators, pipeline, tokens
from zzanalysis.jieba_parity import jieba_dict_tags

if sys.argv[1] == "1":
    tokens.default_tokenizer()._backend()  # the caller's own, loaded before
release = pipeline._load_dictionaries(("terms", "mentions", "indicators"))
loaded = [f.cache_info().currsize for f in (tokens.default_tokenizer, jieba_dict_tags, indicators._tagger)]
release()
print(json.dumps([loaded, [f.cache_info().currsize for f in (tokens.default_tokenizer, jieba_dict_tags, indicators._tagger)]]))
"""


@pytest.mark.parametrize("held_before, kept", [(False, [0, 0, 0]), (True, [1, 0, 0])])
def test_release_lets_go_of_only_what_the_load_loaded(held_before, kept):
    # run_pipeline loads the dictionaries for the workers it forks, then releases its own copy:
    # the default tokenizer, jieba's tags and the indicators' tagger, unless the caller had them
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-c", _RELEASE, str(int(held_before))], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out.strip().splitlines()[-1]) == [[1, 1, 1], kept]
