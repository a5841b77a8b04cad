"""Every package the code imports is declared in pyproject.toml, by the part of it that installs it.

The product's modules may import the standard library, the project's own packages and what
[project].dependencies installs; tests, benchmarks and the load test may also import the dev
extra. A module that is only there because another package pulled it in (lxml under python-docx)
is refused: the day that package drops it, the import breaks on a fresh machine.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterable, Iterator
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PRODUCT_PACKAGES = ("minzheng", "org", "campaigns", "relief", "eldercare", "audit")
# Folders of scripts run from their own folder (bench/run.py imports bench/_common.py as _common).
SCRIPT_FOLDERS = ("bench", "loadtest")
SKIPPED_PARTS = {"migrations", "static", "__pycache__", ".venv", "node_modules"}


def distribution_name(requirement: str) -> str:
    """The normalised name (PEP 503) of a requirement such as "celery[redis]==5.7.0"."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(1)).lower()


def declared(*, dev: bool) -> set[str]:
    project = PROJECT["project"]
    requirements = list(project["dependencies"])
    if dev:
        requirements += project["optional-dependencies"]["dev"]
    return {distribution_name(r) for r in requirements}


def python_files(*folders: str) -> Iterator[Path]:
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if not SKIPPED_PARTS.intersection(path.relative_to(ROOT).parts):
                yield path


def imported_modules(path: Path) -> Iterator[tuple[str, int]]:
    """The top-level module of every absolute import in a file, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0], node.lineno


def local_modules() -> set[str]:
    """The project's packages and the modules that sit beside the scripts that import them."""
    names = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    names |= {path.stem for path in ROOT.glob("*.py")}  # manage.py
    for folder in SCRIPT_FOLDERS:
        names |= {path.stem for path in (ROOT / folder).glob("*.py")}
    return names


def undeclared(files: Iterable[Path], allowed: set[str]) -> list[str]:
    """ "path:line module" for every import that nothing in `allowed` installs."""
    providers = packages_distributions()
    local = local_modules()
    problems = []
    for path in files:
        for module, line in imported_modules(path):
            if module in sys.stdlib_module_names or module in local:
                continue
            installed_by = {distribution_name(d) for d in providers.get(module, [])}
            if not installed_by & allowed:
                where = path.relative_to(ROOT)
                problems.append(f"{where}:{line} {module} (installed by {sorted(installed_by)})")
    return problems


def test_the_product_imports_only_its_declared_dependencies():
    files = [*python_files(*PRODUCT_PACKAGES), ROOT / "manage.py"]
    assert undeclared(files, declared(dev=False)) == []


def test_tests_benchmarks_and_the_load_test_import_only_declared_dependencies():
    files = python_files("tests", *SCRIPT_FOLDERS)
    assert undeclared(files, declared(dev=True)) == []


def test_it_names_a_package_that_is_installed_but_not_declared():
    # lxml is there anyway (python-docx needs it); undeclared, the roster reader is refused.
    files = [ROOT / "relief" / "xlsx_rows.py"]
    without_lxml = declared(dev=False) - {"lxml"}
    problems = undeclared(files, without_lxml)
    assert problems and all(" lxml " in problem for problem in problems)
    assert undeclared(files, declared(dev=False)) == []
