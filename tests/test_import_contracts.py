"""The import contracts of `make lint` (pyproject.toml, [tool.importlinter]) hold on the real
tree, and each one breaks, by name, when a copy of the tree is given a wrong import.

lint-imports reads source files only (grimp): no database, no network."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("portal", "training", "kpi", "audits", "incidents")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

PORTAL = "portal imports no domain app"
DOMAINS = "domain apps import each other only through selectors and services"
VIEWS = "views import no models of another app"
CONTRACTS = (PORTAL, DOMAINS, VIEWS)


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _copy_tree(target: Path) -> Path:
    """The packages' Python files and pyproject.toml: all that lint-imports reads."""

    def not_python(directory: str, names: list[str]) -> set[str]:
        return {
            name
            for name in names
            if name == "__pycache__"
            or (not name.endswith(".py") and not (Path(directory) / name).is_dir())
        }

    for package in PACKAGES:
        shutil.copytree(ROOT / package, target / package, ignore=not_python)
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def _add_import(tree: Path, module: str, line: str) -> None:
    path = tree / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")


def test_the_real_tree_keeps_every_contract() -> None:
    result = _lint_imports(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    for name in CONTRACTS:
        assert f"{name} KEPT" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken", "named_import"),
    [
        (
            "portal/home/views.py",
            "from training.models import Exam",
            {PORTAL, VIEWS},
            "portal.home.views -> training.models",
        ),
        (
            "training/views.py",
            "from kpi.models import StoreDay",
            {DOMAINS, VIEWS},
            "training.views -> kpi.models",
        ),
        (
            "kpi/dashboard.py",
            "from training.scoring import score_answer",
            {DOMAINS},
            "kpi.dashboard -> training.scoring",
        ),
        (
            "portal/sop/views.py",
            "from portal.org.models import Store",
            {VIEWS},
            "portal.sop.views -> portal.org.models",
        ),
        (
            "kpi/api.py",
            "from portal.sop.models import SopPage",
            {VIEWS},
            "kpi.api -> portal.sop.models",
        ),
    ],
)
def test_a_wrong_import_breaks_its_contract_by_name(
    tmp_path: Path, module: str, line: str, broken: set[str], named_import: str
) -> None:
    tree = _copy_tree(tmp_path)
    assert _lint_imports(tree).returncode == 0  # the copy is as clean as the tree

    _add_import(tree, module, line)
    result = _lint_imports(tree)

    assert result.returncode == 1, result.stdout + result.stderr
    for name in CONTRACTS:
        assert f"{name} {'BROKEN' if name in broken else 'KEPT'}" in result.stdout
    assert named_import in result.stdout


def test_selectors_services_and_tests_are_no_breach(
    tmp_path: Path,
) -> None:
    tree = _copy_tree(tmp_path)
    _add_import(tree, "kpi/views.py", "from training.selectors import status")
    _add_import(tree, "kpi/dashboard.py", "from training.services import attempts")
    # A test module named like a view is no view.
    _add_import(tree, "training/tests/test_views.py", "from portal.org.models import Store")

    result = _lint_imports(tree)

    assert result.returncode == 0, result.stdout + result.stderr
