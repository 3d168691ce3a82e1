"""The layout's rules, checked on the source: layer order, one owner per concern.

Layers, earliest first: settings < index < ingest < ui < cli/public API. A module
imports only from its own or an earlier layer. SQL lives in the store, environment
variables are read by the settings module only, and nothing patches sys.path.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
STAGES = {"index": "beleidsbank.index", "ingest": "beleidsbank.ingest", "ui": "beleidsbank.ui"}
LAYER = {
    "beleidsbank.settings": 0,
    "beleidsbank.params": 0,  # the settings' parameter groups
    "beleidsbank.index": 1,
    "beleidsbank.ingest": 2,
    "beleidsbank.ui": 3,
    "beleidsbank": 4,
}
STORE_MODULES = {
    "index/store.py",
    "index/store_io.py",
    "index/store_relations.py",
    "index/store_reviews.py",
    "index/store_accounts.py",
    "index/store_themes.py",
    "index/schema.py",
    "index/migrations.py",
}


def package_files() -> list[tuple[str, Path]]:
    """(module name, path) of every module of the installed package."""
    out = []
    for folder, package in [("beleidsbank", "beleidsbank"), *STAGES.items()]:
        for path in sorted((REPO / folder).rglob("*.py")):
            rel = path.relative_to(REPO / folder).with_suffix("")
            parts = [] if rel.name == "__init__" and rel.parent == Path(".") else list(rel.parts)
            if parts and parts[-1] == "__init__":
                parts = parts[:-1]
            out.append((".".join([package, *parts]), path))
    return out


def layer_of(module: str) -> int:
    best = max((p for p in LAYER if module == p or module.startswith(p + ".")), key=len)
    return LAYER[best]


def imported(module: str, path: Path) -> list[str]:
    """Absolute names of the project modules a file imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            names += [f"{base}.{a.name}" if base == "beleidsbank" else base for a in node.names]
    return [n for n in names if n == "beleidsbank" or n.startswith("beleidsbank.")]


FILES = package_files()


@pytest.mark.parametrize("module,path", FILES, ids=[m for m, _ in FILES])
def test_imports_point_to_earlier_layers(module, path):
    if module == "beleidsbank":  # the public API re-exports from every layer
        return
    mine = layer_of(module)
    later = [n for n in imported(module, path) if layer_of(n) > mine]
    assert not later, f"{module} imports from a later layer: {later}"


def test_stage_folders_do_not_import_under_their_bare_names():
    for folder, package in STAGES.items():
        text = (REPO / folder / "__init__.py").read_text(encoding="utf-8")
        assert f'__name__ != "{package}"' in text


def _code_lines(path: Path):
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            yield n, line


def test_sql_only_in_the_store():
    sql = re.compile(r"\.execute(many|script)?\(|\bsqlite3\b")
    offenders = [
        f"{path.relative_to(REPO)}:{n}"
        for _, path in FILES
        if str(path.relative_to(REPO)) not in STORE_MODULES
        for n, line in _code_lines(path)
        if sql.search(line)
    ]
    assert not offenders, offenders


def test_environment_read_only_by_settings():
    env = re.compile(r"\bos\.environ\b|\bgetenv\(")
    offenders = [
        f"{path.relative_to(REPO)}:{n}"
        for module, path in FILES
        if module != "beleidsbank.settings"
        for n, line in _code_lines(path)
        if env.search(line)
    ]
    assert not offenders, offenders


def test_no_sys_path_manipulation():
    roots = ["beleidsbank", "index", "ingest", "ui", "tests", "benchmarks", "corpus", "eval"]
    offenders = [
        f"{path.relative_to(REPO)}:{n}"
        for root in roots
        for path in (REPO / root).rglob("*.py")
        if path.name != "test_layers.py"
        for n, line in _code_lines(path)
        if "sys.path" in line
    ]
    assert not offenders, offenders
