"""docs/commands.md and the shell completions are current, and the completions work."""

from __future__ import annotations

import importlib.util
import os
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from unittest import mock

import pytest

ROOT = Path(__file__).resolve().parents[1]
COMPLETIONS = ROOT / "completions"


@pytest.fixture(scope="module")
def gen() -> Iterator[ModuleType]:
    """docs/generate.py, imported by path; the environment it fixes is restored afterwards."""
    spec = importlib.util.spec_from_file_location("stuffctl_docs_generate",
                                                  ROOT / "docs" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with mock.patch.dict(os.environ):
        spec.loader.exec_module(module)
        yield module


def test_generated_files_are_current(gen: ModuleType) -> None:
    stale = [str(p.relative_to(ROOT)) for p in gen.stale(gen.outputs())]
    assert not stale, f"out of date: {', '.join(stale)}; run `python docs/generate.py`"


def test_every_command_and_group_has_help(gen: ModuleType) -> None:
    bare = [gen.path(ctx) for ctx in gen.walk() if not (ctx.command.help or "").strip()]
    assert not bare, f"commands without help text: {bare}"


def bash_complete(line: str, cwd: Path) -> list[str]:
    """COMPREPLY for ``line``, split into words the way bash does (``=`` is a word)."""
    words = line.replace("=", " = ").split(" ")
    script = (f"set -u; source {shlex.quote(str(COMPLETIONS / 'stuffctl.bash'))}\n"
              f"COMP_WORDS=({shlex.join(words)}); COMP_CWORD={len(words) - 1}; _stuffctl\n"
              'printf "%s\\n" ${COMPREPLY[@]+"${COMPREPLY[@]}"}')
    done = subprocess.run(["/bin/bash", "-c", script], capture_output=True, text=True,
                          cwd=cwd, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    return [w for w in done.stdout.splitlines() if w]


@pytest.mark.parametrize(("line", "expected"), [
    ("stuffctl as", {"asset"}),
    ("stuffctl asset ", {"add", "list"}),
    ("stuffctl asset list --so", {"--sort"}),
    ("stuffctl --db x.db asset l", {"list"}),
    ("stuffctl --db=x.db asset l", {"list"}),
    ("stuffctl -", {"--db", "-h", "--help"}),
    ("stuffctl asset list -f ", {"table", "json", "csv"}),
    ("stuffctl asset list --format=nd", {"ndjson"}),
    ("stuffctl --db rec", {"receipt.pdf"}),
    ("stuffctl asset attach 1 rec", {"receipt.pdf"}),
])
def test_bash_completion(line: str, expected: set[str], tmp_path: Path) -> None:
    (tmp_path / "receipt.pdf").touch()
    assert expected <= set(bash_complete(line, tmp_path))


def test_bash_completes_only_known_words(tmp_path: Path) -> None:
    assert bash_complete("stuffctl as", tmp_path) == ["asset"]
    assert bash_complete("stuffctl asset list --format ", tmp_path) == [
        "table", "json", "ndjson", "csv"]
    assert bash_complete("stuffctl nosuch ", tmp_path) == bash_complete("stuffctl ", tmp_path)


def _shell(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def test_fish_syntax() -> None:
    fish = _shell("fish")
    subprocess.run([fish, "--no-execute", str(COMPLETIONS / "stuffctl.fish")], check=True)


def test_fish_completion() -> None:
    fish = _shell("fish")
    script = (f"source {shlex.quote(str(COMPLETIONS / 'stuffctl.fish'))}; "
              "complete -C'stuffctl --db x.db asset list --so'")
    done = subprocess.run([fish, "--no-config", "-c", script], capture_output=True, text=True,
                          check=True)
    assert [ln.split("\t")[0] for ln in done.stdout.splitlines()] == ["--sort"]


def test_zsh_syntax() -> None:
    zsh = _shell("zsh")
    subprocess.run([zsh, "-n", str(COMPLETIONS / "_stuffctl")], check=True)
