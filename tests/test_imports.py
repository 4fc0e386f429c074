"""Every module of bot/, digest/ and parley/ imports on its own, and no two import each other.

The graph is read from the source (module-level imports, not those inside functions, which
the CLI uses to start fast, nor those only for type checkers): an edge A -> B when A imports B
or a name from B (a submodule importing from its own package counts too).
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "digest", "parley")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {
    module_name(path): path
    for package in PACKAGES
    for path in sorted((ROOT / package).rglob("*.py"))
    if path.name != "__main__.py"
}


def _top_level(tree: ast.Module) -> list[ast.stmt]:
    """Statements run at import: the module body, into try/if blocks, not TYPE_CHECKING."""
    found: list[ast.stmt] = []
    for node in tree.body:
        if isinstance(node, ast.If):
            test = ast.unparse(node.test)
            if "TYPE_CHECKING" in test:
                continue
            found += _top_level(ast.Module(body=node.body + node.orelse, type_ignores=[]))
        elif isinstance(node, ast.Try):
            block = node.body + node.orelse + node.finalbody
            found += _top_level(ast.Module(body=block, type_ignores=[]))
        else:
            found.append(node)
    return found


def imports_of(name: str, path: Path) -> set[str]:
    """The project modules ``name`` imports at import time."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    edges = set()
    for node in _top_level(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            edges.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            for alias in node.names:
                sub = f"{source}.{alias.name}"
                edges.add(sub if sub in MODULES else source)
    return {e for e in edges if e in MODULES and e != name}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a list of nodes (first repeated last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_project_has_no_import_cycle():
    assert len(MODULES) > 60
    graph = {name: imports_of(name, path) for name, path in MODULES.items()}
    assert graph["bot.app"] >= {"bot.work", "bot.state.records"}  # the walk sees real edges
    assert find_cycle(graph) is None


def test_the_cycle_finder_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_imports(name):
    assert importlib.import_module(name).__name__ == name
