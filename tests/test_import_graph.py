"""No import cycle inside core: a lower module never reaches back up to a higher one."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import kodomo_desktop.core

CORE = Path(kodomo_desktop.core.__file__).parent
PACKAGE = "kodomo_desktop.core"


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((PACKAGE, *parts))


def imported_modules(path: Path, root: Path, modules: set[str]) -> set[str]:
    """The core modules a module imports, anywhere in it (functions too), relative imports resolved."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                origin = ".".join([*base, node.module] if node.module else base)
            else:
                origin = node.module or ""
            # `from package import module` depends on the module; `from module import name` on the module
            targets = [
                f"{origin}.{alias.name}" if f"{origin}.{alias.name}" in modules else origin for alias in node.names
            ]
        else:
            continue
        for target in targets:
            if target in modules and target != name:
                found.add(target)
    return found


def core_graph(root: Path = CORE) -> dict[str, set[str]]:
    paths = sorted(root.rglob("*.py"))
    modules = {module_name(p, root) for p in paths}
    return {module_name(p, root): imported_modules(p, root, modules) for p in paths}


def find_cycle(graph: Mapping[str, Iterable[str]]) -> list[str] | None:
    """One cycle as [a, b, ..., a], or None. A package's __init__ importing its own modules counts too."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_cycle_finder_names_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"a"}}) == ["a", "a"]


def test_import_resolution_counts_relative_and_function_level_imports(tmp_path):
    root = tmp_path / "core"
    (root / "sub").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "low.py").write_text("def f():\n    from .sub import high\n")
    (root / "sub" / "__init__.py").write_text("")
    (root / "sub" / "high.py").write_text("from kodomo_desktop.core.low import f\n")
    graph = core_graph(root)
    assert graph[f"{PACKAGE}.low"] == {f"{PACKAGE}.sub.high"}
    assert find_cycle(graph) == [f"{PACKAGE}.low", f"{PACKAGE}.sub.high", f"{PACKAGE}.low"]


def test_core_has_no_import_cycle():
    graph = core_graph()
    assert len(graph) > 30  # the walk found core's modules
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle in core: " + " -> ".join(cycle or ())


def test_database_depends_on_nothing_above_it():
    graph = core_graph()
    assert graph[f"{PACKAGE}.database"] <= {
        f"{PACKAGE}.errors",
        f"{PACKAGE}.models",
        f"{PACKAGE}.backup_files",
        f"{PACKAGE}.environment",
        f"{PACKAGE}.database_url",
        f"{PACKAGE}.shared_file",
    }
    # the safe backup write, the translation of the environment's failures, the naming of a
    # database (never its password) and the network-drive write lock sit below the database
    assert graph[f"{PACKAGE}.backup_files"] <= {f"{PACKAGE}.errors"}
    assert graph[f"{PACKAGE}.environment"] <= {f"{PACKAGE}.errors"}
    assert graph[f"{PACKAGE}.database_url"] <= {f"{PACKAGE}.errors", f"{PACKAGE}.environment"}
    assert graph[f"{PACKAGE}.shared_file"] <= {f"{PACKAGE}.errors"}


def test_importing_validation_does_not_load_the_rules():
    code = (
        "import sys, kodomo_desktop.core.validation, kodomo_desktop.core.operations\n"
        "print(sorted(m for m in sys.modules if m.startswith('kodomo_desktop.core.validation.rules')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_running_a_validation_loads_every_rule():
    from kodomo_desktop.core.validation import all_rules

    assert len(all_rules()) > 10
