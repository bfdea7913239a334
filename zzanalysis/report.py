"""One self-contained HTML report: the notebooks' narrative, tables and figures, without code.

The notebooks are executed on the pages (see :mod:`zzanalysis.runner`), then each is turned into
a section: Markdown cells and computed findings as HTML, tables as HTML, figures as embedded
PNG, plain output as preformatted text. Everything the file needs is inside it — the figures as
``data:`` URIs and a subset of the CJK font with exactly the characters used — so it opens
offline and shows Chinese on a machine without CJK fonts. Page text is data: it is escaped
(Markdown is rendered with raw HTML escaped; tables come from pandas, which escapes cells).
"""
from __future__ import annotations

import base64
import html
import io
import tempfile
from collections.abc import Sequence
from pathlib import Path

FONT_FAMILY = "ZZReportCJK"
STYLE = """
body { font-family: "%(font)s", sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.6; color: #222; }
section { border-top: 1px solid #ccc; margin-top: 2.5rem; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0; display: block; overflow-x: auto; }
th, td { border: 1px solid #ddd; padding: 0.2rem 0.4rem; text-align: left; vertical-align: top; }
img { max-width: 100%%; height: auto; }
pre { background: #f6f6f6; padding: 0.5rem; overflow-x: auto; font-size: 0.85rem; }
pre.stderr { background: #fff4e0; }
nav li { margin: 0.1rem 0; }
"""


def _markdown():
    import mistune

    # escape=True: raw HTML in Markdown (a headline holding "<script>") is shown, never run.
    return mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])


def _output_html(output, md) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        return f'<pre class="{html.escape(output["name"])}">{html.escape(output["text"])}</pre>'
    if kind == "error":
        return f'<pre class="stderr">{html.escape(output["ename"])}: {html.escape(output["evalue"])}</pre>'
    data = output.get("data", {})
    if "application/vnd.jupyter.widget-view+json" in data:
        # a live widget (zz.explore) has no static form; the notebook shows its tables after it
        return ""
    if "image/png" in data:
        png = "".join(data["image/png"].split())
        return f'<p><img alt="figure" src="data:image/png;base64,{png}"></p>'
    if "text/markdown" in data:
        return md(data["text/markdown"])
    if "text/html" in data:
        # pandas' HTML (DataFrame._repr_html_) escapes every cell; it is the only HTML the
        # curated notebooks display.
        return data["text/html"]
    if "text/plain" in data:
        return f"<pre>{html.escape(data['text/plain'])}</pre>"
    return ""


def notebook_html(nb) -> tuple[str, str]:
    """The report section of one executed notebook, and its title (the first heading).

    Args:
        nb: an executed notebook (``nbformat.NotebookNode``).

    Returns:
        ``(title, html)``: no code cells, no parameters; outputs as described in the module.
    """
    md = _markdown()
    parts, title = [], None
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & {"parameters", "injected-parameters"}:
            continue
        if cell.cell_type == "markdown":
            if title is None:
                first = cell.source.lstrip().splitlines()[0] if cell.source.strip() else ""
                title = first.lstrip("#").strip() if first.startswith("#") else None
            parts.append(md(cell.source))
        elif cell.cell_type == "code":
            parts.extend(_output_html(o, md) for o in cell.get("outputs", []))
    return title or "Notebook", "\n".join(p for p in parts if p)


def _font_face(text: str) -> str:
    """An @font-face rule with the CJK font cut down to the characters of ``text``, embedded."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from .plot._fonts import cjk_font_path

    path = cjk_font_path()
    font = TTFont(path, fontNumber=0, lazy=False)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    fmt = "opentype" if font.sfntVersion == "OTTO" else "truetype"
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url(data:font/{fmt};base64,{data}) format("{fmt}"); }}'


def render_report(notebooks: Sequence, *, title: str = "株洲日报 · zzanalysis report", source: str = "") -> str:
    """The whole HTML document for executed notebooks.

    Args:
        notebooks: executed notebooks, in order.
        title: the document's title and top heading.
        source: a line saying what was analysed (shown under the title, escaped).

    Returns:
        A complete HTML document as a string: one ``<section>`` per notebook with an ``<h1>``
        from its first heading, a table of contents, embedded figures and font.
    """
    sections = [notebook_html(nb) for nb in notebooks]
    toc = "".join(f'<li><a href="#nb{i}">{html.escape(t)}</a></li>' for i, (t, _) in enumerate(sections, 1))
    body = "\n".join(f'<section id="nb{i}">\n{h}\n</section>' for i, (_, h) in enumerate(sections, 1))
    head_text = f"{title}{source}"
    # The font is cut to the characters the visible text uses (markup is ASCII and covered anyway).
    face = _font_face(head_text + html.unescape(body))
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}</title>\n"
        f"<style>\n{face}\n{STYLE % {'font': FONT_FAMILY}}</style>\n</head>\n<body>\n"
        f"<header><h1>{html.escape(title)}</h1><p>{html.escape(source)}</p>"
        f"<nav><ol>{toc}</ol></nav></header>\n{body}\n</body>\n</html>\n"
    )


def build_report(
    data: str | Path,
    output: str | Path = "report.html",
    *,
    notebooks: Sequence[str] | None = None,
    progress: bool = True,
) -> Path:
    """Execute the notebooks on the pages in ``data`` and write one self-contained HTML report.

    Args:
        data: folder of page files (relative paths are read from ``notebooks/``).
        output: the HTML file to write; its folder is created.
        notebooks: name prefixes (``["01", "04"]``) to include only some.
        progress: print one line per notebook run.

    Returns:
        The path written.

    Raises:
        FileNotFoundError: ``data`` is not a folder (the message names its absolute path).
        papermill.PapermillExecutionError: a notebook failed on these pages.

    Example:
        >>> zz.report.build_report("/path/to/pages", "reports/2023.html")  # doctest: +SKIP
    """
    import nbformat

    from .paths import resolve_path
    from .runner import run_notebooks

    data = resolve_path(data, must="dir")
    output = Path(output).absolute()
    with tempfile.TemporaryDirectory(prefix="zz_report_") as tmp:
        executed = run_notebooks(data, tmp, notebooks=notebooks, progress=progress)
        nbs = [nbformat.read(p, as_version=4) for p in executed]
    document = render_report(nbs, source=f"数据 / data: {data}")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(document, encoding="utf-8")
    return output
