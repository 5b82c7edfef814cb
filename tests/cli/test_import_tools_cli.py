"""`import homebox` and `import taskwarrior` from the command line."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from stuffctl.services.data.importers import taskwarrior
from tests.services.importers.test_homebox import CSV


def test_homebox_import_is_idempotent_and_dry_run_writes_nothing(cli, tmp_path):
    path = tmp_path / "homebox.csv"
    path.write_text(CSV)
    dry = cli.json("import", "homebox", str(path), "--dry-run")
    assert dry["tables"]["asset"]["added"] == 2 and cli.json("asset", "list") == []
    first = cli.json("import", "homebox", str(path))
    assert first["tables"]["asset"]["added"] == 2
    assets = cli.json("asset", "list")
    assert [(a["name"], a["tags"], a["fields"]) for a in assets] == [
        ("Ladder", [], {"quantity": "2"}),
        ("Monitor", ["electronics", "work"], {"Colour": "black"})]
    again = cli.json("import", "homebox", str(path))
    assert again["tables"] == {"asset": {"added": 0, "updated": 0, "unchanged": 2,
                                         "conflicts": 0}}
    assert cli.json("asset", "list") == assets
    path.write_text(CSV.replace("electronics;work", "electronics"))
    changed = cli.json("import", "homebox", str(path))
    assert changed["tables"]["asset"]["updated"] == 1
    assert cli.json("asset", "list")[1]["tags"] == ["electronics"]


def test_homebox_csv_without_a_name_column_exits_2_and_writes_nothing(cli, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("HB.location\nGarage\n")
    result = cli("import", "homebox", str(path))
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert "HB.name" in result.stderr and cli.json("asset", "list") == []


EXPORT = [
    {"id": 1, "description": "Buy tiles", "entry": "20260101T100000Z",
     "modified": "20260102T100000Z", "project": "Home.Bathroom", "status": "pending",
     "uuid": "11111111-1111-4111-8111-111111111111", "due": "20260301T230000Z",
     "tags": ["shop"], "priority": "H",
     "annotations": [{"entry": "20260101T110000Z", "description": "white, 20x20"}]},
    {"id": 0, "description": "Lay tiles", "entry": "20260101T100000Z",
     "end": "20260105T100000Z", "project": "Home.Bathroom", "status": "completed",
     "uuid": "22222222-2222-4222-8222-222222222222",
     "depends": "11111111-1111-4111-8111-111111111111"},
]


def test_taskwarrior_export_maps_to_projects_and_tasks():
    parsed = taskwarrior.parse(json.dumps(EXPORT), "tw.json")
    assert parsed["projects"] == [{"uid": taskwarrior.project_uid("Home.Bathroom"),
                                   "name": "Home.Bathroom"}]
    buy, lay = parsed["tasks"]
    assert (buy["title"], buy["status"], buy["priority"], buy["tags"]) == (
        "Buy tiles", "open", "H", ["shop"])
    assert buy["annotations"] == [{"at": "2026-01-01T11:00:00Z", "text": "white, 20x20"}]
    assert buy["due"] is not None and buy["updated_at"] == "2026-01-02T10:00:00Z"
    assert (lay["status"], lay["done_at"], lay["depends"]) == (
        "done", "2026-01-05T10:00:00Z", [buy["uid"]])


@pytest.mark.parametrize(("text", "message"), [
    ('[{"uuid": "x", "descr', "not valid JSON"),
    ('{"a": 1}', "expected a JSON array"),
    ('[{"uuid": "x", "description": "y", "status": "odd"}]', "unknown status"),
    ('[{"uuid": "x", "description": "y", "depends": "z"}]', "depends on z"),
])
def test_bad_taskwarrior_files_are_refused(text, message):
    with pytest.raises(Exception, match=message) as info:
        taskwarrior.parse(text, "tw.json")
    assert info.value.exit_code == 2


def test_import_taskwarrior_brings_projects_tasks_tags_notes_and_dependencies(cli, tmp_path):
    path = tmp_path / "tw.json"
    path.write_text(json.dumps(EXPORT))
    assert cli.json("import", "taskwarrior", str(path), "--dry-run")["tables"]["task"][
        "added"] == 2
    assert cli.json("project", "list", "--all") == []
    result = cli.json("import", "taskwarrior", str(path))
    assert result["tables"]["task"]["added"] == 2 and result["tables"]["task_dep"]["added"] == 1
    [project] = cli.json("project", "list", "--all")
    assert (project["name"], project["status"]) == ("Home:Bathroom", "active")
    tasks = {t["title"]: t for t in cli.json("task", "list", "--all")}
    buy, lay = tasks["Buy tiles"], tasks["Lay tiles"]
    assert (buy["priority"], buy["tags"], buy["notes"], buy["status"]) == (
        "H", ["shop"], "2026-01-01 white, 20x20", "open")
    assert (lay["status"], lay["depends_on"]) == ("done", [buy["id"]])
    again = cli.json("import", "taskwarrior", str(path))
    assert {t: c["added"] + c["updated"] for t, c in again["tables"].items()} == {
        t: 0 for t in again["tables"]}


@pytest.mark.parametrize("content", [b'[{"uuid": "x", "descr', b"PK\x03\x04\xca\xfe binary"])
def test_a_broken_taskwarrior_file_exits_2_and_writes_nothing(cli, tmp_path, content):
    path = tmp_path / "tw.json"
    path.write_bytes(content)
    result = cli("import", "taskwarrior", str(path))
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert cli.json("project", "list", "--all") == []


def test_a_real_taskwarrior_export_parses_with_projects_due_dates_and_dependencies(tmp_path):
    task = shutil.which("task")
    if task is None:
        pytest.skip("Taskwarrior ('task') is not installed; CI installs it")
    env = {"TASKRC": str(tmp_path / "taskrc"), "TASKDATA": str(tmp_path / "data"),
           "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    (tmp_path / "taskrc").write_text(f"data.location={tmp_path / 'data'}\nconfirmation=off\n"
                                     "verbose=nothing\n")

    def tw(*args: str) -> str:
        done = subprocess.run([task, "rc.confirmation=off", *args], env=env,
                              capture_output=True, text=True, timeout=30, check=True)
        return done.stdout

    tw("add", "Buy tiles", "project:Home.Bathroom", "due:2026-03-01", "+shop", "priority:H")
    tw("add", "Lay tiles", "project:Home.Bathroom", "depends:1")
    tw("1", "annotate", "white, 20x20")
    tw("add", "Call plumber", "project:Home")
    parsed = taskwarrior.parse(tw("export"), "export.json")
    assert sorted(p["name"] for p in parsed["projects"]) == ["Home", "Home.Bathroom"]
    by_title = {t["title"]: t for t in parsed["tasks"]}
    assert by_title["Buy tiles"]["due"] == "2026-03-01"
    assert by_title["Buy tiles"]["tags"] == ["shop"]
    assert by_title["Buy tiles"]["annotations"][0]["text"] == "white, 20x20"
    assert by_title["Lay tiles"]["depends"] == [by_title["Buy tiles"]["uid"]]
    from tests.conftest import Cli

    path = tmp_path / "export.json"
    path.write_text(tw("export"))
    cli = Cli()
    cli.ok("import", "taskwarrior", str(path))
    tasks = {t["title"]: t for t in cli.json("task", "list", "--all")}
    assert tasks["Buy tiles"]["due_on"] == "2026-03-01"
    assert tasks["Lay tiles"]["depends_on"] == [tasks["Buy tiles"]["id"]]
    assert tasks["Call plumber"]["project"] == "Home"
