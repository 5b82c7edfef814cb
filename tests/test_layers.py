"""Imports run one way: the import-linter contracts of pyproject.toml hold.

``cli → services → store → models → kernel``, ``cli → render``, render never
touching the database, the fast paths on top and no cycles between the modules of
a package (docs/development.md, "Layers"). CI runs ``lint-imports`` too; this test
makes the README's test command check it as well.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_imports_keep_every_layer_contract(capsys):
    cli = pytest.importorskip(
        "importlinter.cli",
        reason="import-linter is not installed (pip install -e '.[test]' installs it)")
    code = cli.lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True)
    assert code == 0, capsys.readouterr().out


def test_a_store_module_importing_render_breaks_the_layers(tmp_path):
    """The contracts bite: a copy of the package whose ``store/sql.py`` imports render
    fails, naming the layers contract and the import."""
    pytest.importorskip("importlinter.cli", reason="import-linter is not installed")
    src = PYPROJECT.parent / "src"
    shutil.copytree(src, tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__"))
    sql = tmp_path / "src" / "stuffctl" / "store" / "sql.py"
    sql.write_text(sql.read_text(encoding="utf-8") + "\nfrom stuffctl import render\n",
                   encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
         f"sys.exit(lint_imports(config_filename={str(PYPROJECT)!r}, no_cache=True))"],
        capture_output=True, text=True, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path / "src")})
    assert done.returncode == 1, done.stdout + done.stderr
    assert "stuffctl.store is not allowed to import stuffctl.render" in done.stdout
    assert "- stuffctl.store.sql -> stuffctl.render" in done.stdout
