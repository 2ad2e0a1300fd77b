"""The code imports without circles, and never from inside a function (the command line aside)."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

ROOT = Path(__file__).parents[2]


def test_bots_has_no_import_cycles() -> None:
    graph = grimp.build_graph("bots", "core", cache_dir=None)
    cycles = sorted(
        (module, imported)
        for module in graph.modules
        if module.startswith("bots")
        for imported in graph.find_modules_directly_imported_by(module)
        if graph.find_shortest_chain(importer=imported, imported=module) is not None
    )
    assert cycles == []


# The command line loads each command's code only when that command runs, so `doorstep --help` stays quick.
LAZY_ON_PURPOSE = {ROOT / "doorstep" / "cli.py"}


def test_nothing_imports_inside_a_function() -> None:
    inside = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for package in ("core", "bots", "jobs", "webhooks", "doorstep")
        for path in sorted((ROOT / package).rglob("*.py"))
        if path not in LAZY_ON_PURPOSE
        for function in ast.walk(ast.parse(path.read_text()))
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    assert inside == []
