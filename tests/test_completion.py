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
    assert completion.values("asset", "") == ["1\tDrill", "2\tOld TV"]  # retired: last
    assert completion.values("person", "An") == ["Anna Berg\tid 1"]
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
    assert bash_complete("stuffctl tx add -5 x --asset ") == ["1", "2"]
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


# Records and fixed words: what `asset show <Tab>`, `task done <Tab>` and `report spend
# --by <Tab>` offer, through Click's completion in-process and through the static scripts.

@pytest.fixture
def kitchen(cli):
    cli.ok("asset", "add", "Dishwasher")
    cli.ok("asset", "add", "Dining table")
    cli.ok("asset", "add", "Washing machine")
    cli.ok("project", "add", "Kitchen renovation")
    cli.ok("task", "add", "1", "Remove the old kitchen")
    cli.ok("task", "add", "1", "Install cabinets")
    cli.ok("task", "done", "2")
    cli.ok("person", "add", "Sam")
    cli.ok("sub", "add", "Netflix", "13.99", "--every", "monthly", "--next", "2026-03-01")
    cli.ok("remind", "add", "Bins out", "--on", "2026-03-02")


def click_complete(*words: str) -> list[tuple[str, str | None]]:
    """What Click's own shell completion offers for the command line ``words`` (the last
    one being typed), in-process."""
    import typer.main

    from stuffctl.cli.app import app

    try:
        from typer._click.shell_completion import ShellComplete
    except ImportError:  # an older Typer on plain Click
        from click.shell_completion import ShellComplete

    class Probe(ShellComplete):
        name, source_template = "probe", ""

        def source_vars(self) -> dict[str, str]:
            return {}

        def get_completion_args(self) -> tuple[list[str], str]:
            return list(words[:-1]), words[-1]

        def format_completion(self, item) -> str:
            return item.value

    probe = Probe(typer.main.get_command(app), {}, "stuffctl", "_STUFFCTL_COMPLETE")
    return [(i.value, i.help) for i in probe.get_completions(*probe.get_completion_args())]


def test_click_completes_records_by_id_with_their_names(kitchen):
    assert click_complete("asset", "show", "") == [
        ("1", "Dishwasher"), ("2", "Dining table"), ("3", "Washing machine")]
    assert click_complete("asset", "show", "Di") == [("Dining table", "id 2"),
                                                     ("Dishwasher", "id 1")]
    assert click_complete("asset", "show", "Dish") == [("Dishwasher", "id 1")]
    # open tasks first, a done one after; any number of them
    assert click_complete("task", "done", "") == [("1", "Remove the old kitchen"),
                                                 ("2", "Install cabinets")]
    assert click_complete("task", "done", "1", "") == click_complete("task", "done", "")
    assert click_complete("project", "show", "Kit") == [("Kitchen renovation", "id 1")]
    assert click_complete("person", "show", "") == [("1", "Sam")]
    assert click_complete("sub", "show", "") == [("1", "Netflix")]
    assert click_complete("remind", "done", "Bi") == [("Bins out", "id 1")]
    assert click_complete("tx", "add", "-5", "x", "--project", "") == [
        ("1", "Kitchen renovation")]


def test_click_completes_the_words_of_an_enumerated_option(home):
    assert click_complete("report", "spend", "--by", "") == [
        (w, None) for w in ("category", "payee", "account", "asset", "project")]
    assert click_complete("report", "cashflow", "--per", "q") == [("quarter", None)]
    assert click_complete("task", "add", "1", "x", "--priority", "") == [
        ("H", None), ("M", None), ("L", None)]
    assert click_complete("tx", "list", "-f", "") == [
        (w, None) for w in ("table", "json", "ndjson", "csv")]


def test_click_completes_nothing_without_a_database(home):
    assert click_complete("asset", "show", "") == []


def test_every_parameter_that_names_a_record_completes_to_records():
    """A new command's argument or option that takes "an id or name" says what it
    completes to (cli.options.records), or its shell completion offers nothing."""
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    missing = [f"{generate.path(ctx)} {p.name}" for ctx in generate.walk()
               for p in ctx.command.get_params(ctx)
               if "id or name" in (p.help or "") or "id or title" in (p.help or "")
               if generate.kind(p) is None]
    assert missing == []


def test_bash_completes_records_and_words_as_arguments(kitchen):
    assert bash_complete("stuffctl asset show ") == ["1", "2", "3"]
    assert bash_complete("stuffctl asset show Dish") == ["Dishwasher"]
    assert bash_complete("stuffctl asset show Wash") == [r"Washing\ machine"]
    assert bash_complete("stuffctl task done ") == ["1", "2"]
    assert bash_complete("stuffctl task done 1 ") == ["1", "2"]
    assert bash_complete("stuffctl asset owner 1 ") == ["1"]  # its second argument: a person
    assert bash_complete("stuffctl report spend --by ") == [
        "category", "payee", "account", "asset", "project"]
    assert bash_complete("stuffctl asset show --j") == ["--json"]


def zsh_complete(line: str) -> list[str]:
    """What the zsh script offers, with zsh's completion builtins stubbed to print it."""
    zsh = shutil.which("zsh")
    if zsh is None:
        pytest.skip("zsh is not installed")
    script = ("_describe() { local arr=${@[-1]}; print -rl -- ${(P)arr} }\n"
              "compadd() { shift; print -rl -- \"$@\" }\n"
              "_files() { print -r FILES }; compset() { : }; compdef() { : }\n"
              f"source {shlex.quote(str(COMPLETIONS / '_stuffctl'))}\n"
              "words=(${(s: :)1}); [[ $1 == *' ' ]] && words+=('')\n"
              "CURRENT=${#words}; PREFIX=${words[CURRENT]}; _stuffctl")
    done = subprocess.run([zsh, "-f", "-c", script, "zsh", line], capture_output=True,
                          text=True, env=_env(), check=True)
    return done.stdout.splitlines()


def test_zsh_completes_records_with_their_names(kitchen):
    assert zsh_complete("stuffctl asset show ") == [
        "1:Dishwasher", "2:Dining table", "3:Washing machine"]
    assert zsh_complete("stuffctl asset show Dish") == ["Dishwasher:id 1"]
    assert zsh_complete("stuffctl task done 1 ") == ["1:Remove the old kitchen",
                                                     "2:Install cabinets"]
    assert zsh_complete("stuffctl report spend --by ") == [
        "category", "payee", "account", "asset", "project"]


def test_fish_completes_records_with_their_names(kitchen):
    fish = shutil.which("fish")
    if fish is None:
        pytest.skip("fish is not installed")

    def complete(line: str) -> list[str]:
        script = (f"source {shlex.quote(str(COMPLETIONS / 'stuffctl.fish'))}; "
                  f"complete -C{shlex.quote(line)}")
        done = subprocess.run([fish, "--no-config", "-c", script], capture_output=True,
                              text=True, env=_env(), check=True)
        return done.stdout.splitlines()

    assert complete("stuffctl asset show ") == [
        "1\tDishwasher", "2\tDining table", "3\tWashing machine"]
    assert complete("stuffctl asset owner 1 ") == ["1\tSam"]
    assert complete("stuffctl asset owner 1 1 ") == []  # no third argument
    assert complete("stuffctl task done 1 ") == ["1\tRemove the old kitchen",
                                                 "2\tInstall cabinets"]
