"""The HTML report: no code, page text escaped, everything embedded; opened in real headless Chromium."""
from __future__ import annotations

import re
import shutil

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from zzanalysis.report import build_report, render_report

PNG_1PX = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def _notebook():
    nb = new_notebook()
    nb.cells = [
        new_markdown_cell("# 07 · 测试 <script>alert(1)</script>\n\nMethod prose."),
        new_code_cell("DATA = '../data/raw'", metadata={"tags": ["parameters"]}),
        new_code_cell("secret_code_line = 1", outputs=[
            new_output("execute_result", data={"text/plain": "<b>株洲</b> & co"}, execution_count=1)]),
        new_code_cell("plot()", outputs=[new_output("display_data", data={"image/png": PNG_1PX, "text/plain": "<Figure>"})]),
        new_code_cell("finding()", outputs=[new_output("display_data", data={"text/markdown": "Headline **<img src=x onerror=alert(2)>**"})]),
        new_code_cell("ex", outputs=[new_output("display_data", data={
            "application/vnd.jupyter.widget-view+json": {"model_id": "abc"}, "text/plain": "Tab(children=…)"})]),
    ]
    return nb


def test_render_escapes_text_and_drops_code():
    doc = render_report([_notebook()], source="数据: /tmp/<x>")
    body = doc.split("<body>", 1)[1]
    assert "<script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<img src=x" not in body and "&lt;img src=x onerror=alert(2)&gt;" in body
    assert "&lt;b&gt;株洲&lt;/b&gt; &amp; co" in body
    assert "secret_code_line" not in doc and "DATA = " not in doc  # no code, no parameters
    assert "Tab(children" not in doc  # a live widget has no static form
    assert f'src="data:image/png;base64,{PNG_1PX}"' in body
    assert "&lt;x&gt;" in body
    assert re.search(r'@font-face \{ font-family: "ZZReportCJK"; src: url\(data:font/(opentype|truetype);base64,', doc)


def _browser():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("no Chromium on this machine (Debian: apt-get install chromium; .ci/run installs it)")
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.html"
    return build_report("../data/raw", out, progress=False)


def test_report_in_headless_chromium(report, tmp_path):
    from playwright.sync_api import sync_playwright

    html_text = report.read_text(encoding="utf-8")
    assert "http://" not in html_text.replace("http://www.w3.org", "") and "https://" not in html_text  # offline
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_browser(), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        problems = []
        page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"requestfailed: {r.url}"))
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        widths = page.evaluate("Array.from(document.images).map(i => i.complete ? i.naturalWidth : 0)")
        headings = page.evaluate("Array.from(document.querySelectorAll('section > h1')).map(h => h.textContent)")
        toc = page.evaluate("Array.from(document.querySelectorAll('nav a')).map(a => a.textContent)")
        font_ok = page.evaluate("document.fonts.ready.then(() => document.fonts.check('16px ZZReportCJK', '株洲日报'))")
        page.screenshot(path=str(tmp_path / "report.png"))
        browser.close()
    assert problems == []
    # the curated notebooks' figures: 4 + 6 + 4 + 4 charts in 01-04 (04_by_month needs several dates)
    assert len(widths) >= 18 and all(w > 0 for w in widths), widths
    for title in ["01 · What is in the corpus", "02 · What the paper talks about",
                  "03 · Which industries the paper covers", "04 · Economic indicators",
                  "06 · Explore: a term, an industry, the figures"]:
        assert title in headings and title in toc
    assert font_ok is True


def test_report_of_a_missing_folder_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match=f"no such folder: {tmp_path / 'none'}"):
        build_report(tmp_path / "none", tmp_path / "r.html", progress=False)
