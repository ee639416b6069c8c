"""The layout's rules, read from the code: no import cycle between files, no project import
tucked into a function (but the CLI's), and the layer contracts of ``pyproject.toml``.

docs/architecture.md describes the layers; ``make lint`` runs the same contracts.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp

from tests.support.paths import REPO

PACKAGES = ("cli", "flows", "pipeline", "checks", "outputs", "demo", "transforms", "datadialog")
#: Commands import their area's code when they run, so ``datadialog --help`` stays fast
#: (Prefect and Pandera take seconds to import).
LAZY_ALLOWED = ("cli",)


def _cycles(graph: grimp.ImportGraph) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.find_modules_directly_imported_by(node):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle_between_files() -> None:
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 5000))
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    assert len(graph.modules) > 80  # the whole product was read
    assert _cycles(graph) == []


def _function_level_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and inner.level == 0 and inner.module:
                    if inner.module.split(".")[0] in PACKAGES:
                        found.append(f"{path.relative_to(REPO)}:{inner.lineno} {inner.module}")
    return found


def test_no_project_import_inside_a_function_but_the_cli() -> None:
    found = [
        hit
        for package in PACKAGES
        if package not in LAZY_ALLOWED
        for path in sorted((REPO / package).rglob("*.py"))
        for hit in _function_level_imports(path)
    ]
    assert found == []


def test_layer_contracts_hold() -> None:
    proc = subprocess.run([str(Path(sys.executable).parent / "lint-imports")], cwd=REPO,
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "2 kept, 0 broken" in proc.stdout
