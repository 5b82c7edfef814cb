"""The installed ``stuffctl`` in a subprocess, as cron and shell scripts run it."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from datetime import date, timedelta

import pytest

import stuffctl
from tests.conftest import run_installed, stuffctl_exe

pytestmark = pytest.mark.e2e


def test_version_and_module_entry_point_agree():
    assert run_installed("--version").stdout.strip() == f"stuffctl {stuffctl.__version__}"
    done = subprocess.run([sys.executable, "-m", "stuffctl", "--version"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"stuffctl {stuffctl.__version__}"


def test_a_script_adds_and_reads_back_json(home, backend):
    added = run_installed("asset", "add", "Ladder", "--price", "89", "--json")
    assert added.returncode == 0, added.stderr
    listed = run_installed("asset", "list", "--json")
    assert [a["name"] for a in json.loads(listed.stdout)] == ["Ladder"]
    # the home's file is the database, or (a server's in use) no file is made
    assert (home / "stuffctl.db").exists() == (backend == "sqlite")


def test_db_option_and_env_override_the_home(tmp_path, home):
    other = tmp_path / "elsewhere" / "x.db"
    other.parent.mkdir()  # a database named by --db is made only in a folder that exists
    assert run_installed("--db", str(other), "asset", "add", "A").returncode == 0
    env = dict(os.environ, STUFFCTL_DB=str(other))
    assert len(json.loads(run_installed("asset", "list", "--json", env=env).stdout)) == 1
    assert json.loads(run_installed("asset", "list", "--json").stdout) == []


HELP_PROBE = """
import sys
import typer
from stuffctl.cli.app import app
from stuffctl.entry import main
names = sorted(typer.main.get_command(app).commands)
for argv in (['--help'], *([name, '--help'] for name in names), ['asset', 'add', '--help']):
    try:
        main(argv)
    except SystemExit:
        pass
heavy = sorted(m for m in ('sqlmodel', 'sqlalchemy', 'alembic', 'dateutil') if m in sys.modules)
sys.stderr.write(repr((len(names), heavy)))
"""


def test_help_of_every_command_imports_neither_the_orm_nor_dateutil():
    done = subprocess.run([sys.executable, "-c", HELP_PROBE], capture_output=True, text=True)
    count, heavy = ast.literal_eval(done.stderr)
    assert count >= 15 and heavy == []


LOADED_PROBE = """
import io, sys
from stuffctl.entry import main
sys.stdout = io.StringIO()
code = main(sys.argv[1:])
sys.stderr.write(repr((code, sorted(m for m in ('rich', 'sqlalchemy') if m in sys.modules))))
"""


@pytest.mark.parametrize(("argv", "loaded"), [
    (["tx", "list", "--totals", "--json"], []),
    (["tx", "list", "--json"], []),
    (["asset", "list", "--json"], []),
    (["project", "list", "--json"], []),
    (["task", "list", "--json"], []),
    (["person", "list", "--json"], []),
    (["loan", "list", "--all", "--json"], []),
    (["asset", "schedules", "--json"], []),
    (["tx", "show", "1", "--json"], []),
    (["sub", "list", "--json"], []),
    (["report", "spend", "--json"], []),
    (["report", "cashflow", "--json"], []),
    (["find", "bakery", "--json"], []),
    (["bench", "--json"], []),
    (["db", "info", "--json"], []),
    (["task", "next", "--json"], []),
    (["status", "--json"], []),
    (["status", "--brief", "--json"], []),
    (["category", "list", "--json"], []),
    (["remind", "list", "--json"], []),
    (["remind", "run", "--json"], []),
    (["budget", "status", "--json"], []),
    (["budget", "list", "--json"], []),
    (["bench", "goal", "list", "--json"], []),
], ids=" ".join)
def test_json_output_loads_neither_rich_nor_more_than_it_reads(home, argv, loaded):
    assert run_installed("tx", "add", "--", "-3.50", "Bakery").returncode == 0
    done = subprocess.run([sys.executable, "-c", LOADED_PROBE, *argv], capture_output=True,
                          text=True)
    assert ast.literal_eval(done.stderr) == (0, loaded)


def test_the_show_commands_read_without_the_orm(home):
    for argv in (["asset", "add", "Drill"], ["project", "add", "Shed"],
                 ["sub", "add", "Gym", "30", "--every", "monthly", "--next", "2026-12-01"],
                 ["person", "add", "Sam"], ["asset", "lend", "1", "--to", "Sam"],
                 ["asset", "attach", "1", __file__]):
        assert run_installed(*argv).returncode == 0, argv
    for argv in (["asset", "show", "1"], ["project", "show", "Shed"], ["sub", "show", "1"],
                 ["person", "show", "1"], ["loan", "list", "--person", "sam"],
                 ["asset", "files", "1"]):
        done = subprocess.run([sys.executable, "-c", LOADED_PROBE, *argv, "--json"],
                              capture_output=True, text=True)
        assert ast.literal_eval(done.stderr) == (0, []), argv


MODELS_PROBE = """
import io, sys
from stuffctl.entry import main
sys.stdout = io.StringIO()
code = main(sys.argv[1:])
sys.stderr.write(repr((code, sorted(m.rsplit('.', 1)[1] for m in sys.modules
                                    if m.startswith('stuffctl.models.')),
                        'sqlalchemy' in sys.modules)))
"""


def test_every_write_imports_neither_sqlalchemy_nor_a_model(home):
    """Writes are plain SQL on one sqlite3 transaction (store.sql.insert/update):
    each write command of each noun, and export, share and import, in a fresh
    process, imports neither SQLAlchemy nor a model class, and the database they
    leave passes `db check`."""
    seventy_days_ago = (date.today() - timedelta(days=70)).isoformat()
    steps = [
        ["person", "add", "Sam"], ["person", "add", "Kim"],
        ["person", "edit", "2", "--email", "kim@example.org"],
        ["asset", "add", "Drill", "--price", "89"], ["asset", "add", "Car"],
        ["asset", "edit", "1", "--notes", "checked", "-t", "tools"],
        ["asset", "log", "1", "--notes", "oiled", "--cost", "12"],
        ["asset", "seen", "1", "--at", "shed"], ["asset", "owner", "1", "Sam"],
        ["asset", "lend", "1", "--to", "Sam"], ["asset", "return", "1"],
        ["asset", "borrow", "Tile cutter", "--from", "Sam", "--due", "2030-01-01"],
        ["asset", "attach", "1", __file__], ["asset", "detach", "1", "1"],
        ["asset", "reading", "2", "1000"], ["asset", "schedule", "2", "every 6 months"],
        ["asset", "unschedule", "1"], ["asset", "retire", "2"],
        ["project", "add", "Shed", "--asset", "1"],
        ["project", "edit", "Shed", "--outcome", "dry"],
        ["tx", "add", "--out", "3.50", "Bakery", "-c", "groceries"],
        ["tx", "edit", "2", "--memo", "checked"],
        ["tx", "add", "--out", "9", "Paint", "--asset", "1", "--project", "1"],
        ["tx", "rm", "3", "--yes"],
        ["sub", "add", "Gym", "30", "--every", "monthly", "--next", seventy_days_ago],
        ["sub", "post"], ["sub", "paid", "1", "--amount", "31"], ["sub", "cancel", "1"],
        ["sub", "rm", "1", "--yes"],
        ["budget", "set", "groceries", "400"], ["budget", "rm", "groceries"],
        ["bench", "goal", "set", "spend:groceries <= 400"],
        ["bench", "goal", "rm", "spend:groceries"],
        ["task", "add", "Shed", "Sand the door"], ["task", "add", "Shed", "Paint", "--after", "1"],
        ["task", "edit", "2", "--priority", "H"], ["task", "done", "1"], ["task", "undo", "1"],
        ["task", "rm", "2", "--yes"], ["project", "hold", "Shed"],
        ["project", "done", "Shed", "--force"],
        ["remind", "add", "Oil the drill", "--on", "2020-01-01", "--about", "asset:1"],
        ["remind", "edit", "1", "--notes", "with the good oil"], ["remind", "done", "1"],
        ["remind", "add", "Bins", "--on", "2020-01-02", "--every", "weekly"],
        ["remind", "skip", "2"], ["remind", "snooze", "2", "2d"], ["remind", "rm", "2", "--yes"],
        ["export", "--out", str(home / "all.json")],
        ["share", "--project", "1", "--out", str(home / "shed.json")],
        ["import", str(home / "all.json")], ["import", str(home / "shed.json")],
        ["asset", "rm", "1", "--yes", "--force"], ["person", "rm", "2", "--yes"],
        ["project", "rm", "Shed", "--yes"],
    ]
    for argv in steps:
        done = subprocess.run([sys.executable, "-c", MODELS_PROBE, *argv, "--json"],
                              capture_output=True, text=True, stdin=subprocess.DEVNULL)
        outcome = ast.literal_eval(done.stderr.splitlines()[-1])  # after any note
        assert outcome == (0, [], False), (argv, done.stderr)
    check = run_installed("db", "check", "--json")
    assert json.loads(check.stdout)["ok"] is True
    txns = json.loads(run_installed("tx", "list", "--json").stdout)
    paid = {(t["payee"], t["memo"]) for t in txns}
    assert ("Bakery", "checked") in paid and ("Paint", None) not in paid
    assert sum(t["payee"] == "Gym" for t in txns) == 3  # sub post: 70, ~40 and ~10 days ago


def test_the_readme_demo_builds_a_consistent_home_that_round_trips(home, tmp_path):
    """The README's first command, in fresh processes: the demo writes every table,
    and its export imports
    into an empty home whose own export is the same document."""
    done = run_installed("demo", "--home", str(home), timeout=180)
    assert done.returncode == 0, done.stderr
    assert (home / ".stuffctl-demo").exists()
    assert json.loads(run_installed("db", "check", "--json").stdout)["ok"] is True
    exported = tmp_path / "home.json"
    assert run_installed("export", "--out", str(exported)).returncode == 0
    other = dict(os.environ, STUFFCTL_HOME=str(tmp_path / "other"))
    done = run_installed("import", str(exported), "--json", env=other, timeout=180)
    assert done.returncode == 0, done.stderr
    again = run_installed("export", env=other)
    assert json.loads(again.stdout)["tables"] == json.loads(exported.read_text())["tables"]


def test_piping_into_head_ends_quietly(home):
    import uuid

    from stuffctl import store

    run_installed("asset", "add", "Thing 0")
    with store.transaction(write=True) as db:
        db.executemany(
            "INSERT INTO asset (uid, created_at, updated_at, name, status) "
            "VALUES (?, '2026-01-01 00:00:00', '2026-01-01 00:00:00', ?, 'active')",
            [(str(uuid.uuid4()), f"Thing {i}") for i in range(1, 20_000)],
        )
    exe = " ".join(stuffctl_exe())
    done = subprocess.run(f"{exe} asset list --format ndjson | head -1", shell=True,
                          capture_output=True, text=True)
    assert done.returncode == 0
    assert done.stderr == ""
    assert json.loads(done.stdout)["name"] == "Thing 0"


def test_errors_are_one_line_without_traceback(home):
    done = run_installed("asset", "add", "X", "--bought", "2026-13-45")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "--bought" in done.stderr
