"""The structure holds: imports point one way (no cycles), only the engine imports OR-Tools, the
engine uses CP-SAT's PEP8 API, and no function outside the CLI runs past 50 lines."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("models", "catalog", "solver")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}


def _absolute(name: str, node: ast.ImportFrom, path: Path) -> str:
    if node.level == 0:
        return node.module or ""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Line numbers of imports under `if TYPE_CHECKING:` (not run, so not part of the graph)."""
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            skip |= {child.lineno for stmt in node.body for child in ast.walk(stmt) if hasattr(child, "lineno")}
    return skip


def import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports (at any depth in the file)."""
    known = modules()
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        tree = ast.parse(path.read_text())
        skip = _type_checking_only(tree)
        edges: set[str] = set()
        for node in ast.walk(tree):
            if getattr(node, "lineno", None) in skip:
                continue
            if isinstance(node, ast.Import):
                edges |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(name, node, path)
                for alias in node.names:
                    edges.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
        graph[name] = {e for e in edges if e in known and e != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_has_no_cycle():
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


LOWER = ("models", "catalog")
FACE_MAY_USE = LOWER + ("solver.service", "solver.report")
ALLOWED = {
    "models": ("models",),
    "catalog": ("models", "catalog"),
    "solver.engine": ("models", "solver.engine"),
    "solver.analysis": LOWER + ("solver.engine", "solver.analysis"),
    "solver.whatif": LOWER + ("solver.engine", "solver.analysis", "solver.whatif"),
    "solver.service": LOWER + ("solver.engine", "solver.analysis", "solver.whatif", "solver.service"),
    "solver.report": LOWER + ("solver.service", "solver.report"),
    # the planner's memory (saved work, accounts): the domain's models, kept in a database
    "solver.store": LOWER + ("solver.store",),
    # the faces: the command line (which starts the web server), the web planner, the Python API
    "solver.cli": FACE_MAY_USE + ("solver.cli", "solver.web", "solver.store"),
    "solver.web": FACE_MAY_USE + ("solver.web", "solver.store"),
    "solver.__main__": ("solver.cli",),
    "solver": FACE_MAY_USE,
}


def violations(graph: dict[str, set[str]]) -> list[str]:
    """Every import that points where its layer may not look."""
    wrong = []
    for module, targets in graph.items():
        layer = max((layer for layer in ALLOWED if module == layer or module.startswith(layer + ".")), key=len)
        wrong += [f"{module} -> {t}" for t in targets
                  if not any(t == ok or t.startswith(ok + ".") for ok in ALLOWED[layer])]
    return sorted(wrong)


def test_layers_point_one_way():
    """models imports nothing of roc's; catalog only models; the engine never the layers above it;
    analysis never what-if; the application layer (solver.service) composes them all; the faces
    (CLI, web planner, Python API) see only the application layer, the report package and the
    domain: never the engine, the analyses or what-if, and the web never the CLI."""
    assert violations(import_graph()) == []


def test_the_layer_check_sees_a_face_reaching_past_the_application_layer():
    assert violations({"solver.web.pages": {"solver.cli.output", "solver.service"},
                       "solver": {"solver.engine"}, "solver.cli.solve": {"solver.analysis.plan"}}) == [
        "solver -> solver.engine", "solver.cli.solve -> solver.analysis.plan", "solver.web.pages -> solver.cli.output"]


def _imports_ortools(path: Path) -> bool:
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                 else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
        if any(n == "ortools" or n.startswith("ortools.") for n in names):
            return True
    return False


def test_only_the_engine_imports_ortools():
    outside = [name for name, path in modules().items()
               if _imports_ortools(path) and not name.startswith("solver.engine")]
    assert outside == []
    assert _imports_ortools(ROOT / "solver" / "engine" / "compile.py")  # the check can see an import


CAMEL_CASE_CP_SAT = re.compile(
    r"\.(Add[A-Z]\w*|Add|New[A-Z]\w*|Solve|Value|BooleanValue|Proto|Index|Not|OnlyEnforceIf|"
    r"ClearAssumptions|ClearHints|ClearObjective|WallTime|StopSearch|SufficientAssumptionsForInfeasibility)\(")


def test_the_engine_uses_the_pep8_cp_sat_api():
    found = [f"{path.name}:{n}" for path in (ROOT / "solver" / "engine").glob("*.py")
             for n, line in enumerate(path.read_text().splitlines(), 1) if CAMEL_CASE_CP_SAT.search(line)]
    assert found == []


@pytest.mark.parametrize("package", ["models", "catalog", "solver"])
def test_no_function_outside_the_cli_runs_past_50_lines(package):
    long = []
    for path in (ROOT / package).rglob("*.py"):
        if "cli" in path.relative_to(ROOT).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > 50:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)")
    assert long == []


def test_the_command_line_starts_without_the_solver_or_the_web():
    # `roc --help`, `roc list` and every command's parsing load only what they use: OR-Tools (and
    # the pandas it pulls in), the web server, charts, spreadsheets and Ray load when a command
    # asks for them (see bench/README.md, "A quick command line")
    import subprocess
    import sys

    probe = ("import sys, solver, solver.cli, solver.service, solver.analysis, solver.engine, solver.whatif; "
             "import solver.service.terms, solver.service.catalogue, solver.service.compute; "
             "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    loaded = set(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                                check=True).stdout.split())
    assert not loaded & {"ortools", "pandas", "matplotlib", "openpyxl", "fastapi", "uvicorn", "ray", "scipy"}, loaded
