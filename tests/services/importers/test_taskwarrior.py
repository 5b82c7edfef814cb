"""`import taskwarrior` against the real `task` program (#24): recurring tasks, waiting
tasks, deletions and completions on re-import, nested projects.

Each test keeps its own Taskwarrior data in a temporary TASKDATA/TASKRC and imports
what `task export` writes. Dates are fixed and far ahead (2099), so nothing depends on
today; Taskwarrior's own stamps (entry, modified, end) are read back from its export.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from stuffctl.dates import parse_iso_timestamp
from stuffctl.errors import InvalidInput
from stuffctl.services.data.importers import taskwarrior
from tests.conftest import sql_rows, sql_write

TASK = shutil.which("task")


class Taskwarrior:
    """The `task` program on data of its own; ``load`` imports its export into stuffctl."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = {"TASKRC": str(root / "taskrc"), "TASKDATA": str(root / "data"),
                    "PATH": "/usr/bin:/bin", "HOME": str(root)}
        if "TZ" in os.environ:  # local dates as stuffctl, in this process, sees them
            self.env["TZ"] = os.environ["TZ"]
        # recurrence.limit=2: two pending instances of a recurring task, however far
        # ahead; recurrence.confirmation=yes: deleting one instance deletes the series.
        (root / "taskrc").write_text(f"data.location={root / 'data'}\nconfirmation=off\n"
                                     "verbose=nothing\nrecurrence.limit=2\n"
                                     "recurrence.confirmation=yes\n")

    def __call__(self, *args: str) -> str:
        assert TASK is not None
        done = subprocess.run([TASK, *args], env={**self.env, **faked_clock()},
                              capture_output=True, text=True, timeout=30, check=True,
                              stdin=subprocess.DEVNULL)
        return done.stdout

    def export(self) -> list[dict[str, Any]]:
        return json.loads(self("export"))

    def uuid(self, description: str, **where: Any) -> str:
        [found] = [t["uuid"] for t in self.export() if t["description"] == description
                   and all(t.get(k) == v for k, v in where.items())]
        return found

    def load(self, cli: Any, *options: str) -> dict[str, Any]:
        path = self.root / "tw.json"
        path.write_text(self("export"))
        return cli.json("import", "taskwarrior", str(path), *options)


def faked_clock() -> dict[str, str]:
    """Under libfaketime (.ci/each-month), what puts `task` on this process's clock: the
    preload, and the faked moment it has reached now (a new process would start its
    faked clock at the run's first moment again, behind what stuffctl stamped)."""
    if "FAKETIME" not in os.environ:
        return {}
    from datetime import datetime

    passed = {k: v for k, v in os.environ.items()
              if k.startswith("FAKETIME") or k in ("LD_PRELOAD", "DYLD_INSERT_LIBRARIES")}
    return {**passed, "FAKETIME": f"@{datetime.now():%Y-%m-%d %H:%M:%S}"}


@pytest.fixture
def tw(tmp_path: Path) -> Taskwarrior:
    if TASK is None:
        pytest.skip("Taskwarrior ('task') is not installed; CI installs it")
    return Taskwarrior(tmp_path)


def next_second() -> None:
    """Wait for the clock's next second. Taskwarrior stamps a change to the second, and
    a change stamped as old as the copy imported before is a conflict (kept here)."""
    start = int(time.time())
    while int(time.time()) == start:
        time.sleep(0.02)


def reminders() -> list[tuple[Any, ...]]:
    rows = sql_rows("SELECT title, kind, about_kind, about_id, start_on, due_on, rule, state"
                    " FROM reminder ORDER BY id")
    return [tuple(str(v) if k in (4, 5) else v for k, v in enumerate(row)) for row in rows]


def tasks_by_title(cli: Any) -> dict[str, dict[str, Any]]:
    return {t["title"]: t for t in cli.json("task", "list", "--all")}


def changed(result: dict[str, Any]) -> dict[str, int]:
    """Rows added, updated or removed (link rows) per table by an import."""
    counts = {table: sum(n.get(k, 0) for k in ("added", "updated", "removed"))
              for table, n in result["tables"].items()}
    return {table: n for table, n in counts.items() if n}


def utc(stamp: str) -> str:
    return parse_iso_timestamp(stamp).isoformat().replace("+00:00", "Z")


def test_a_recurring_task_is_one_task_with_one_repeating_reminder_however_often_imported(
        cli, tw):
    tw("add", "Water plants", "project:Garden", "due:2099-01-05", "recur:weekly")
    instance = tw.uuid("Water plants", imask=0)  # the first instance: 2099-01-05
    tw("add", "Buy watering can", "project:Garden", f"depends:{instance}")
    assert sorted(t["status"] for t in tw.export()) == [
        "pending", "pending", "pending", "recurring"]  # template, two instances, the can
    dry = tw.load(cli, "--dry-run")
    assert changed(dry) == {"project": 1, "task": 2, "task_dep": 1, "reminder": 1}
    assert reminders() == [] and cli.json("task", "list", "--all") == []
    assert changed(tw.load(cli)) == changed(dry)
    tasks = tasks_by_title(cli)
    water = tasks["Water plants"]
    assert (water["status"], water["due_on"], water["project"]) == ("open", None, "Garden")
    assert tasks["Buy watering can"]["depends_on"] == [water["id"]]
    assert reminders() == [("Water plants", "reminder", "task", water["id"], "2099-01-05",
                            "2099-01-05", "FREQ=WEEKLY", "open")]
    assert changed(tw.load(cli)) == {}
    assert len(cli.json("task", "list", "--all")) == 2 and len(reminders()) == 1

    next_second()
    tw(instance, "done")  # the reminder moves on to the earliest pending instance
    assert changed(tw.load(cli)) == {"reminder": 1}
    assert reminders()[0][4:] == ("2099-01-05", "2099-01-12", "FREQ=WEEKLY", "open")
    assert tasks_by_title(cli)["Water plants"]["status"] == "open"

    next_second()
    tw(tw.uuid("Water plants", imask=1), "delete")  # deletes the whole series
    [template] = [t for t in tw.export() if t["description"] == "Water plants"
                  and "parent" not in t]
    assert changed(tw.load(cli)) == {"task": 1, "reminder": 1}
    water = tasks_by_title(cli)["Water plants"]
    assert (water["status"], water["done_at"], water["notes"]) == (
        "done", utc(template["end"]),
        f"deleted in Taskwarrior on {parse_iso_timestamp(template['end']).astimezone():%Y-%m-%d}")
    assert [r[7] for r in reminders()] == ["done"]


RECURS = {
    "daily": "FREQ=DAILY", "3d": "FREQ=DAILY;INTERVAL=3",
    "weekdays": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "weekly": "FREQ=WEEKLY",
    "2wks": "FREQ=WEEKLY;INTERVAL=2", "biweekly": "FREQ=WEEKLY;INTERVAL=2",
    "fortnight": "FREQ=WEEKLY;INTERVAL=2", "P2W": "FREQ=WEEKLY;INTERVAL=2",
    "monthly": "FREQ=MONTHLY", "3mo": "FREQ=MONTHLY;INTERVAL=3",
    "bimonthly": "FREQ=MONTHLY;INTERVAL=2", "quarterly": "FREQ=MONTHLY;INTERVAL=3",
    "2q": "FREQ=MONTHLY;INTERVAL=6", "semiannual": "FREQ=MONTHLY;INTERVAL=6",
    "yearly": "FREQ=YEARLY", "annual": "FREQ=YEARLY", "2y": "FREQ=YEARLY;INTERVAL=2",
    "biannual": "FREQ=YEARLY;INTERVAL=2",
}


def test_taskwarrior_recurrences_become_the_rules_stuffctl_writes(tw):
    for every in RECURS:
        tw("add", f"Every {every}", "due:2099-01-05", f"recur:{every}")
    tw("add", "Until", "due:2099-01-05", "recur:monthly", "until:2099-06-30")
    parsed = taskwarrior.parse(tw("export"), "tw.json")
    rules = {t["title"].removeprefix("Every "): t["recur"]["rule"] for t in parsed["tasks"]}
    assert rules == {**RECURS, "Until": "FREQ=MONTHLY;UNTIL=20990630"}
    assert {t["recur"]["start"] for t in parsed["tasks"]} == {"2099-01-05"}


def test_a_recurrence_stuffctl_cannot_keep_is_refused_in_one_line(cli, tw, tmp_path):
    tw("add", "Check oven", "project:Home", "due:2099-01-05", "recur:2h")
    path = tmp_path / "tw.json"
    path.write_text(tw("export"))
    result = cli("import", "taskwarrior", str(path))
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert f"{path}: task 1: recur '2h' is not a recurrence" in result.stderr
    assert cli.json("project", "list", "--all") == []


def test_tasks_deleted_or_completed_in_taskwarrior_are_closed_by_the_next_import(cli, tw):
    for title in ("Fix tap", "Paint wall", "Sweep floor", "Old idea"):
        tw("add", title, "project:Home")
    tw(tw.uuid("Old idea"), "delete")
    assert changed(tw.load(cli)) == {"project": 1, "task": 3}  # "Old idea" never came
    sweep = tasks_by_title(cli)["Sweep floor"]
    closed_here = cli.json("task", "done", str(sweep["id"]))["tasks"][0]

    next_second()
    tw(tw.uuid("Fix tap"), "delete")
    tw(tw.uuid("Paint wall"), "done")
    tw(tw.uuid("Sweep floor"), "delete")
    ends = {t["description"]: t["end"] for t in tw.export() if "end" in t}
    result = tw.load(cli)
    assert result["tables"] == {"task": {"added": 0, "updated": 2, "unchanged": 0,
                                         "conflicts": 0}} and result["conflicts"] == []
    tasks = tasks_by_title(cli)
    assert set(tasks) == {"Fix tap", "Paint wall", "Sweep floor"}
    deleted_on = parse_iso_timestamp(ends["Fix tap"]).astimezone().date().isoformat()
    assert {t: (v["status"], v["done_at"], v["notes"]) for t, v in tasks.items()} == {
        "Fix tap": ("done", utc(ends["Fix tap"]), f"deleted in Taskwarrior on {deleted_on}"),
        "Paint wall": ("done", utc(ends["Paint wall"]), None),
        "Sweep floor": ("done", closed_here["done_at"], None),  # closed here: left as it is
    }
    assert changed(tw.load(cli)) == {}


def test_a_waiting_task_gets_a_start_reminder_on_its_wait_date_and_a_note(cli, tw):
    tw("add", "Renew passport", "project:Admin", "wait:2099-03-01", "due:2099-04-01")
    [exported] = tw.export()
    assert exported["status"] in ("pending", "waiting") and "wait" in exported
    tw.load(cli)
    [task] = cli.json("task", "list", "--all")
    assert (task["status"], task["due_on"], task["notes"]) == (
        "open", "2099-04-01", "waiting until 2099-03-01 (Taskwarrior)")
    assert reminders() == [("Start: Renew passport", "reminder", "task", task["id"],
                            "2099-03-01", "2099-03-01", None, "open")]
    assert changed(tw.load(cli)) == {}

    next_second()
    tw(exported["uuid"], "modify", "wait:2099-03-15")
    assert changed(tw.load(cli)) == {"task": 1, "reminder": 1}
    assert cli.json("task", "list", "--all")[0]["notes"] == (
        "waiting until 2099-03-15 (Taskwarrior)")
    assert reminders()[0][4:] == ("2099-03-15", "2099-03-15", None, "open")

    next_second()
    tw(exported["uuid"], "done")  # a closed task's reminder is closed too
    tw.load(cli)
    [task] = cli.json("task", "list", "--all")
    assert (task["status"], task["notes"]) == ("done", None)
    assert [r[7] for r in reminders()] == ["done"]


def test_a_nested_taskwarrior_project_becomes_a_colon_separated_project_name(cli, tw):
    tw("add", "Fix sink", "project:Home.Kitchen.Sink")
    tw("add", "Call plumber", "project:Home")
    tw("add", "Buy milk")
    tw.load(cli)
    projects = {p["name"]: p for p in cli.json("project", "list", "--all")}
    assert sorted(projects) == ["Home", "Home:Kitchen:Sink", "Inbox"]
    assert {t: v["project"] for t, v in tasks_by_title(cli).items()} == {
        "Fix sink": "Home:Kitchen:Sink", "Call plumber": "Home", "Buy milk": "Inbox"}
    assert cli.json("project", "show", "Home:Kitchen:Sink")["id"] == \
        projects["Home:Kitchen:Sink"]["id"]
    cli.ok("task", "add", "Home:Kitchen:Sink", "Buy a washer")
    # a project here is left as it is: renamed, it is not made again
    sql_write("UPDATE project SET name = 'Sink' WHERE id = ?",
              (projects["Home:Kitchen:Sink"]["id"],))
    assert changed(tw.load(cli)) == {}
    assert sorted(p["name"] for p in cli.json("project", "list", "--all")) == [
        "Home", "Inbox", "Sink"]


@pytest.mark.parametrize(("record", "message"), [
    ({"annotations": "oops"}, "task 1: annotations must be a list of objects"),
    ({"tags": [1]}, "task 1: tags must be a list of texts"),
    ({"priority": ["H"]}, "task 1: priority must be text"),
    ({"status": "recurring", "recur": "weekly"}, "task 1: a recurring task needs recur and due"),
    ({"status": "recurring", "recur": "hourly", "due": "20990105T000000Z"},
     "task 1: recur 'hourly' is not a recurrence"),
    ({"wait": "soon"}, "task 1: wait: not a timestamp"),
])
def test_a_bad_taskwarrior_record_is_refused_in_one_line_naming_it(cli, tmp_path, record,
                                                                     message):
    path = tmp_path / "tw.json"
    path.write_text(json.dumps([{"uuid": "u-1", "description": "x", **record}]))
    result = cli("import", "taskwarrior", str(path))
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert f"{path}: {message}" in result.stderr
    assert cli.json("project", "list", "--all") == []


def test_a_uuid_twice_in_the_file_is_refused():
    twice = [{"uuid": "u-1", "description": "a"}, {"uuid": "u-1", "description": "b"}]
    with pytest.raises(InvalidInput) as info:
        taskwarrior.parse(json.dumps(twice), "tw.json")
    assert (info.value.message, info.value.exit_code) == (
        "tw.json: task 2: uuid u-1 appears twice", 2)
