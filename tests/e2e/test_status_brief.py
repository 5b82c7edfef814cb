"""`status --brief` in a shell prompt: answered from plain sqlite3 while still true."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import run_installed

PROBE = (
    "import sys\n"
    "from stuffctl.entry import main\n"
    "code = main(sys.argv[1:])\n"
    "heavy = sorted(m for m in ('typer', 'rich', 'sqlmodel', 'sqlalchemy') if m in sys.modules)\n"
    "sys.stderr.write(repr((code, heavy)))\n"
)


def in_process(*args: str) -> tuple[str, str]:
    """stdout, and (exit code, heavy modules imported) of ``stuffctl ARGS``."""
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True)
    return done.stdout, done.stderr


def brief_in_process() -> tuple[str, str]:
    return in_process("status", "--brief")


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


def test_remind_run_and_brief_alternating_both_stay_on_the_fast_path(home):
    run_installed("asset", "add", "TV", "--warranty", "+10d")
    assert run_installed("remind", "run").returncode == 0  # computes and caches its time
    assert run_installed("status", "--brief").stdout == "1 warranty ending\n"  # and its line
    for _ in range(2):  # a prompt and cron, taking turns
        assert in_process("remind", "run", "--quiet-hours") == ("", "(0, [])")
        assert brief_in_process() == ("1 warranty ending\n", "(0, [])")
        assert in_process("remind", "run") == ("", "(0, [])")


def test_remind_run_under_a_new_config_does_not_revive_a_brief_of_the_old(home):
    run_installed("remind", "add", "Pay rent", "--on", "yesterday")
    assert run_installed("status", "--brief").stdout == "1 overdue\n"
    run_installed("config", "set", "bands.overdue_after", "7d")
    run_installed("remind", "run")  # stores its time under the new config
    out, err = brief_in_process()
    assert out == "1 due soon\n" and "typer" in err


@pytest.mark.postgres_only
def test_a_server_database_is_never_answered_from_a_brief_cached_in_the_homes_file(
        home, monkeypatch):
    """The home's own file (from before the household moved to a server) holds a cached
    line still true for it: with the server named, the brief is the server's."""
    url = os.environ["STUFFCTL_DB"]
    home.mkdir()
    old = str(home / "stuffctl.db")
    run_installed("--db", old, "asset", "add", "Old TV", "--warranty", "+10d")
    assert run_installed("--db", old, "status", "--brief").stdout == "1 warranty ending\n"
    assert in_process("--db", old, "status", "--brief")[1] == "(0, [])"  # cached there
    run_installed("asset", "add", "Radio", "--warranty", "+20d")
    run_installed("asset", "add", "Lamp", "--warranty", "+25d")

    by_env = in_process("status", "--brief")[0]
    monkeypatch.delenv("STUFFCTL_DB")
    by_option = in_process("--db", url, "status", "--brief")[0]
    (home / "config.toml").write_text(f'db_url = "{url}"\n')
    by_config = in_process("status", "--brief")[0]
    assert [by_env, by_option, by_config] == ["2 warranties ending\n"] * 3


def test_brief_json_is_the_same_from_the_full_command_and_the_fast_path(home):
    run_installed("asset", "add", "TV", "--warranty", "+10d")
    full = run_installed("status", "--brief", "--json")
    assert full.returncode == 0 and '"warranties_ending": 1' in full.stdout
    assert in_process("status", "--brief", "--json") == (full.stdout, "(0, [])")
    assert in_process("status", "--json", "--brief") == (full.stdout, "(0, [])")
    assert brief_in_process() == ("1 warranty ending\n", "(0, [])")
