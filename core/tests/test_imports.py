"""The import rules of docs/architecture.md hold: ``lint-imports`` keeps every contract
of pyproject.toml, and breaks the right one when a wrong import is written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["core", "movie_api", "movies", "users", "support", "ops"]
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))

pytestmark = pytest.mark.slow


def lint_imports(cwd: Path, *contracts: str) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` on the project in ``cwd`` (only ``contracts``, by id, if given)."""
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    only = [arg for contract in contracts for arg in ("--contract", contract)]
    return subprocess.run(  # noqa: S603 (our own venv's lint-imports, fixed arguments)
        [LINT_IMPORTS, "--config", str(cwd / "pyproject.toml"), "--no-cache", *only],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_project_keeps_every_import_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """The project's packages and pyproject.toml, to break on purpose."""
    ignore = shutil.ignore_patterns("__pycache__", "migrations")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_copy_keeps_every_contract(project_copy):
    result = lint_imports(project_copy)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("core/ids.py", "from movies import models", "core"),
        ("core/pages.py", "import support.selectors", "apps"),
        ("movies/views.py", "from users import selectors as users_selectors", "movies"),
        ("movies/selectors.py", "from support.models import Ticket", "movies"),
        ("users/selectors.py", "from support import selectors", "apps"),
        ("movies/models.py", "from movies import services", "inside-apps"),
        ("support/filters.py", "from support import selectors", "no-cycles"),
    ],
)
def test_a_wrong_import_breaks_its_contract(project_copy, module, line, contract):
    path = project_copy / module
    path.write_text(path.read_text() + f"\n{line}  # noqa\n")

    result = lint_imports(project_copy, contract)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "0 kept, 1 broken" in result.stdout
