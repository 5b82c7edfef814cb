"""People who use one database (#21): who wrote each row, `me`, assignees, `--mine`,
`--owner me` and the status's "mine" and "ours", on both backends."""

from __future__ import annotations

import json

import pytest

from stuffctl.errors import ExitCode
from tests.conftest import Cli, run_installed, sql_rows


@pytest.fixture
def login(backend: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The database login commands run as: the server's user, or the system's (fixed)."""
    monkeypatch.setenv("LOGNAME", "tester")  # getpass.getuser() reads it first
    return "postgres" if backend == "postgres" else "tester"


def household(cli: Cli) -> None:
    cli.ok("person", "add", "Sam")
    cli.ok("person", "add", "Alex")
    cli.ok("project", "add", "Kitchen")


def test_rows_record_who_added_them_and_who_changed_them_last(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    household(cli)
    monkeypatch.setenv("STUFFCTL_USER", "sam")  # a person's name, in any case
    added = cli.json("tx", "add", "12", "Bakery", "--out")
    assert (added["created_by"], added["updated_by"]) == ("Sam", "Sam")

    monkeypatch.setenv("STUFFCTL_USER", "Alex")
    changed = cli.json("tx", "edit", str(added["id"]), "--payee", "Baker's")
    assert (changed["created_by"], changed["updated_by"]) == ("Sam", "Alex")
    assert sql_rows("SELECT created_by, updated_by FROM txn WHERE id = ?", (added["id"],)) == [
        ("Sam", "Alex")]


def test_someone_who_is_no_person_is_recorded_by_the_name_given(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUFFCTL_USER", "the plumber")
    assert cli.json("asset", "add", "Boiler")["created_by"] == "the plumber"


def test_the_config_user_names_me_and_the_environment_wins(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    household(cli)
    cli.ok("config", "set", "user", "Alex")
    assert cli.json("status")["me"]["name"] == "Alex"
    monkeypatch.setenv("STUFFCTL_USER", "Sam")
    assert cli.json("status")["me"]["name"] == "Sam"


def test_by_default_i_am_the_person_whose_login_i_use(cli: Cli, login: str) -> None:
    household(cli)
    assert cli.json("status")["me"] is None  # no person has the login yet
    cli.ok("person", "edit", "2", "--login", login)
    assert cli.json("person", "show", "2")["login"] == login
    assert cli.json("status")["me"] == {"id": 2, "name": "Alex"}
    assert cli.json("project", "add", "Garden")["created_by"] == "Alex"


def test_a_login_is_one_persons(cli: Cli) -> None:
    household(cli)
    cli.ok("person", "edit", "1", "--login", "sam")
    taken = cli("person", "edit", "2", "--login", "sam")
    assert taken.exit_code == ExitCode.CONFLICT
    assert taken.stderr.count("\n") == 1 and "is Sam's (person 1)" in taken.stderr
    assert cli("person", "add", "Kim", "--login", "two words").exit_code == ExitCode.BAD_INPUT
    cli.ok("person", "edit", "1", "--unset", "login")
    cli.ok("person", "edit", "2", "--login", "sam")


def test_tasks_have_an_assignee_and_mine_lists_my_own(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    household(cli)
    monkeypatch.setenv("STUFFCTL_USER", "Sam")
    mine = cli.json("task", "add", "Kitchen", "Measure the wall", "--assignee", "me",
                    "--due", "2026-01-10")
    assert (mine["assignee_id"], mine["assignee"]) == (1, "Sam")
    cli.ok("task", "add", "Kitchen", "Order the tiles", "--assignee", "alex")
    cli.ok("task", "add", "Kitchen", "Pick a colour")

    assert [t["title"] for t in cli.json("task", "list", "--mine")] == ["Measure the wall"]
    assert [t["title"] for t in cli.json("task", "list", "--assignee", "2")] == [
        "Order the tiles"]
    table = cli.ok("task", "list").stdout
    assert "WHO" in table and "Alex" in table

    cli.ok("task", "edit", "3", "--assignee", "Sam")
    cli.ok("task", "edit", "1", "--unset", "assignee")
    assert [t["title"] for t in cli.json("task", "list", "--mine")] == ["Pick a colour"]
    assert cli("task", "list", "--mine", "--assignee", "2").exit_code == ExitCode.BAD_INPUT

    cli.ok("person", "rm", "2", "--yes")  # their tasks stay, assigned to nobody
    kept = {t["id"]: t for t in cli.json("task", "list", "--all")}
    assert (kept[2]["title"], kept[2]["assignee_id"]) == ("Order the tiles", None)


def test_mine_says_how_to_name_me_when_no_person_is_me(cli: Cli) -> None:
    household(cli)
    refused = cli("task", "list", "--mine")
    assert refused.exit_code == ExitCode.NOT_FOUND
    assert refused.stderr.count("\n") == 1
    assert "STUFFCTL_USER" in refused.stderr and "--login" in refused.stderr
    assert cli("task", "add", "Kitchen", "x", "--assignee", "Kim").exit_code == \
        ExitCode.NOT_FOUND


def test_asset_list_owner_me(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    household(cli)
    cli.ok("asset", "add", "Bike")
    cli.ok("asset", "add", "Car")
    cli.ok("asset", "owner", "1", "Sam")
    cli.ok("asset", "owner", "2", "Alex")
    monkeypatch.setenv("STUFFCTL_USER", "Alex")
    assert [a["name"] for a in cli.json("asset", "list", "--owner", "me")] == ["Car"]
    assert [a["name"] for a in cli.json("asset", "list", "--owner", "Sam")] == ["Bike"]


def test_status_shows_mine_and_ours(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    household(cli)
    cli.ok("asset", "add", "Dishwasher")
    cli.ok("task", "add", "Kitchen", "Measure the wall", "--assignee", "Sam",
           "--due", "2020-01-10")
    cli.ok("task", "add", "Kitchen", "Order the tiles", "--assignee", "Alex")
    monkeypatch.setenv("STUFFCTL_USER", "Sam")

    data = cli.json("status")
    assert data["me"] == {"id": 1, "name": "Sam"}
    assert [(t["title"], t["band"]) for t in data["sections"]["mine"]] == [
        ("Measure the wall", "overdue")]
    shown = cli.ok("status").stdout
    assert "Mine (Sam)" in shown and "Measure the wall" in shown
    assert "Ours: worth completing" in shown  # the household's sections

    monkeypatch.delenv("STUFFCTL_USER")
    assert cli.json("status")["sections"]["mine"] == []  # nobody: no "mine", no "ours"
    assert "Ours" not in cli.ok("status").stdout


def test_the_installed_command_runs_as_the_person_cron_names(home) -> None:
    import os

    env = {**os.environ, "STUFFCTL_HOME": str(home), "STUFFCTL_USER": "Sam"}
    assert run_installed("person", "add", "Sam", env=env).returncode == 0
    done = run_installed("asset", "add", "Kettle", "--json", env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["created_by"] == "Sam"
    assert run_installed("project", "add", "Kitchen", env=env).returncode == 0
    assert run_installed("task", "add", "Kitchen", "Descale", "--assignee", "me",
                         env=env).returncode == 0
    assert run_installed("task", "add", "Kitchen", "Paint", env=env).returncode == 0
    mine = run_installed("task", "next", "--mine", "--json", env=env)  # past the quick path
    assert mine.returncode == 0, mine.stderr
    assert [t["title"] for t in json.loads(mine.stdout)] == ["Descale"]


def test_task_next_mine_ranks_my_tasks_only(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    household(cli)
    cli.ok("task", "add", "Kitchen", "Order the tiles", "--assignee", "Alex", "--priority",
           "H", "--due", "2020-01-01")
    cli.ok("task", "add", "Kitchen", "Measure the wall", "--assignee", "Sam")
    cli.ok("task", "add", "Kitchen", "Pick a colour")
    monkeypatch.setenv("STUFFCTL_USER", "Sam")
    assert cli.json("task", "next")[0]["title"] == "Order the tiles"
    assert [t["title"] for t in cli.json("task", "next", "--mine")] == ["Measure the wall"]
    monkeypatch.delenv("STUFFCTL_USER")
    assert cli("task", "next", "--mine").exit_code == ExitCode.NOT_FOUND
