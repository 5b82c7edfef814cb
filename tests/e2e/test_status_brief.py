"""`status --brief` in a shell prompt: answered from plain sqlite3 while still true."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import run_installed

PROBE = (
    "import sys\n"
    "from stuffctl.entry import main\n"
    "code = main(['status', '--brief'])\n"
    "heavy = sorted(m for m in ('typer', 'rich', 'sqlmodel', 'sqlalchemy') if m in sys.modules)\n"
    "sys.stderr.write(repr((code, heavy)))\n"
)


def brief_in_process() -> tuple[str, str]:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True)
    return done.stdout, done.stderr


def test_a_repeated_brief_is_answered_without_typer_or_the_orm(home):
    assert run_installed("asset", "add", "TV", "--warranty", "+10d").returncode == 0
    first = run_installed("status", "--brief")
    assert first.stdout == "1 warranty ending\n"
    assert brief_in_process() == ("1 warranty ending\n", "(0, [])")


def test_any_write_or_config_change_makes_the_next_brief_recompute(home):
    run_installed("asset", "add", "TV", "--warranty", "+10d")
    run_installed("status", "--brief")
    run_installed("asset", "add", "Radio", "--warranty", "+20d")
    out, err = brief_in_process()
    assert out == "2 warranties ending\n"
    assert "typer" in err and "sqlalchemy" not in err  # the full command ran, in plain SQL

    assert brief_in_process() == ("2 warranties ending\n", "(0, [])")
    run_installed("config", "set", "currency", "USD")
    assert "typer" in brief_in_process()[1]
