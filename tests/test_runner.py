"""The notebooks on another corpus (several dates and pages, an unreadable file): they run, and
every finding sentence states what the package computes on that corpus."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import nbformat
import pytest

import zzanalysis as zz
from zzanalysis.paths import ROOT
from zzanalysis.runner import notebook_paths, run_notebooks

NAMES = ["01_corpus_overview", "02_topic_frequency", "03_industry_mentions", "04_economic_indicators", "05_people",
         "06_explore"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """Three days (2023-01-30 … 2023-02-01, two months) of two pages each, and a README.md the reader skips."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from make_archive import make_archive

    out = tmp_path_factory.mktemp("pages")
    make_archive(out, days=3, seed=1, start=dt.date(2023, 1, 30), pages=2)
    (out / "README.md").write_text("# Notes on this folder\n\nNot a page.\n", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def executed(archive, tmp_path_factory):
    git_before = _git_status()
    kernels_before = _kernels()
    out = tmp_path_factory.mktemp("run")
    paths = run_notebooks(archive, out, progress=False)
    assert _git_status() == git_before  # curated notebooks, figures/ and data/raw untouched
    return out, {p.stem: nbformat.read(p, as_version=4) for p in paths}, kernels_before


def _kernels() -> set[int]:
    """Kernel processes started by this test process."""
    import psutil

    return {c.pid for c in psutil.Process().children(recursive=True)
            if any("ipykernel_launcher" in part for part in c.cmdline())}


def test_every_kernel_is_shut_down_after_its_notebook(executed):
    # papermill and nbclient leave a kernel manager they were handed running: six notebooks
    # used to leave six idle kernels behind for as long as the caller lived
    assert _kernels() <= executed[2]


def _git_status() -> str:
    return subprocess.run(["git", "status", "--porcelain", "--", "notebooks", "figures", "data"],
                          cwd=ROOT, capture_output=True, text=True, check=True).stdout


def findings(nb) -> list[str]:
    return [o["data"]["text/markdown"] for c in nb.cells if "finding" in c.metadata.get("tags", [])
            for o in c.outputs if "text/markdown" in o.get("data", {})]


@pytest.fixture(scope="module")
def corpus(archive):
    return zz.read_corpus(archive, errors="skip", cache=False)


def test_every_notebook_ran_and_wrote_its_figures_under_out(executed):
    out, nbs, _ = executed
    assert set(NAMES) <= set(nbs)
    for name, nb in nbs.items():
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
        assert errors == [], name
        n_finding_cells = sum("finding" in c.metadata.get("tags", []) for c in nb.cells)
        assert len(findings(nb)) == n_finding_cells > 0, name
    figures = sorted(p.name for p in (out / "figures").iterdir())
    assert "01_article_lengths.png" in figures and "04_by_month.png" in figures  # several months: the chart is drawn


def test_no_finding_states_the_sample_pages_facts(executed):
    _, nbs, _ = executed
    for name, nb in nbs.items():
        for text in findings(nb):
            assert "2023-04-27" not in text and "4月26日" not in text, (name, text)


def test_01_findings(executed, corpus):
    f = findings(executed[1]["01_corpus_overview"])
    arts, paras = corpus.articles, corpus.paragraphs
    assert f[0] == ("The corpus holds 6 page file(s) of 3 issue(s), dated 2023-01-30 to 2023-02-01 (3 date(s)); "
                    "0 file(s) could not be read and 2 other problem(s) were noted.")  # README and README.md: skipped notes
    assert f[1].startswith(f"The 6 page(s) carry {len(arts)} fragments ({len(arts)} article)")
    longest = arts.sort_values(["n_chars", "article_id"], ascending=[False, True]).iloc[0]
    assert f[2].startswith(f"The longest fragment is {longest['headline']} ({longest['article_id']}, {longest['n_chars']:,} characters")
    n_reporters = arts["reporters"].explode().dropna().nunique()
    assert f"{n_reporters} reporter(s)" in f[3]
    assert f[6].startswith(f"The corpus has {len(paras)} paragraphs: ")
    assert f"broken {int(paras['repaired'].sum())} paragraph(s)" in f[6]


def test_02_findings(executed, corpus):
    f = findings(executed[1]["02_topic_frequency"])
    tokens = zz.tokenize(corpus.articles).query("pos != 'm'")
    top = tokens["token"].value_counts()
    assert f[0].startswith(f"The corpus has {len(tokens):,} word tokens ({tokens['token'].nunique():,} distinct). "
                           f"The most frequent: {top.index[0]} ({top.iloc[0]},")
    assert f[7] == ("The tokens span 2023-01-30 to 2023-02-01 (3 date(s), 2 month(s)); the chart draws one line per term, "
                    "months without any issue left as gaps.")
    a = (tokens["date"] <= "2023-01-31").sum()
    assert f[8].startswith(f"Period A (2023-01-30 to 2023-01-31, {a:,} tokens) against period B "
                           f"(2023-02-01 to 2023-02-01, {len(tokens) - a:,} tokens): A uses more ")


def test_03_findings(executed, corpus):
    f = findings(executed[1]["03_industry_mentions"])
    mentions = zz.industry_mentions(corpus.articles)
    n_labels = mentions["label"].nunique()
    n_taxonomy = zz.get_taxonomy()["label"].nunique()
    assert f[0].startswith(f"The {len(corpus.articles)} fragments hold {len(mentions)} industry hits in {n_labels} "
                           f"of the taxonomy's {n_taxonomy} industries")
    widest = mentions.groupby("article_id")["label"].nunique()
    assert f[1].startswith(f"{len(widest)} articles mention at least one industry.")
    assert f"{widest.max()} industries" in f[1]
    assert f[5].startswith("Period A runs to 2023-01-31, period B after it.")


def test_04_findings(executed, corpus):
    f = findings(executed[1]["04_economic_indicators"])
    ind = zz.extract_indicators(corpus.articles)
    assert f[0].startswith(f"The {len(corpus.articles)} fragments yield {len(ind)} figures, in {ind['article_id'].nunique()} of them: ")
    money = ind[ind["kind"] == "money"]
    assert f[1].startswith(f"{len(money)} money amount(s): the largest are {money.sort_values('value', ascending=False)['text'].iloc[0]} ")
    assert f[4] == f"Both files hold the {len(ind)} rows and 21 columns, and the values read back from the Excel file equal the originals."
    a = (ind["date"] <= "2023-01-31").sum()
    assert f[5].startswith(f"2 month(s), 3 dates. Up to 2023-01-31 (period A) the pages print {a} figures, after it (B) {len(ind) - a}; ")


    owned = ind.dropna(subset=["place"])
    assert f[6].startswith(f"{len(owned)} of the {len(ind)} figures have a place")
    assert f" and {ind['organization'].notna().sum()} an organisation" in f[6]


def test_05_findings(executed, corpus):
    f = findings(executed[1]["05_people"])
    mentions = zz.people(corpus)
    summary = zz.people_summary(mentions)
    assert f[0].startswith(f"The pages name **{len(summary)} people** in **{len(mentions)} mentions** across "
                           f"**{mentions['article_id'].nunique()} articles**. ")
    orgs = zz.organizations(corpus)
    assert f[-1].startswith(f"{orgs.groupby(['name', 'kind']).ngroups} organisations are named {len(orgs)} times")


def test_06_findings(executed, corpus):
    f = findings(executed[1]["06_explore"])
    n = sum(t.count("株洲") for t in corpus.paragraphs["text"])
    assert f[0].startswith(f"株洲 occurs {n} times in the paragraphs of ")
    assert "over 2 month(s)" in f[0]
    money = zz.extract_indicators(corpus.articles).query("kind == 'money'")
    assert f[2].startswith(f"{len(money)} money amounts: ")


def test_problems_are_shown(executed):
    nb = executed[1]["01_corpus_overview"]
    shown = [o["data"]["text/plain"] for c in nb.cells if "display(corpus.problems" in c.source
             for o in c.outputs if "data" in o]
    assert len(shown) == 1 and "README.md" in shown[0]


def test_missing_data_folder_names_the_absolute_path(tmp_path):
    with pytest.raises(FileNotFoundError, match=f"no such folder: {tmp_path / 'nothing'}"):
        run_notebooks(tmp_path / "nothing", tmp_path / "out", progress=False)


def test_notebook_selection():
    assert [p.name for p in notebook_paths(["02", "04"])] == ["02_topic_frequency.ipynb", "04_economic_indicators.ipynb"]
    with pytest.raises(FileNotFoundError, match="no notebook '09'"):
        notebook_paths(["09"])


def test_drop_widget_views_keeps_everything_else(tmp_path):
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from zzanalysis.runner import drop_widget_views

    nb = new_notebook(metadata={"widgets": {"state": {}}, "kernelspec": {"name": "python3", "display_name": "Python 3"}})
    nb.cells = [new_code_cell("ex", outputs=[
        new_output("display_data", data={"application/vnd.jupyter.widget-view+json": {"model_id": "f00"}, "text/plain": "Tab()"}),
        new_output("stream", name="stdout", text="kept\n"),
        new_output("execute_result", data={"text/plain": "1"}, execution_count=1),
    ])]
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    drop_widget_views([path])
    back = nbformat.read(path, as_version=4)
    assert [o["output_type"] for o in back.cells[0].outputs] == ["stream", "execute_result"]
    assert "widgets" not in back.metadata and back.metadata["kernelspec"]["name"] == "python3"
