"""`find`, `export`, `import`, `share`, `backup` and `restore` from the command line."""

from __future__ import annotations

import json
import sqlite3

import pytest

from stuffctl import paths


def in_home(monkeypatch, path):
    from stuffctl import store

    store.dispose_all()
    monkeypatch.setenv("STUFFCTL_HOME", str(path))


def test_find_ranks_hits_across_kinds_with_kind_and_id(cli):
    cli.ok("asset", "add", "Ladder", "--notes", "aluminium, 3 m", "--field", "colour=silver")
    cli.ok("asset", "add", "Drill", "--brand", "Makita")
    cli.ok("person", "add", "Sam Makita")
    hits = cli.json("find", "makita")
    assert {(h["kind"], h["id"]) for h in hits} == {("asset", 2), ("person", 1)}
    assert set(hits[0]) == {"kind", "id", "title", "snippet", "score"}
    assert [(h["kind"], h["id"], h["title"]) for h in cli.json("find", "silv")] == [
        ("asset", 1, "Ladder")]
    assert cli.json("find", "nothing-like-this") == []
    cli.ok("asset", "edit", "2", "--brand", "Bosch")
    assert [h["kind"] for h in cli.json("find", "makita")] == ["person"]
    cli.ok("asset", "rm", "1", "--yes")
    assert cli.json("find", "silver") == []


def test_find_survives_a_table_rebuild_by_a_migration(cli):
    from stuffctl import store
    from stuffctl.store import search

    cli.ok("asset", "add", "Kettle")
    with store.session(write=True) as s:
        conn = s.connection()
        conn.exec_driver_sql("DROP TRIGGER fts_asset_ai")
        search.install(conn, rebuild=True)
    cli.ok("asset", "add", "Teapot")
    assert [h["title"] for h in cli.json("find", "teapot")] == ["Teapot"]


def test_export_import_round_trip_through_files_with_attachments(cli, tmp_path, monkeypatch):
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(b"%PDF receipt")
    cli.ok("asset", "add", "Fridge", "--tag", "kitchen")
    cli.ok("asset", "attach", "1", str(receipt))
    out = tmp_path / "all.zip"
    cli.ok("export", "--out", str(out), "--with-files")
    first = cli.ok("export").stdout
    in_home(monkeypatch, tmp_path / "other")
    result = cli.json("import", str(out))
    assert result["tables"]["asset"]["added"] == 1 and result["files_added"] == 1
    assert result["missing_files"] == []
    assert cli.ok("export").stdout == first
    again = cli.json("import", str(out))
    assert again["tables"]["asset"] == {"added": 0, "updated": 0, "unchanged": 1, "conflicts": 0}


@pytest.mark.parametrize(("content", "message"), [
    ('{"format": "stuffctl-export", "format_version": 1, "sche', "not valid JSON"),
    ('{"format": "stuffctl-export", "format_version": 1, "schema_version": "9999", '
     '"tables": {}}', "newer than this stuffctl"),
    ('[1, 2]', "not a stuffctl export"),
])
def test_import_of_a_bad_file_exits_2_with_one_line(cli, tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    result = cli("import", str(bad))
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.splitlines()) == 1
    assert cli.json("asset", "list") == []


def test_two_homes_exchange_bundles_both_ways(cli, tmp_path, monkeypatch):
    cli.ok("person", "add", "Sam")
    cli.ok("asset", "add", "Tent", "--tag", "camping")
    cli.ok("asset", "add", "Stove", "--tag", "camping")
    cli.ok("asset", "add", "Sofa")
    cli.ok("asset", "lend", "1", "--to", "Sam")
    a_bundle = tmp_path / "camping.json"
    cli.ok("share", "--tag", "camping", "--out", str(a_bundle))
    home_a = paths.db_path().parent
    in_home(monkeypatch, tmp_path / "b")
    cli.ok("asset", "add", "Bike")
    first = cli.json("import", str(a_bundle))
    assert first["tables"]["asset"]["added"] == 2 and first["tables"]["person"]["added"] == 1
    assert cli.json("import", str(a_bundle))["tables"]["asset"]["added"] == 0
    names = sorted(a["name"] for a in cli.json("asset", "list"))
    assert names == ["Bike", "Stove", "Tent"]
    stove = next(a for a in cli.json("asset", "list") if a["name"] == "Stove")
    cli.ok("asset", "edit", str(stove["id"]), "--notes", "needs gas")
    b_bundle = tmp_path / "stove.json"
    cli.ok("share", "--asset", str(stove["id"]), "--out", str(b_bundle))
    in_home(monkeypatch, home_a)
    before = {a["name"]: a for a in cli.json("asset", "list")}
    back = cli.json("import", str(b_bundle))
    assert back["tables"]["asset"] == {"added": 0, "updated": 1, "unchanged": 0, "conflicts": 0}
    after = {a["name"]: a for a in cli.json("asset", "list")}
    assert after["Stove"]["notes"] == "needs gas"
    assert after["Sofa"] == before["Sofa"] and after["Tent"] == before["Tent"]
    assert sorted(after) == ["Sofa", "Stove", "Tent"]


def test_share_needs_something_to_share(cli, tmp_path):
    result = cli("share", "--tag", "nothing", "--out", str(tmp_path / "x.json"))
    assert result.exit_code == 2 and "nothing to share" in result.stderr
    assert cli("share", "--asset", "9", "--out", str(tmp_path / "x.json")).exit_code == 3


def test_backup_keeps_the_newest_n_and_restore_keeps_the_replaced_file(cli, tmp_path):
    cli.ok("config", "set", "backups.keep", "2")
    cli.ok("asset", "add", "Before")
    made = [cli.json("backup")["path"] for _ in range(3)]
    kept = sorted(p.name for p in paths.backups_dir().glob("backup-*.db"))
    assert len(kept) == 2 and made[-1].endswith(kept[-1])
    cli.ok("asset", "add", "After")
    result = cli.json("restore", made[-1], "--yes")
    assert [a["name"] for a in cli.json("asset", "list")] == ["Before"]
    replaced = sqlite3.connect(result["replaced_kept_as"])
    assert sorted(r[0] for r in replaced.execute("SELECT name FROM asset")) == ["After", "Before"]
    replaced.close()


def test_restore_refuses_a_damaged_file_and_changes_nothing(cli, tmp_path):
    cli.ok("asset", "add", "Kept")
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    result = cli("restore", str(bad), "--yes")
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    assert "not a stuffctl database" in cli("restore", str(empty), "--yes").stderr
    assert [a["name"] for a in cli.json("asset", "list")] == ["Kept"]


def test_import_dry_run_changes_nothing(cli, tmp_path, monkeypatch):
    cli.ok("asset", "add", "Lamp")
    out = tmp_path / "x.json"
    cli.ok("export", "--out", str(out))
    in_home(monkeypatch, tmp_path / "b")
    result = cli.json("import", "--dry-run", str(out))
    assert result["dry_run"] is True and result["tables"]["asset"]["added"] == 1
    assert cli.json("asset", "list") == []
    assert "would change" in cli.ok("import", "file", str(out), "-n").stdout
    assert json.loads(out.read_text())["kind"] == "export"


@pytest.mark.parametrize("command", [["export"], ["remind", "ics"], ["share", "--asset", "1"]])
@pytest.mark.parametrize("out", ["", "."])
def test_out_naming_a_directory_is_bad_input(cli, command, out):
    cli.ok("asset", "add", "Ladder")
    result = cli(*command, "--out", out)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "is a directory" in result.stderr
