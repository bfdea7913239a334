"""No import cycle: the modules of the package, by every import they run — at load time or later,
inside a function — form a graph without cycles, so every module can be imported first, none
sees another half-built, and the layering of docs/modules.md holds."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "zzanalysis"


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _import_nodes(tree: ast.Module):
    """Every import statement that can run: at the top level, in if/try blocks, and inside
    functions and classes (run when called — a cycle all the same), but not under
    ``if TYPE_CHECKING:`` (never run)."""
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack += node.orelse
        else:
            stack += [child for child in ast.iter_child_nodes(node) if isinstance(child, ast.stmt)]


def _imports_in(source: str, name: str, *, package: bool, modules=MODULES.keys()) -> set[str]:
    """The modules of ``modules`` that module ``name`` (a package's ``__init__`` if ``package``)
    imports in ``source``; ``from . import x`` counts as ``.x``, ``from .x import f`` as ``.x``."""
    parent = name.split(".") if package else name.split(".")[:-1]
    found = set()
    for node in _import_nodes(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
            continue
        base = ".".join(parent[:len(parent) - node.level + 1] + ([node.module] if node.module else [])) \
            if node.level else node.module
        for alias in node.names:
            found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
    return (found & set(modules)) - {name}


def _imports(name: str) -> set[str]:
    path = MODULES[name]
    return _imports_in(path.read_text(encoding="utf-8"), name, package=path.name == "__init__.py")


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a path that starts and ends at the same module, or None."""
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt, path + [nxt])):
                return found
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start, [start])):
            return found
    return None


@pytest.mark.parametrize("graph, cycle", [
    ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
    ({"a": {"b"}, "b": {"b2"}, "b2": {"b"}}, ["b", "b2", "b"]),
])
def test_cycle_finder(graph, cycle):
    assert _cycle(graph) == cycle


TOY = {"p", "p.a", "p.b", "p.c", "p.sub", "p.sub.d"}


@pytest.mark.parametrize("source, name, package, expected", [
    ("from .b import f", "p.a", False, {"p.b"}),
    ("from . import b, c", "p.a", False, {"p.b", "p.c"}),
    ("def f():\n    from .b import g\n    return g", "p.a", False, {"p.b"}),
    ("class K:\n    def m(self):\n        if True:\n            import p.c", "p.a", False, {"p.c"}),
    ("def __getattr__(name):\n    try:\n        from . import b\n    finally:\n        pass", "p.a", False, {"p.b"}),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import K\nelse:\n    from .c import K",
     "p.a", False, {"p.c"}),
    ("from ..b import f", "p.sub.d", False, {"p.b"}),
    ("from .sub import d", "p", True, {"p.sub.d"}),
    ("from zzz import b\nimport os", "p.a", False, set()),
])
def test_imports_inside_functions_are_seen(source, name, package, expected):
    assert _imports_in(source, name, package=package, modules=TOY) == expected


@pytest.mark.parametrize("module, expected", [
    ("zzanalysis.tables", set()),
    ("zzanalysis.storage", {"zzanalysis.tables"}),
    ("zzanalysis.corpus", {"zzanalysis.select", "zzanalysis.storage", "zzanalysis.stories", "zzanalysis.tables"}),
    ("zzanalysis.facts", {"zzanalysis._resources"}),
    ("zzanalysis.text", {"zzanalysis.spans"}),
])
def test_imports_are_read_as_python_reads_them(module, expected):
    assert _imports(module) == expected


def test_no_import_cycle():
    assert _cycle({name: _imports(name) for name in MODULES}) is None
