"""Dynamic completion: `stuffctl __complete KIND PREFIX` and the scripts that call it."""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from stuffctl import completion, paths, store
from tests.conftest import run_installed, sql_write

ROOT = Path(__file__).resolve().parents[1]
COMPLETIONS = ROOT / "completions"


@pytest.fixture
def household(cli):
    cli.ok("tx", "add", "-5", "Lidl", "--category", "groceries", "--account", "bank:checking")
    cli.ok("tx", "add", "-3", "Bakery", "--category", "groceries:bread", "--tag", "weekly")
    cli.ok("tx", "add", "-40", "Trattoria", "--category", "eating out", "--account", "card")
    cli.ok("asset", "add", "Drill", "--category", "tools", "--location", "Garage",
           "--tag", "diy")
    cli.ok("asset", "add", "Old TV", "--category", "electronics")
    cli.ok("asset", "retire", "2")
    cli.ok("budget", "set", "gifts", "50")
    cli.ok("person", "add", "Anna Berg")


def test_categories_come_from_transactions_assets_and_budgets(household):
    assert completion.values("category", "") == [
        "eating out", "electronics", "gifts", "groceries", "groceries:bread", "tools"]
    assert completion.values("category", "gro") == ["groceries", "groceries:bread"]
    assert completion.values("category", "x") == []


def test_each_kind_completes_its_own_values(household):
    assert completion.values("account", "") == ["bank:checking", "card"]
    assert completion.values("payee", "Ba") == ["Bakery"]
    assert completion.values("location", "") == ["Garage"]
    assert completion.values("tag", "") == ["diy", "weekly"]
    assert completion.values("asset", "") == ["1\tDrill"]  # the retired TV is left out
    assert completion.values("person", "An") == ["Anna Berg"]
    assert completion.values("nosuch", "") == []


def test_the_distinct_values_of_a_big_column_are_capped(home, cli):
    cli.ok("tx", "add", "-1", "x")
    with store.transaction(write=True) as db:
        db.execute("UPDATE txn SET category = ? WHERE id = 1", ("c",))
        db.executemany(
            "INSERT INTO budget (uid, created_at, updated_at, category, period, amount_minor, "
            "currency) VALUES (?, '2026-01-01 00:00:00', '2026-01-01 00:00:00', ?, 'monthly', "
            "100, 'EUR')", [(f"u{i}", f"cat{i:04d}") for i in range(completion.LIMIT + 50)])
    found = completion.values("category", "cat")
    assert len(found) == completion.LIMIT and found == sorted(found)


def test_no_database_or_another_schema_completes_nothing(home, backend):
    if backend == "sqlite":
        assert completion.values("category", "") == []
        home.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(home / "stuffctl.db") as conn:
            conn.execute("CREATE TABLE alembic_version (version_num TEXT)")
            conn.execute("INSERT INTO alembic_version VALUES ('0001')")
        assert completion.values("category", "") == []
        return
    nowhere = "postgresql://nobody@127.0.0.1:1/nothing"  # no server listens on port 1
    assert completion.values("category", "", nowhere) == []
    assert completion.main(["category", ""], nowhere) == 0
    sql_write("INSERT INTO budget (uid, created_at, updated_at, category, period, "
              "amount_minor, currency) VALUES ('u', '2026-01-01 00:00:00', "
              "'2026-01-01 00:00:00', 'gifts', 'monthly', 100, 'EUR')")
    assert completion.values("category", "") == ["gifts"]
    sql_write("UPDATE alembic_version SET version_num = '0001'")  # an older schema
    assert completion.values("category", "") == []


@pytest.mark.postgres_only
def test_a_server_database_never_completes_from_a_file_in_the_home(household, home, cli,
                                                                    monkeypatch):
    """The home's own file (from before the household moved to a server) holds other
    values: whichever way the server is named, completion offers the server's."""
    url = os.environ["STUFFCTL_DB"]
    home.mkdir(exist_ok=True)
    cli.ok("--db", str(home / "stuffctl.db"), "tx", "add", "-1", "x", "--category", "grout")
    by_env = run_installed("__complete", "category", "gro").stdout
    monkeypatch.delenv("STUFFCTL_DB")
    by_option = run_installed("--db", url, "__complete", "category", "gro").stdout
    (home / "config.toml").write_text(f'db_url = "{url}"\n')
    by_config = run_installed("__complete", "category", "gro").stdout
    assert [by_env, by_option, by_config] == ["groceries\ngroceries:bread\n"] * 3


def test_which_options_complete_what():
    assert completion.option_kind(["-c", "--category"], "Category.") == "category"
    assert completion.option_kind(["--to"], "Who borrows it (person id or name).") == "person"
    assert completion.option_kind(["--to"], "Last day (a date).") is None
    assert completion.option_kind(["--notes"], "Free text.") is None


PROBE = (
    "import sys\n"
    "from stuffctl.entry import main\n"
    "code = main(['__complete', 'category', 'gro'])\n"
    "heavy = sorted(m for m in ('typer', 'rich', 'sqlmodel', 'sqlalchemy') if m in sys.modules)\n"
    "sys.stderr.write(repr((code, heavy)))\n"
)


def test_the_installed_command_answers_without_typer_or_the_orm(household, home):
    done = run_installed("__complete", "category", "gro")
    assert (done.returncode, done.stdout, done.stderr) == (
        0, "groceries\ngroceries:bread\n", "")
    probe = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True)
    assert (probe.stdout, probe.stderr) == ("groceries\ngroceries:bread\n", "(0, [])")
    other = run_installed("--db", str(home / "nowhere.db"), "__complete", "category", "")
    assert (other.returncode, other.stdout) == (0, "")


def _env() -> dict[str, str]:
    """The test's home, and this environment's stuffctl first on PATH."""
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}


def bash_complete(line: str) -> list[str]:
    words = line.split(" ")
    script = (f"set -u; source {shlex.quote(str(COMPLETIONS / 'stuffctl.bash'))}\n"
              f"COMP_WORDS=({shlex.join(words)}); COMP_CWORD={len(words) - 1}; _stuffctl\n"
              'printf "%s\\n" ${COMPREPLY[@]+"${COMPREPLY[@]}"}')
    done = subprocess.run(["/bin/bash", "-c", script], capture_output=True, text=True,
                          env=_env(), check=False)
    assert (done.returncode, done.stderr) == (0, "")
    return [w for w in done.stdout.splitlines() if w]


def test_bash_completes_the_persons_own_values(household):
    assert bash_complete("stuffctl tx list --category gro") == ["groceries", "groceries:bread"]
    assert bash_complete("stuffctl tx add -5 x -c eat") == [r"eating\ out"]
    assert bash_complete("stuffctl asset list --location ") == ["Garage"]
    assert bash_complete("stuffctl tx add -5 x --asset ") == ["1"]
    assert bash_complete("stuffctl asset lend 1 --to An") == [r"Anna\ Berg"]


def test_bash_passes_the_db_option_on(household, home, tmp_path):
    assert bash_complete(f"stuffctl --db {tmp_path / 'other.db'} tx list --category gro") == []
    db = os.environ.get("STUFFCTL_DB") or str(paths.db_path())  # a server's URL, or the file
    assert bash_complete(f"stuffctl --db {db} tx list --category gro") == [
        "groceries", "groceries:bread"]


def test_fish_completes_the_persons_own_values(household):
    fish = shutil.which("fish")
    if fish is None:
        pytest.skip("fish is not installed")
    script = (f"source {shlex.quote(str(COMPLETIONS / 'stuffctl.fish'))}; "
              "complete -C'stuffctl tx list --category gro'")
    done = subprocess.run([fish, "--no-config", "-c", script], capture_output=True, text=True,
                          env=_env(), check=True)
    assert [ln.split("\t")[0] for ln in done.stdout.splitlines()] == [
        "groceries", "groceries:bread"]
