"""Projects and tasks as a person and a script use them: the kitchen renovation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from stuffctl import store
from stuffctl.store import sql
from tests.conftest import sql_one

SOON = (date.today() + timedelta(days=2)).isoformat()

# amount (negative = money out), payee: 6 transactions linked to the project.
KITCHEN_TXNS = [(-450000, "Cabinet maker"), (-189900, "Oven shop"), (-129900, "Fridge shop"),
                (-35000, "Paint store"), (-80000, "Contractor deposit"), (12000, "Paint refund")]


def add_txns(project_id: int) -> None:
    columns = ["occurred_on", "amount_minor", "currency", "payee", "project_id"]
    rows = [(sql.stored(date(2026, 3, 1) + timedelta(days=n)), minor, "EUR", payee, project_id)
            for n, (minor, payee) in enumerate(KITCHEN_TXNS)]
    with store.transaction(write=True) as db:
        sql.insert_many(db, "txn", columns, rows)


TASKS = [("Pick design", "H", None, []), ("Measure the room", None, None, []),
         ("Order cabinets", None, None, [1]), ("Buy appliances", None, None, [1]),
         ("Remove old kitchen", "H", SOON, []), ("Install cabinets", None, None, [3, 5]),
         ("Paint walls", "L", None, []), ("Final clean", None, None, [])]


def kitchen(cli) -> None:
    """The kitchen of kitchen_by_cli, built through the services in one transaction (fast)."""
    from stuffctl.money import Money
    from stuffctl.services import asset
    from stuffctl.services.asset import AssetChanges
    from stuffctl.services.project import records as project_records
    from stuffctl.services.project.records import ProjectChanges
    from stuffctl.services.task import records as task_records
    from stuffctl.services.task.records import TaskChanges

    with store.transaction(write=True) as s:
        for name, bought, price in (("Oven", date(2026, 3, 2), 189900),
                                    ("Fridge", date(2026, 3, 3), 129900)):
            asset.add_asset(db=s, changes=AssetChanges(values={
                "name": name, "purchased_on": bought, "price": Money(price, "EUR")}))
        project_records.add_project(db=s, today=date.today(), changes=ProjectChanges(values={
            "name": "Kitchen renovation", "outcome": "Cooking in the new kitchen",
            "start_on": date(2026, 3, 1), "due_on": date(2099, 12, 31),
            "budget": Money(1200000, "EUR")}, add_tags=["home"], add_assets=[1, 2]))
        for title, priority, due, after in TASKS:
            values = {"title": title, "priority": priority,
                      "due_on": date.fromisoformat(due) if due else None}
            task_records.add_task(db=s, project="1", changes=TaskChanges(
                values={k: v for k, v in values.items() if v}, add_deps=after))
        task_records.complete_tasks(db=s, ids=[1, 2, 3, 4])
    add_txns(1)


def kitchen_by_cli(cli) -> None:
    """8 tasks (3 with dependencies, 4 done), 2 linked assets bought during it, 6 txns."""
    cli.ok("asset", "add", "Oven", "--bought", "2026-03-02", "--price", "1899")
    cli.ok("asset", "add", "Fridge", "--bought", "2026-03-03", "--price", "1299")
    cli.ok("project", "add", "Kitchen renovation", "--outcome", "Cooking in the new kitchen",
           "--start", "2026-03-01", "--due", "2099-12-31", "--budget", "12000 EUR",
           "--tag", "home", "--asset", "1", "--asset", "2")
    for args in (["Pick design", "-p", "H"], ["Measure the room"],
                 ["Order cabinets", "--after", "1"], ["Buy appliances", "--after", "1"],
                 ["Remove old kitchen", "-p", "H", "--due", SOON],
                 ["Install cabinets", "--after", "3", "--after", "5"],
                 ["Paint walls", "-p", "L"], ["Final clean"]):
        cli.ok("task", "add", "Kitchen renovation", *args)
    cli.ok("task", "done", "1", "2", "3", "4")
    add_txns(1)


def test_kitchen_show_has_progress_spend_vs_budget_and_the_next_ready_task(cli):
    kitchen_by_cli(cli)
    data = cli.json("project", "show", "kitchen renovation")
    assert (data["progress"], data["tasks_total"], data["tasks_done"]) == (50, 8, 4)
    assert data["spent"] == [{"amount": "8728.00", "currency": "EUR"}]
    assert data["budget"] == {"amount": "12000.00", "currency": "EUR"}
    assert data["budget_left"] == {"amount": "3272.00", "currency": "EUR"}
    assert data["budget_used_percent"] == 72
    assert data["next_task"]["title"] == "Remove old kitchen"
    assert [a["name"] for a in data["assets"]] == ["Oven", "Fridge"]
    assert [(t["id"], t["status"], t["blocked"]) for t in data["tasks"]][4:] == [
        (5, "open", False), (6, "open", True), (7, "open", False), (8, "open", False)]
    assert [t["depends_on"] for t in data["tasks"] if t["depends_on"]] == [[1], [1], [3, 5]]
    assert len(data["activity"]) == 5
    assert {a["kind"] for a in data["activity"]} <= {"task_done", "task_added", "transaction"}

    human = cli.ok("project", "show", "1").stdout
    for needle in ("Kitchen renovation", "50% (4/8 tasks)", "8728.00 EUR",
                   "12000.00 EUR (72% used, 3272.00 EUR left)", "Next: task 5: Remove old kitchen",
                   "Oven", "Fridge", "Recent activity"):
        assert needle in human, needle


def test_project_json_shapes_have_exactly_the_documented_keys(cli):
    kitchen(cli)
    listed = cli.json("project", "list")
    assert set(listed[0]) == {
        "id", "uid", "name", "outcome", "status", "start_on", "due_on", "done_on", "budget",
        "tags", "asset_ids", "tasks_total", "tasks_done", "progress", "notes", "created_at",
        "updated_at", "created_by", "updated_by"}
    shown = cli.json("project", "show", "1")
    assert set(shown) - set(listed[0]) == {
        "tasks", "assets", "spent", "budget_left", "budget_used_percent", "next_task",
        "activity", "revision"}
    assert set(shown["tasks"][0]) == {
        "id", "uid", "project_id", "project", "title", "status", "priority", "due_on",
        "done_at", "tags", "notes", "depends_on", "blocked", "urgency", "created_at",
        "updated_at", "created_by", "updated_by", "assignee_id", "assignee", "revision"}
    assert set(shown["activity"][0]) == {"on", "kind", "id", "text", "amount"}


def test_completing_the_last_open_task_says_so_and_keeps_the_project_open(cli):
    kitchen(cli)
    cli.ok("task", "done", "5", "6", "7")
    last = cli.ok("task", "done", "8")
    assert last.stdout == "done task 8: Final clean (Kitchen renovation)\n"
    assert "no open tasks left" in last.stderr
    assert "stuffctl project done 1" in last.stderr
    assert cli.json("project", "show", "1")["status"] == "active"
    done = cli.json("project", "done", "1")
    assert (done["status"], done["progress"]) == ("done", 100)


def test_task_done_json_names_the_projects_ready_to_close(cli):
    cli.ok("project", "add", "Tax return")
    cli.ok("task", "add", "1", "Collect receipts")
    result = cli.json("task", "done", "1")
    assert [t["status"] for t in result["tasks"]] == ["done"]
    assert result["ready_to_close"] == [{"id": 1, "name": "Tax return"}]


def test_project_done_with_open_tasks_is_refused_unless_forced(cli):
    kitchen(cli)
    refused = cli("project", "done", "1")
    assert refused.exit_code == 4 and "4 open task(s)" in refused.stderr
    forced = cli.json("project", "done", "1", "--force")
    assert (forced["status"], forced["tasks_done"]) == ("done", 8)


def test_a_project_without_tasks_progresses_by_its_status(cli):
    cli.ok("project", "add", "Sell the old bike", "--start", "today")
    assert cli.json("project", "show", "1")["progress"] == 0
    cli.ok("project", "hold", "1")
    assert cli.json("project", "list", "--status", "on_hold")[0]["name"] == "Sell the old bike"
    assert cli.json("project", "done", "Sell the old bike")["progress"] == 100
    assert cli.json("project", "list") == []
    assert len(cli.json("project", "list", "--all")) == 1


@pytest.mark.parametrize(("args", "expected"), [
    (["--tag", "home"], ["Kitchen renovation"]),
    (["--due-before", "2030-01-01"], ["Trip"]),
    (["--status", "planned"], ["Trip"]),
])
def test_project_list_filters(cli, args, expected):
    kitchen(cli)
    cli.ok("project", "add", "Trip", "--due", "2029-07-01")
    assert [p["name"] for p in cli.json("project", "list", *args)] == expected


def test_task_list_filters_and_urgency(cli):
    kitchen(cli)
    cli.ok("task", "edit", "7", "--due", "2020-01-01")
    assert [t["id"] for t in cli.json("task", "list")] == [7, 5, 6, 8]
    assert [t["id"] for t in cli.json("task", "list", "--overdue")] == [7]
    assert [t["id"] for t in cli.json("task", "list", "--ready")] == [7, 5, 8]
    assert len(cli.json("task", "list", "1", "--all")) == 8
    assert all(t["urgency"] is None for t in cli.json("task", "list"))
    scored = cli.json("task", "list", "--urgency")
    assert all(isinstance(t["urgency"], float) for t in scored)
    table = cli.ok("task", "list", "--urgency").stdout
    assert "URGENCY" in table
    assert [t["id"] for t in cli.json("task", "next", "-n", "2")] == [5, 7]


def test_edit_undo_and_remove_tasks(cli):
    kitchen(cli)
    edited = cli.json("task", "edit", "6", "--not-after", "5", "--title", "Fit cabinets",
                      "--tag", "contractor", "--priority", "m")
    assert (edited["title"], edited["depends_on"], edited["tags"], edited["priority"]) == (
        "Fit cabinets", [3], ["contractor"], "M")
    assert cli.json("task", "undo", "1")["status"] == "open"
    assert cli("task", "undo", "1").exit_code == 4
    cli.ok("task", "rm", "8", "--yes")
    assert cli.json("project", "show", "1")["tasks_total"] == 7


def test_project_rm_asks_and_keeps_transactions_unlinked(cli):
    kitchen(cli)
    assert cli("project", "rm", "1", input="n\n").exit_code == 1
    assert cli.json("project", "show", "1")["tasks_total"] == 8
    cli.ok("project", "rm", "Kitchen renovation", input="y\n")
    assert cli("project", "show", "1").exit_code == 3
    assert count("SELECT count(*) FROM task") == 0
    assert count("SELECT count(*) FROM txn WHERE project_id IS NULL") == 6


def count(sql: str) -> int:
    return int(sql_one(sql))


def snapshot() -> tuple[int, ...]:
    return tuple(count(f"SELECT count(*) FROM {t}") for t in
                 ("project", "task", "task_dep", "task_tag", "project_tag", "project_asset"))


@pytest.mark.parametrize(("args", "code", "needle"), [
    (["task", "edit", "3", "--after", "6"], 2,
     "dependency cycle: task 3 (Order cabinets) → task 6 (Install cabinets) → task 3"),
    (["task", "edit", "1", "--after", "1"], 2, "dependency cycle: task 1 (Pick design) → task 1"),
    (["task", "add", "Nope", "X"], 3, "no project called 'Nope'"),
    (["task", "add", "42", "X"], 3, "no project with id 42"),
    (["task", "add", "1", "X", "--after", "99"], 3, "no task with id 99"),
    (["task", "add", "1", "X", "--priority", "urgent"], 2, "--priority"),
    (["task", "add", "1", "X", "--due", "someday"], 2, "--due"),
    (["task", "done", "5", "77"], 3, "no task with id 77"),
    (["task", "done", "1"], 4, "already done"),
    (["project", "add", "Kitchen renovation"], 4, "exists already"),
    (["project", "add", "X", "--asset", "9"], 3, "no asset with id 9"),
    (["project", "add", "X", "--budget", "lots"], 2, "--budget"),
    (["project", "add", "X", "--status", "someday"], 2, "--status"),
    (["project", "add", "X", "--start", "2026-05-01", "--due", "2026-04-01"], 2, "before"),
    (["project", "add", "X", "--from-template", "nope"], 3, "no template 'nope'"),
    (["project", "edit", "Nope", "--outcome", "x"], 3, "no project called"),
    (["project", "show", "7"], 3, "no project with id 7"),
])
def test_bad_input_is_one_line_with_the_documented_code_and_writes_nothing(cli, args, code,
                                                                            needle):
    kitchen(cli)
    before = snapshot()
    result = cli(*args)
    assert result.exit_code == code, result.stderr
    assert result.stdout == ""
    lines = [ln for ln in result.stderr.splitlines() if not ln.startswith("{")]
    assert len(lines) == 1, result.stderr
    assert needle in lines[0]
    assert snapshot() == before
    assert count("SELECT count(*) FROM task WHERE status = 'done'") == 4


def test_a_cycle_through_a_longer_chain_is_named_in_json_too(cli):
    kitchen(cli)
    result = cli("task", "edit", "1", "--after", "6", "--json")
    assert result.exit_code == 2
    assert '"code": "invalid_input"' in result.stderr
    assert "task 1 (Pick design) → task 6 (Install cabinets) → task 3 (Order cabinets) → " \
           "task 1 (Pick design)" in result.stderr


def test_a_project_is_renamed_and_a_clash_with_an_open_one_refused(cli):
    cli.ok("project", "add", "Kitchen")
    cli.ok("project", "add", "Garden")
    assert cli.json("project", "edit", "1", "--name", "Home:Kitchen")["name"] == "Home:Kitchen"
    clash = cli("project", "edit", "2", "--name", "home:kitchen")
    assert clash.exit_code == 4 and "exists already (id 1)" in clash.stderr
