"""Files and functions of the package code above the size limits.

    .venv/bin/python -m benchmarks.code_size [--max-file 400] [--max-function 60] [FOLDER ...]

Package code: beleidsbank/, index/, ingest/ and ui/ (the folders given replace them).
Prints one line per file over --max-file lines and per function or method over
--max-function lines (its whole definition, decorators and docstring included),
longest first, and exits 1 when it printed any.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = ["beleidsbank", "index", "ingest", "ui"]


def functions(tree: ast.AST):
    """(qualified name, first line, number of lines) of every function and method, nested ones included."""

    def walk(node: ast.AST, prefix: str):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([child.lineno] + [d.lineno for d in child.decorator_list])
                yield f"{prefix}{child.name}", first, child.end_lineno - first + 1
                yield from walk(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.ClassDef):
                yield from walk(child, f"{prefix}{child.name}.")
            else:
                yield from walk(child, prefix)

    yield from walk(tree, "")


def oversized(folders: list[str], max_file: int, max_function: int) -> tuple[list, list]:
    """([(lines, path)], [(lines, path:line, name)]) over the limits, longest first."""
    files, funcs = [], []
    for folder in folders:
        for path in sorted((REPO / folder).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            rel = path.relative_to(REPO).as_posix()
            n = len(text.splitlines())
            if n > max_file:
                files.append((n, rel))
            for name, line, length in functions(ast.parse(text, filename=rel)):
                if length > max_function:
                    funcs.append((length, f"{rel}:{line}", name))
    return sorted(files, reverse=True), sorted(funcs, reverse=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folders", nargs="*", default=PACKAGE)
    ap.add_argument("--max-file", type=int, default=400)
    ap.add_argument("--max-function", type=int, default=60)
    args = ap.parse_args()
    files, funcs = oversized(args.folders, args.max_file, args.max_function)
    for n, rel in files:
        print(f"file      {n:5d} lines  {rel}")
    for n, where, name in funcs:
        print(f"function  {n:5d} lines  {where}  {name}")
    return 1 if files or funcs else 0


if __name__ == "__main__":
    sys.exit(main())
