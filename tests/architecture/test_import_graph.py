"""The framework's imports go one way: runner/ never imports the stand-ins, and no cycle among runner/.

A cycle counts whether its imports are at module level or inside a function: an import moved into a
function to dodge a cycle is still that cycle. Imports under `if TYPE_CHECKING:` do not run and do not
count. Read from the source with `ast`, nothing is imported.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "runner"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in RUNNER.rglob("*.py")}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(module: str, path: Path | None = None) -> list[tuple[str, int, bool]]:
    """(imported module, line, at module level) for every import that runs, as written in the source."""
    path = path or MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[str, int, bool]] = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for stmt in child.orelse:
                    visit_stmt(stmt, top)
                continue
            visit_stmt(child, top)

    def visit_stmt(child: ast.AST, top: bool) -> None:
        if isinstance(child, ast.Import):
            found.extend((alias.name, child.lineno, top) for alias in child.names)
        elif isinstance(child, ast.ImportFrom):
            base = child.module or ""
            if child.level:
                anchor = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in child.names:
                sub = f"{base}.{alias.name}"
                found.append((sub if sub in MODULES else base, child.lineno, top))
        else:
            inner = top and not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8")), True)
    return found


def runner_graph() -> dict[str, set[str]]:
    return {m: {name for name, _, _ in imports_of(m) if name in MODULES and name != m} for m in MODULES}


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return cycles


def test_runner_never_imports_the_stand_ins_at_module_level() -> None:
    found = [
        f"{MODULES[m].relative_to(ROOT)}:{line} imports {name}"
        for m in MODULES
        for name, line, top in imports_of(m)
        if top and (name == "fixtures" or name.startswith("fixtures."))
    ]
    assert found == [], "runner/ must run without the stand-ins installed:\n" + "\n".join(found)


def test_no_import_cycle_among_runner_modules() -> None:
    cycles = find_cycles(runner_graph())
    assert cycles == [], "import cycles in runner/ (module-level or inside functions):\n" + "\n".join(
        " <-> ".join(c) for c in cycles
    )


def test_the_check_sees_a_cycle_and_an_import_inside_a_function(tmp_path: Path) -> None:
    """The checker itself: a cycle is found, a chain is not; imports are told apart by where they run."""
    assert find_cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    source = tmp_path / "m.py"
    source.write_text(
        "from typing import TYPE_CHECKING\nimport fixtures.scenario\nif TYPE_CHECKING:\n    import runner.api\n"
        "def f():\n    from runner import settings\n",
        encoding="utf-8",
    )
    assert imports_of("runner.m", source) == [
        ("typing", 1, True), ("fixtures.scenario", 2, True), ("runner.settings", 6, False)
    ]
