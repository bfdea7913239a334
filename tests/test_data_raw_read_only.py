"""``data/raw`` is immutable input: the notebooks and the reader never write into it.

The notebooks are checked by reading their code (every call that writes a file names a path
under ``FIGURES`` or a temporary folder, never ``DATA``), the reader by running it on the real
folder and comparing every file's name, size, modification time and bytes before and after.
"""
from __future__ import annotations

import ast
import hashlib
import json
from pathlib import Path

import pytest

import zzanalysis as zz

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# Methods and functions that create, change or delete files.
WRITERS = {"savefig", "to_csv", "to_excel", "to_parquet", "to_json", "to_pickle", "to_feather", "to_html",
           "write_text", "write_bytes", "mkdir", "touch", "unlink", "rename", "replace", "rmtree", "copy",
           "copyfile", "move", "dump", "to_file", "save"}


def _code(nb: Path) -> str:
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    lines = []
    for cell in cells:
        if cell["cell_type"] == "code":
            src = "".join(cell["source"])
            # IPython magics and shell escapes are not Python; a shell escape could write anywhere
            assert not any(line.lstrip().startswith("!") for line in src.splitlines()), f"{nb.name}: shell command"
            lines += [line for line in src.splitlines() if not line.lstrip().startswith("%")]
    return "\n".join(lines)


def _writes(tree: ast.AST):
    """(call, path expression) for every call that writes a file."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name == "open":
            mode = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"), None)
            if isinstance(mode, ast.Constant) and set(str(mode.value)) & set("wax+"):
                yield name, ast.unparse(node.args[0])
        elif name in WRITERS:
            target = node.args[-1] if name == "savefig" and len(node.args) > 1 else (
                node.args[0] if node.args else (node.func.value if isinstance(node.func, ast.Attribute) else node))
            yield name, ast.unparse(target)


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found"  # missing data fails, never skips


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_write_only_under_figures_or_a_temporary_folder(nb):
    tree = ast.parse(_code(nb))
    params = {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign)
              for t in n.targets if isinstance(t, ast.Name) and isinstance(n.value, ast.Constant)}
    assert params.get("DATA") == "../data/raw" and params.get("FIGURES") == "../figures"
    temporaries = {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign) and "tempfile" in ast.unparse(n.value)
                   for t in n.targets if isinstance(t, ast.Name)}
    # a folder made from the FIGURES parameter (figures = zz.resolve_path(FIGURES, must="create_dir"))
    figure_dirs = {t.id for n in tree.body if isinstance(n, ast.Assign) and ast.unparse(n.value).startswith("zz.resolve_path(FIGURES")
                   for t in n.targets if isinstance(t, ast.Name)}
    for call, path in _writes(tree):
        assert "DATA" not in path and "data/raw" not in path and "raw" not in path, f"{nb.name}: {call}({path})"
        root = path.lstrip("f\"'(").split("/")[0].strip("{} ")
        named = path.split("/")[0].strip()
        assert root in {"FIGURES", *temporaries} or named in figure_dirs or path.startswith("f\"{FIGURES}/"), f"{nb.name}: {call}({path})"


def _snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(folder.rglob("*"))}


def test_reading_the_real_archive_leaves_it_untouched(tmp_path, monkeypatch):
    monkeypatch.setenv("ZZ_CACHE_DIR", str(tmp_path / "cache"))
    before = _snapshot(RAW)
    assert before, "data/raw is empty"
    corpus = zz.read_corpus(RAW)  # cache on: it must go to ZZ_CACHE_DIR, not next to the data
    zz.read_corpus(RAW)  # and read back from there
    zz.read_issue(RAW / "zzrb-2023-04-27-p01.md")
    assert len(corpus.articles) and _snapshot(RAW) == before
    assert not any(RAW in p.parents for p in (tmp_path / "cache").rglob("*"))
