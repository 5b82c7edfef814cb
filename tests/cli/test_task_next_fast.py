"""`task next` and a plain `task list` answered before Typer loads, from the database in
use (plain sqlite3 on a file, or the server a URL names): the same output as the full
command for every option line it takes, and the full command for every other."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stuffctl import fastpath
from stuffctl.models.project import CLOSED_STATUSES
from stuffctl.services.task import rank
from stuffctl.store import schema
from tests.conftest import Result, run_installed
from tests.reliability.conftest import in_use, write

SOON = "+3d"


@pytest.fixture
def tasks(cli, home):
    """Tasks with every factor: priorities, dates, tags, a dependency, a done task, a
    project on hold (its task is never next) and a project due soon."""
    cli.ok("project", "add", "Home")
    cli.ok("project", "add", "Trip", "--due", "+5d")
    cli.ok("project", "add", "Someday")
    for args in (["Home", "Fix tap", "-p", "H", "--tag", "plumbing", "--tag", "urgent"],
                 ["Home", "Paint door", "--due", "-8d"],
                 ["Home", "Buy paint", "-p", "L", "--due", SOON],
                 ["Home", "Second coat", "--after", "3", "-p", "M"],
                 ["Trip", "Book hotel"],
                 ["Someday", "Learn the cello", "-p", "H"],
                 ["Home", "Old chore"]):
        cli.ok("task", "add", *args)
    cli.ok("task", "done", "7")
    cli.ok("project", "hold", "Someday")
    return home


def fast(*args: str) -> Result | None:
    """The fast path alone, in-process; None when it leaves the line to the full command."""
    from typer.testing import CliRunner

    with CliRunner().isolation() as (out, err, _):
        code = fastpath.task_next(list(args))
        stdout, stderr = out.getvalue().decode(), err.getvalue().decode()
    return None if code is None else Result(code, stdout, stderr)


LINES = [
    ["task", "next"],
    ["task", "next", "--json"],
    ["task", "next", "-n", "2"],
    ["task", "next", "--limit=3", "--format", "csv"],
    ["task", "next", "-f", "ndjson", "--limit", "10"],
    ["task", "next", "--format=json", "-n", "1", "--limit", "4"],
    ["task", "next", "--json", "--format", "json"],
    ["task", "list"],
    ["task", "list", "--json"],
    ["task", "list", "-n", "2", "--format", "csv"],
    ["task", "list", "-f", "ndjson"],
]


@pytest.mark.parametrize("line", LINES, ids=" ".join)
def test_the_fast_path_prints_exactly_what_the_full_command_prints(cli, tasks, line):
    answered = fast(*line)
    assert answered is not None
    assert answered == cli(*line)


def test_the_ranking_is_the_documented_one(cli, tasks):
    titles = [t["title"] for t in fast("task", "next", "--json").json()]
    # blocking 8 + L 1.8 + due in 3 days 12 * 0.62 > a week overdue 12 > H 6
    # > in a project due in 5 days 4 * 0.54 > M 3.9 - blocked 5
    assert titles == ["Buy paint", "Paint door", "Fix tap", "Book hotel", "Second coat"]
    first = fast("task", "next", "--json").json()[2]
    assert first["tags"] == ["plumbing", "urgent"] and first["urgency"] == 6.0
    assert first["created_at"].endswith("Z")


def test_db_option_before_the_noun_is_taken(cli, tasks):
    db = os.environ.get("STUFFCTL_DB") or str(tasks / "stuffctl.db")  # a server's URL, or a file
    line = ["--db", db, "task", "next", "--json"]
    assert fast(*line) == cli(*line)


def test_nothing_to_do_is_a_note_on_stderr(cli, home):
    cli.ok("project", "add", "Empty")
    assert fast("task", "next") == Result(0, "", "nothing to do\n") == cli("task", "next")


@pytest.mark.parametrize(("line", "code"), [
    (["task", "next", "-n", "0"], 2), (["task", "next", "--limit", "x"], 2),
    (["task", "next", "-n"], 2), (["task", "next", "--bogus"], 2),
    (["task", "next", "--json", "-f", "csv"], 2), (["task", "next", "-f", "yaml"], 2),
    (["task", "next", "extra"], 2), (["task", "next", "--db", "x.db"], 2),
    (["task", "next", "-n5"], 0), (["task", "next", "--help"], 0),
    (["task", "list", "--all"], 0), (["task", "list", "Home"], 0), (["task", "list", "-n", "0"], 2),
], ids=lambda v: " ".join(v) if isinstance(v, list) else str(v))
def test_anything_else_is_left_to_the_full_command(cli, tasks, line, code):
    assert fast(*line) is None
    assert cli(*line).exit_code == code  # the full command's answer: usage errors are Typer's


def test_no_database_or_an_older_one_or_a_bad_config_falls_through(cli, tasks, home, backend):
    set_revision = "UPDATE alembic_version SET version_num = ?"  # by hand: the store refuses
    write(in_use(), set_revision, ("0001",))
    assert fast("task", "next") is None
    if backend == "sqlite":
        (home / "stuffctl.db").unlink()
        assert fast("task", "next") is None
    else:  # no server: the full command says so
        write(in_use(), set_revision, (schema.head_revision(),))
        nowhere = "postgresql://nobody@127.0.0.1:1/nothing"  # no server listens on port 1
        assert fast("--db", nowhere, "task", "next") is None

    from stuffctl.store import dispose_all

    dispose_all()
    cli.ok("project", "add", "Garden")
    home.mkdir(exist_ok=True)  # on a server, nothing made the home's folder
    (home / "config.toml").write_text("[urgency\n")
    assert fast("task", "next") is None
    result = cli("task", "next")
    assert result.exit_code != 0 and "config" in result.stderr


@pytest.mark.postgres_only
def test_a_server_database_is_never_answered_from_a_file_in_the_home(cli, tasks, home,
                                                                      monkeypatch):
    """The home's own file (from before the household moved to a server) holds other
    tasks: whichever way the server is named, `task next` answers from the server."""
    url = os.environ["STUFFCTL_DB"]
    old = str(home / "stuffctl.db")
    home.mkdir()
    cli.ok("--db", old, "project", "add", "Before")
    cli.ok("--db", old, "task", "add", "Before", "Only in the file", "-p", "H", "--due", "-9d")
    expected = cli.ok("task", "next", "--json").stdout
    assert "Only in the file" not in expected
    by_env = run_installed("task", "next", "--json")
    monkeypatch.delenv("STUFFCTL_DB")
    by_option = run_installed("--db", url, "task", "next", "--json")
    (home / "config.toml").write_text(f'db_url = "{url}"\n')
    by_config = run_installed("task", "next", "--json")
    assert [(done.returncode, done.stdout) for done in (by_env, by_option, by_config)] == [
        (0, expected)] * 3


def test_hidden_projects_are_the_closed_ones_and_on_hold():
    assert ("on_hold", *CLOSED_STATUSES) == rank.HIDDEN_PROJECTS


@pytest.mark.parametrize("verb", ["next", "list"])
def test_installed_task_next_loads_neither_typer_nor_the_orm(tasks, verb):
    probe = ("import sys\nfrom stuffctl.entry import main\ncode = main(['task', "
             f"'{verb}', '--json'])\nheavy = sorted(m for m in ('typer', 'rich', 'sqlmodel', "
             "'sqlalchemy') if m in sys.modules)\nsys.stderr.write(repr((code, heavy)))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stderr == "(0, [])"
    first = "Buy paint" if verb == "next" else "Paint door"  # the most urgent; soonest due
    assert [t["title"] for t in json.loads(done.stdout)][:1] == [first]


def test_an_unreadable_config_falls_through_instead_of_failing(cli, tasks, home, monkeypatch):
    from stuffctl import config

    def unreadable() -> dict:
        raise PermissionError(13, "Permission denied", str(home / "config.toml"))

    monkeypatch.setattr(config, "load", unreadable)
    assert fast("task", "next") is None


TOKENS = ["-n", "--limit", "--limit=3", "--limit=", "-f", "--format", "--format=csv", "json",
          "csv", "table", "ndjson", "yaml", "--json", "2", "0", "x", "²", "-n5", "--bogus", "--"]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["next", "list"]), st.lists(st.sampled_from(TOKENS), max_size=5))
def test_any_option_line_the_fast_path_takes_it_answers_as_the_full_command(cli, tasks, verb,
                                                                             words):
    line = ["task", verb, *words]
    answered = fast(*line)
    if answered is not None:
        assert answered == cli(*line)
